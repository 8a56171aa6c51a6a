package dev.switchboard.inference.llm;

import java.time.Instant;

/**
 * Told about every request the LLM engine tries to send off the machine (the egress ledger), one call
 * per HTTP attempt including retries and the repair request; attempts that failed to connect are
 * reported too (outcome "connection refused"/"error"). It never receives the text or the key: only
 * where, which model, how many prompt characters (all message contents of that request), when and
 * how it ended.
 *
 * <p>{@code outcome} is one of {@code "ok"}, {@code "http 429"}, {@code "http 500"} (any status),
 * {@code "timeout"}, {@code "connection refused"}, {@code "reply too large"} (more than
 * {@link LlmTransport#MAX_REPLY_BYTES} bytes, reading stopped there), {@code "cancelled"}, {@code "error"}. Called on
 * the requesting thread; implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface EgressListener {

    void sent(String endpoint, String model, int promptChars, Instant at, String outcome);

    /** What the request was for: {@value #TRIAGE}, {@value #DUPLICATE_CHECK}, {@value #CONNECTION_TEST} or {@value #EVALUATION}. Listeners that do not care get the call above. */
    default void sent(String endpoint, String model, int promptChars, Instant at, String outcome, String purpose) {
        sent(endpoint, model, promptChars, at, outcome);
    }

    String TRIAGE = "triage";
    String DUPLICATE_CHECK = "duplicate check";
    String CONNECTION_TEST = "connection test";
    /** A request of {@code switchboard evaluate --engine llm} (tickets of a file, not of the workspace). */
    String EVALUATION = "evaluation";

    /** This listener with every request's purpose recorded as {@code purpose} (e.g. a connection test's sample ticket). */
    default EgressListener as(String purpose) {
        EgressListener inner = this;
        return new EgressListener() {
            @Override
            public void sent(String endpoint, String model, int promptChars, Instant at, String outcome) {
                inner.sent(endpoint, model, promptChars, at, outcome, purpose);
            }

            @Override
            public void sent(String endpoint, String model, int promptChars, Instant at, String outcome, String ignored) {
                inner.sent(endpoint, model, promptChars, at, outcome, purpose);
            }
        };
    }

    EgressListener NONE = (endpoint, model, promptChars, at, outcome) -> { };
}
