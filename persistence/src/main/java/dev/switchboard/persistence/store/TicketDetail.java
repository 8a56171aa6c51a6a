package dev.switchboard.persistence.store;

import java.time.Instant;
import java.util.List;

/** Everything the detail pane shows about one ticket. */
public record TicketDetail(QueueRow row, String body, List<Update> updates, SuggestionView suggestion,
                           List<RoutingView> routing) {

    public record Update(String author, String body, Instant createdAt) {}

    public record RoutingView(String fromTeam, String toTeam, Instant at) {}

    /** The latest suggestion: top lists as "label=probability" pairs, evidence ticket ids. */
    public record SuggestionView(long id, String engine, String model, String status, String team,
                                 String priority, double confidence, boolean confident, String topTeams,
                                 String topPriorities, String rationale, String evidenceIds, String note,
                                 Instant createdAt) {}
}
