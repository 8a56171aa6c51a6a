package dev.switchboard.persistence.store;

import java.time.Instant;
import java.util.List;

/**
 * Everything the detail pane shows about one ticket. {@code mergedInto} is the ticket this one is merged into
 * as a duplicate (closed, its text kept there as an update), or null.
 */
public record TicketDetail(QueueRow row, String body, List<Update> updates, SuggestionView suggestion,
                           List<RoutingView> routing, List<DuplicateView> duplicates, Long mergedInto) {

    /**
     * One update of the ticket. {@code undoneMerge}: the text a merge of a duplicate brought in, and that merge
     * was undone later; it stays in the record (undo appends) but is no longer the ticket's text, so the model,
     * the duplicate finder and prompts leave it out ({@link #text()}).
     */
    public record Update(String author, String body, Instant createdAt, boolean undoneMerge) {
        public Update(String author, String body, Instant createdAt) {
            this(author, body, createdAt, false);
        }
    }

    /** The updates that are part of the ticket's text now: all but those of an undone merge. */
    public List<Update> textUpdates() {
        return updates.stream().filter(u -> !u.undoneMerge()).toList();
    }

    public record RoutingView(String fromTeam, String toTeam, Instant at) {}

    /**
     * A pair the ticket is in, as its latest row says: {@code state} SUGGESTED or UNDONE (awaiting a
     * verdict), CONFIRMED (linked) or MERGED; dismissed pairs are left out. {@code otherIsOriginal} tells
     * the direction: true when this ticket is the duplicate and the other one the original. {@code otherMergedInto}
     * is the ticket the other one was merged into (null when it was not); {@code selfMerged} tells that this ticket
     * was merged into another one. A pair with either side merged elsewhere awaits no verdict: the merged ticket's
     * issue lives on in the one it was merged into.
     */
    public record DuplicateView(long otherId, String otherSubject, String otherStatus, boolean otherIsOriginal,
                                double score, String state, String actor, Instant at, Long otherMergedInto,
                                boolean selfMerged) {

        public DuplicateView(long otherId, String otherSubject, String otherStatus, boolean otherIsOriginal,
                             double score, String state, String actor, Instant at) {
            this(otherId, otherSubject, otherStatus, otherIsOriginal, score, state, actor, at, null, false);
        }

        /** The order the detail pane lists pairs in: those awaiting a verdict first, each group best score first. */
        public static final java.util.Comparator<DuplicateView> ORDER =
                java.util.Comparator.comparing((DuplicateView d) -> !d.pending()).thenComparing(d -> -d.score());

        /** The same pair with another score (scored again now). */
        public DuplicateView withScore(double newScore) {
            return new DuplicateView(otherId, otherSubject, otherStatus, otherIsOriginal, newScore, state, actor, at,
                    otherMergedInto, selfMerged);
        }

        /** Awaits a verdict: latest state SUGGESTED or UNDONE, and neither ticket merged into another one. */
        public boolean pending() {
            return (state.equals("SUGGESTED") || state.equals("UNDONE")) && otherMergedInto == null && !selfMerged;
        }
    }

    /** The latest suggestion: top lists as "label=probability" pairs, evidence ticket ids. */
    public record SuggestionView(long id, String engine, String model, String status, String team,
                                 String priority, double confidence, boolean confident, String topTeams,
                                 String topPriorities, String rationale, String evidenceIds, String note,
                                 Instant createdAt) {}
}
