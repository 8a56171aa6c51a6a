package dev.switchboard.persistence.store;

import java.time.Instant;

/**
 * A ticket to be stored. {@code team}/{@code priority} are set for labelled history (the final human
 * call) and null for tickets that still need triage.
 */
public record NewTicket(String source, String externalId, String subject, String body, String requester,
                        Instant createdAt, String team, String priority) {}
