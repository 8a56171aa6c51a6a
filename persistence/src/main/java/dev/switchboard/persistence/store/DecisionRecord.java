package dev.switchboard.persistence.store;

import java.time.Instant;

/** A ledger row as read back (for the detail pane, undo, exports and metrics). */
public record DecisionRecord(long id, long ticketId, Long suggestionId, String kind, String team, String priority,
                             String status, String previousTeam, String previousPriority, String previousStatus,
                             String reasonCode, String note, String dispatcher, Instant decidedAt, Long msToDecide,
                             boolean reviewed, Long compensatesId, long ticketVersion) {}
