package dev.switchboard.app.settings;

import dev.switchboard.inference.Evidence;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.llm.ExampleRetriever;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.persistence.store.TicketDetail;
import dev.switchboard.persistence.store.TicketStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * In-context examples for the LLM from the local model: {@link LocalModel} has no public
 * nearest-neighbour lookup, but every suggestion it makes carries its nearest decided tickets as
 * {@link Evidence} (database id, team, priority, similarity, subject). This asks it for a suggestion and
 * shows those tickets as the model learned them (subject, body, the updates they had when decided), so an
 * example reads like the ticket being asked about. Costs one local suggestion per LLM call.
 */
final class LocalExampleRetriever implements ExampleRetriever {

    private final LocalModel local;
    private final TicketStore store;
    private final Supplier<Taxonomy> taxonomy;

    LocalExampleRetriever(LocalModel local, TicketStore store, Supplier<Taxonomy> taxonomy) {
        this.local = local;
        this.store = store;
        this.taxonomy = taxonomy;
    }

    private String body(Evidence ev) {
        try {
            return store.detailWithoutPairs(Long.parseLong(ev.ticketId())).map(TicketDetail::body).orElse("");
        } catch (RuntimeException e) {
            return ""; // not a database id or not readable: the subject alone still helps
        }
    }

    @Override
    public List<Example> nearest(TicketText ticket, int k) {
        if (k <= 0 || local.size() == 0) return List.of();
        TriageSuggestion s;
        try {
            s = local.suggest(ticket, TriageContext.of(taxonomy.get()));
        } catch (RuntimeException e) {
            return List.of();
        }
        List<Example> out = new ArrayList<>();
        for (Evidence ev : s.evidence()) {
            if (out.size() >= k) break;
            if (ev.ticketId() == null || ev.ticketId().equals(ticket.id()) || ev.team() == null || ev.team().isBlank()) continue;
            // the text the model learned it from (with the updates it had when decided); else the stored body
            TicketText text = local.learnedText(ev.ticketId()).orElseGet(() -> TicketText.of(ev.ticketId(), ev.subject(), body(ev)));
            out.add(new Example(LabelledTicket.of(text, ev.team(), ev.priority()), Math.max(0, Math.min(1, ev.similarity()))));
        }
        return out;
    }
}
