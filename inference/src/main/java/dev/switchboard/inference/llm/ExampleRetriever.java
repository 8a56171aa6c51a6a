package dev.switchboard.inference.llm;

import dev.switchboard.inference.Evidence;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.TicketText;

import java.util.List;

/**
 * Finds the k decided tickets most similar to a ticket, shown to the LLM as in-context examples
 * (TickIt ICL). The app wires this to the local model's index. Must be thread-safe; should be fast
 * (it runs once per suggestion).
 */
@FunctionalInterface
public interface ExampleRetriever {

    /** Most similar first; at most {@code k}; never the ticket itself. */
    List<Example> nearest(TicketText ticket, int k);

    /** A decided ticket and its similarity to the query ticket (0..1, higher is closer). */
    record Example(LabelledTicket ticket, double similarity) {
        public Evidence toEvidence() {
            return new Evidence(ticket.text().id(), ticket.team(), ticket.priority(), similarity, ticket.text().subject());
        }
    }

    ExampleRetriever NONE = (ticket, k) -> List.of();
}
