package dev.switchboard.app.duplicates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The duplicate pipeline on a real H2 file and real MiniLM embeddings. */
class DuplicateServiceTest {

    @TempDir Path dir;
    Workspace ws;
    DuplicateService dups;
    LocalModel model;

    @BeforeEach
    void open() {
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"));
        Instant t0 = Instant.now().minus(Duration.ofHours(2));
        ws.store().saveTickets(List.of(
                new NewTicket("t", "1", "Outlook cannot connect to Exchange server", "Since this morning Outlook shows disconnected from Exchange", "ann", t0, null, null),
                new NewTicket("t", "2", "Printer on floor 2 is out of toner", "Please replace the toner cartridge", "bob", t0.plusSeconds(60), null, null),
                new NewTicket("t", "3", "Payroll report totals wrong", "The monthly payroll report sums do not match", "cy", t0.plusSeconds(120), null, null)),
                "test").join();
        model = new LocalModel();
        dups = new DuplicateService(ws.store(), model);
        dups.start().join();
    }

    @AfterEach
    void close() {
        dups.close();
        ws.close();
    }

    private long arrive(String ext, String subject, String body) {
        long id = ws.store().saveTickets(List.of(new NewTicket("t", ext, subject, body, "dan", Instant.now(), null, null)), "test")
                .join().createdIds().get(0);
        dups.awaitIdle();
        return id;
    }

    private QueueRow row(long id) {
        return ws.store().rows(List.of(id)).get(0);
    }

    /** A fake LLM check: each ticket "rewritten" as its lower-cased subject, verdicts from {@code verdict}, counted. */
    private static dev.switchboard.inference.dup.IssueRewriter countingRewriter(java.util.concurrent.atomic.AtomicInteger judged,
            java.util.function.BiFunction<String, String, dev.switchboard.inference.dup.IssueRewriter.Verdict> verdict) {
        return new dev.switchboard.inference.dup.IssueRewriter() {
            @Override public String rewrite(dev.switchboard.inference.TicketText t) {
                return t.subject().toLowerCase(java.util.Locale.ROOT);
            }

            @Override public Verdict judge(String a, String b) {
                judged.incrementAndGet();
                return verdict.apply(a, b);
            }
        };
    }

    /** A fresh service whose borderline band is everything, so every candidate goes to the (fake) LLM check. */
    private void restartWithEveryPairBorderline() {
        dups.close();
        var band = new dev.switchboard.inference.dup.DuplicateFinder.Config(Duration.ofDays(30), true, 0.5, 10, 0.0, 1.0);
        dups = new DuplicateService(ws.store(), new LocalModel(), band);
        dups.start().join();
    }

    @Test
    void aReworded_reportOfTheSameProblemIsFlaggedOnArrivalAndAnUnrelatedOneIsNot() {
        long dup = arrive("4", "Outlook disconnected from Exchange", "My Outlook says it cannot connect to the Exchange server");
        long other = arrive("5", "Request a second monitor", "I would like an additional screen for my desk");
        assertThat(row(dup).duplicates()).isEqualTo(1);
        assertThat(dups.links().pending(dup)).singleElement().satisfies(l -> assertThat(l.originalId()).isEqualTo(row(1L).id()));
        assertThat(row(other).duplicates()).isZero();
        assertThat(dups.candidates(dup, 3).get(0).sharedTerms()).contains("outlook", "exchange");
    }

    @Test
    void openTicketsSavedWhileNoServiceRanAreCheckedWhenOneStarts_andOnlyOnce() {
        dups.close(); // no window open: a CLI import brings a second report of the Outlook problem
        long dup = ws.store().saveTickets(List.of(new NewTicket("t", "4", "Outlook disconnected from Exchange",
                "My Outlook says it cannot connect to the Exchange server", "dan", Instant.now(), null, null)), "cli")
                .join().createdIds().get(0);
        long orig = row(1L).id();

        dups = new DuplicateService(ws.store(), model);
        dups.start().join();
        dups.awaitIdle();

        // before: the compare view found the pair at a high score, but no badge, no yellow box, and G said none
        assertThat(row(dup).duplicates()).isEqualTo(1);
        assertThat(row(orig).duplicates()).isEqualTo(1);
        assertThat(dups.links().pending(dup)).singleElement().satisfies(l -> {
            assertThat(l.ticketId()).as("the later report is the duplicate").isEqualTo(dup);
            assertThat(l.originalId()).isEqualTo(orig);
        });
        assertThat(row(2L).duplicates()).isZero();

        dups.close();
        dups = new DuplicateService(ws.store(), model);
        dups.start().join();
        dups.awaitIdle();
        assertThat(dups.links().history(dup, orig)).extracting(DuplicateLinks.Link::state).containsExactly("SUGGESTED");
    }

    @Test
    void aStartDoesNotCheckAgainTheOpenTicketsARunningServiceCheckedOnArrival() {
        arrive("4", "Outlook disconnected from Exchange", "My Outlook says it cannot connect to the Exchange server");
        arrive("5", "Outlook offline, Exchange unreachable", "Outlook cannot connect to the Exchange server since this morning");
        dups.close();
        // every pair borderline and an LLM check on from the start: a re-check of every open ticket at each start
        // would send their text to the LLM again every time the window opens
        var band = new dev.switchboard.inference.dup.DuplicateFinder.Config(Duration.ofDays(30), true, 0.5, 10, 0.0, 1.0);
        dups = new DuplicateService(ws.store(), new LocalModel(), band);
        java.util.concurrent.atomic.AtomicInteger judged = new java.util.concurrent.atomic.AtomicInteger();
        dups.setIssueRewriter(countingRewriter(judged, (a, b) -> dev.switchboard.inference.dup.IssueRewriter.Verdict.UNSURE));
        dups.start().join();
        dups.awaitIdle();
        assertThat(judged).as("no pair of an already checked ticket goes to the LLM at start-up").hasValue(0);
    }

    @Test
    void aDismissedPairIsNeverSuggestedAgainEvenAfterTheTicketChanges() {
        long dup = arrive("4", "Outlook disconnected from Exchange", "My Outlook says it cannot connect to the Exchange server");
        long orig = dups.links().pending(dup).get(0).originalId();
        dups.dismiss(dup, orig, 0.9, "dana").join();
        assertThat(row(dup).duplicates()).isZero();
        ws.store().addUpdate(dup, "dan", "Still cannot connect Outlook to Exchange").join();
        dups.awaitIdle();
        assertThat(row(dup).duplicates()).isZero();
        assertThat(dups.candidates(dup, 5)).noneMatch(c -> c.id().equals(Long.toString(orig)));
        assertThat(dups.links().history(dup, orig)).extracting(DuplicateLinks.Link::state).containsExactly("SUGGESTED", "DISMISSED");
        assertThat(dups.links().history(dup, orig).get(1).actor()).isEqualTo("dana");
    }

    @Test
    void mergeClosesTheDuplicateAndKeepsItsRequesterAndTextOnTheOriginal_undoReopens() {
        long dup = arrive("4", "Outlook disconnected from Exchange", "My Outlook says it cannot connect to the Exchange server");
        long orig = dups.links().pending(dup).get(0).originalId();
        dups.merge(dup, orig, 0.9, "dana").join();
        assertThat(row(dup).status()).isEqualTo("CLOSED");
        var original = ws.store().detail(orig).orElseThrow();
        assertThat(original.updates()).singleElement().satisfies(u -> {
            assertThat(u.body()).contains("dan").contains("Outlook disconnected from Exchange").contains("cannot connect");
            assertThat(u.author()).isEqualTo("dana");
        });
        dups.undo(dup, orig, "dana").join();
        assertThat(row(dup).status()).isEqualTo("NEW");
        assertThat(dups.links().history(dup, orig)).extracting(DuplicateLinks.Link::state)
                .containsExactly("SUGGESTED", "MERGED", "UNDONE");
    }

    @Test
    void severalSimilarArrivalsMakeABurst() {
        assertThat(dups.bursts()).isEmpty();
        arrive("a", "Phishing mail received", "Got a suspicious phishing email asking for my password");
        arrive("b", "Phishing email with password link", "Suspicious mail wants my password, phishing?");
        arrive("c", "Received phishing mail", "Phishing email asking me to enter my password");
        arrive("d", "Suspicious phishing message", "A phishing mail asks for the password again");
        assertThat(dups.bursts()).isNotEmpty();
        assertThat(dups.bursts().get(0).size()).isGreaterThanOrEqualTo(4);
    }

    private static final String[][] PHISHING = {
            {"Phishing mail received", "Got a suspicious phishing email asking for my password"},
            {"Phishing email with password link", "Suspicious mail wants my password, phishing?"},
            {"Received phishing mail", "Phishing email asking me to enter my password"},
            {"Suspicious phishing message", "A phishing mail asks for the password again"}};

    @Test
    void closedHistoryImportedWithoutCreationTimesIsNotRecent_butDatedRecentHistoryIs_andARestartSeesTheSame() {
        ws.store().saveTaxonomy(List.of(new dev.switchboard.persistence.store.TaxonomyRow("Email", "", 0)),
                List.of(new dev.switchboard.persistence.store.TaxonomyRow("P3", "", 0))).join();
        // decided history from an export without a created column: stored as created "now" (the import time)
        List<Long> undated = ws.store().saveTickets(List.of(
                new NewTicket("itsm", "u1", "Outlook keeps asking for my password", "outlook prompts for the password again and again", "ann", null, "Email", "P3"),
                new NewTicket("itsm", "u2", "Outlook password prompt loops", "outlook asks for password every few minutes", "bob", null, "Email", "P3")),
                "import").join().createdIds();
        // the same kind of history with its real creation time, two days ago: recent, a candidate
        long dated = ws.store().saveTickets(List.of(new NewTicket("itsm", "d1", "Outlook asks for password repeatedly",
                "outlook password prompt keeps coming back", "cy", Instant.now().minus(Duration.ofDays(2)), "Email", "P3")),
                "import").join().createdIds().get(0);
        dups.awaitIdle();

        long arrival = arrive("n1", "Outlook keeps prompting for password", "since today outlook asks for my password all the time");
        List<String> found = dups.candidates(arrival, 10).stream().map(c -> c.id()).toList();
        assertThat(found).contains(Long.toString(dated)).doesNotContainAnyElementsOf(undated.stream().map(String::valueOf).toList());

        dups.close();
        dups = new DuplicateService(ws.store(), new LocalModel());
        dups.start().join();
        found = dups.candidates(arrival, 10).stream().map(c -> c.id()).toList();
        assertThat(found).contains(Long.toString(dated)).doesNotContainAnyElementsOf(undated.stream().map(String::valueOf).toList());
    }

    @Test
    void importedClosedHistoryRaisesNoBurstButAFewOpenArrivalsDo_andARestartSeesTheSame() {
        // decided, closed history from an ITSM export without a created column: created = the import time
        ws.store().saveTaxonomy(List.of(new dev.switchboard.persistence.store.TaxonomyRow("Security", "", 0)),
                List.of(new dev.switchboard.persistence.store.TaxonomyRow("P3", "", 0))).join();
        List<NewTicket> history = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String[] p = PHISHING[i % PHISHING.length];
            history.add(new NewTicket("itsm", "h" + i, p[0], p[1], "user" + i, null, "Security", "P3"));
        }
        List<Long> imported = ws.store().saveTickets(history, "import").join().createdIds();
        dups.awaitIdle();
        assertThat(ws.store().rows(imported)).hasSize(60).allMatch(r -> r.status().equals("RESOLVED"));
        assertThat(dups.scanBursts().join()).isEmpty();

        List<Long> arrivals = new java.util.ArrayList<>();
        for (int i = 0; i < PHISHING.length; i++) arrivals.add(arrive("new" + i, PHISHING[i][0], PHISHING[i][1]));
        List<String> expected = arrivals.stream().map(String::valueOf).toList();
        assertThat(dups.scanBursts().join()).singleElement()
                .satisfies(b -> assertThat(b.ids()).containsExactlyInAnyOrderElementsOf(expected));

        dups.close();
        dups = new DuplicateService(ws.store(), new LocalModel());
        dups.start().join();
        assertThat(dups.scanBursts().join()).singleElement()
                .satisfies(b -> assertThat(b.ids()).containsExactlyInAnyOrderElementsOf(expected));
    }

    @Test
    void aSlowBurstScanIsNeverQueuedTwiceAndLeavesTheSharedBackgroundPoolFree() throws Exception {
        java.util.concurrent.atomic.AtomicInteger scans = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        dups.beforeBurstScan(() -> {
            scans.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var first = dups.scanBursts();
        assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // a minute of 5-second timer ticks while the scan is stuck: none queues another scan
        for (int tick = 0; tick < 12; tick++) assertThat(dups.scanBursts()).isSameAs(first);

        // the window's shared pool (loading a ticket, an import, a preview) still runs at once
        try (var background = new dev.switchboard.app.ui.Background()) {
            java.util.concurrent.CountDownLatch others = new java.util.concurrent.CountDownLatch(8);
            for (int i = 0; i < 8; i++) background.execute(others::countDown);
            assertThat(others.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(first).isNotDone();

        release.countDown();
        assertThat(first.join()).isEmpty();
        assertThat(scans).hasValue(1);
        dups.beforeBurstScan(null);
        assertThat(dups.scanBursts()).isNotSameAs(first);
    }

    @Test
    void theLlmCheckDropsAPairItJudgesDifferentAndIsAskedOncePerPair() {
        restartWithEveryPairBorderline();
        java.util.concurrent.atomic.AtomicInteger judged = new java.util.concurrent.atomic.AtomicInteger();
        dups.setIssueRewriter(countingRewriter(judged, (a, b) -> a.contains("outlook") && b.contains("outlook")
                ? dev.switchboard.inference.dup.IssueRewriter.Verdict.DIFFERENT : dev.switchboard.inference.dup.IssueRewriter.Verdict.UNSURE));
        assertThat(dups.checksWithLlm()).isTrue();

        long dup = arrive("4", "Outlook disconnected from Exchange", "My Outlook says it cannot connect to the Exchange server");

        assertThat(row(dup).duplicates()).as("the LLM said different").isZero();
        int calls = judged.get();
        assertThat(calls).isPositive();
        var outlook = dups.plausibleCandidates(dup, 5).stream().filter(c -> c.id().equals("1")).findFirst();
        outlook.ifPresent(c -> assertThat(c.verdict()).isEqualTo(dev.switchboard.inference.dup.IssueRewriter.Verdict.DIFFERENT));
        assertThat(outlook.map(c -> c.suggested()).orElse(false)).isFalse();
        assertThat(judged.get()).as("decided pairs are not asked again").isEqualTo(calls + (int) dups.candidates(dup, 5).stream()
                .filter(c -> !c.id().equals("1")).count());

        dups.setIssueRewriter(null);
        long again = arrive("5", "Outlook offline, Exchange unreachable", "Outlook cannot connect to the Exchange server since this morning");
        assertThat(row(again).duplicates()).as("without the check the pair is flagged").isPositive();
    }

    @Test
    void aGroupHoldsEveryTicketConnectedThroughSuggestedOrLinkedPairsButNotDismissedOnes() {
        long a = arrive("4", "Outlook disconnected from Exchange", "My Outlook says it cannot connect to the Exchange server");
        long b = arrive("5", "Outlook offline, Exchange unreachable", "Outlook cannot connect to the Exchange server since this morning");
        assertThat(dups.links().group(b)).contains(1L, a, b).doesNotContain(2L, 3L);
        dups.confirm(a, 1L, 0.9, "dana").join();
        assertThat(dups.links().group(1L)).contains(1L, a, b);

        for (var l : dups.links().pending(b)) dups.dismiss(l.ticketId(), l.originalId(), l.score(), "dana").join();

        assertThat(dups.links().group(b)).containsExactly(b);
        assertThat(dups.links().group(1L)).containsExactlyInAnyOrder(1L, a);
    }

    @Test
    void subjectVectorsAreEmbeddedStoredAndPartOfTheSemanticEvidence() {
        long dup = arrive("4", "Outlook disconnected from Exchange", "My Outlook says it cannot connect to the Exchange server");
        // vectors of an arriving ticket are saved asynchronously: wait for them
        String textId = model.embeddingModelId();
        String subjectId = textId + "/subject";
        try {
            org.testfx.util.WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS, () ->
                    ws.store().embeddings(textId).containsKey(dup) && ws.store().embeddings(subjectId).containsKey(dup));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("vectors of #" + dup + " were not stored within 10 s", e);
        }
        java.util.Map<Long, float[]> text = ws.store().embeddings(textId);
        java.util.Map<Long, float[]> subjects = ws.store().embeddings(subjectId);
        assertThat(subjects.keySet()).isEqualTo(text.keySet()).contains(dup);
        long orig = row(1L).id();
        float[] ts = model.vector(dev.switchboard.inference.TicketText.of("x", "Outlook disconnected from Exchange", ""));
        float[] os = model.vector(dev.switchboard.inference.TicketText.of("y", "Outlook cannot connect to Exchange server", ""));
        assertThat(subjects.get(dup)).containsExactly(ts);
        double subjectCos = dev.switchboard.inference.embed.Embedder.cosine(ts, os);
        double textCos = dev.switchboard.inference.embed.Embedder.cosine(text.get(dup), text.get(orig));
        assertThat(dups.candidates(dup, 3)).filteredOn(c -> c.id().equals(Long.toString(orig))).singleElement()
                .satisfies(c -> assertThat(c.cosine()).isCloseTo((subjectCos + textCos) / 2, org.assertj.core.api.Assertions.within(1e-4)));
    }

    @Test
    void atMostThreeBorderlinePairsPerArrivingTicketGoToTheLlm() {
        dups.close(); // these three are history for the check below, not arrivals
        ws.store().saveTickets(List.of(
                new NewTicket("t", "x1", "Outlook offline", "Outlook cannot reach Exchange", "eve", Instant.now(), null, null),
                new NewTicket("t", "x2", "Exchange connection lost", "Outlook lost its Exchange connection", "fay", Instant.now(), null, null),
                new NewTicket("t", "x3", "Mail client disconnected", "Outlook says disconnected", "gus", Instant.now(), null, null)),
                "test").join();
        restartWithEveryPairBorderline();
        java.util.concurrent.atomic.AtomicInteger judged = new java.util.concurrent.atomic.AtomicInteger();
        dups.setIssueRewriter(countingRewriter(judged, (a, b) -> dev.switchboard.inference.dup.IssueRewriter.Verdict.UNSURE));

        long id = arrive("4", "Outlook disconnected from Exchange", "My Outlook says it cannot connect to the Exchange server");

        assertThat(dups.candidates(id, 5)).hasSize(5);
        assertThat(judged.get()).isEqualTo(DuplicateService.LLM_PAIRS_PER_TICKET);
        assertThat(row(id).duplicates()).as("unsure keeps the finder's verdict, checked or not")
                .isEqualTo((int) dups.candidates(id, 5).stream().filter(c -> c.suggested()).count());
    }
}
