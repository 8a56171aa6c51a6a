package dev.switchboard.inference.eval;

import java.util.Map;

/**
 * Result of one evaluation run.
 *
 * @param priority  null when the data has no priority labels
 * @param baselines metrics per baseline name ("majority", "naive_bayes"), empty unless requested
 */
public record EvaluationReport(String engine, int nTrain, int nTest, int duplicatesRemoved, double trainSeconds,
                               double latencyP50Ms, double latencyP95Ms, double throughputPerSecond,
                               int fallback, int errors, int coldStart, double targetPrecision,
                               LabelMetrics team, LabelMetrics priority, Map<String, Baseline> baselines) {

    public record Baseline(LabelMetrics team, LabelMetrics priority) {}
}
