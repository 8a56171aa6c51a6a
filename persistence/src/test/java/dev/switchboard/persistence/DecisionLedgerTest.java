package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.entity.Decision;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.DecisionLedger;
import dev.switchboard.persistence.store.DecisionRecord;
import dev.switchboard.persistence.store.DecisionRequest;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import dev.switchboard.persistence.store.TicketStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionLedgerTest {

    @TempDir Path dir;
    Database db;
    TicketStore store;
    DecisionLedger ledger;
    long id;

    @BeforeEach
    void open() {
        db = Database.open(StoreTestSupport.url(dir));
        store = new TicketStore(db);
        ledger = new DecisionLedger(store);
        store.saveTaxonomy(List.of(new TaxonomyRow("Network", "", 0), new TaxonomyRow("Desktop", "", 0),
                new TaxonomyRow("Security", "", 0)), List.of(new TaxonomyRow("P1", "", 1), new TaxonomyRow("P3", "", 3))).join();
        id = store.saveTickets(List.of(new NewTicket("t", "1", "VPN drops", "since 9am", "ann", Instant.now(), null, null)), "x")
                .join().createdIds().get(0);
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    private QueueRow row() {
        return store.rows(List.of(id)).get(0);
    }

    private DecisionRecord decide(DecisionKind kind, String team, String prio) {
        return ledger.decide(DecisionRequest.of(id, row().version(), kind, team, prio, null, "dana")).join();
    }

    @Test
    void acceptSetsTeamAndPriorityAsHumanChoiceAndStartsTheRoutingChain() {
        DecisionRecord d = decide(DecisionKind.ACCEPTED, "Network", "P3");
        QueueRow r = row();
        assertThat(r.team()).isEqualTo("Network");
        assertThat(r.priority()).isEqualTo("P3");
        assertThat(r.setBy()).isEqualTo(TicketStore.SET_BY_HUMAN);
        assertThat(r.status()).isEqualTo("TRIAGED");
        assertThat(d.previousStatus()).isEqualTo("NEW");
        assertThat(ledger.routingChain(id)).containsExactly("Network");
    }

    @Test
    void undoingADecisionOnASnoozedTicketRestoresTheSnoozeWithItsEnd() {
        Instant until = Instant.now().plus(java.time.Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ledger.decide(new DecisionRequest(id, row().version(), DecisionKind.SNOOZED, null, null, null, null, null, "dana",
                null, true, until)).join();
        assertThat(row().snoozedAt(Instant.now())).isTrue();
        DecisionRecord accept = decide(DecisionKind.ACCEPTED, "Network", "P3");
        assertThat(row().snoozedAt(Instant.now())).isFalse();
        ledger.undo(accept.id(), "dana").join();
        QueueRow r = row();
        assertThat(r.status()).isEqualTo("SNOOZED");
        assertThat(r.snoozedUntil()).isEqualTo(until);
        assertThat(r.snoozedAt(Instant.now())).as("still out of the open queue until then").isTrue();
    }

    @Test
    void aPastedNoteOrALongNameIsCutToItsColumnInsteadOfFailingTheDecision() {
        String note = "customer e-mail thread: " + "the printer on floor 3 jams. ".repeat(200); // 5,824 chars
        String name = "Dana ".repeat(40).strip(); // 199 chars, set in settings.properties by hand
        DecisionRecord d = ledger.decide(new DecisionRequest(id, row().version(), DecisionKind.OVERRIDDEN, "Desktop", null,
                null, "other", note, name, null, true, null)).join();
        assertThat(d.note()).hasSize(Decision.MAX_NOTE).isEqualTo(note.substring(0, Decision.MAX_NOTE));
        assertThat(d.dispatcher()).hasSize(Decision.MAX_DISPATCHER);
        assertThat(row().team()).isEqualTo("Desktop");
        assertThat(ledger.decisions(id)).singleElement().extracting(DecisionRecord::note).isEqualTo(d.note());
    }

    @Test
    void anUndoneFirstRoutingLeavesNoRoutingHistory() {
        DecisionRecord override = decide(DecisionKind.OVERRIDDEN, "Desktop", null);
        assertThat(store.detail(id).orElseThrow().routing()).extracting(r -> r.toTeam()).containsExactly("Desktop");
        ledger.undo(override.id(), "dana").join();
        assertThat(row().team()).isNull();
        assertThat(store.detail(id).orElseThrow().routing()).as("the pane's Routing section").isEmpty();
        assertThat(ledger.routingChain(id)).isEmpty();
        decide(DecisionKind.ACCEPTED, "Network", null);
        assertThat(ledger.routingChain(id)).containsExactly("Network");
    }

    @Test
    void transferAppendsToTheChainAndUndoRestoresWithoutDeletingAnything() {
        decide(DecisionKind.ACCEPTED, "Network", "P3");
        DecisionRecord transfer = decide(DecisionKind.TRANSFERRED, "Desktop", null);
        assertThat(row().team()).isEqualTo("Desktop");
        assertThat(row().status()).isEqualTo("TRANSFERRED");
        assertThat(ledger.routingChain(id)).containsExactly("Network", "Desktop");

        DecisionRecord undo = ledger.undo(transfer.id(), "dana").join();
        assertThat(undo.kind()).isEqualTo("UNDONE");
        assertThat(undo.compensatesId()).isEqualTo(transfer.id());
        assertThat(row().team()).isEqualTo("Network");
        assertThat(row().status()).isEqualTo("TRIAGED");
        assertThat(ledger.decisions(id)).extracting(DecisionRecord::kind)
                .containsExactly("ACCEPTED", "TRANSFERRED", "UNDONE");
        // the transfer was taken back: Desktop never had the ticket as far as the chain (and a re-route) goes,
        // while every step stays recorded
        assertThat(ledger.routingChain(id)).containsExactly("Network");
        assertThat(store.detail(id).orElseThrow().routing()).extracting(r -> r.toTeam()).containsExactly("Network");
        long steps = db.inTransaction(s -> s.createSelectionQuery("select count(r) from RoutingStep r where r.ticket.id = :t", Long.class)
                .setParameter("t", id).getSingleResult());
        assertThat(steps).isEqualTo(3L);
        assertThatThrownBy(() -> ledger.undo(transfer.id(), "dana").join()).hasMessageContaining("already undone");
    }

    @Test
    void onlyTheLatestDecisionCanBeUndone() {
        DecisionRecord first = decide(DecisionKind.ACCEPTED, "Network", "P3");
        decide(DecisionKind.OVERRIDDEN, "Security", "P1");
        assertThatThrownBy(() -> ledger.undo(first.id(), "dana").join()).hasMessageContaining("later decision");
        assertThat(row().team()).isEqualTo("Security");
    }

    @Test
    void aStaleVersionIsRejectedAndChangesNothing() {
        long stale = row().version();
        decide(DecisionKind.ACCEPTED, "Network", "P3");
        assertThatThrownBy(() -> ledger.decide(DecisionRequest.of(id, stale, DecisionKind.OVERRIDDEN, "Desktop", null, null, "eve")).join())
                .isInstanceOf(CompletionException.class).hasMessageContaining("changed by someone else");
        assertThat(row().team()).isEqualTo("Network");
        assertThat(ledger.decisions(id)).hasSize(1);
    }

    @Test
    void unknownTeamIsRefusedAndBulkAcceptIsMarkedUnreviewed() {
        assertThatThrownBy(() -> decide(DecisionKind.ACCEPTED, "Nope", null)).hasMessageContaining("unknown team 'Nope'");
        DecisionRecord bulk = decide(DecisionKind.BULK_ACCEPTED, "Desktop", "P3");
        assertThat(bulk.reviewed()).isFalse();
        assertThat(store.labelledHistory()).singleElement().satisfies(l -> {
            assertThat(l.team()).isEqualTo("Desktop");
            assertThat(l.reviewed()).isFalse();
        });
    }

    @Test
    void theLabelledHistoryCarriesTheUpdatesRecordedUpToTheTeamDecisionOldestFirst() {
        store.addUpdate(id, "ann", "first: the VPN client says error 809").join();
        store.addUpdate(id, "ann", "second: the guest Wi-Fi too").join();
        decide(DecisionKind.ACCEPTED, "Network", "P3");
        // after the decision: not what the dispatcher decided on, so not learned; a status change decides no team
        store.addUpdate(id, "bob", "fixed by renewing the certificate").join();
        decide(DecisionKind.RESOLVED, null, null);
        assertThat(store.labelledHistory()).singleElement().satisfies(l -> {
            assertThat(l.team()).isEqualTo("Network");
            assertThat(l.updates()).containsExactly("first: the VPN client says error 809", "second: the guest Wi-Fi too");
        });

        // decided again: now with everything it said by then
        decide(DecisionKind.REOPENED, null, null);
        decide(DecisionKind.OVERRIDDEN, "Security", null);
        store.addUpdate(id, "bob", "later still").join();
        assertThat(store.labelledHistory()).singleElement().satisfies(l -> {
            assertThat(l.team()).isEqualTo("Security");
            assertThat(l.updates()).containsExactly("first: the VPN client says error 809", "second: the guest Wi-Fi too",
                    "fixed by renewing the certificate");
        });
    }

    @Test
    void afterAnUndoTheHistoryCarriesTheUpdatesOfTheRestoredDecisionNotOfTheUndo() {
        store.addUpdate(id, "ann", "error 809").join();
        DecisionRecord accepted = decide(DecisionKind.ACCEPTED, "Network", "P3");
        store.addUpdate(id, "bob", "Security should look at the certificate").join();
        DecisionRecord wrong = decide(DecisionKind.OVERRIDDEN, "Security", null);
        store.addUpdate(id, "cy", "not ours: Security").join();
        ledger.undo(wrong.id(), "dana").join();
        List<DecisionRecord> ds = ledger.decisions(id);
        // the label is the accept again, and so is the text it was decided on
        assertThat(DecisionLedger.labelDecision(ds)).isEqualTo(ds.get(0)).extracting(DecisionRecord::id).isEqualTo(accepted.id());
        assertThat(store.labelledHistory()).singleElement().satisfies(l -> {
            assertThat(l.team()).isEqualTo("Network");
            assertThat(l.updates()).containsExactly("error 809");
            assertThat(l.decidedAt()).as("the latest decision of any kind").isEqualTo(ds.get(ds.size() - 1).decidedAt());
        });
    }

    @Test
    void importedHistoryIsLearnedAsImportedAndTicketsWithoutUpdatesHaveNone() {
        long imported = store.saveTickets(List.of(new NewTicket("t", "2", "Printer jam", "tray 2", "bo",
                Instant.parse("2025-06-01T00:00:00Z"), "Desktop", "P3")), "x").join().createdIds().get(0);
        decide(DecisionKind.ACCEPTED, "Network", "P3");
        store.addUpdate(imported, "eve", "Merged duplicate #99 from cy: printer jam again").join();
        assertThat(store.labelledHistory()).hasSize(2).allSatisfy(l -> assertThat(l.updates()).isEmpty());
    }

    @Test
    void aBulkAcceptIsStampedWhenItEndsAndRaisesEachTicketsVersionOnce() {
        long second = store.saveTickets(List.of(new NewTicket("t", "2", "Printer", "jams", "bo", Instant.now(), null, null)), "x")
                .join().createdIds().get(0);
        Instant before = store.now();
        List<DecisionRecord> recs = ledger.decideAll(List.of(
                DecisionRequest.of(id, row().version(), DecisionKind.BULK_ACCEPTED, "Network", null, null, "dana"),
                DecisionRequest.of(second, store.rows(List.of(second)).get(0).version(), DecisionKind.BULK_ACCEPTED, "Desktop",
                        null, null, "dana"))).join();
        var rows = store.rows(List.of(id, second));
        for (int i = 0; i < 2; i++) {
            // the version a record reports is the ticket's version: the next decision can quote it
            assertThat(rows.get(i).version()).isEqualTo(recs.get(i).ticketVersion());
            // changed as of the end of the bulk accept, not before its own decision was written
            assertThat(rows.get(i).updatedAt()).isAfterOrEqualTo(recs.get(1).decidedAt()).isAfterOrEqualTo(before);
        }
        ledger.decide(DecisionRequest.of(id, recs.get(0).ticketVersion(), DecisionKind.TRANSFERRED, "Security", null, null, "erik"))
                .join();
        assertThat(row().team()).isEqualTo("Security");
    }
}
