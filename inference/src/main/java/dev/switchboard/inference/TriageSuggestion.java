package dev.switchboard.inference;

import java.util.List;

/**
 * What an engine suggests for one ticket.
 *
 * @param status      whether this is a real suggestion, or why there is none
 * @param teams       probability for every team, best first (UI shows the top 3)
 * @param priorities  probability for every priority level, best first (may be empty)
 * @param confident   true when the top team's probability clears that team's threshold (an LLM's: its
 *                    confidence reaches the threshold and the local model ranks the same team first)
 * @param rationale   a short human-readable reason
 * @param evidence    nearest decided tickets the suggestion rests on
 * @param engine      "local" or "llm"
 * @param model       model identifier (embedding model, LLM name) for the ledger
 * @param note        fallback or error reason shown on the card, empty if none
 * @param latencyMicros time spent producing it
 * @param unlikeDecided the local model found the ticket unlike every decided ticket it knows (its nearest
 *                    neighbours are far): its ranking is then a guess, and never confirms another reading
 */
public record TriageSuggestion(
        Status status,
        List<Prediction> teams,
        List<Prediction> priorities,
        boolean confident,
        String rationale,
        List<Evidence> evidence,
        String engine,
        String model,
        String note,
        long latencyMicros,
        boolean unlikeDecided) {

    public enum Status { OK, COLD_START, FALLBACK, ERROR }

    public TriageSuggestion {
        teams = teams == null ? List.of() : List.copyOf(teams);
        priorities = priorities == null ? List.of() : List.copyOf(priorities);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        rationale = rationale == null ? "" : rationale;
        note = note == null ? "" : note;
    }

    public TriageSuggestion(Status status, List<Prediction> teams, List<Prediction> priorities, boolean confident,
                            String rationale, List<Evidence> evidence, String engine, String model, String note,
                            long latencyMicros) {
        this(status, teams, priorities, confident, rationale, evidence, engine, model, note, latencyMicros, false);
    }

    public String topTeam() {
        return teams.isEmpty() ? null : teams.get(0).label();
    }

    public String topPriority() {
        return priorities.isEmpty() ? null : priorities.get(0).label();
    }

    /** Probability of the top team, 0 when there is none. */
    public double confidence() {
        return teams.isEmpty() ? 0.0 : teams.get(0).probability();
    }

    public static TriageSuggestion none(Status status, String engine, String model, String note) {
        return new TriageSuggestion(status, List.of(), List.of(), false, "", List.of(), engine, model, note, 0);
    }

    /**
     * A probability as a whole percentage for people to read. A model is never certain, so anything that
     * rounds to 100 reads "≥99%": the queue, the card and the rationale all say the same.
     */
    public static String percent(double p) {
        long v = Math.round(p * 100);
        return v >= 100 ? "≥99%" : v + "%";
    }
}
