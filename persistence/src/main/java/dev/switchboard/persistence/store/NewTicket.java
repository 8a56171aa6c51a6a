package dev.switchboard.persistence.store;

import java.time.Instant;

/**
 * A ticket to be stored. {@code team}/{@code priority} are set for labelled history (the final human
 * call) and null for tickets that still need triage.
 *
 * @param legacyExternalId the id an earlier build gave the same row (null when none): the ticket counts as
 *                         already present when a ticket of the source has that id and the same creation time
 */
public record NewTicket(String source, String externalId, String subject, String body, String requester,
                        Instant createdAt, String team, String priority, String legacyExternalId) {

    public NewTicket(String source, String externalId, String subject, String body, String requester,
                     Instant createdAt, String team, String priority) {
        this(source, externalId, subject, body, requester, createdAt, team, priority, null);
    }
}
