package dev.switchboard.inference.embed;

import java.util.List;

/** Turns text into a unit-length dense vector. Implementations are thread-safe. */
public interface Embedder {

    /** Identifies model and preprocessing, stored beside every vector so stale vectors are recognised. */
    String modelId();

    int dimension();

    float[] embed(String text);

    default List<float[]> embedAll(List<String> texts) {
        return texts.stream().map(this::embed).toList();
    }

    /** Cosine similarity of two unit vectors (their dot product). */
    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
