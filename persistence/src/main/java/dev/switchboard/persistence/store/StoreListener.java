package dev.switchboard.persistence.store;

import java.util.Collection;

/** Told after a commit which tickets were created or changed. Called on the writer thread: hand off fast. */
@FunctionalInterface
public interface StoreListener {
    void ticketsChanged(Collection<Long> ticketIds);
}
