package dev.switchboard.persistence.store;

import java.time.Instant;
import java.util.List;

/**
 * A decided ticket for training: its text and the final human team/priority.
 *
 * @param updates   the ticket's updates (comments) recorded up to its deciding decision, oldest first: the text
 *                  the dispatcher saw when deciding (see {@link TicketStore#labelledHistory()})
 * @param decidedAt the ticket's latest decision of any kind, or null
 * @param requester who filed the ticket, or null
 */
public record LabelledRow(long id, String subject, String body, List<String> updates, String team, String priority,
                          Instant decidedAt, boolean reviewed, String requester) {

    public LabelledRow {
        updates = updates == null ? List.of() : List.copyOf(updates);
    }
}
