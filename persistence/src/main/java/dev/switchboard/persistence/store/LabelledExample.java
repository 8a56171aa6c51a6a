package dev.switchboard.persistence.store;

import java.time.Instant;

/**
 * A decided ticket as the dataset export sees it: its text and its final effective labelling
 * decision (the latest accepted / overridden / transferred / bulk-accepted / imported decision that no
 * UNDONE row compensates), with the suggestion that decision answered, if any.
 *
 * <p>{@code text} fields ({@code subject}, {@code body}, {@code requester}) are null when the rows
 * were read without text (counting pass).
 */
public record LabelledExample(long ticketId, String externalId, String subject, String body, String requester,
                              Instant createdAt, long decisionId, String kind, String team, String priority,
                              String reasonCode, String note, String dispatcher, Instant decidedAt, boolean reviewed,
                              String suggestionEngine, String suggestionModel, String suggestedTeam,
                              String suggestedPriority, Double suggestionConfidence, String suggestionRationale) {}
