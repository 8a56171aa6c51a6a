package dev.switchboard.inference.eval;

import java.util.Map;

/**
 * Result of one evaluation run.
 *
 * @param priority  null when the data has no priority labels
 * @param baselines metrics per baseline name ("majority", "naive_bayes"), empty unless requested
 * @param unrelated what the engine said about tickets from outside the training data, or null
 * @param fallbackReasons why suggestions fell back or failed (the engine's note, e.g. "LLM rejected the request
 *                  (HTTP 401 …)"), with how many tickets each; most frequent first, empty when none did
 */
public record EvaluationReport(String engine, int nTrain, int nTest, int duplicatesRemoved, double trainSeconds,
                               double latencyP50Ms, double latencyP95Ms, double throughputPerSecond,
                               int fallback, int errors, int coldStart, double targetPrecision,
                               LabelMetrics team, LabelMetrics priority, Map<String, Baseline> baselines,
                               Unrelated unrelated, Map<String, Integer> fallbackReasons) {

    public EvaluationReport {
        fallbackReasons = fallbackReasons == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fallbackReasons));
    }

    /** True when every test ticket fell back or failed: the figures are the fallback's, not the engine's. */
    public boolean allFellBack() {
        return nTest > 0 && fallback + errors >= nTest;
    }

    public record Baseline(LabelMetrics team, LabelMetrics priority) {}

    /**
     * Suggestions for tickets none of whose teams the engine was trained on (another queue, another
     * product): every confident suggestion among them is a blind accept that would be wrong.
     *
     * @param source          the file the tickets came from, as given
     * @param tickets         how many were scored
     * @param confident       how many suggestions cleared their team's threshold
     * @param meanConfidence  mean probability of the top team
     */
    public record Unrelated(String source, int tickets, int confident, double meanConfidence) {
        public double confidentShare() {
            return tickets == 0 ? 0 : confident / (double) tickets;
        }
    }
}
