package dev.switchboard.inference.embed;

import dev.switchboard.inference.text.TextAnalyzer;

/**
 * Fast deterministic stand-in for MiniLM in tests and development benchmarks (never used by the app): a
 * signed hashed bag of words, unit length. It has the shape of a sentence embedding and none of its cost
 * or meaning.
 */
public final class HashingEmbedder implements Embedder {
    private final int dim;

    /** 256 dimensions. */
    public HashingEmbedder() {
        this(256);
    }

    public HashingEmbedder(int dimension) {
        this.dim = dimension;
    }

    @Override public String modelId() {
        return "hash-" + dim;
    }

    @Override public int dimension() {
        return dim;
    }

    @Override public float[] embed(String text) {
        float[] v = new float[dim];
        String t = text == null ? "" : text.length() > 5000 ? text.substring(0, 5000) : text;
        for (String w : TextAnalyzer.tokens(t)) {
            int h = w.hashCode() * 0x9E3779B1;
            v[Math.floorMod(h, dim)] += (h & 0x100) == 0 ? 1f : -1f;
        }
        double n = 0;
        for (float x : v) n += x * x;
        if (n == 0) {
            v[0] = 1;
            return v;
        }
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / Math.sqrt(n));
        return v;
    }
}
