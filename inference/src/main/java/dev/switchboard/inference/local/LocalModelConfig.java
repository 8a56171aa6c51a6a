package dev.switchboard.inference.local;

import dev.switchboard.inference.embed.MiniLmEmbedder;

/**
 * Settings of the local model. Defaults suit a few hundred to tens of thousands of tickets.
 *
 * @param targetPrecision   precision the per-team confidence thresholds aim for (0..1)
 * @param minThresholdSupport a team needs this many held-out predictions of its own to get its own
 *                          threshold; otherwise the global threshold applies (100: the standard error
 *                          of a precision near 0.9 measured on n predictions is sqrt(0.09 / n), 0.03 at
 *                          100 and 0.06 at 25, too coarse to place a 0.90 cut-off)
 * @param folds             cross-validation folds used to fit the blend and thresholds on held-out data
 * @param epochs            SGD epochs of the linear model
 * @param lambda            L2 strength of the linear model (per example)
 * @param neighbours        k of the nearest-neighbour vote
 * @param temperature       softness of the neighbour vote (cosine units)
 * @param embedChars        characters of a ticket the sentence embedder reads
 * @param threads           worker threads used while training (1 = the caller's thread only)
 * @param seed              seed for folds and SGD order
 * @param embedding         which MiniLM weights the default embedder uses
 * @param rankerTrees       most boosted trees of the second-stage ranker (0 = blend only)
 */
public record LocalModelConfig(double targetPrecision, int minThresholdSupport, int folds, int epochs,
                               double lambda, int neighbours, double temperature, int embedChars,
                               int threads, long seed, MiniLmEmbedder.Variant embedding, int rankerTrees) {

    public static LocalModelConfig defaults() {
        return new LocalModelConfig(0.90, 100, 5, 8, 2e-6, 25, 0.05, 300,
                Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())), 42,
                MiniLmEmbedder.Variant.QUANTIZED, 300);
    }

    /** The sentence embedder these settings describe. */
    public MiniLmEmbedder newEmbedder() {
        return new MiniLmEmbedder(embedding, embedChars);
    }

    public LocalModelConfig withTargetPrecision(double p) {
        return new LocalModelConfig(p, minThresholdSupport, folds, epochs, lambda, neighbours, temperature,
                embedChars, threads, seed, embedding, rankerTrees);
    }

    public LocalModelConfig withThreads(int t) {
        return new LocalModelConfig(targetPrecision, minThresholdSupport, folds, epochs, lambda, neighbours,
                temperature, embedChars, t, seed, embedding, rankerTrees);
    }

    public LocalModelConfig withLinear(int epochs, double lambda) {
        return new LocalModelConfig(targetPrecision, minThresholdSupport, folds, epochs, lambda, neighbours,
                temperature, embedChars, threads, seed, embedding, rankerTrees);
    }

    public LocalModelConfig withEmbedChars(int chars) {
        return new LocalModelConfig(targetPrecision, minThresholdSupport, folds, epochs, lambda, neighbours,
                temperature, chars, threads, seed, embedding, rankerTrees);
    }

    public LocalModelConfig withMinThresholdSupport(int n) {
        return new LocalModelConfig(targetPrecision, n, folds, epochs, lambda, neighbours, temperature, embedChars,
                threads, seed, embedding, rankerTrees);
    }

    public LocalModelConfig withRankerTrees(int trees) {
        return new LocalModelConfig(targetPrecision, minThresholdSupport, folds, epochs, lambda, neighbours,
                temperature, embedChars, threads, seed, embedding, trees);
    }

    public LocalModelConfig withEmbedding(MiniLmEmbedder.Variant v) {
        return new LocalModelConfig(targetPrecision, minThresholdSupport, folds, epochs, lambda, neighbours,
                temperature, embedChars, threads, seed, v, rankerTrees);
    }
}
