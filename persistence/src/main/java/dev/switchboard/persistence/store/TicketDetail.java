package dev.switchboard.persistence.store;

import java.time.Instant;
import java.util.List;

/** Everything the detail pane shows about one ticket. */
public record TicketDetail(QueueRow row, String body, List<Update> updates, SuggestionView suggestion,
                           List<RoutingView> routing, List<DuplicateView> duplicates) {

    public record Update(String author, String body, Instant createdAt) {}

    public record RoutingView(String fromTeam, String toTeam, Instant at) {}

    /**
     * A pair the ticket is in, as its latest row says: {@code state} SUGGESTED or UNDONE (awaiting a
     * verdict), CONFIRMED (linked) or MERGED; dismissed pairs are left out. {@code otherIsOriginal} tells
     * the direction: true when this ticket is the duplicate and the other one the original.
     */
    public record DuplicateView(long otherId, String otherSubject, String otherStatus, boolean otherIsOriginal,
                                double score, String state, String actor, Instant at) {

        public boolean pending() {
            return state.equals("SUGGESTED") || state.equals("UNDONE");
        }
    }

    /** The latest suggestion: top lists as "label=probability" pairs, evidence ticket ids. */
    public record SuggestionView(long id, String engine, String model, String status, String team,
                                 String priority, double confidence, boolean confident, String topTeams,
                                 String topPriorities, String rationale, String evidenceIds, String note,
                                 Instant createdAt) {}
}
