package dev.switchboard.persistence.entity;

/** What a dispatcher did; every kind is one append-only row in the ledger. */
public enum DecisionKind {
    /** Labelled history brought in by an import. */
    IMPORTED,
    ACCEPTED, OVERRIDDEN, TRANSFERRED, BULK_ACCEPTED,
    /** The owning team has picked the ticket up. */
    ASSIGNED,
    SNOOZED, RESOLVED, CLOSED, REOPENED,
    /** Compensates an earlier decision (undo appends, never deletes). */
    UNDONE
}
