package dev.switchboard.inference;

import java.time.Instant;

/**
 * A ticket with the team (and optionally priority) a human finally chose: the training signal.
 *
 * @param weight 1.0 for a reviewed human decision; lower for signals a model should trust less
 *               (for example bulk-accepted suggestions nobody looked at)
 */
public record LabelledTicket(TicketText text, String team, String priority, Instant decidedAt, double weight) {

    public LabelledTicket {
        if (team == null || team.isBlank()) throw new IllegalArgumentException("team is required");
        if (weight < 0) throw new IllegalArgumentException("weight must be >= 0");
    }

    public static LabelledTicket of(TicketText text, String team, String priority) {
        return new LabelledTicket(text, team, priority, null, 1.0);
    }
}
