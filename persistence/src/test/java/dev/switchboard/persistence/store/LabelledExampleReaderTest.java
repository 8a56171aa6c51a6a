package dev.switchboard.persistence.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.entity.DecisionKind;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The dataset export's reader: a decided ticket comes with the updates recorded up to its label decision. */
class LabelledExampleReaderTest extends LedgerTestBase {

    final AtomicInteger updateQueries = new AtomicInteger();

    private DecisionRecord decide(long id, DecisionKind kind, String team) {
        return ledger.decide(DecisionRequest.of(id, version(id), kind, team, null, null, "dana")).join();
    }

    /** Reads every row; counts the update queries the reader runs. */
    private Map<Long, LabelledExample> read(ExportQuery q, boolean withText) {
        Map<Long, LabelledExample> out = new HashMap<>();
        new LabelledExampleReader(this::countingConnection).forEach(q, withText, r -> {
            out.put(r.ticketId(), r);
            return true;
        });
        return out;
    }

    private Connection countingConnection() throws SQLException {
        Connection c = db.jdbc();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, args) -> {
            Object v = call(c, m, args);
            if (m.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql
                    && sql.contains("from ticket_update")) {
                PreparedStatement ps = (PreparedStatement) v;
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (p2, m2, a2) -> {
                    if (m2.getName().equals("executeQuery")) updateQueries.incrementAndGet();
                    return call(ps, m2, a2);
                });
            }
            return v;
        });
    }

    private static Object call(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aRowCarriesTheUpdatesRecordedUpToItsLabelDecisionOldestFirst() {
        long a = ticket("VPN drops", null, Instant.now());
        store.addUpdate(a, "ann", "first: error 809").join();
        store.addUpdate(a, "ann", "second: guest Wi-Fi too").join();
        decide(a, DecisionKind.ACCEPTED, "Network");
        store.addUpdate(a, "bob", "after the decision: fixed").join();
        // the label is the decision an undo restores: updates up to that one, not up to the undone one
        long b = ticket("Printer jam", null, Instant.now());
        store.addUpdate(b, "cy", "tray 2").join();
        decide(b, DecisionKind.TRANSFERRED, "Desktop");
        store.addUpdate(b, "cy", "seen by the wrong team").join();
        DecisionRecord wrong = decide(b, DecisionKind.TRANSFERRED, "Identity");
        ledger.undo(wrong.id(), "dana").join();
        // imported history is decided when it was created: a later comment is not part of it
        long c = ticket("Password expired", "Identity", Instant.parse("2024-01-01T00:00:00Z"));
        store.addUpdate(c, "eve", "merged later").join();
        long none = ticket("Mouse broken", null, Instant.now());
        decide(none, DecisionKind.OVERRIDDEN, "Desktop");

        Map<Long, LabelledExample> rows = read(ExportQuery.all(), true);
        assertThat(rows.get(a).updates()).containsExactly("first: error 809", "second: guest Wi-Fi too");
        assertThat(rows.get(b).team()).isEqualTo("Desktop");
        assertThat(rows.get(b).updates()).containsExactly("tray 2");
        assertThat(rows.get(c).updates()).isEmpty();
        assertThat(rows.get(none).updates()).isEmpty();
        assertThat(updateQueries.get()).isEqualTo(1);

        updateQueries.set(0);
        assertThat(read(ExportQuery.all(), false).values()).hasSize(4).allSatisfy(r -> {
            assertThat(r.updates()).isEmpty();
            assertThat(r.body()).isNull();
        });
        assertThat(updateQueries.get()).as("no updates read without text").isZero();
    }

    @Test
    void aMergedDuplicateIsNoRowOfItsOwnAndAnUndoneMergesTextLeavesTheOriginalInTheExportAndTheModelAlike() {
        Instant t0 = Instant.parse("2024-02-06T09:00:00Z");
        long orig = ticket("badge reader broken", null, t0);
        long dup = ticket("badge reader broken door 4", null, t0.plusSeconds(60));
        long undone = ticket("door 4 beeps red", null, t0.plusSeconds(120));
        DuplicateLinks links = new DuplicateLinks(store);
        decide(dup, DecisionKind.ACCEPTED, "Desktop");   // decided before the merge: a labelled ticket of its own
        links.merge(dup, orig, 0.9, "dana").join();
        links.merge(undone, orig, 0.8, "dana").join();
        links.resolve(undone, orig, dev.switchboard.persistence.entity.DuplicateLink.State.UNDONE, 0, "dana").join();
        decide(orig, DecisionKind.ACCEPTED, "Desktop");
        decide(undone, DecisionKind.ACCEPTED, "Desktop");

        List<Long> merged = new ArrayList<>();
        Map<Long, LabelledExample> rows = new HashMap<>();
        new LabelledExampleReader(db::jdbc).forEach(ExportQuery.all(), true, r -> {
            rows.put(r.ticketId(), r);
            return true;
        }, merged::add);
        assertThat(rows).containsOnlyKeys(orig, undone);
        assertThat(merged).containsExactly(dup);
        assertThat(rows.get(orig).updates()).singleElement().asString().startsWith("Merged duplicate #" + dup + " from ");
        // the same for the local model's history: the merged duplicate is no example of its own there either
        Map<Long, List<String>> learned = new HashMap<>();
        for (LabelledRow r : store.labelledHistory()) learned.put(r.id(), r.updates());
        assertThat(learned).containsOnlyKeys(orig, undone);
        assertThat(learned.get(orig)).isEqualTo(rows.get(orig).updates());
        assertThat(learned.get(undone)).isEmpty();
        // the detail keeps the undone merge's text, flagged, and leaves it out of the ticket's text
        TicketDetail od = store.detail(orig).orElseThrow();
        assertThat(od.updates()).extracting(TicketDetail.Update::undoneMerge).containsExactly(false, true);
        assertThat(od.textUpdates()).extracting(TicketDetail.Update::body).isEqualTo(rows.get(orig).updates());
        assertThat(od.mergedInto()).isNull();
        assertThat(store.detail(dup).orElseThrow().mergedInto()).isEqualTo(orig);

        // merged again after the undo: that merge's text counts (once the original is decided on it)
        links.merge(undone, orig, 0.8, "dana").join();
        decide(orig, DecisionKind.OVERRIDDEN, "Network");
        rows.clear();
        new LabelledExampleReader(db::jdbc).forEach(ExportQuery.all(), true, r -> {
            rows.put(r.ticketId(), r);
            return true;
        });
        assertThat(rows.get(orig).updates()).hasSize(2).last().asString().startsWith("Merged duplicate #" + undone + " from ");
        assertThat(store.labelledHistory().stream().filter(r -> r.id() == orig).findFirst().orElseThrow().updates())
                .isEqualTo(rows.get(orig).updates());
        // nothing was deleted: the detail view still shows all three merge updates
        assertThat(store.detail(orig).orElseThrow().updates()).hasSize(3);
    }

    @Test
    void updatesAreReadWithOneQueryPerPageAndLandOnTheirTicketsAcrossPages() throws SQLException {
        int n = LabelledExampleReader.PAGE * 2 + 500;
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        List<NewTicket> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(new NewTicket("t", "k" + i, "subject " + i, "body " + i, "ann", t0.plusSeconds(3600L * i), "Network", "P3"));
        }
        List<Long> ids = store.saveTickets(batch, "x").join().createdIds();
        // imported decisions are dated at the ticket's creation: one update before it, one after, on page edges
        int[] marked = {0, LabelledExampleReader.PAGE - 1, LabelledExampleReader.PAGE, n - 1};
        try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(
                "insert into ticket_update (ticket_id, author, body, created_at) values (?, 'x', ?, ?)")) {
            for (int i : marked) {
                Instant created = t0.plusSeconds(3600L * i);
                insert(ps, ids.get(i), "after " + i, created.plusSeconds(60));
                insert(ps, ids.get(i), "before " + i, created.minusSeconds(60));
                insert(ps, ids.get(i), "at " + i, created);
            }
            ps.executeBatch();
        }
        Map<Long, LabelledExample> rows = read(ExportQuery.all(), true);
        assertThat(rows).hasSize(n);
        java.util.Set<Integer> withUpdates = java.util.Arrays.stream(marked).boxed().collect(java.util.stream.Collectors.toSet());
        for (int i = 0; i < n; i++) {
            LabelledExample r = rows.get(ids.get(i));
            if (withUpdates.contains(i)) {
                assertThat(r.updates()).as("ticket %d", i).containsExactly("before " + i, "at " + i);
            } else {
                assertThat(r.updates()).as("ticket %d", i).isEmpty();
            }
        }
        assertThat(updateQueries.get()).as("one update query per page").isEqualTo(3);
    }

    private static void insert(PreparedStatement ps, long ticket, String body, Instant at) throws SQLException {
        ps.setLong(1, ticket);
        ps.setString(2, body);
        ps.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        ps.addBatch();
    }
}
