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
    UNDONE;

    /**
     * True for the kinds that decide a ticket's team: the ones the local model learns a ticket from, with its
     * text as it read then (an undo that restores an earlier team decides it again).
     */
    public boolean decidesTeam() {
        return switch (this) {
            case IMPORTED, ACCEPTED, OVERRIDDEN, TRANSFERRED, BULK_ACCEPTED, UNDONE -> true;
            default -> false;
        };
    }
}
