package dev.switchboard.app.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.app.Workspace;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.inference.local.ModelSnapshot;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.DecisionLedger;
import dev.switchboard.persistence.store.DecisionRecord;
import dev.switchboard.persistence.store.DecisionRequest;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart on a real H2 file workspace loads the model saved after the last full train instead of
 * training again, suggests as before, includes decisions recorded since, and trains as usual when the
 * saved model is damaged; a new team since the save retrains in the background while the loaded model serves.
 * Decisions another process records are learned online once the poll announces them.
 */
@Timeout(180)
class TriageServiceRestartTest {

    static final String[][] TOPICS = {
        {"vpn", "wifi", "router", "firewall", "dns", "network", "proxy", "ethernet"},
        {"password", "login", "account", "locked", "permission", "mfa", "credentials", "sign in"},
        {"laptop", "printer", "monitor", "keyboard", "docking station", "battery", "toner", "headset"},
        {"database", "sql", "query", "table", "backup", "deadlock", "schema", "replication"}};
    static final String[] TEAMS = {"Network", "Access", "Hardware", "Database"};
    static final String[] FILLER = {"not working", "since this morning", "urgent", "error again", "help please",
        "cannot use", "keeps failing", "user reports"};

    @TempDir Path dir;
    Workspace ws;
    final List<TriageService> services = new ArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<Object> events = new CopyOnWriteArrayList<>();
    final List<Double> shares = new CopyOnWriteArrayList<>();
    long openVpn, openPrinter;

    @BeforeEach
    void seed() {
        ws = open();
        ws.store().saveTaxonomy(
                List.of(new TaxonomyRow("Network", "VPN, Wi-Fi", 0), new TaxonomyRow("Access", "Logins", 0),
                        new TaxonomyRow("Hardware", "Devices", 0), new TaxonomyRow("Database", "SQL", 0)),
                List.of(new TaxonomyRow("P1", "", 1), new TaxonomyRow("P2", "", 2), new TaxonomyRow("P3", "", 3))).join();
        Random r = new Random(5);
        List<NewTicket> t = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 12; i++) {
            for (int k = 0; k < TEAMS.length; k++) {
                String a = TOPICS[k][r.nextInt(8)], b = TOPICS[k][r.nextInt(8)], f = FILLER[r.nextInt(8)];
                t.add(new NewTicket("h", "h" + k + "-" + i, a + " " + f, "The " + a + " and the " + b + " " + f + ".",
                        "u" + i, t0.plusSeconds(60L * t.size()), TEAMS[k], "P" + (1 + (k + i) % 3)));
            }
        }
        t.add(new NewTicket("n", "n1", "vpn drops again", "The vpn and the router keep failing", "ann", Instant.now(), null, null));
        t.add(new NewTicket("n", "n2", "printer toner", "The printer and the toner not working", "bob", Instant.now(), null, null));
        ws.store().saveTickets(t, "test").join();
        for (QueueRow q : ws.store().queue()) {
            if (q.subject().startsWith("vpn drops")) openVpn = q.id();
            if (q.subject().startsWith("printer toner")) openPrinter = q.id();
        }
        assertThat(openVpn).isPositive();
        assertThat(openPrinter).isPositive();
    }

    private Workspace open() {
        return Workspace.open("jdbc:h2:file:" + dir.resolve("switchboard"));
    }

    /** A new service with a new model on the workspace, started; what a launch of the app does. */
    private TriageService start() throws Exception {
        LocalModel local = new LocalModel();
        TriageService s = new TriageService(ws.store(), local, () -> local, ws.localModelFile());
        services.add(s);
        s.setListener(new TriageService.Listener() {
            @Override public void progress(String message, long done, long total) {
                messages.add(message);
            }

            @Override public void training(String message, double fraction) {
                messages.add(message);
                shares.add(fraction);
            }

            @Override public void trained(LocalModel.TrainingSummary summary) {
                events.add(summary);
            }

            @Override public void loaded(ModelSnapshot.Loaded report) {
                events.add(report);
            }
        });
        s.start().get(120, TimeUnit.SECONDS);
        assertThat(s.isReady()).isTrue();
        return s;
    }

    /** A start that does not use the saved model: it trains in full and suggests as {@code before}. */
    private TriageService startTrainingAfresh(TriageSuggestion before) throws Exception {
        TriageService s = start();
        assertThat(s.loadedFrom()).isNull();
        assertThat(s.fullTrainings()).isEqualTo(1);
        assertSame(before, s.suggestAndSave(openVpn));
        return s;
    }

    /** Closes the service and the database, and opens the database again: a restart. */
    private void restart(TriageService s) {
        s.close();
        ws.close();
        ws = open();
        events.clear();
        messages.clear();
    }

    /** The dispatcher sends the open printer ticket to Database; the service learns it online. */
    private void sendPrinterToDatabase(TriageService s) throws Exception {
        QueueRow row = ws.store().rows(List.of(openPrinter)).get(0);
        DecisionRecord rec = new DecisionLedger(ws.store()).decide(DecisionRequest.of(openPrinter, row.version(),
                DecisionKind.OVERRIDDEN, "Database", "P2", null, "dana")).get(10, TimeUnit.SECONDS);
        s.learn(rec).get(10, TimeUnit.SECONDS);
    }

    /** The local model's suggestion for a printer text (its evidence names the nearest decided tickets). */
    private static TriageSuggestion printerProbe(TriageService s) {
        return s.localModel().suggest(
                dev.switchboard.inference.TicketText.of("p", "printer toner", "The printer and the toner not working"),
                dev.switchboard.inference.TriageContext.of(s.taxonomy()));
    }

    @AfterEach
    void close() {
        services.forEach(TriageService::close);
        ws.close();
    }

    @Test
    void theFirstStartTrainsAndSavesTheSecondLoadsAndSuggestsTheSame() throws Exception {
        Path file = ws.localModelFile();
        assertThat(file).isEqualTo(dir.resolve("switchboard.local-model").toAbsolutePath());
        assertThat(file).doesNotExist();

        TriageService first = start();
        assertThat(first.fullTrainings()).isEqualTo(1);
        assertThat(first.loadedFrom()).isNull();
        assertThat(events).singleElement().isInstanceOf(LocalModel.TrainingSummary.class);
        // a full train reports a share of its work (its phases count different things), rising to the end
        assertThat(messages).contains("Training the local model: embedding 48 tickets");
        assertThat(shares).isSortedAccordingTo(Double::compare).allMatch(f -> f >= 0 && f <= 1).last().isEqualTo(1.0);
        assertThat(file).exists();
        assertThat(ModelSnapshot.info(file).summary().examples()).isEqualTo(48);
        TriageSuggestion before = first.suggestAndSave(openVpn);
        TriageSuggestion beforePrinter = first.suggestAndSave(openPrinter);
        assertThat(before.topTeam()).isEqualTo("Network");

        restart(first);
        TriageService second = start();
        assertThat(second.fullTrainings()).as("no full train at the second start").isZero();
        assertThat(second.loadedFrom()).isNotNull();
        assertThat(second.loadedFrom().kept()).isEqualTo(48);
        assertThat(second.loadedFrom().added() + second.loadedFrom().changed() + second.loadedFrom().removed()).isZero();
        assertThat(events).singleElement().isInstanceOf(ModelSnapshot.Loaded.class);
        assertThat(messages).anyMatch(m -> m.startsWith("Saved model loaded: 48 decided tickets"));
        assertSame(before, second.suggestAndSave(openVpn));
        assertSame(beforePrinter, second.suggestAndSave(openPrinter));
        second.awaitIdle();
        assertThat(second.fullTrainings()).as("nor one later").isZero();

        // the retrain action still trains in full and saves again
        Instant saved = ModelSnapshot.info(file).savedAt();
        while (!Instant.now().isAfter(saved)) Thread.onSpinWait(); // the next save gets a later time stamp
        second.retrain().get(120, TimeUnit.SECONDS);
        assertThat(second.fullTrainings()).isEqualTo(1);
        assertThat(ModelSnapshot.info(file).savedAt()).isAfter(saved);
        assertSame(before, second.suggestAndSave(openVpn));
    }

    @Test
    void aDecisionRecordedBetweenTheStartsIsIncludedAfterTheRestart() throws Exception {
        TriageService first = start();
        long printer = openPrinter;
        // the dispatcher sends the printer ticket to Database: learned online, then the app is closed
        sendPrinterToDatabase(first);
        TriageSuggestion online = first.suggestAndSave(openVpn);
        TriageSuggestion probeOnline = printerProbe(first);
        assertThat(probeOnline.evidence().get(0).ticketId()).isEqualTo(Long.toString(printer));
        assertThat(probeOnline.evidence().get(0).team()).isEqualTo("Database");

        restart(first);
        TriageService second = start();
        assertThat(second.fullTrainings()).isZero();
        assertThat(second.loadedFrom().added()).isEqualTo(1);
        assertThat(second.loadedFrom().kept()).isEqualTo(48);
        assertThat(second.loadedFrom().retrainReason(ModelSnapshot.RETRAIN_SHARE)).isNull();
        TriageSuggestion probeLoaded = printerProbe(second);
        assertThat(probeLoaded.evidence().get(0).ticketId()).isEqualTo(Long.toString(printer));
        assertThat(probeLoaded.evidence().get(0).team()).isEqualTo("Database");
        assertSame(probeOnline, probeLoaded);
        assertSame(online, second.suggestAndSave(openVpn));
        second.awaitIdle();
        assertThat(second.fullTrainings()).isZero();
    }

    /**
     * A decided ticket merged into another as its duplicate is no example of its own any more (its text is an
     * update of the original): the model forgets it as soon as the merge is recorded, and a full train and a
     * restart leave it out too, so it is never shown as the evidence of a suggestion.
     */
    @Test
    void aDecidedTicketMergedAsADuplicateIsForgottenAtOnceAndLeftOutOfAFullTrain() throws Exception {
        TriageService first = start();
        long printer = openPrinter;
        sendPrinterToDatabase(first);
        assertThat(printerProbe(first).evidence()).extracting(e -> e.ticketId()).contains(Long.toString(printer));

        new dev.switchboard.persistence.store.DuplicateLinks(ws.store()).merge(printer, openVpn, 0.9, "dana")
                .get(10, TimeUnit.SECONDS);
        first.awaitIdle();
        assertThat(printerProbe(first).evidence()).extracting(e -> e.ticketId()).doesNotContain(Long.toString(printer));

        first.retrain().get(120, TimeUnit.SECONDS);
        assertThat(printerProbe(first).evidence()).extracting(e -> e.ticketId()).doesNotContain(Long.toString(printer));
        restart(first);
        TriageService second = start();
        assertThat(second.fullTrainings()).isZero();
        assertThat(printerProbe(second).evidence()).extracting(e -> e.ticketId()).doesNotContain(Long.toString(printer));

        // the merge undone: the ticket is an example of its own again at once, as a full train would read it
        new dev.switchboard.persistence.store.DuplicateLinks(ws.store()).resolve(printer, openVpn,
                dev.switchboard.persistence.entity.DuplicateLink.State.UNDONE, 0, "dana").get(10, TimeUnit.SECONDS);
        second.awaitIdle();
        assertThat(printerProbe(second).evidence()).extracting(e -> e.ticketId()).contains(Long.toString(printer));
    }

    /**
     * A full retrain refreshes the suggestions of open tickets nobody decided (the queue would otherwise show
     * the previous model's calls), but not while another engine serves: a local retrain must not send the
     * whole queue to an LLM again.
     */
    @Test
    void aFullRetrainRefreshesOpenSuggestionsOnlyWhenTheLocalModelServes() throws Exception {
        TriageService s = start();
        s.awaitIdle();
        Long before = row(openVpn).suggestionId();
        assertThat(before).isNotNull();
        s.retrain().get(120, TimeUnit.SECONDS);
        s.awaitIdle();
        assertThat(row(openVpn).suggestionId()).isGreaterThan(before);
        assertThat(row(openPrinter).suggestionId()).isNotNull();

        // another engine serves (here the local model behind a counting wrapper, as an LLM would be)
        restart(s);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        LocalModel local = new LocalModel();
        dev.switchboard.inference.TriageEngine other = new dev.switchboard.inference.TriageEngine() {
            @Override public TriageSuggestion suggest(dev.switchboard.inference.TicketText t,
                                                      dev.switchboard.inference.TriageContext c) {
                calls.incrementAndGet();
                return local.suggest(t, c);
            }

            @Override public String id() {
                return "other";
            }
        };
        TriageService o = new TriageService(ws.store(), local, () -> other, ws.localModelFile());
        services.add(o);
        o.start().get(120, TimeUnit.SECONDS);
        o.awaitIdle();
        Long kept = row(openVpn).suggestionId();
        int callsBefore = calls.get();
        o.retrain().get(120, TimeUnit.SECONDS);
        o.awaitIdle();
        assertThat(calls.get()).isEqualTo(callsBefore);
        assertThat(row(openVpn).suggestionId()).isEqualTo(kept);
    }

    private QueueRow row(long id) {
        return ws.store().rows(List.of(id)).get(0);
    }

    /**
     * Tickets whose text says nothing: Carol's always went to Database, Dave's to Access. A new one of
     * Carol's leans to Database at the first start (full train from the store), after a restart (saved
     * model) and for a decision learned online for a requester the model had not met.
     */
    @Test
    void whereARequestersTicketsWentCountsAtStartAfterRestartAndOnline() throws Exception {
        List<NewTicket> t = new ArrayList<>();
        Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
        String[] vague = {"question", "quick question", "need help", "question about my setup", "please check", "help"};
        for (int i = 0; i < vague.length; i++) {
            t.add(new NewTicket("h", "c" + i, vague[i], "Please have a look, thanks.", "Carol Smith", t0.plusSeconds(i),
                    "Database", "P3"));
            t.add(new NewTicket("h", "d" + i, vague[i], "Please have a look, thanks.", "Dave Jones", t0.plusSeconds(i),
                    "Access", "P3"));
        }
        t.add(new NewTicket("n", "q-carol", "a question", "Please have a look, thanks.", "carol smith", Instant.now(), null, null));
        t.add(new NewTicket("n", "q-erin", "a question", "Please have a look, thanks.", "Erin Lee", Instant.now(), null, null));
        t.add(new NewTicket("n", "q-frank", "a question", "Please have a look, thanks.", "Frank Moe", Instant.now(), null, null));
        ws.store().saveTickets(t, "test").join();
        long carol = 0, erin = 0, frank = 0;
        for (QueueRow q : ws.store().queue()) {
            if (q.subject().equals("a question") && q.requester().equals("carol smith")) carol = q.id();
            if (q.subject().equals("a question") && q.requester().equals("Erin Lee")) erin = q.id();
            if (q.subject().equals("a question") && q.requester().equals("Frank Moe")) frank = q.id();
        }
        TriageService first = start();
        TriageSuggestion carols = first.suggestAndSave(carol);
        TriageSuggestion erins = first.suggestAndSave(erin);
        assertThat(carols.topTeam()).isEqualTo("Database");
        assertThat(p(carols, "Database")).isGreaterThan(p(erins, "Database") + 0.1);
        assertThat(carols.rationale()).contains("6 of this requester's 6 decided tickets went there").doesNotContainIgnoringCase("carol").doesNotContainIgnoringCase("smith");

        // Erin's ticket is sent to Hardware: learned online, Frank's twin is not affected by it, Erin's next one is
        QueueRow row = ws.store().rows(List.of(erin)).get(0);
        first.learn(new DecisionLedger(ws.store()).decide(DecisionRequest.of(erin, row.version(), DecisionKind.OVERRIDDEN,
                "Hardware", "P3", null, "dana")).get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
        long erinAgain = ws.store().saveTickets(List.of(new NewTicket("n", "q-erin-2", "a question", "Please have a look, thanks.",
                "Erin Lee", Instant.now(), null, null)), "test").join().createdIds().get(0);
        TriageSuggestion erin2 = first.suggestAndSave(erinAgain);
        TriageSuggestion franks = first.suggestAndSave(frank);
        assertThat(p(erin2, "Hardware")).isGreaterThan(p(franks, "Hardware"));
        TriageSuggestion carolsNow = first.suggestAndSave(carol);
        assertThat(carolsNow.topTeam()).isEqualTo("Database");

        restart(first);
        TriageService second = start();
        assertThat(second.fullTrainings()).isZero();
        assertSame(carolsNow, second.suggestAndSave(carol));
        assertSame(erin2, second.suggestAndSave(erinAgain));
    }

    private static double p(TriageSuggestion s, String team) {
        return s.teams().stream().filter(x -> x.label().equals(team)).mapToDouble(Prediction::probability).findFirst().orElse(0);
    }

    /** An open ticket whose subject and body say nothing; what it is about is in its later comment. */
    private long vagueTicketWithComment(String comment) {
        long id = ws.store().saveTickets(List.of(new NewTicket("n", "vague", "question", "Please have a look.", "cy",
                Instant.now(), null, null)), "test").join().createdIds().get(0);
        ws.store().addUpdate(id, "cy", comment).join();
        return id;
    }

    private DecisionRecord decide(TriageService s, long ticket, String team) throws Exception {
        QueueRow row = ws.store().rows(List.of(ticket)).get(0);
        DecisionRecord rec = new DecisionLedger(ws.store()).decide(DecisionRequest.of(ticket, row.version(),
                DecisionKind.OVERRIDDEN, team, "P2", null, "dana")).get(10, TimeUnit.SECONDS);
        s.learn(rec).get(10, TimeUnit.SECONDS);
        return rec;
    }

    private static TriageSuggestion suggest(TriageService s, String subject, String body) {
        return s.localModel().suggest(dev.switchboard.inference.TicketText.of("p", subject, body),
                dev.switchboard.inference.TriageContext.of(s.taxonomy()));
    }

    @Test
    void aTicketDecidedOnWordsOnlyItsCommentHasMeansTheSameAfterARestartAndAFullTrain() throws Exception {
        long vague = vagueTicketWithComment("The zorblax centrifuge hums and the flux capacitor overheats.");
        TriageService first = start();
        decide(first, vague, "Hardware");
        TriageSuggestion online = suggest(first, "zorblax centrifuge", "The zorblax centrifuge hums, the flux capacitor overheats");
        assertThat(online.evidence().get(0).ticketId()).isEqualTo(Long.toString(vague));
        assertThat(online.evidence().get(0).team()).isEqualTo("Hardware");

        // a restart loads the model saved before the decision and learns it from the history: with the comment
        restart(first);
        TriageService second = start();
        assertThat(second.fullTrainings()).isZero();
        assertThat(second.loadedFrom().added()).isEqualTo(1);
        assertSame(online, suggest(second, "zorblax centrifuge", "The zorblax centrifuge hums, the flux capacitor overheats"));

        // a full train reads the same text: the ticket is still the closest one, and a restart keeps it as trained
        second.retrain().get(120, TimeUnit.SECONDS);
        TriageSuggestion trained = suggest(second, "zorblax centrifuge", "The zorblax centrifuge hums, the flux capacitor overheats");
        assertThat(trained.evidence().get(0).ticketId()).isEqualTo(Long.toString(vague));
        assertThat(trained.evidence().get(0).team()).isEqualTo("Hardware");
        restart(second);
        TriageService third = start();
        assertThat(third.loadedFrom().kept()).isEqualTo(49);
        assertThat(third.loadedFrom().changed()).isZero();
        assertSame(trained, suggest(third, "zorblax centrifuge", "The zorblax centrifuge hums, the flux capacitor overheats"));
    }

    @Test
    void aCommentAfterTheDecisionIsLearnedOnlyWhenTheTicketIsDecidedAgainAndThenWithAFreshVector() throws Exception {
        long vague = vagueTicketWithComment("The zorblax centrifuge hums.");
        TriageService first = start();
        decide(first, vague, "Hardware");
        first.retrain().get(120, TimeUnit.SECONDS); // trains and stores the vector of the text with its comment
        // a comment after the decision: the model keeps the text the dispatcher decided on, here and after a restart
        ws.store().addUpdate(vague, "cy", "Also the quibbleworth sprocket rattles loudly.").join();
        TriageSuggestion online = suggest(first, "quibbleworth sprocket", "the quibbleworth sprocket rattles loudly");
        restart(first);
        TriageService second = start();
        assertThat(second.loadedFrom().kept()).isEqualTo(49);
        assertThat(second.loadedFrom().changed()).isZero();
        assertSame(online, suggest(second, "quibbleworth sprocket", "the quibbleworth sprocket rattles loudly"));

        // decided again (same team) after reading the comment: learned with it, online and after a restart, where
        // the ticket's text counts as changed and its stored vector (of the text without it) is not used
        decide(second, vague, "Hardware");
        TriageSuggestion redecided = suggest(second, "quibbleworth sprocket", "the quibbleworth sprocket rattles loudly");
        assertThat(redecided.evidence().get(0).ticketId()).isEqualTo(Long.toString(vague));
        restart(second);
        TriageService third = start();
        assertThat(third.loadedFrom().changed()).isEqualTo(1);
        assertThat(third.loadedFrom().kept()).isEqualTo(48);
        assertThat(third.loadedFrom().vectorsComputed()).isEqualTo(1);
        assertSame(redecided, suggest(third, "quibbleworth sprocket", "the quibbleworth sprocket rattles loudly"));
        // and the vector of the new text is stored: the next start computes none
        restart(third);
        assertThat(start().loadedFrom().vectorsComputed()).isZero();
    }

    @Test
    void everyKindOfDecisionIsLearnedOnlineAsAFullTrainReadsIt() throws Exception {
        TriageService s = start();
        dev.switchboard.inference.TicketText probe = dev.switchboard.inference.TicketText.of("p", "printer toner",
                "The printer and the toner not working");
        // accepted as Hardware, then assigned to Database (an assignment that moves the ticket): the label is Database
        decide(s, openPrinter, "Hardware");
        QueueRow row = ws.store().rows(List.of(openPrinter)).get(0);
        DecisionRecord assigned = new DecisionLedger(ws.store()).decide(DecisionRequest.of(openPrinter, row.version(),
                DecisionKind.ASSIGNED, "Database", null, null, "dana")).get(10, TimeUnit.SECONDS);
        s.learn(assigned).get(10, TimeUnit.SECONDS);
        assertThat(evidenceTeam(s, probe, openPrinter)).isEqualTo("Database");
        s.retrain().get(120, TimeUnit.SECONDS);
        assertThat(evidenceTeam(s, probe, openPrinter)).isEqualTo("Database");

        // decided in another process and resolved there: the last decision is the resolve, the label still counts
        try (Workspace other = open()) {
            DecisionLedger l = new DecisionLedger(other.store());
            l.decide(DecisionRequest.of(openVpn, other.store().rows(List.of(openVpn)).get(0).version(),
                    DecisionKind.OVERRIDDEN, "Access", "P2", null, "erin")).get(10, TimeUnit.SECONDS);
            l.decide(DecisionRequest.of(openVpn, other.store().rows(List.of(openVpn)).get(0).version(),
                    DecisionKind.RESOLVED, null, null, null, "erin")).get(10, TimeUnit.SECONDS);
        }
        ws.store().announceChanged(List.of(openVpn));
        dev.switchboard.inference.TicketText vpn = dev.switchboard.inference.TicketText.of("p", "vpn drops again",
                "The vpn and the router keep failing");
        s.awaitIdle();
        assertThat(evidenceTeam(s, vpn, openVpn)).isEqualTo("Access");
        assertThat(s.fullTrainings()).as("learned online, no retrain").isEqualTo(2);
    }

    /** The team the model remembers for {@code ticket}, as evidence for a probe close to it (null if not among it). */
    private static String evidenceTeam(TriageService s, dev.switchboard.inference.TicketText probe, long ticket) {
        return s.localModel().suggest(probe, dev.switchboard.inference.TriageContext.of(s.taxonomy())).evidence().stream()
                .filter(e -> e.ticketId().equals(Long.toString(ticket))).map(e -> e.team()).findFirst().orElse(null);
    }

    @Test
    void aDecisionAnotherProcessRecordsIsLearnedWhenThePollAnnouncesIt() throws Exception {
        TriageService s = start();
        dev.switchboard.inference.TicketText probe = dev.switchboard.inference.TicketText.of("p", "printer toner",
                "The printer and the toner not working");
        assertThat(s.localModel().suggest(probe, dev.switchboard.inference.TriageContext.of(s.taxonomy())).evidence())
                .noneMatch(e -> e.ticketId().equals(Long.toString(openPrinter)));
        // another dispatcher, another process on the same database, sends the printer ticket to Database
        try (Workspace other = open()) {
            QueueRow row = other.store().rows(List.of(openPrinter)).get(0);
            new DecisionLedger(other.store()).decide(DecisionRequest.of(openPrinter, row.version(),
                    DecisionKind.OVERRIDDEN, "Database", "P2", null, "erin")).get(10, TimeUnit.SECONDS);
        }
        ws.store().announceChanged(List.of(openPrinter)); // what the window's poll does when it finds the change
        s.awaitIdle();
        TriageSuggestion after = s.localModel().suggest(probe, dev.switchboard.inference.TriageContext.of(s.taxonomy()));
        assertThat(after.evidence().get(0).ticketId()).isEqualTo(Long.toString(openPrinter));
        assertThat(after.evidence().get(0).team()).isEqualTo("Database");
        assertThat(s.fullTrainings()).as("learned online, no retrain").isEqualTo(1);
    }

    @Test
    void aCancelledRetrainKeepsTheServingModel() throws Exception {
        TriageService s = start();
        TriageSuggestion before = s.suggestAndSave(openVpn);
        var run = s.retrain();
        assertThat(s.isTraining()).isTrue();
        s.cancelTraining(); // before the history is even read: the train stops at its first check
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(TriageService.isCancellation(e)).isTrue());
        s.awaitIdle();
        assertThat(s.isTraining()).isFalse();
        assertThat(s.fullTrainings()).isEqualTo(1);
        assertSame(before, s.suggestAndSave(openVpn));
        // the status says so and the progress bar is cleared, whoever started the train
        assertThat(messages).last().isEqualTo(TriageService.TRAINING_CANCELLED);
    }

    @Test
    void aCorruptSavedModelIsIgnoredAndTheModelTrainsAsUsual() throws Exception {
        TriageService first = start();
        TriageSuggestion before = first.suggestAndSave(openVpn);
        Path file = ws.localModelFile();
        restart(first);
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x01;
        Files.write(file, b);

        TriageService second = startTrainingAfresh(before);
        assertThat(events).singleElement().isInstanceOf(LocalModel.TrainingSummary.class);
        assertThat(ModelSnapshot.info(file).summary().examples()).as("saved again, readable").isEqualTo(48);

        // a truncated one as well
        restart(second);
        Files.write(file, java.util.Arrays.copyOf(b, 100));
        startTrainingAfresh(before);
    }

    @Test
    void aNewTeamSinceTheSaveIsRetrainedInTheBackgroundWhileTheLoadedModelServes() throws Exception {
        TriageService first = start();
        restart(first);
        List<NewTicket> t = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            t.add(new NewTicket("h", "f" + i, "office chair broken " + i, "The desk and the chair in room " + i,
                    "u", Instant.parse("2026-02-01T00:00:00Z").plusSeconds(i), "Facilities", "P3"));
        }
        ws.store().saveTickets(t, "test").join();

        TriageService second = start();
        ModelSnapshot.Loaded r = second.loadedFrom();
        assertThat(r).isNotNull();
        assertThat(r.newTeams()).containsExactly("Facilities");
        assertThat(messages).anyMatch(m -> m.contains("retraining in the background (new team Facilities)"));
        // serving meanwhile: the loaded model knows the new tickets as neighbours
        TriageSuggestion s = second.localModel().suggest(
                dev.switchboard.inference.TicketText.of("p", "office chair broken", "The desk and the chair in room 2"),
                dev.switchboard.inference.TriageContext.of(second.taxonomy()));
        assertThat(s.status()).isEqualTo(TriageSuggestion.Status.OK);
        assertThat(s.evidence().get(0).team()).isEqualTo("Facilities");

        second.awaitIdle();
        assertThat(second.fullTrainings()).isEqualTo(1);
        assertThat(events).anyMatch(e -> e instanceof LocalModel.TrainingSummary ts && ts.teams() == 5);
        assertThat(ModelSnapshot.info(ws.localModelFile()).summary().teams()).isEqualTo(5);

        // and the next start loads that one without retraining
        restart(second);
        TriageService third = start();
        assertThat(third.loadedFrom().retrainReason(ModelSnapshot.RETRAIN_SHARE)).isNull();
        third.awaitIdle();
        assertThat(third.fullTrainings()).isZero();
    }

    @Test
    void withoutAModelFileEveryStartTrains() throws Exception {
        LocalModel local = new LocalModel();
        TriageService s = new TriageService(ws.store(), local, () -> local);
        services.add(s);
        s.start().get(120, TimeUnit.SECONDS);
        assertThat(s.fullTrainings()).isEqualTo(1);
        assertThat(ws.localModelFile()).doesNotExist();
    }

    private static void assertSame(TriageSuggestion a, TriageSuggestion b) {
        assertThat(b.status()).isEqualTo(a.status());
        assertSamePredictions(a.teams(), b.teams());
        assertSamePredictions(a.priorities(), b.priorities());
        assertThat(b.confident()).isEqualTo(a.confident());
        assertThat(b.rationale()).isEqualTo(a.rationale());
        assertThat(b.evidence().stream().map(e -> e.ticketId()).toList())
                .isEqualTo(a.evidence().stream().map(e -> e.ticketId()).toList());
    }

    private static void assertSamePredictions(List<Prediction> a, List<Prediction> b) {
        assertThat(b.stream().map(Prediction::label).toList()).isEqualTo(a.stream().map(Prediction::label).toList());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).probability()).isCloseTo(a.get(i).probability(), within(1e-9));
        }
    }
}
