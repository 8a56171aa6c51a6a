package dev.switchboard.persistence.entity;

/** Ticket lifecycle: new → triaged → assigned → transferred … → resolved / closed; reopen. */
public enum TicketStatus {
    NEW, TRIAGED, ASSIGNED, TRANSFERRED, SNOOZED, RESOLVED, CLOSED;

    public boolean isOpen() {
        return this != RESOLVED && this != CLOSED;
    }
}
