package dev.switchboard.persistence.store;

import java.util.Collection;

/** Told after a commit which tickets were created or changed. Called on the writer thread: hand off fast. */
@FunctionalInterface
public interface StoreListener {
    void ticketsChanged(Collection<Long> ticketIds);

    /**
     * Told about tickets another process created or changed (see {@link TicketStore#announceChanged}).
     * By default the same as a change made here; a listener that learns from decisions as this process
     * records them (it is told of those directly) overrides it to learn from other processes' too.
     */
    default void ticketsChangedElsewhere(Collection<Long> ticketIds) {
        ticketsChanged(ticketIds);
    }
}
