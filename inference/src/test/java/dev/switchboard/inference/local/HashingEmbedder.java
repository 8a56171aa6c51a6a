package dev.switchboard.inference.local;

import dev.switchboard.inference.embed.Embedder;
import dev.switchboard.inference.text.TextAnalyzer;

/** Fast deterministic stand-in for MiniLM in tests: hashed bag of words, unit length. */
final class HashingEmbedder implements Embedder {
    @Override public String modelId() {
        return "hash-256";
    }

    @Override public int dimension() {
        return 256;
    }

    @Override public float[] embed(String text) {
        float[] v = new float[256];
        String t = text == null ? "" : text.length() > 5000 ? text.substring(0, 5000) : text;
        for (String w : TextAnalyzer.tokens(t)) {
            int h = w.hashCode() * 0x9E3779B1;
            v[Math.floorMod(h, 256)] += (h & 0x100) == 0 ? 1f : -1f;
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
