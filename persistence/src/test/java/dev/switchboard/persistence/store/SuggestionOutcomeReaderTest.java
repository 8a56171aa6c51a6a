package dev.switchboard.persistence.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.entity.DecisionKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the quality report reads from the ledger: each ticket's first answer to a suggestion and its fate. */
class SuggestionOutcomeReaderTest extends LedgerTestBase {

    private long ticket(String subject, String team) {
        return ticket(subject, team, Instant.now());
    }

    private long suggest(long id, String team, double p, boolean confident) {
        return store.saveSuggestion(id, new SuggestionData("local", "m1", "OK", team, "P3", p, confident,
                team + "=" + p + ";Other=0.1", "P3=0.7;P1=0.3", "why", "", "", 5)).join();
    }

    private DecisionRecord decide(long id, DecisionKind kind, String team, Long suggestion, String reason) {
        return ledger.decide(new DecisionRequest(id, version(id), kind, team, "P3", suggestion, reason, null, "dana", 1200L,
                kind != DecisionKind.BULK_ACCEPTED, null)).join();
    }

    /** A lifecycle step as the queue records it: no team, no priority. */
    private void lifecycle(long id, DecisionKind kind) {
        ledger.decide(DecisionRequest.of(id, version(id), kind, null, null, null, "dana")).join();
    }

    private List<SuggestionOutcome> read(SuggestionOutcomeReader r, Instant from, Instant to) {
        List<SuggestionOutcome> out = new ArrayList<>();
        r.forEach(from, to, out::add);
        return out;
    }

    @Test
    void firstAnswerPerTicketWithTheTeamThatKeptItAndLaterTransfers() {
        long a = ticket("vpn drops", null); // accepted, then transferred away: a wrong call trusted
        long sa = suggest(a, "Network", 0.9, true);
        decide(a, DecisionKind.ACCEPTED, "Network", sa, null);
        decide(a, DecisionKind.TRANSFERRED, "Desktop", null, null);

        long b = ticket("password reset", null); // overridden with a reason
        long sb = suggest(b, "Network", 0.6, false);
        decide(b, DecisionKind.OVERRIDDEN, "Identity", sb, "wrong-team");
        decide(b, DecisionKind.OVERRIDDEN, "Identity", sb, null); // a second answer (priority) is not the first

        long c = ticket("printer jam", null); // accepted, undone, overridden: the override is the answer
        long sc = suggest(c, "Desktop", 0.7, false);
        DecisionRecord accepted = decide(c, DecisionKind.ACCEPTED, "Desktop", sc, null);
        ledger.undo(accepted.id(), "dana").join();
        decide(c, DecisionKind.OVERRIDDEN, "Network", sc, null);

        long d = ticket("no suggestion", null); // decided without a suggestion: not a measure of suggestions
        decide(d, DecisionKind.OVERRIDDEN, "Network", null, null);

        ticket("imported history", "Network"); // labelled on import: nothing answered

        long f = ticket("laptop slow", null); // a transfer undone does not count
        long sf = suggest(f, "Desktop", 0.8, true);
        decide(f, DecisionKind.ACCEPTED, "Desktop", sf, null);
        DecisionRecord t = decide(f, DecisionKind.TRANSFERRED, "Network", null, null);
        ledger.undo(t.id(), "dana").join();

        // pages of two rows: ticket b's two answers span a page boundary
        List<SuggestionOutcome> rows = read(new SuggestionOutcomeReader(db::jdbc, 2), null, null);
        assertThat(rows).extracting(SuggestionOutcome::ticketId).containsExactly(a, b, c, f);

        SuggestionOutcome ra = rows.get(0);
        assertThat(ra.kind()).isEqualTo("ACCEPTED");
        assertThat(ra.accepted()).isTrue();
        assertThat(ra.teamKept()).isTrue();
        assertThat(ra.suggestedTeam()).isEqualTo("Network");
        assertThat(ra.finalTeam()).isEqualTo("Desktop");
        assertThat(ra.transfers()).isEqualTo(1);
        assertThat(ra.confident()).isTrue();
        assertThat(ra.confidence()).isEqualTo(0.9);
        assertThat(ra.topTeams()).isEqualTo("Network=0.9;Other=0.1");
        assertThat(ra.msToDecide()).isEqualTo(1200L);
        assertThat(ra.engine()).isEqualTo("local");

        SuggestionOutcome rb = rows.get(1);
        assertThat(rb.accepted()).isFalse();
        assertThat(rb.teamKept()).isFalse();
        assertThat(rb.chosenTeam()).isEqualTo("Identity");
        assertThat(rb.finalTeam()).isEqualTo("Identity");
        assertThat(rb.reasonCode()).isEqualTo("wrong-team");
        assertThat(rb.transfers()).isZero();

        SuggestionOutcome rc = rows.get(2);
        assertThat(rc.kind()).isEqualTo("OVERRIDDEN");
        assertThat(rc.finalTeam()).isEqualTo("Network");

        SuggestionOutcome rf = rows.get(3);
        assertThat(rf.transfers()).isZero();
        assertThat(rf.finalTeam()).isEqualTo("Desktop");

        // the default page size reads the same
        assertThat(read(new SuggestionOutcomeReader(db::jdbc), null, null)).isEqualTo(rows);
    }

    @Test
    void periodAppliesToWhenTheFirstAnswerWasRecorded() {
        long a = ticket("vpn drops", null);
        long sa = suggest(a, "Network", 0.9, true);
        decide(a, DecisionKind.ACCEPTED, "Network", sa, null);
        SuggestionOutcomeReader r = new SuggestionOutcomeReader(db::jdbc);
        Instant now = Instant.now();
        assertThat(read(r, now.minus(1, ChronoUnit.HOURS), null)).hasSize(1);
        assertThat(read(r, null, now.minus(1, ChronoUnit.HOURS))).isEmpty();
        assertThat(read(r, now.plus(1, ChronoUnit.MINUTES), null)).isEmpty();
        // a ticket answered again later is still measured by its first answer, not counted in a later period
        decide(a, DecisionKind.OVERRIDDEN, "Desktop", sa, null);
        Instant afterFirst = Instant.now();
        assertThat(read(r, afterFirst, null)).isEmpty();
        assertThat(read(r, null, null)).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo("ACCEPTED");
            assertThat(o.finalTeam()).isEqualTo("Desktop");
        });
    }

    @Test
    void suggestedTicketsNobodyAnsweredByWhatBecameOfThem() throws Exception {
        long a = ticket("answered", null); // answered: not counted here, handed over by forEach
        decide(a, DecisionKind.ACCEPTED, "Network", suggest(a, "Network", 0.9, true), null);

        long w = ticket("waiting", null); // suggested twice, never answered, still open
        suggest(w, "Network", 0.6, false);
        suggest(w, "Desktop", 0.7, false);

        long z = ticket("snoozed", null); // snoozed without a team: still waiting
        suggest(z, "Desktop", 0.5, false);
        lifecycle(z, DecisionKind.SNOOZED);

        long u = ticket("undone", null); // its answer was undone: waiting again
        DecisionRecord accepted = decide(u, DecisionKind.ACCEPTED, "Identity", suggest(u, "Identity", 0.8, true), null);
        ledger.undo(accepted.id(), "dana").join();

        long c = ticket("closed", null); // closed without a team
        suggest(c, "Network", 0.6, false);
        lifecycle(c, DecisionKind.CLOSED);

        long r = ticket("resolved", null); // resolved without a team
        suggest(r, "Network", 0.6, false);
        lifecycle(r, DecisionKind.RESOLVED);

        long m = ticket("merged", null); // merged as a duplicate of a
        suggest(m, "Network", 0.9, true);
        new DuplicateLinks(store).merge(m, a, 0.95, "dana").join();

        long o = ticket("decided otherwise", null); // a team chosen by a decision that does not answer the suggestion
        suggest(o, "Desktop", 0.6, false);
        decide(o, DecisionKind.OVERRIDDEN, "Network", null, null);

        long e = ticket("engine failed", null); // a suggestion without a team is nothing to answer
        store.saveSuggestion(e, new SuggestionData("llm", "m1", "ERROR", null, null, 0, false, "", "", "", "", "timeout", 5)).join();

        ticket("imported history", "Network"); // never suggested
        ticket("not suggested yet", null);

        SuggestionOutcomeReader reader = new SuggestionOutcomeReader(db::jdbc);
        assertThat(read(reader, null, null)).extracting(SuggestionOutcome::ticketId).containsExactly(a);
        assertThat(reader.unanswered(null, null, null)).isEqualTo(new UnansweredSuggestions(3, 3, 1, 1));
        assertThat(reader.unanswered(null, null, null).total()).isEqualTo(7);
        assertThat(reader.unanswered(null, null, "llm")).isEqualTo(UnansweredSuggestions.NONE);
        assertThat(reader.unanswered(null, null, "local")).isEqualTo(new UnansweredSuggestions(3, 3, 1, 1));

        // the period applies to the ticket's first suggestion naming a team: w's second one does not bring it in
        Thread.sleep(5);
        Instant later = Instant.now();
        Thread.sleep(5);
        suggest(w, "Identity", 0.9, true);
        long n = ticket("new", null);
        store.saveSuggestion(n, new SuggestionData("llm", "m1", "ERROR", null, null, 0, false, "", "", "", "", "timeout", 5)).join();
        store.saveSuggestion(n, new SuggestionData("llm", "m1", "OK", "Desktop", "P3", 0.7, false, "Desktop=0.7", "P3=1", "", "", "", 5))
                .join();
        assertThat(reader.unanswered(later, null, null)).isEqualTo(new UnansweredSuggestions(1, 0, 0, 0));
        assertThat(reader.unanswered(later, null, "llm")).isEqualTo(new UnansweredSuggestions(1, 0, 0, 0));
        assertThat(reader.unanswered(null, later, null)).isEqualTo(new UnansweredSuggestions(3, 3, 1, 1));
        assertThat(reader.unanswered(Instant.now().plusSeconds(60), null, null)).isEqualTo(UnansweredSuggestions.NONE);
        // answering it takes it out
        decide(n, DecisionKind.BULK_ACCEPTED, "Desktop", store.rows(List.of(n)).get(0).suggestionId(), null);
        assertThat(reader.unanswered(later, null, null)).isEqualTo(UnansweredSuggestions.NONE);

        // the dispatcher switched to an LLM, which suggested w again: w is unanswered under the LLM too,
        // and still once overall
        store.saveSuggestion(w, new SuggestionData("llm", "m1", "OK", "Desktop", "P3", 0.7, false, "Desktop=0.7", "P3=1", "", "", "", 5))
                .join();
        assertThat(reader.unanswered(null, null, "llm")).isEqualTo(new UnansweredSuggestions(1, 0, 0, 0));
        assertThat(reader.unanswered(null, null, null)).isEqualTo(new UnansweredSuggestions(3, 3, 1, 1));
    }
}
