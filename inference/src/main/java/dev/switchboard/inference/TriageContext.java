package dev.switchboard.inference;

import java.util.List;
import java.util.Set;

/**
 * What an engine needs besides the ticket: the taxonomy, and for a transfer the teams that already
 * had the ticket (UFTR: a re-route should not suggest them again).
 */
public record TriageContext(Taxonomy taxonomy, List<String> routingHistory, Set<String> excludedTeams) {

    public TriageContext {
        routingHistory = routingHistory == null ? List.of() : List.copyOf(routingHistory);
        excludedTeams = excludedTeams == null ? Set.of() : Set.copyOf(excludedTeams);
    }

    public static TriageContext of(Taxonomy taxonomy) {
        return new TriageContext(taxonomy, List.of(), Set.of());
    }
}
