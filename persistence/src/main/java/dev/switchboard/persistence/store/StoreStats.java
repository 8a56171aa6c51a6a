package dev.switchboard.persistence.store;

/** Counts for `switchboard status` and the status bar. */
public record StoreStats(long tickets, long open, long decided, long teams, long decisions, long suggestions,
                         long duplicates, String database) {}
