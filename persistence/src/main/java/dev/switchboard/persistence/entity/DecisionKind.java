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
     * True for the kinds that decide a ticket's team, i.e. set its label: the ticket is learned (local model)
     * and exported (dataset) with its text as it read at the newest such decision that no undo compensates
     * ({@link dev.switchboard.persistence.store.DecisionLedger#labelDecision}). An undo decides nothing
     * itself: it takes the label back to the decision it restores, and with it that decision's text.
     */
    public boolean decidesTeam() {
        return switch (this) {
            case IMPORTED, ACCEPTED, OVERRIDDEN, TRANSFERRED, BULK_ACCEPTED -> true;
            default -> false;
        };
    }
}
