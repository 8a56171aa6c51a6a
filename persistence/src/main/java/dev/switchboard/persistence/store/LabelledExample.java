package dev.switchboard.persistence.store;

import java.time.Instant;
import java.util.List;

/**
 * A decided ticket as the dataset export sees it: its text and its final effective labelling
 * decision (the latest accepted / overridden / transferred / bulk-accepted / imported decision that no
 * UNDONE row compensates), with the suggestion that decision answered, if any.
 *
 * <p>{@code updates} are the ticket's updates (comments, merged duplicates) recorded up to that
 * decision's {@code decidedAt}, oldest first: the text the dispatcher saw when deciding.
 *
 * <p>{@code text} fields ({@code subject}, {@code body}, {@code requester}) are null and {@code updates}
 * is empty when the rows were read without text (counting pass).
 */
public record LabelledExample(long ticketId, String externalId, String subject, String body, List<String> updates,
                              String requester, Instant createdAt, long decisionId, String kind, String team,
                              String priority, String reasonCode, String note, String dispatcher, Instant decidedAt,
                              boolean reviewed, String suggestionEngine, String suggestionModel, String suggestedTeam,
                              String suggestedPriority, Double suggestionConfidence, String suggestionRationale) {

    public LabelledExample {
        updates = updates == null ? List.of() : List.copyOf(updates);
    }
}
