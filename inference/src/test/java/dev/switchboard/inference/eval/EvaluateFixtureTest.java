package dev.switchboard.inference.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.TicketText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-checked evaluation: train has 4 x A (P1) and 2 x B (P2). The first test row repeats a
 * training text (other case and spacing) and is dropped, leaving A, A, B, C. The majority engine
 * always says A 2/3, B 1/3 (and P1 2/3), so: top-1 2/4, hit@3 3/4 (C is never ranked), ECE |0.5 - 2/3|,
 * macro-F1 over {A, B, C} = (2/3 + 0 + 0) / 3, nothing reaches 0.9 confidence.
 */
class EvaluateFixtureTest {

    private static Path fixture(String name) throws Exception {
        return Path.of(EvaluateFixtureTest.class.getResource("/eval/" + name).toURI());
    }

    private EvaluateJob job(Path report) throws Exception {
        return new EvaluateJob(null, fixture("train.csv"), fixture("test.csv"), List.of("subject", "body"), "team",
                "priority", 0.2, 42, "majority", report, true, 0.9);
    }

    private static Map<String, EngineFactory> majority() {
        return Map.of("majority", (train, tax, p) -> Baselines.majority(train, 0.9));
    }

    @Test
    void majorityEngineScoresMatchTheHandComputedValues(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/report.json");
        EvaluationReport r = job(json).run(majority(), null);
        assertThat(r.nTrain()).isEqualTo(6);
        assertThat(r.nTest()).isEqualTo(4);
        assertThat(r.duplicatesRemoved()).isEqualTo(1);
        LabelMetrics t = r.team();
        assertThat(t.accuracy()).isCloseTo(0.5, within(1e-9));
        assertThat(t.hitAt3()).isCloseTo(0.75, within(1e-9));
        assertThat(t.ece()).isCloseTo(2.0 / 3 - 0.5, within(1e-9));
        assertThat(t.macroF1()).isCloseTo((2.0 / 3) / 3, within(1e-9));
        assertThat(t.perClass().get("A")).isEqualTo(new LabelMetrics.PerClass(0.5, 1.0, 2));
        assertThat(t.perClass().get("C").support()).isEqualTo(1);
        assertThat(t.confusion().get("B")).containsEntry("A", 1);
        assertThat(t.thresholdCoverage()).isZero();
        assertThat(t.thresholdPrecision()).isNaN();
        assertThat(r.priority().accuracy()).isCloseTo(0.5, within(1e-9));
        assertThat(r.baselines()).containsKeys("majority", "naive_bayes");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        for (String k : List.of("n_train", "n_test", "train_seconds", "latency_ms", "throughput_per_s", "baselines", "team", "priority")) {
            assertThat(root.has(k)).as(k).isTrue();
        }
        assertThat(root.get("latency_ms").has("p50")).isTrue();
        assertThat(root.get("latency_ms").has("p95")).isTrue();
        for (String k : List.of("accuracy", "hit_at_3", "macro_f1", "ece", "per_class", "confusion",
                "threshold_precision", "threshold_coverage")) {
            assertThat(root.get("team").has(k)).as(k).isTrue();
            assertThat(root.get("priority").has(k)).as(k).isTrue();
        }
        assertThat(root.get("team").get("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(root.get("team").get("per_class").get("A").get("support").asInt()).isEqualTo(2);
        assertThat(root.get("team").get("threshold_precision").isNull()).isTrue();

        StringWriter text = new StringWriter();
        ReportWriter.printText(r, new PrintWriter(text));
        assertThat(text.toString()).contains("top-1").contains("0.500").contains("naive_bayes team");
    }

    @Test
    void missingColumnIsAOneLineErrorWithExitCode2() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EvaluateMain.run(new String[] {"--data", fixture("train.csv").toString(), "--text", "subject,nope",
                "--team", "team"}, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).contains("no column 'nope'").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void unreadableFileIsAOneLineErrorWithExitCode2(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = EvaluateMain.run(new String[] {"--data", dir.resolve("missing.csv").toString(), "--text", "a",
                "--team", "b"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("evaluate: cannot read").doesNotContain("\n");
    }

    @Test
    void dedupeIgnoresCaseAndSpacingAndSplitIsReproducible() {
        List<LabelledTicket> t = List.of(
                LabelledTicket.of(TicketText.of("1", "Hello  World", "x"), "A", null),
                LabelledTicket.of(TicketText.of("2", "hello world", "X"), "B", null),
                LabelledTicket.of(TicketText.of("3", "other", ""), "A", null),
                LabelledTicket.of(TicketText.of("4", "more", ""), "A", null),
                LabelledTicket.of(TicketText.of("5", "again", ""), "B", null));
        List<LabelledTicket> u = Dataset.dedupe(t);
        assertThat(u).extracting(l -> l.text().id()).containsExactly("1", "3", "4", "5");
        Dataset.Split a = Dataset.split(u, 0.25, 42);
        Dataset.Split b = Dataset.split(u, 0.25, 42);
        assertThat(a.test()).hasSize(1).isEqualTo(b.test());
        assertThat(a.train()).hasSize(3);
    }

    @Test
    void metricsOnAPerfectAndCertainEngine() {
        var p = List.of(new dev.switchboard.inference.Prediction("A", 1.0), new dev.switchboard.inference.Prediction("B", 0.0));
        LabelMetrics m = LabelMetrics.compute(List.of(new LabelMetrics.Scored("A", p, true), new LabelMetrics.Scored("A", p, false)));
        assertThat(m.accuracy()).isEqualTo(1.0);
        assertThat(m.ece()).isCloseTo(0.0, within(1e-12));
        assertThat(m.thresholdPrecision()).isEqualTo(1.0);
        assertThat(m.thresholdCoverage()).isEqualTo(0.5);
    }

    @Test
    void devSplitTrainsAndScoresOnTheTrainingPortionOnlyAndNeverReadsTestTickets(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("subject,body,team\n");
        for (int i = 0; i < 40; i++) csv.append("ticket number ").append(i).append(",body ").append(i).append(',')
                .append(i % 3 == 0 ? "B" : "A").append('\n');
        Path file = dir.resolve("t.csv");
        Files.writeString(file, csv.toString());
        EvaluateJob job = new EvaluateJob(file, null, null, List.of("subject", "body"), "team", null, 0.2, 42,
                "spy", null, false, 0.9);
        List<LabelledTicket> all = Dataset.dedupe(Dataset.load(file, List.of("subject", "body"), "team", null).tickets());
        Dataset.Split outer = Dataset.split(all, 0.2, 42);
        java.util.Set<String> outerTest = new java.util.HashSet<>();
        for (LabelledTicket t : outer.test()) outerTest.add(t.text().id());
        java.util.Set<String> trained = new java.util.HashSet<>();
        java.util.Set<String> scored = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Map<String, EngineFactory> spy = Map.of("spy", (train, tax, p) -> {
            for (LabelledTicket t : train) trained.add(t.text().id());
            TriageEngineStub e = new TriageEngineStub(Baselines.majority(train, 0.9), scored);
            return e;
        });
        EvaluationReport r = job.run(spy, null, new EvaluateJob.DevSplit(0.25, 7));
        assertThat(r.nTrain()).isEqualTo(24);
        assertThat(r.nTest()).isEqualTo(8);
        assertThat(trained).doesNotContainAnyElementsOf(outerTest).doesNotContainAnyElementsOf(scored);
        assertThat(scored).hasSize(8).doesNotContainAnyElementsOf(outerTest);
        java.util.Set<String> union = new java.util.HashSet<>(trained);
        union.addAll(scored);
        assertThat(union).containsExactlyInAnyOrderElementsOf(outer.train().stream().map(t -> t.text().id()).toList());
        // the usual run still scores the outer test tickets
        scored.clear();
        job.run(spy, null);
        assertThat(scored).containsExactlyInAnyOrderElementsOf(outerTest);
    }

    @Test
    void unrelatedTicketsAreCountedWhenTheEngineIsConfidentOnThem(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "title,details\nNameNode OOM,heap exhausted\nprinter on fire,smoke from tray 2\n"
                + ",\nJAR conflict,timestamp check fails\n");
        // confident only on printers, 0.9 then, 0.3 otherwise
        EngineFactory printers = (train, tax, p) -> new dev.switchboard.inference.TriageEngine() {
            @Override public dev.switchboard.inference.TriageSuggestion suggest(TicketText t,
                                                                                dev.switchboard.inference.TriageContext c) {
                boolean printer = t.fullText().contains("printer");
                return new dev.switchboard.inference.TriageSuggestion(dev.switchboard.inference.TriageSuggestion.Status.OK,
                        List.of(new dev.switchboard.inference.Prediction("A", printer ? 0.9 : 0.3)), List.of(), printer, "",
                        List.of(), "p", "p", "", 0);
            }

            @Override public String id() {
                return "p";
            }
        };
        Path json = dir.resolve("r.json");
        EvaluateJob job = new EvaluateJob(null, fixture("train.csv"), fixture("test.csv"), List.of("subject", "body"), "team",
                null, 0.2, 42, "p", json, false, 0.9, other, List.of("title", "details"));
        EvaluationReport r = job.run(Map.of("p", printers), null);
        assertThat(r.unrelated().tickets()).isEqualTo(3);            // the blank row is skipped
        assertThat(r.unrelated().confident()).isEqualTo(1);
        assertThat(r.unrelated().meanConfidence()).isCloseTo((0.3 + 0.9 + 0.3) / 3, within(1e-9));
        JsonNode u = new ObjectMapper().readTree(Files.readString(json)).get("unrelated");
        assertThat(u.get("source").asText()).isEqualTo(other.toString());
        assertThat(u.get("confident_share").asDouble()).isCloseTo(1 / 3.0, within(1e-4));
        StringWriter text = new StringWriter();
        ReportWriter.printText(r, new PrintWriter(text));
        assertThat(text.toString()).contains("unrelated tickets (" + other + "): 3 scored, 1 confident (33.3 %");

        // without --unrelated-text the --text columns are looked for, and their absence is a one-line usage error
        EvaluateJob wrongColumns = new EvaluateJob(null, fixture("train.csv"), fixture("test.csv"), List.of("subject", "body"),
                "team", null, 0.2, 42, "p", null, false, 0.9, other, null);
        assertThatThrownBy(() -> wrongColumns.run(Map.of("p", printers), null))
                .isInstanceOf(EvaluateJob.UsageException.class)
                .hasMessageContaining("no column 'subject'").hasMessageContaining("--unrelated-text");
        // a report without the option has no such section
        assertThat(job(null).run(majority(), null).unrelated()).isNull();
    }

    private record TriageEngineStub(dev.switchboard.inference.TriageEngine inner, java.util.Set<String> seen)
            implements dev.switchboard.inference.TriageEngine {
        @Override public dev.switchboard.inference.TriageSuggestion suggest(TicketText t,
                                                                            dev.switchboard.inference.TriageContext c) {
            seen.add(t.id());
            return inner.suggest(t, c);
        }

        @Override public String id() {
            return "spy";
        }
    }
}
