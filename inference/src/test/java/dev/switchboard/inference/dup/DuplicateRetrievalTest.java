package dev.switchboard.inference.dup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.embed.MiniLmEmbedder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retrieval with real MiniLM embeddings on a small fixture of reworded duplicates. */
class DuplicateRetrievalTest {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final List<TicketText> TICKETS = List.of(
            TicketText.of("A1", "Printer on third floor keeps jamming", "The HP LaserJet near the kitchen shows paper jam error 13.2 every morning."),
            TicketText.of("B1", "VPN disconnects every hour", "GlobalProtect drops the connection roughly every 60 minutes when working from home."),
            TicketText.of("C1", "Cannot reset Outlook password", "The self-service password page rejects my new password with 'policy violation'."),
            TicketText.of("D1", "NullPointerException in BillingService.computeTotal", "Invoice run fails: java.lang.NullPointerException at BillingService.computeTotal(BillingService.java:88) when discount is null."),
            TicketText.of("E1", "Request for a second monitor", "I would like an additional 27 inch monitor for my desk."),
            TicketText.of("F1", "Excel crashes when opening large files", "Excel closes without a message when I open the 200 MB sales workbook."),
            TicketText.of("G1", "Badge does not open the garage door", "My access badge works at the front door but not at the parking garage."),
            TicketText.of("H1", "Slow Wi-Fi in meeting room 4", "Video calls freeze in meeting room 4; speed test shows 2 Mbit/s."),
            TicketText.of("A2", "Paper jam on the 3rd floor HP printer", "Error 13.2 again on the LaserJet by the kitchen, it jams daily."),
            TicketText.of("B2", "GlobalProtect VPN keeps dropping", "My VPN connection from home is lost about once an hour."),
            TicketText.of("C2", "Password reset for Outlook fails", "Trying to set a new mail password gives a policy violation error."),
            TicketText.of("D2", "Billing invoice run crashes with NPE", "NullPointerException in BillingService.computeTotal for customers without a discount."));
    static final Map<String, String> ORIGINAL = Map.of("A2", "A1", "B2", "B1", "C2", "C1", "D2", "D1");

    static DuplicateFinder finder;
    /** The same tickets with subject vectors, as the app indexes them. */
    static DuplicateFinder withSubjects;

    @BeforeAll
    static void index() {
        MiniLmEmbedder embedder = new MiniLmEmbedder();
        List<float[]> vs = embedder.embedAll(TICKETS.stream().map(TicketText::fullText).toList());
        finder = new DuplicateFinder(embedder.dimension());
        for (int i = 0; i < TICKETS.size(); i++) {
            finder.add(TICKETS.get(i), vs.get(i), NOW.minus(Duration.ofHours(TICKETS.size() - i)), true);
        }
        List<float[]> ss = embedder.embedAll(TICKETS.stream().map(DuplicateFinder::subjectText).toList());
        withSubjects = new DuplicateFinder(embedder.dimension());
        for (int i = 0; i < TICKETS.size(); i++) {
            withSubjects.add(TICKETS.get(i), vs.get(i), ss.get(i), NOW.minus(Duration.ofHours(TICKETS.size() - i)), true);
        }
    }

    @Test
    void withSubjectVectorsDuplicatesStillComeFirstAndTheDefaultThresholdStillSeparates() {
        for (Map.Entry<String, String> e : ORIGINAL.entrySet()) {
            List<DuplicateCandidate> cs = withSubjects.candidates(e.getKey(), NOW);
            assertThat(cs.get(0).id()).as("top candidate for " + e.getKey()).isEqualTo(e.getValue());
            assertThat(cs.get(0).cosine()).as(e.getKey()).isNotEqualTo(finder.pair(e.getKey(), e.getValue()).cosine());
        }
        long suggested = ORIGINAL.entrySet().stream()
                .filter(e -> withSubjects.pair(e.getKey(), e.getValue()).suggested()).count();
        assertThat(suggested).isGreaterThanOrEqualTo(3);
        for (String a : List.of("E1", "F1", "G1", "H1")) {
            for (DuplicateCandidate c : withSubjects.candidates(a, NOW)) assertThat(c.suggested()).as(a + "~" + c.id()).isFalse();
        }
    }

    @Test
    void eachDuplicateRetrievesItsOriginalFirstAndAboveUnrelatedTickets() {
        for (Map.Entry<String, String> e : ORIGINAL.entrySet()) {
            List<DuplicateCandidate> cs = finder.candidates(e.getKey(), NOW);
            assertThat(cs.get(0).id()).as("top candidate for " + e.getKey()).isEqualTo(e.getValue());
            assertThat(cs.get(0).probability()).as(e.getKey()).isGreaterThan(cs.get(1).probability() + 0.1);
            assertThat(cs.get(0).cosine()).isGreaterThan(cs.get(1).cosine());
        }
    }

    @Test
    void clearDuplicatesAreSuggestedAndUnrelatedAreNot() {
        long suggestedTrue = ORIGINAL.entrySet().stream()
                .filter(e -> finder.pair(e.getKey(), e.getValue()).suggested()).count();
        assertThat(suggestedTrue).isGreaterThanOrEqualTo(3);
        for (String a : List.of("E1", "F1", "G1", "H1")) {
            for (DuplicateCandidate c : finder.candidates(a, NOW)) assertThat(c.suggested()).as(a + "~" + c.id()).isFalse();
        }
    }

    @Test
    void sharedTermsHighlightTheIdentifier() {
        DuplicateCandidate c = finder.pair("D2", "D1");
        assertThat(c.sharedTerms().subList(0, 4)).contains("billingservice.computetotal");
        assertThat(c.sharedTerms()).contains("nullpointerexception");
    }
}
