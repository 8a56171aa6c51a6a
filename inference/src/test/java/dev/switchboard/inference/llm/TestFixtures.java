package dev.switchboard.inference.llm;

import dev.switchboard.inference.Evidence;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

final class TestFixtures {

    static final String KEY = "sk-test-SECRET-0123456789abcdef";

    static final Taxonomy TAXONOMY = new Taxonomy(
            List.of(new Taxonomy.Team("Network", "Routers, switches, Wi-Fi, VPN and firewall rules"),
                    new Taxonomy.Team("Desktop", "Laptops, printers, Windows and Office on user devices"),
                    new Taxonomy.Team("Security", "Phishing, malware, account compromise, access reviews"),
                    new Taxonomy.Team("Database", "PostgreSQL and Oracle instances, backups, slow queries")),
            List.of(new Taxonomy.Priority("P1", "Outage affecting many users or a security incident in progress"),
                    new Taxonomy.Priority("P2", "One team blocked, no workaround"),
                    new Taxonomy.Priority("P3", "Single user affected, workaround exists"),
                    new Taxonomy.Priority("P4", "Question or cosmetic issue")));

    static final TriageContext CTX = TriageContext.of(TAXONOMY);

    static final TicketText VPN = new TicketText("T-100", "VPN drops every 10 minutes",
            "Since Monday my VPN connection to the Berlin office drops every ten minutes.", List.of("Still happening today."));

    static final ExampleRetriever RETRIEVER = (ticket, k) -> List.of(
            new ExampleRetriever.Example(new LabelledTicket(TicketText.of("T-7", "VPN disconnects at home",
                    "The Cisco AnyConnect client keeps disconnecting."), "Network", "P3", Instant.EPOCH, 1.0), 0.91),
            new ExampleRetriever.Example(new LabelledTicket(TicketText.of("T-8", "Printer offline",
                    "The 3rd floor printer shows offline."), "Desktop", "P4", Instant.EPOCH, 1.0), 0.42));

    /** A scripted stand-in for the local model: Desktop first unless {@link #top} says otherwise. */
    static final class FakeLocal implements TriageEngine {
        final AtomicInteger calls = new AtomicInteger();
        final boolean confident;
        /** The team it ranks first (the other of Desktop and Network second); null: no decided tickets yet (cold start). */
        volatile String top = "Desktop";
        /** Whether it finds the ticket unlike every decided ticket (its ranking then a guess). */
        volatile boolean unlikeDecided;

        FakeLocal(boolean confident) {
            this.confident = confident;
        }

        @Override
        public TriageSuggestion suggest(TicketText ticket, TriageContext context) {
            calls.incrementAndGet();
            String first = top;
            if (first == null) {
                return TriageSuggestion.none(TriageSuggestion.Status.COLD_START, "local", "minilm+bm25", "no decided tickets yet");
            }
            String second = first.equals("Network") ? "Desktop" : "Network";
            return new TriageSuggestion(TriageSuggestion.Status.OK,
                    List.of(new Prediction(first, confident ? 0.9 : 0.4), new Prediction(second, 0.3)),
                    List.of(new Prediction("P3", 0.6)), confident, "nearest tickets were " + first,
                    List.of(new Evidence("T-8", "Desktop", "P4", 0.42, "Printer offline")), "local", "minilm+bm25", "", 120,
                    unlikeDecided);
        }

        @Override
        public String id() {
            return "local";
        }
    }

    /** Records every egress event. */
    static final class Ledger implements EgressListener {
        record Event(String endpoint, String model, int promptChars, Instant at, String outcome, String purpose) {}

        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void sent(String endpoint, String model, int promptChars, Instant at, String outcome) {
            sent(endpoint, model, promptChars, at, outcome, null);
        }

        @Override
        public void sent(String endpoint, String model, int promptChars, Instant at, String outcome, String purpose) {
            events.add(new Event(endpoint, model, promptChars, at, outcome, purpose));
        }

        List<String> outcomes() {
            return events.stream().map(Event::outcome).toList();
        }
    }

    private TestFixtures() {}
}
