package dev.switchboard.inference.dup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inference.TicketText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Finder behaviour on hand-built 8-d vectors (no model needed). */
class DuplicateFinderTest {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    /** Unit vector mostly along axis {@code axis}, tilted towards axis {@code tiltAxis} by {@code tilt}. */
    static float[] v(int axis, int tiltAxis, double tilt) {
        float[] x = new float[8];
        x[axis] = 1;
        x[tiltAxis] += (float) tilt;
        double n = 0;
        for (float f : x) n += f * f;
        for (int i = 0; i < 8; i++) x[i] = (float) (x[i] / Math.sqrt(n));
        return x;
    }

    static TicketText t(String id, String subject, String body) {
        return TicketText.of(id, subject, body);
    }

    static List<String> ids(List<DuplicateCandidate> cs) {
        return cs.stream().map(DuplicateCandidate::id).toList();
    }

    static DuplicateFinder finderWithPrinterPair() {
        DuplicateFinder f = new DuplicateFinder(8);
        f.add(t("p1", "Printer jams on floor 3", "HP LaserJet shows error 13.2 paper jam"), v(0, 1, 0.05), NOW.minus(Duration.ofDays(2)), true);
        f.add(t("p2", "Floor 3 printer paper jam", "error 13.2 again on the HP LaserJet"), v(0, 1, 0.1), NOW.minus(Duration.ofDays(1)), true);
        f.add(t("v1", "VPN drops every hour", "GlobalProtect disconnects"), v(2, 3, 0.1), NOW.minus(Duration.ofDays(1)), true);
        f.add(t("m1", "Mailbox full", "Outlook says quota exceeded"), v(4, 5, 0.1), NOW.minus(Duration.ofDays(1)), true);
        return f;
    }

    @Test
    void findsTheDuplicateFirstWithHighProbabilityAndSharedTerms() {
        DuplicateFinder f = finderWithPrinterPair();
        List<DuplicateCandidate> cs = f.candidates("p2", NOW);
        assertThat(cs).isNotEmpty();
        DuplicateCandidate top = cs.get(0);
        assertThat(top.id()).isEqualTo("p1");
        assertThat(top.probability()).isGreaterThan(0.9);
        assertThat(top.suggested()).isTrue();
        assertThat(top.sharedTerms()).contains("13.2", "jam");
        assertThat(ids(cs)).doesNotContain("p2");
        DuplicateCandidate unrelated = cs.stream().filter(c -> c.id().equals("m1")).findFirst().orElseThrow();
        assertThat(unrelated.probability()).isLessThan(0.05);
        assertThat(unrelated.suggested()).isFalse();
        assertThat(cs).isSortedAccordingTo((a, b) -> Double.compare(b.probability(), a.probability()));
    }

    @Test
    void germanFunctionWordsAreNotOfferedAsSharedTerms() {
        DuplicateFinder f = new DuplicateFinder(8);
        f.add(t("g1", "Drucker im 3. Stock", "Ich habe leider seit heute früh keinen Zugriff zur Druckerwarteschlange. Was soll ich tun?"),
                v(0, 1, 0.05), NOW.minus(Duration.ofDays(1)), true);
        f.add(t("g2", "Drucker 3. Stock druckt nicht", "Habe leider wieder keinen Zugriff zur Druckerwarteschlange, was tun?"),
                v(0, 1, 0.1), NOW, true);
        List<String> terms = f.pair("g2", "g1").sharedTerms();
        assertThat(terms).contains("drucker", "druckerwarteschlange", "zugriff");
        assertThat(terms).doesNotContain("habe", "leider", "zur", "tun");
    }

    @Test
    void queryByTextAndVectorForAnUnindexedTicket() {
        DuplicateFinder f = finderWithPrinterPair();
        List<DuplicateCandidate> cs = f.candidates(t("new", "VPN keeps dropping", "GlobalProtect disconnects hourly"), v(2, 3, 0.12), NOW);
        assertThat(cs.get(0).id()).isEqualTo("v1");
    }

    @Test
    void dismissedPairsNeverComeBack() {
        DuplicateFinder f = finderWithPrinterPair();
        assertThat(ids(f.candidates("p2", NOW))).contains("p1");
        f.dismiss("p1", "p2");
        assertThat(f.isDismissed("p2", "p1")).isTrue();
        assertThat(ids(f.candidates("p2", NOW, 100))).doesNotContain("p1");
        assertThat(ids(f.candidates("p1", NOW, 100))).doesNotContain("p2");
        // re-indexing the ticket (an update) does not resurrect the pair
        f.update(t("p2", "Floor 3 printer paper jam", "error 13.2 again on the HP LaserJet, still"), v(0, 1, 0.1), NOW.minus(Duration.ofDays(1)), true);
        assertThat(ids(f.candidates("p2", NOW, 100))).doesNotContain("p1");
        assertThat(f.groups(List.of("p1", "p2"))).containsExactly(List.of("p1"), List.of("p2"));
    }

    @Test
    void thresholdAdaptsToConfirmsAndDismisses() {
        // pairs with moderate embedding similarity (cos ~0.6) and no shared words
        DuplicateFinder lower = new DuplicateFinder(8);
        DuplicateFinder higher = new DuplicateFinder(8);
        for (DuplicateFinder f : List.of(lower, higher)) {
            for (int i = 0; i < 4; i++) {
                f.add(t("a" + i, "alpha" + i + " beta" + i, ""), v(i, 7, 0.0), NOW, true);
                f.add(t("b" + i, "gamma" + i + " delta" + i, ""), v(i, 7, 1.3), NOW, true);
            }
        }
        double before = lower.threshold();
        assertThat(before).isEqualTo(higher.threshold());
        DuplicateCandidate pair = lower.pair("a0", "b0");
        assertThat(pair.cosine()).isBetween(0.55, 0.65);
        assertThat(pair.suggested()).isFalse();
        for (int i = 0; i < 4; i++) lower.confirm("a" + i, "b" + i);
        assertThat(lower.threshold()).isLessThan(before - 0.02);
        assertThat(lower.calibration().feedbackCount()).isEqualTo(4);
        assertThat(lower.pair("a0", "b0").probability()).isGreaterThan(pair.probability());

        // near-identical pairs dismissed as "not duplicates" push the boundary up
        for (int i = 0; i < 4; i++) {
            higher.add(t("c" + i, "same words here" + i, "shared text"), v(i, 6, 0.05), NOW, true);
            higher.add(t("d" + i, "same words here" + i, "shared text"), v(i, 6, 0.08), NOW, true);
            higher.dismiss("c" + i, "d" + i);
        }
        assertThat(higher.threshold()).isGreaterThan(before + 0.02);
        // however many look-alikes are dismissed, a near copy of another ticket is still suggested
        for (int i = 4; i < 24; i++) {
            higher.add(t("c" + i, "same words here" + i, "shared text"), v(i % 8, 6, 0.05), NOW, true);
            higher.add(t("d" + i, "same words here" + i, "shared text"), v(i % 8, 6, 0.08), NOW, true);
            higher.dismiss("c" + i, "d" + i);
        }
        assertThat(higher.threshold()).isLessThanOrEqualTo(Calibration.MAX_BOUNDARY + 1e-9);
        higher.add(t("e1", "printer on floor 3 offline", "the printer on floor 3 is offline"), v(1, 5, 0.0), NOW, true);
        higher.add(t("e2", "printer on floor 3 offline", "printer on floor 3 is offline again"), v(1, 5, 0.02), NOW, true);
        assertThat(higher.pair("e1", "e2").suggested()).isTrue();
    }

    @Test
    void windowExcludesOldClosedTicketsButKeepsOldOpenOnes() {
        DuplicateFinder f = new DuplicateFinder(8);
        f.add(t("old-closed", "Printer jams", "error 13.2"), v(0, 1, 0.05), NOW.minus(Duration.ofDays(45)), false);
        f.add(t("old-open", "Printer jams", "error 13.2"), v(0, 1, 0.06), NOW.minus(Duration.ofDays(45)), true);
        f.add(t("recent-closed", "Printer jams", "error 13.2"), v(0, 1, 0.07), NOW.minus(Duration.ofDays(3)), false);
        f.add(t("future", "Printer jams", "error 13.2"), v(0, 1, 0.08), NOW.plus(Duration.ofDays(1)), true);
        f.add(t("q", "Printer jams", "error 13.2"), v(0, 1, 0.05), NOW, true);
        assertThat(ids(f.candidates("q", NOW))).containsExactlyInAnyOrder("old-open", "recent-closed");

        DuplicateFinder strict = new DuplicateFinder(8, DuplicateFinder.Config.defaults().withOpenAlwaysEligible(false));
        strict.add(t("old-open", "Printer jams", "error 13.2"), v(0, 1, 0.06), NOW.minus(Duration.ofDays(45)), true);
        strict.add(t("recent-closed", "Printer jams", "error 13.2"), v(0, 1, 0.07), NOW.minus(Duration.ofDays(3)), false);
        strict.add(t("q", "Printer jams", "error 13.2"), v(0, 1, 0.05), NOW, true);
        assertThat(ids(strict.candidates("q", NOW))).containsExactly("recent-closed");

        // closing a ticket takes it out once it is older than the window
        assertThat(f.setOpen("old-open", false)).isTrue();
        assertThat(ids(f.candidates("q", NOW))).containsExactly("recent-closed");
    }

    @Test
    void burstsGroupSimilarRecentArrivals() {
        DuplicateFinder f = new DuplicateFinder(8);
        for (int i = 0; i < 6; i++) {
            f.add(t("s" + i, "Cannot log in to payroll portal", "login fails with error AUTH-401 since this morning"),
                    v(3, 4, 0.02 * i), NOW.minus(Duration.ofMinutes(2 + 4 * i)), true);
        }
        for (int i = 0; i < 3; i++) {   // same issue but hours ago: outside the 30 minute window
            f.add(t("old" + i, "Cannot log in to payroll portal", "login fails with error AUTH-401"),
                    v(3, 4, 0.01), NOW.minus(Duration.ofHours(3 + i)), true);
        }
        f.add(t("x1", "Monitor flickers", "Dell screen flickers"), v(0, 1, 0.1), NOW.minus(Duration.ofMinutes(5)), true);
        f.add(t("x2", "Need a new mouse", "wireless mouse broken"), v(5, 6, 0.1), NOW.minus(Duration.ofMinutes(6)), true);
        f.add(t("x3", "Excel crashes", "crash on open"), v(6, 7, 0.1), NOW.minus(Duration.ofMinutes(7)), true);

        List<Burst> bursts = f.bursts(NOW, Duration.ofMinutes(30), 3);
        assertThat(bursts).hasSize(1);
        Burst b = bursts.get(0);
        assertThat(b.ids()).containsExactly("s5", "s4", "s3", "s2", "s1", "s0");
        assertThat(b.meanProbability()).isGreaterThan(0.5);
        assertThat(b.sharedTerms()).isNotEmpty();
        assertThat(f.bursts(NOW, Duration.ofMinutes(30), 7)).isEmpty();
        assertThat(f.bursts(NOW, Duration.ofHours(6), 7)).singleElement().extracting(Burst::size).isEqualTo(9);
    }

    @Test
    void closedHistoryImportedJustNowIsNoBurst_openArrivalsAre() {
        DuplicateFinder f = new DuplicateFinder(8);
        // decided history imported a minute ago: created "now" because the file had no created column
        for (int i = 0; i < 500; i++) {
            f.add(t("h" + i, "Cannot log in to payroll portal", "login fails with error AUTH-401"),
                    v(3, 4, 0.001 * (i % 20)), NOW.minus(Duration.ofMinutes(1)), false);
        }
        assertThat(f.bursts(NOW, Duration.ofMinutes(30), 4)).isEmpty();

        for (int i = 0; i < 4; i++) {
            f.add(t("s" + i, "Cannot log in to payroll portal", "login fails with error AUTH-401 since this morning"),
                    v(3, 4, 0.02 * i), NOW.minus(Duration.ofMinutes(2 + i)), true);
        }
        assertThat(f.bursts(NOW, Duration.ofMinutes(30), 4)).singleElement()
                .satisfies(b -> assertThat(b.ids()).containsExactly("s3", "s2", "s1", "s0"));

        // resolving them (or merging them into one) takes them out of the next scan
        for (int i = 0; i < 4; i++) f.setOpen("s" + i, false);
        assertThat(f.bursts(NOW, Duration.ofMinutes(30), 4)).isEmpty();
    }

    @Test
    void aBurstScanComparesOnlyTheMostRecentOpenArrivals() {
        DuplicateFinder f = new DuplicateFinder(8);
        int n = 5_000;   // an import of open tickets: all inside the 30 minute window, all alike
        for (int i = 0; i < n; i++) {
            f.add(t("o" + i, "Cannot log in to payroll portal", "login fails with error AUTH-401"),
                    v(3, 4, 0.001 * (i % 20)), NOW.minus(Duration.ofMillis(300L * (n - i))), true);
        }
        Burst b = f.bursts(NOW, Duration.ofMinutes(30), 4).get(0);
        assertThat(b.size()).isEqualTo(DuplicateFinder.BURST_SCAN_LIMIT);
        assertThat(b.ids()).first().isEqualTo("o" + (n - DuplicateFinder.BURST_SCAN_LIMIT));
        assertThat(b.ids()).last().isEqualTo("o" + (n - 1));

        assertThat(f.bursts(NOW, Duration.ofMinutes(30), 4, 10)).singleElement()
                .satisfies(small -> assertThat(small.ids()).hasSize(10).last().isEqualTo("o" + (n - 1)));
        assertThat(f.bursts(NOW, Duration.ofMinutes(30), 4, 3)).isEmpty();
    }

    @Test
    void groupsAreConnectedComponentsOfSuggestedOrConfirmedLinks() {
        DuplicateFinder f = finderWithPrinterPair();
        f.add(t("v2", "VPN disconnects", "GlobalProtect drops every hour"), v(2, 3, 0.12), NOW, true);
        assertThat(f.groups(List.of("m1", "p2", "v1", "p1", "v2")))
                .containsExactly(List.of("p1", "p2"), List.of("m1"), List.of("v1", "v2"));
        f.confirm("m1", "v1");
        assertThat(f.groups(List.of("m1", "p2", "v1", "p1", "v2")))
                .containsExactly(List.of("p1", "p2"), List.of("m1", "v1", "v2"));
    }

    @Test
    void updateAndRemoveChangeWhatIsFound() {
        DuplicateFinder f = finderWithPrinterPair();
        assertThat(f.remove("p1")).isTrue();
        assertThat(f.remove("p1")).isFalse();
        assertThat(f.size()).isEqualTo(3);
        assertThat(ids(f.candidates("p2", NOW))).doesNotContain("p1");
        // slot reuse must not leak the old ticket's text or vector
        f.add(t("z", "Keyboard missing keys", "keys fell off"), v(6, 7, 0.1), NOW, true);
        DuplicateCandidate z = f.candidates("p2", NOW).stream().filter(c -> c.id().equals("z")).findFirst().orElseThrow();
        assertThat(z.cosine()).isLessThan(0.05);
        assertThat(z.lexical()).isZero();
        assertThat(z.sharedTerms()).isEmpty();
        f.update(t("m1", "Printer jam on floor 3", "HP LaserJet error 13.2"), v(0, 1, 0.07), NOW, true);
        assertThat(f.candidates("p2", NOW).get(0).id()).isEqualTo("m1");
        assertThat(f.candidates("unknown", NOW)).isEmpty();
    }

    @Test
    void borderlinePairsGoThroughTheIssueRewriterWhenSupplied() {
        DuplicateFinder f = new DuplicateFinder(8);
        f.add(t("a", "Report export slow", "takes minutes"), v(1, 2, 0.0), NOW, true);
        f.add(t("b", "Quarterly export hangs", "never finishes"), v(1, 2, 0.85), NOW, true);
        List<DuplicateCandidate> cs = f.candidates("a", NOW);
        DuplicateCandidate c = cs.get(0);
        assertThat(c.probability()).isBetween(0.25, 0.75);
        assertThat(f.verify(t("a", "Report export slow", "takes minutes"), cs, id -> null)).isEqualTo(cs);

        AtomicInteger rewrites = new AtomicInteger();
        f.setIssueRewriter(new IssueRewriter() {
            @Override public String rewrite(TicketText ticket) {
                rewrites.incrementAndGet();
                return "report export does not complete";
            }
            @Override public Verdict judge(String a, String b) {
                return a.equals(b) ? Verdict.SAME : Verdict.DIFFERENT;
            }
        });
        List<DuplicateCandidate> checked = f.verify(t("a", "Report export slow", "takes minutes"), cs,
                id -> t(id, "Quarterly export hangs", "never finishes"));
        assertThat(checked.get(0).verdict()).isEqualTo(IssueRewriter.Verdict.SAME);
        assertThat(checked.get(0).probability()).isGreaterThanOrEqualTo(0.75);
        assertThat(checked.get(0).suggested()).isTrue();
        assertThat(rewrites.get()).isEqualTo(2);
    }

    @Test
    void concurrentQueriesWhileWriting() throws Exception {
        DuplicateFinder f = finderWithPrinterPair();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int base = w * 1000;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        String id = "w" + (base + i);
                        f.add(t(id, "ticket " + i, "body " + (i % 7)), v(i % 8, (i + 1) % 8, 0.3), NOW, i % 2 == 0);
                        if (i % 3 == 0) f.remove(id);
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        List<DuplicateCandidate> cs = f.candidates("p2", NOW, 5);
                        assertThat(cs.get(0).id()).isEqualTo("p1");
                    }
                }));
            }
            for (Future<?> fu : fs) fu.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(f.size()).isEqualTo(4 + 2 * 200);
    }

    // ------------------------------------------------------------------ subject vectors

    /**
     * q's body is mostly a pasted log, so its full-text vector sits next to another ticket with the same log
     * (x) rather than next to its original (o); their subjects state the same problem. With subject vectors
     * the original comes first; without them (full-text vectors only) the log twin wins.
     */
    private static DuplicateFinder logHeavyPool(boolean withSubjects) {
        DuplicateFinder f = new DuplicateFinder(8);
        Instant c = NOW.minus(Duration.ofDays(1));
        f.add(t("o", "Upload fails", "details"), v(0, 1, 0.6), withSubjects ? v(4, 5, 0.1) : null, c, true);
        f.add(t("x", "Nightly job slow", "details"), v(0, 1, 0.1), withSubjects ? v(6, 7, 0.1) : null, c, true);
        f.add(t("q", "Uploads failing", "details"), v(0, 1, 0.15), withSubjects ? v(4, 5, 0.2) : null, c, true);
        return f;
    }

    @Test
    void subjectVectorsRecoverTheOriginalWhenTheBodyDominatesTheTextVector() {
        assertThat(ids(logHeavyPool(false).candidates("q", NOW)).get(0)).isEqualTo("x");
        assertThat(ids(logHeavyPool(true).candidates("q", NOW)).get(0)).isEqualTo("o");
    }

    @Test
    void semanticEvidenceIsTheMeanOfTextAndSubjectCosines() {
        DuplicateFinder f = logHeavyPool(true);
        double text = DuplicateFinder.dot(v(0, 1, 0.15), v(0, 1, 0.6), 0, 8);
        double subject = DuplicateFinder.dot(v(4, 5, 0.2), v(4, 5, 0.1), 0, 8);
        assertThat(f.pair("q", "o").cosine()).isCloseTo((text + subject) / 2, org.assertj.core.api.Assertions.within(1e-5));
        // without a subject vector the full-text vector stands in: the evidence is the text cosine
        assertThat(logHeavyPool(false).pair("q", "o").cosine()).isCloseTo(text, org.assertj.core.api.Assertions.within(1e-5));
        // a query for an unindexed ticket uses its subject vector the same way
        List<DuplicateCandidate> cs = f.candidates(t("new", "Upload failing", "details"), v(0, 1, 0.15), v(4, 5, 0.2), NOW, 3);
        assertThat(ids(cs)).containsSubsequence("o", "x");
        DuplicateCandidate o = cs.stream().filter(x -> x.id().equals("o")).findFirst().orElseThrow();
        assertThat(o.cosine()).isCloseTo((text + subject) / 2, org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void subjectVectorOfTheWrongDimensionIsRejected() {
        DuplicateFinder f = new DuplicateFinder(8);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> f.add(t("a", "s", "b"), v(0, 1, 0.1), new float[4], NOW, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject vector");
        assertThat(f.size()).isZero();
    }

    @Test
    void subjectVectorsSurviveThePrefilteredPathAboveTheExactScanLimit() {
        // above EXACT_SCAN_LIMIT a sketch picks the tickets to rescore; it must cover the subject half too:
        // the original shares only its subject vector with the query (its text vector is random)
        int dim = 64;
        int n = DuplicateFinder.EXACT_SCAN_LIMIT + 500;
        DuplicateFinder f = new DuplicateFinder(dim);
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        Instant c = NOW.minus(Duration.ofDays(1));
        for (int i = 0; i < n; i++) f.add(t("n" + i, "noise", "filler"), rnd(r, dim), rnd(r, dim), c, true);
        float[] subject = rnd(r, dim);
        f.add(t("orig", "alpha", "beta"), rnd(r, dim), subject, c, true);
        List<DuplicateCandidate> cs = f.candidates(t("query", "gamma", "delta"), rnd(r, dim), subject, NOW, 3);
        assertThat(cs.get(0).id()).isEqualTo("orig");
    }

    private static float[] rnd(java.util.SplittableRandom r, int dim) {
        float[] x = new float[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
            n += x[i] * x[i];
        }
        for (int i = 0; i < dim; i++) x[i] = (float) (x[i] / Math.sqrt(n));
        return x;
    }
}
