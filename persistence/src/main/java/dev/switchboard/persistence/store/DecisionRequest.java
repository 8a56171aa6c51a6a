package dev.switchboard.persistence.store;

import dev.switchboard.persistence.entity.DecisionKind;
import java.time.Instant;

/**
 * One dispatcher action to append to the ledger.
 *
 * @param expectedVersion the ticket version the dispatcher saw; a different stored version is a conflict
 * @param team            chosen team (accept, override, transfer); null keeps the current one
 * @param priority        chosen priority; null keeps the current one
 * @param suggestionId    the suggestion this answers, if any
 * @param reviewed        false for bulk-accepted suggestions nobody looked at
 * @param snoozeUntil     for SNOOZED only
 */
public record DecisionRequest(long ticketId, long expectedVersion, DecisionKind kind, String team, String priority,
                              Long suggestionId, String reasonCode, String note, String dispatcher, Long msToDecide,
                              boolean reviewed, Instant snoozeUntil) {

    public static DecisionRequest of(long ticketId, long version, DecisionKind kind, String team, String priority,
                                     Long suggestionId, String dispatcher) {
        return new DecisionRequest(ticketId, version, kind, team, priority, suggestionId, null, null, dispatcher,
                null, kind != DecisionKind.BULK_ACCEPTED, null);
    }
}
