package dev.switchboard.persistence.store;

import java.util.List;

/** What one batch insert did: ids of new tickets, and how many were already in the store. */
public record ImportBatchResult(List<Long> createdIds, int alreadyPresent) {}
