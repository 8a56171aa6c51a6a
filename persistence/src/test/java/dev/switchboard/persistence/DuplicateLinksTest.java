package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.entity.DuplicateLink;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TicketDetail;
import dev.switchboard.persistence.store.TicketStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue's duplicate badge counts pairs awaiting a verdict, the same on a full read and a live refresh. */
class DuplicateLinksTest {

    @TempDir Path dir;
    Database db;
    TicketStore store;
    DuplicateLinks links;
    List<Long> ids;

    @BeforeEach
    void open() {
        db = Database.open(StoreTestSupport.url(dir));
        store = new TicketStore(db);
        links = new DuplicateLinks(store);
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        ids = store.saveTickets(List.of(
                new NewTicket("t", "a", "VPN down", "x", "r", t0, null, null),
                new NewTicket("t", "b", "VPN broken", "x", "r", t0.plusSeconds(1), null, null),
                new NewTicket("t", "c", "VPN dead", "x", "r", t0.plusSeconds(2), null, null),
                new NewTicket("t", "d", "VPN off", "x", "r", t0.plusSeconds(3), null, null),
                new NewTicket("t", "e", "Printer", "x", "r", t0.plusSeconds(4), null, null)), "t").join().createdIds();
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    private Map<Long, Integer> badgesFullRead() {
        return store.queue().stream().collect(Collectors.toMap(QueueRow::id, QueueRow::duplicates));
    }

    private Map<Long, Integer> badgesLiveRefresh() {
        return store.rows(ids).stream().collect(Collectors.toMap(QueueRow::id, QueueRow::duplicates));
    }

    /** An undo of one's own verdict must not take back a verdict another dispatcher gave on the pair since. */
    @Test
    void aVerdictIsUndoneOnlyWhileItIsStillThePairsLatest() {
        long a = ids.get(0), d = ids.get(3);
        links.merge(d, a, 0.6, "dana").join();
        // eve, on the shared database, takes the merge back and links the pair instead
        links.resolve(d, a, DuplicateLink.State.UNDONE, 0, "eve").join();
        links.resolve(d, a, DuplicateLink.State.CONFIRMED, 0.6, "eve").join();
        int rows = links.history(d, a).size();
        assertThatThrownBy(() -> links.undoVerdict(d, a, DuplicateLink.State.MERGED, "dana").join())
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("were judged again since (confirmed by eve); not undone");
        assertThat(links.history(d, a)).hasSize(rows).last().extracting(DuplicateLinks.Link::state).isEqualTo("CONFIRMED");
        // her own link, still the latest, is undone (either direction of the pair)
        links.undoVerdict(a, d, DuplicateLink.State.CONFIRMED, "eve").join();
        assertThat(links.history(d, a)).hasSize(rows + 1).last().extracting(DuplicateLinks.Link::state).isEqualTo("UNDONE");
    }

    @Test
    void badgesCountPendingAndUndonePairsButNotDecidedOnesOnEveryReadPath() {
        long a = ids.get(0), b = ids.get(1), c = ids.get(2), d = ids.get(3);
        links.suggest(b, List.of(new long[] {a}), List.of(0.9)).join();
        links.suggest(c, List.of(new long[] {a}, new long[] {b}), List.of(0.8, 0.7)).join();
        links.suggest(d, List.of(new long[] {a}), List.of(0.6)).join();
        assertThat(badgesFullRead()).containsEntry(a, 3).containsEntry(b, 2).containsEntry(c, 2).containsEntry(d, 1);

        links.resolve(c, b, DuplicateLink.State.DISMISSED, 0.7, "dana").join();   // decided
        links.merge(d, a, 0.6, "dana").join();                                     // decided
        links.resolve(b, a, DuplicateLink.State.CONFIRMED, 0.9, "dana").join();
        links.resolve(a, b, DuplicateLink.State.UNDONE, 0, "dana").join();         // undone the other way round: pending again

        Map<Long, Integer> expected = Map.of(a, 2, b, 1, c, 1, d, 0, ids.get(4), 0);
        assertThat(badgesFullRead()).isEqualTo(expected);
        assertThat(badgesLiveRefresh()).isEqualTo(expected);
        assertThat(store.rowsSince(0, Instant.EPOCH).stream().collect(Collectors.toMap(QueueRow::id, QueueRow::duplicates)))
                .isEqualTo(expected);
        assertThat(links.pending(a)).extracting(DuplicateLinks.Link::state).containsExactlyInAnyOrder("UNDONE", "SUGGESTED");
        assertThat(links.group(c)).containsExactlyInAnyOrder(a, b, c, d);
    }

    @Test
    void badgesAreTheSameWhenManyTicketsAreReadAtOnce() {
        // past TicketStore.FEW_ROWS tickets the counts come from one pass over the pairs, not per ticket
        Instant t0 = Instant.parse("2026-02-01T10:00:00Z");
        List<NewTicket> more = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) more.add(new NewTicket("t", "m" + i, "Disk full " + i, "x", "r", t0.plusSeconds(i), null, null));
        List<Long> m = store.saveTickets(more, "t").join().createdIds();
        for (int i = 2; i < 300; i += 3) links.suggest(m.get(i), List.of(new long[] {m.get(i - 1)}, new long[] {m.get(0)}), List.of(0.9, 0.8)).join();
        links.resolve(m.get(5), m.get(4), DuplicateLink.State.DISMISSED, 0.9, "dana").join();
        links.resolve(m.get(4), m.get(5), DuplicateLink.State.UNDONE, 0, "dana").join();   // pending again
        links.resolve(m.get(8), m.get(7), DuplicateLink.State.CONFIRMED, 0.9, "dana").join();

        Map<Long, Integer> perTicket = new java.util.HashMap<>();
        for (int i = 0; i < m.size(); i += TicketStore.FEW_ROWS) {
            store.rows(m.subList(i, Math.min(m.size(), i + TicketStore.FEW_ROWS)))
                    .forEach(r -> perTicket.put(r.id(), r.duplicates()));
        }
        assertThat(perTicket.get(m.get(0))).isEqualTo(100);
        assertThat(perTicket.get(m.get(5))).isEqualTo(2);
        assertThat(perTicket.get(m.get(4))).isEqualTo(1);
        assertThat(perTicket.get(m.get(8))).isEqualTo(1);
        assertThat(perTicket.get(m.get(7))).isZero();
        Map<Long, Integer> bulk = store.rows(m).stream().collect(Collectors.toMap(QueueRow::id, QueueRow::duplicates));
        assertThat(bulk).isEqualTo(perTicket);
        assertThat(store.rows(m)).extracting(QueueRow::id).isSorted();
        assertThat(store.rowsSince(ids.get(4), Instant.now().plusSeconds(3600)).stream()
                .collect(Collectors.toMap(QueueRow::id, QueueRow::duplicates))).isEqualTo(perTicket);
        assertThat(badgesFullRead()).containsAllEntriesOf(perTicket);
    }

    @Test
    void theDetailPaneSeesEachPairOnceAtItsLatestStateWithItsDirection() {
        long a = ids.get(0), b = ids.get(1), c = ids.get(2), d = ids.get(3);
        links.suggest(b, List.of(new long[] {a}), List.of(0.9)).join();
        links.suggest(c, List.of(new long[] {a}, new long[] {b}), List.of(0.8, 0.7)).join();
        links.suggest(d, List.of(new long[] {a}), List.of(0.6)).join();
        links.resolve(c, b, DuplicateLink.State.DISMISSED, 0.7, "dana").join();
        links.merge(d, a, 0.6, "erin").join();
        links.resolve(b, a, DuplicateLink.State.CONFIRMED, 0.9, "dana").join();
        links.resolve(a, b, DuplicateLink.State.UNDONE, 0, "dana").join();   // recorded the other way round

        var ofA = store.detail(a).orElseThrow().duplicates();
        // pending first, best first; then the merge. b's pair is pending again with its suggested score and direction.
        assertThat(ofA).extracting(TicketDetail.DuplicateView::otherId).containsExactly(b, c, d);
        assertThat(ofA.get(0).state()).isEqualTo("UNDONE");
        assertThat(ofA.get(0).pending()).isTrue();
        assertThat(ofA.get(0).score()).isEqualTo(0.9);
        assertThat(ofA.get(0).otherIsOriginal()).isFalse();          // b is the duplicate of a
        assertThat(ofA.get(0).otherSubject()).isEqualTo("VPN broken");
        assertThat(ofA.get(2).state()).isEqualTo("MERGED");
        assertThat(ofA.get(2).actor()).isEqualTo("erin");
        assertThat(ofA.get(2).otherStatus()).isEqualTo("CLOSED");     // a merged duplicate is closed

        var ofB = store.detail(b).orElseThrow().duplicates();
        assertThat(ofB).extracting(TicketDetail.DuplicateView::otherId).containsExactly(a); // c dismissed: not shown
        assertThat(ofB.get(0).otherIsOriginal()).isTrue();
        var ofD = store.detail(d).orElseThrow().duplicates();
        assertThat(ofD).singleElement().satisfies(v -> {
            assertThat(v.state()).isEqualTo("MERGED");
            assertThat(v.otherIsOriginal()).isTrue();
            assertThat(v.pending()).isFalse();
        });
        assertThat(store.detail(ids.get(4)).orElseThrow().duplicates()).isEmpty();
    }

    @Test
    void aNewPairRefreshesBothTicketsBadgesButAKnownPairNeither() {
        long a = ids.get(0), b = ids.get(1), c = ids.get(2);
        List<List<Long>> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        store.addListener(changed -> heard.add(List.copyOf(changed)));
        links.suggest(c, List.of(new long[] {a}, new long[] {b}), List.of(0.8, 0.7)).join();
        // the earlier tickets' rows show the new pair in their badge at once, not at their next change
        assertThat(heard).containsExactly(List.of(c, a, b));
        heard.clear();
        links.suggest(c, List.of(new long[] {a}), List.of(0.8)).join();
        assertThat(heard).isEmpty();
    }
}
