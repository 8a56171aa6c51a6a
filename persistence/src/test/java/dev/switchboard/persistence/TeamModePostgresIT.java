package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.entity.DuplicateLink;
import dev.switchboard.persistence.store.DecisionLedger;
import dev.switchboard.persistence.store.DecisionRequest;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import dev.switchboard.persistence.store.TicketStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Team mode on a real PostgreSQL: the same migrations, store, ledger trigger and queries as on H2.
 * Runs with {@code mvn verify -Ppostgres} and a database named by {@code SWITCHBOARD_TEST_PG_URL}
 * (user and password in {@code SWITCHBOARD_TEST_PG_USER} / {@code SWITCHBOARD_TEST_PG_PASSWORD});
 * {@code .ci/run} sets one up. Its schema is wiped first.
 */
class TeamModePostgresIT {

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: the postgres profile needs a database (see .ci/run)");
        }
        return v;
    }

    private final String url = env("SWITCHBOARD_TEST_PG_URL");
    private final String user = env("SWITCHBOARD_TEST_PG_USER");
    private final String password = env("SWITCHBOARD_TEST_PG_PASSWORD");
    private Database db;
    private TicketStore store;

    @BeforeEach
    void open() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("drop schema if exists public cascade");
            st.execute("create schema public");
        }
        db = Database.open(url, user, password);
        store = new TicketStore(db);
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
        if (db != null) db.close();
    }

    @Test
    void ticketsDecisionsEmbeddingsAndDuplicateBadgesWorkAndTheLedgerRefusesUpdates() throws Exception {
        store.saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN", 0), new TaxonomyRow("Desktop", "Laptops", 0)),
                List.of(new TaxonomyRow("P2", "", 2))).join();
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        List<Long> ids = store.saveTickets(List.of(
                new NewTicket("t", "a", "VPN down", "VPN refuses logins", "ann", t0, null, null),
                new NewTicket("t", "b", "VPN broken", "VPN fails", "bob", t0.plusSeconds(1), null, null),
                new NewTicket("t", "c", "Laptop slow", "Very slow", "cy", t0.plusSeconds(2), "Desktop", "P2")), "test").join().createdIds();
        assertThat(ids).hasSize(3);
        long a = ids.get(0), b = ids.get(1);

        store.saveEmbeddings("m", Map.of(a, new float[] {0.25f, -1f, 3.5f})).join();
        assertThat(store.embeddings("m").get(a)).containsExactly(0.25f, -1f, 3.5f);

        DuplicateLinks links = new DuplicateLinks(store);
        links.suggest(b, List.of(new long[] {a}), List.of(0.9)).join();
        assertThat(store.rows(List.of(a, b))).extracting(QueueRow::duplicates).containsExactly(1, 1);
        links.resolve(b, a, DuplicateLink.State.DISMISSED, 0.9, "dana").join();
        links.resolve(b, a, DuplicateLink.State.UNDONE, 0, "dana").join();
        assertThat(store.queue()).filteredOn(r -> r.id() == a).extracting(QueueRow::duplicates).containsExactly(1);
        assertThat(store.rowsSince(0, Instant.EPOCH)).hasSize(3);

        QueueRow row = store.rows(List.of(a)).get(0);
        var rec = new DecisionLedger(store).decide(DecisionRequest.of(a, row.version(), DecisionKind.OVERRIDDEN, "Network", "P2",
                null, "dana")).join();
        assertThat(store.rows(List.of(a)).get(0).team()).isEqualTo("Network");
        assertThat(new DecisionLedger(store).decisions(a)).extracting("kind").containsExactly("OVERRIDDEN");

        // a workstation whose clock runs 90 s slow still stamps with the server's time, so its colleagues'
        // queues (which poll for changes since the newest stamp they saw) and the comment order agree
        db.useLocalClock(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(-90)));
        store.addUpdate(a, "dana", "Restarted the VPN concentrator").join();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
             var rs = st.executeQuery("select extract(epoch from (current_timestamp - updated_at)) from ticket where id = " + a)) {
            rs.next();
            assertThat(Math.abs(rs.getDouble(1))).isLessThan(5.0);
        }
        db.useLocalClock(java.time.Clock.systemUTC());

        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("update decision set note = 'rewritten' where id = " + rec.id()))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("delete from decision")).hasMessageContaining("append-only");
        }
        assertThat(store.stats().decided()).isEqualTo(2);

        // the quality report's ledger query: b answered its suggestion by accepting it, then was transferred
        long sb = store.saveSuggestion(b, new dev.switchboard.persistence.store.SuggestionData("local", "m", "OK", "Network", "P2",
                0.8, false, "Network=0.8;Desktop=0.2", "P2=1.0", "", "", "", 4)).join();
        var ledger = new DecisionLedger(store);
        ledger.decide(DecisionRequest.of(b, store.rows(List.of(b)).get(0).version(), DecisionKind.ACCEPTED, "Network", "P2", sb,
                "dana")).join();
        ledger.decide(DecisionRequest.of(b, store.rows(List.of(b)).get(0).version(), DecisionKind.TRANSFERRED, "Desktop", null, null,
                "erik")).join();
        List<dev.switchboard.persistence.store.SuggestionOutcome> outcomes = new java.util.ArrayList<>();
        new dev.switchboard.persistence.store.SuggestionOutcomeReader(db::jdbc).forEach(t0, null, outcomes::add);
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.ticketId()).isEqualTo(b);
            assertThat(o.teamKept()).isTrue();
            assertThat(o.finalTeam()).isEqualTo("Desktop");
            assertThat(o.transfers()).isEqualTo(1);
        });

        // and its count of suggested tickets nobody answered: d still open, e closed without a decision
        List<Long> de = store.saveTickets(List.of(new NewTicket("t", "d", "Printer", "Jammed", "dee", t0.plusSeconds(3), null, null),
                new NewTicket("t", "e", "Printer again", "Jammed", "eve", t0.plusSeconds(4), null, null)), "test").join().createdIds();
        for (long id : de) {
            store.saveSuggestion(id, new dev.switchboard.persistence.store.SuggestionData("local", "m", "OK", "Desktop", "P2", 0.6,
                    false, "Desktop=0.6;Network=0.4", "P2=1.0", "", "", "", 4)).join();
        }
        ledger.decide(DecisionRequest.of(de.get(1), store.rows(List.of(de.get(1))).get(0).version(), DecisionKind.CLOSED, null, null,
                null, "dana")).join();
        var reader = new dev.switchboard.persistence.store.SuggestionOutcomeReader(db::jdbc);
        assertThat(reader.unanswered(t0, null, "local")).isEqualTo(new dev.switchboard.persistence.store.UnansweredSuggestions(1, 1, 0, 0));
        assertThat(reader.unanswered(Instant.now().plusSeconds(60), null, null).total()).isZero();

        // a bulk accept: one version step per ticket, stamped changed as it ends (a bulk HQL update)
        long d = de.get(0);
        QueueRow before = store.rows(List.of(d)).get(0);
        var recs = ledger.decideAll(List.of(DecisionRequest.of(d, before.version(), DecisionKind.BULK_ACCEPTED,
                "Desktop", null, before.suggestionId(), "dana"))).join();
        QueueRow dr = store.rows(List.of(d)).get(0);
        assertThat(dr.version()).isEqualTo(recs.get(0).ticketVersion());
        assertThat(dr.updatedAt()).isAfterOrEqualTo(recs.get(0).decidedAt());
        assertThat(reader.unanswered(t0, null, "local")).isEqualTo(new dev.switchboard.persistence.store.UnansweredSuggestions(0, 1, 0, 0));
    }
}
