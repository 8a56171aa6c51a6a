package dev.switchboard.persistence.store;

/**
 * Suggested tickets that no dispatcher has answered: no accept, bulk accept or override answering a
 * suggestion on the ticket that an undo did not take back (the complement of what
 * {@link SuggestionOutcomeReader#forEach} reads). Each ticket counts once, with its first suggestion that
 * named a team.
 *
 * @param waiting              still open (new, snoozed…) and nobody set its team or priority: waiting for a
 *                             dispatcher (the queue's "undecided")
 * @param closed               resolved or closed (merged duplicates included) without anybody setting its team
 *                             or priority
 * @param merged               of {@code closed}, those merged into another ticket as its duplicate
 * @param decidedWithoutAnswer its team or priority was set without answering the suggestion (a decision not
 *                             linked to it, or an import)
 */
public record UnansweredSuggestions(long waiting, long closed, long merged, long decidedWithoutAnswer) {

    public static final UnansweredSuggestions NONE = new UnansweredSuggestions(0, 0, 0, 0);

    /** All suggested tickets nobody answered. */
    public long total() {
        return waiting + closed + decidedWithoutAnswer;
    }
}
