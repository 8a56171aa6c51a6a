package dev.switchboard.persistence.store;

import java.util.List;

/**
 * What one batch insert did: ids of new tickets, how many were already in the store, and which of the
 * new tickets were stored as decided history (they had a team: resolved, with an IMPORTED decision).
 */
public record ImportBatchResult(List<Long> createdIds, int alreadyPresent, List<Long> decidedIds) {}
