package dev.switchboard.persistence.store;

/**
 * A suggestion to record, flattened by the caller (persistence does not know the engines' types).
 * Top lists are "label=probability" pairs joined by ';'.
 */
public record SuggestionData(String engine, String model, String status, String team, String priority,
                             double confidence, boolean confident, String topTeams, String topPriorities,
                             String rationale, String evidenceIds, String note, double latencyMs) {}
