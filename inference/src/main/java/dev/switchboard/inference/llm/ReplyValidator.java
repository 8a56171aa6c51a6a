package dev.switchboard.inference.llm;

import dev.switchboard.inference.TriageContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks a parsed reply against the taxonomy and the ticket's excluded teams; maps names to their canonical spelling. */
final class ReplyValidator {

    /**
     * A reply that passed: canonical team and priority (priority null only when the taxonomy has none).
     * {@code confidence} is 0.5 when the model gave none or an invalid one ({@code confidenceGiven} false;
     * such a reply is never confident), and {@code confidenceNote} then says so.
     */
    record Valid(String team, String priority, double confidence, String rationale, String duplicateOf,
                 boolean confidenceGiven, String confidenceNote) {}

    /** Either {@code valid} or a non-empty list of problems (which never quote more than a short value). */
    record Outcome(Valid valid, List<String> problems) {
        boolean ok() {
            return valid != null;
        }
    }

    private ReplyValidator() {}

    static Outcome validate(LlmReply reply, TriageContext ctx, List<String> exampleIds) {
        List<String> problems = new ArrayList<>();
        String team = null;
        if (reply.team() == null) {
            problems.add("the reply has no team");
        } else {
            Optional<String> canonical = canonical(reply.team(), ctx.taxonomy().teamNames());
            if (canonical.isEmpty()) {
                problems.add("team " + quote(reply.team()) + " is not one of the allowed teams");
            } else if (ctx.excludedTeams().contains(canonical.get())) {
                problems.add("team " + quote(canonical.get()) + " already had this ticket and is excluded");
            } else {
                team = canonical.get();
            }
        }
        String priority = null;
        List<String> priorities = ctx.taxonomy().priorityNames();
        if (!priorities.isEmpty()) {
            if (reply.priority() == null) {
                problems.add("the reply has no priority");
            } else {
                Optional<String> canonical = canonical(reply.priority(), priorities);
                if (canonical.isEmpty()) problems.add("priority " + quote(reply.priority()) + " is not one of the allowed priorities");
                else priority = canonical.get();
            }
        }
        if (!problems.isEmpty()) return new Outcome(null, List.copyOf(problems));
        boolean given = !Double.isNaN(reply.confidence());
        double confidence = given ? reply.confidence() : 0.5;
        String note = given ? "" : reply.confidenceProblem() != null ? reply.confidenceProblem() : "the LLM gave no confidence";
        String dup = reply.duplicateOf() != null && exampleIds.contains(reply.duplicateOf()) ? reply.duplicateOf() : null;
        return new Outcome(new Valid(team, priority, confidence, reply.rationale(), dup, given, note), List.of());
    }

    /** Exact match first, then case- and whitespace-insensitive if that is unambiguous. */
    static Optional<String> canonical(String value, List<String> allowed) {
        String v = value.strip();
        if (allowed.contains(v)) return Optional.of(v);
        String norm = norm(v);
        List<String> hits = allowed.stream().filter(a -> norm(a).equals(norm)).toList();
        return hits.size() == 1 ? Optional.of(hits.get(0)) : Optional.empty();
    }

    private static String norm(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static String quote(String s) {
        String t = s.replaceAll("[\\p{Cc}\\p{Cf}]", "").strip();
        if (t.length() > 60) t = t.substring(0, 60) + "\u2026";
        return "\"" + t + "\"";
    }
}
