package dev.switchboard.persistence.store;

import java.time.Instant;

/**
 * One row of the live queue: the ticket's current values and the latest suggestion, flat and cheap
 * to load for tens of thousands of tickets.
 */
public record QueueRow(long id, String externalId, String source, String subject, String requester,
                       Instant createdAt, Instant updatedAt, String status, String team, String priority,
                       String setBy, String suggestedTeam, String suggestedPriority, double confidence,
                       boolean confident, int duplicates, long version, Instant suggestedAt, Long suggestionId,
                       Instant snoozedUntil) {

    /** A row of a ticket that is not snoozed. */
    public QueueRow(long id, String externalId, String source, String subject, String requester,
                    Instant createdAt, Instant updatedAt, String status, String team, String priority,
                    String setBy, String suggestedTeam, String suggestedPriority, double confidence,
                    boolean confident, int duplicates, long version, Instant suggestedAt, Long suggestionId) {
        this(id, externalId, source, subject, requester, createdAt, updatedAt, status, team, priority, setBy, suggestedTeam,
                suggestedPriority, confidence, confident, duplicates, version, suggestedAt, suggestionId, null);
    }

    /** The same row with another count of duplicate pairs awaiting a verdict. */
    public QueueRow withDuplicates(int n) {
        return new QueueRow(id, externalId, source, subject, requester, createdAt, updatedAt, status, team, priority, setBy,
                suggestedTeam, suggestedPriority, confidence, confident, n, version, suggestedAt, suggestionId, snoozedUntil);
    }

    /** True while the ticket is snoozed: status SNOOZED and the snooze not yet over at {@code now}. */
    public boolean snoozedAt(Instant now) {
        return "SNOOZED".equals(status) && snoozedUntil != null && snoozedUntil.isAfter(now);
    }

    /** True when the ticket has no suggestion yet, or changed after its latest one. */
    public boolean needsSuggestion() {
        return suggestedAt == null || (updatedAt != null && updatedAt.isAfter(suggestedAt));
    }
}
