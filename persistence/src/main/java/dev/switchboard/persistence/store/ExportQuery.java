package dev.switchboard.persistence.store;

import dev.switchboard.persistence.entity.DecisionKind;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which decided tickets a dataset export reads.
 *
 * @param createdFrom  tickets created at or after this instant (null: no lower bound)
 * @param createdTo    tickets created before this instant (exclusive; null: no upper bound)
 * @param teams        final teams to keep (empty: all)
 * @param kinds        kinds of the final effective labelling decision to keep (empty: all labelling kinds)
 * @param asOfDecision only decisions with an id up to this one count (a consistent snapshot of the
 *                     append-only ledger across several passes); null: all
 */
public record ExportQuery(Instant createdFrom, Instant createdTo, Set<String> teams, Set<DecisionKind> kinds,
                          Long asOfDecision) {

    /**
     * Decision kinds that set a label ({@link DecisionKind#decidesTeam()}, as for the local model); the others
     * (assign, snooze, resolve, close, reopen, undo) do not.
     */
    public static final Set<DecisionKind> LABELLING_KINDS = Set.copyOf(EnumSet.copyOf(
            java.util.Arrays.stream(DecisionKind.values()).filter(DecisionKind::decidesTeam).toList()));

    public ExportQuery {
        teams = teams == null ? Set.of() : Set.copyOf(teams);
        kinds = kinds == null || kinds.isEmpty() ? LABELLING_KINDS : Set.copyOf(kinds);
        for (DecisionKind k : kinds) {
            if (!LABELLING_KINDS.contains(k)) throw new IllegalArgumentException(k + " does not set a label");
        }
    }

    public static ExportQuery all() {
        return new ExportQuery(null, null, Set.of(), Set.of(), null);
    }

    public ExportQuery asOf(Long decisionId) {
        return new ExportQuery(createdFrom, createdTo, teams, kinds, decisionId);
    }
}
