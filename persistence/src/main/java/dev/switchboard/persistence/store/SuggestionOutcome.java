package dev.switchboard.persistence.store;

import java.time.Instant;

/**
 * A suggestion a dispatcher answered, with what became of the ticket: the first accept / override that
 * answered a suggestion on the ticket (one an undo took back does not count), the suggestion itself,
 * and the ticket's team and priority now (after any transfers: the team that kept it).
 *
 * @param kind          ACCEPTED, BULK_ACCEPTED or OVERRIDDEN
 * @param chosenTeam    the team the dispatcher chose in that decision
 * @param topTeams      the suggestion's ranked teams as stored ({@code label=p;label=p})
 * @param finalTeam     the ticket's current team (null if none is set any more)
 * @param transfers     transfers recorded after the first decision (an undone one does not count)
 */
public record SuggestionOutcome(long ticketId, long decisionId, String kind, String chosenTeam, String chosenPriority,
                                String reasonCode, String dispatcher, Instant decidedAt, Long msToDecide, boolean reviewed,
                                String engine, String model, String suggestedTeam, String suggestedPriority,
                                double confidence, boolean confident, String topTeams, String topPriorities,
                                String finalTeam, String finalPriority, int transfers) {

    /** True when the dispatcher kept the suggested team (a priority change alone is still an override). */
    public boolean teamKept() {
        return suggestedTeam != null && suggestedTeam.equals(chosenTeam);
    }

    /** True when the suggestion was taken as it was (team and priority). */
    public boolean accepted() {
        return "ACCEPTED".equals(kind) || "BULK_ACCEPTED".equals(kind);
    }
}
