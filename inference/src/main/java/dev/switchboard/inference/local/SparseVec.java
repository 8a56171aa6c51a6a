package dev.switchboard.inference.local;

/** A sparse feature vector: parallel arrays of feature ids and values. */
record SparseVec(int[] idx, float[] val) {
    static final SparseVec EMPTY = new SparseVec(new int[0], new float[0]);

    int size() {
        return idx.length;
    }
}
