package dev.switchboard.inference.dup;

import dev.switchboard.inference.data.TimeParser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.inference.TicketText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuplicateEvaluationTest {

    @TempDir
    Path dir;

    @Test
    void metricsFromRanksAreHandCheckable() {
        // ranks 1, 3, 7, 20 and one unreachable original
        DuplicateEvaluation.Metrics m = DuplicateEvaluation.metrics("toy", new int[] {1, 3, 7, 20, 0}, 50, null);
        assertThat(m.recallAt1()).isEqualTo(0.2);
        assertThat(m.recallAt5()).isEqualTo(0.4);
        assertThat(m.recallAt10()).isEqualTo(0.6);
        assertThat(m.mrr()).isEqualTo(Math.round((1 + 1 / 3.0 + 1 / 7.0 + 1 / 20.0) / 5 * 10000) / 10000.0);
        assertThat(m.queries()).isEqualTo(5);
        assertThat(m.unreachable()).isEqualTo(1);
    }

    @Test
    void rankCountsOnlyEarlierTicketsWhenTimed() {
        String[] ids = {"d", "o", "x", "y", "later"};
        double[] score = {1.0, 0.5, 0.9, 0.1, 0.95};
        Map<String, Instant> t = Map.of("d", Instant.ofEpochSecond(100), "o", Instant.ofEpochSecond(10),
                "x", Instant.ofEpochSecond(20), "y", Instant.ofEpochSecond(30), "later", Instant.ofEpochSecond(200));
        DuplicateEvaluation.Pair p = new DuplicateEvaluation.Pair("d", "o");
        assertThat(DuplicateEvaluation.rank(ids, i -> score[i], p, t)).isEqualTo(2);           // x beats o; later excluded
        Map<String, Instant> untimed = Map.of("d", Instant.EPOCH, "o", Instant.EPOCH, "x", Instant.EPOCH,
                "y", Instant.EPOCH, "later", Instant.EPOCH);
        assertThat(DuplicateEvaluation.rank(ids, i -> score[i], p, untimed)).isEqualTo(3);     // x and later beat o
        assertThat(DuplicateEvaluation.rank(ids, i -> score[i], new DuplicateEvaluation.Pair("o", "d"), t)).isZero();
    }

    @Test
    void evaluatesAToyCollectionEndToEndAndWritesJson() throws Exception {
        Path tickets = dir.resolve("t.csv");
        Files.writeString(tickets, """
                key,title,body,when
                1,Printer jams,paper jam error 13.2 on floor 3,2024-01-01T10:00:00Z
                2,VPN drops,GlobalProtect disconnects hourly,2024-01-02T10:00:00Z
                3,Printer paper jam floor 3,error 13.2 again,2024-01-03T10:00:00Z
                4,VPN disconnects every hour,GlobalProtect drops,2024-01-04T10:00:00Z
                5,Mailbox full,quota exceeded,2024-01-05T10:00:00Z
                """);
        Path pairs = dir.resolve("p.csv");
        Files.writeString(pairs, "duplicate,original\n3,1\n4,2\n5,99\n");
        DuplicateEvaluation.Input in = DuplicateEvaluation.load(tickets, "key", List.of("title", "body"), pairs, "when");
        assertThat(in.pairs()).hasSize(2);
        assertThat(in.skippedPairs()).isEqualTo(1);
        // vectors: printer tickets along axis 0, VPN along axis 1, mail along axis 2
        List<float[]> vs = List.of(DuplicateFinderTest.v(0, 3, 0.1), DuplicateFinderTest.v(1, 3, 0.1),
                DuplicateFinderTest.v(0, 3, 0.2), DuplicateFinderTest.v(1, 3, 0.2), DuplicateFinderTest.v(2, 3, 0.1));
        DuplicateEvaluation.Report r = DuplicateEvaluation.evaluate("toy", in, vs, true);
        assertThat(r.recallAt1()).isEqualTo(1.0);
        assertThat(r.mrr()).isEqualTo(1.0);
        assertThat(r.queries()).isEqualTo(2);
        assertThat(r.pool()).isEqualTo(5);
        assertThat(r.baseline()).isNotNull();
        assertThat(r.baseline().recallAt1()).isEqualTo(1.0);
        Path json = dir.resolve("r.json");
        r.write(json);
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        for (String k : List.of("recall_at_1", "recall_at_5", "recall_at_10", "mrr", "queries", "pool")) assertThat(n.has(k)).as(k).isTrue();
        assertThat(n.get("latency_ms").has("p50")).isTrue();
        assertThat(n.get("latency_ms").has("p95")).isTrue();
        assertThat(n.get("baseline").get("recall_at_1").asDouble()).isEqualTo(1.0);
        assertThat(DuplicateEvaluation.table(r)).contains("R@1", "tfidf cosine (baseline)");
    }

    @Test
    void inputProblemsAreOneLineMessages() throws Exception {
        Path tickets = dir.resolve("t.csv");
        Files.writeString(tickets, "id,summary\n1,a\n2,b\n");
        Path pairs = dir.resolve("p.csv");
        Files.writeString(pairs, "duplicate,original\n2,1\n");
        assertThatThrownBy(() -> DuplicateEvaluation.load(tickets, "id", List.of("summary", "description"), pairs, null))
                .isInstanceOf(DuplicateEvaluation.InputException.class).hasMessageContaining("no column 'description'");
        assertThatThrownBy(() -> DuplicateEvaluation.load(dir.resolve("missing.csv"), "id", List.of("summary"), pairs, null))
                .isInstanceOf(DuplicateEvaluation.InputException.class).hasMessageContaining("no such file");
        Path badPairs = dir.resolve("bad.csv");
        Files.writeString(badPairs, "duplicate,original\n7,8\n");
        assertThatThrownBy(() -> DuplicateEvaluation.load(tickets, "id", List.of("summary"), badPairs, null))
                .isInstanceOf(DuplicateEvaluation.InputException.class).hasMessageContaining("unknown ids");
        assertThatThrownBy(() -> DuplicateEvaluation.load(tickets, "id", List.of("summary"), pairs, "created"))
                .hasMessageContaining("no column 'created'");
    }

    @Test
    void parsesCommonTimeFormats() {
        assertThat(TimeParser.parse("30/Sep/21 17:20")).isEqualTo(Instant.parse("2021-09-30T17:20:00Z"));
        assertThat(TimeParser.parse("2024-01-02T03:04:05Z")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(TimeParser.parse("2024-01-02 03:04")).isEqualTo(Instant.parse("2024-01-02T03:04:00Z"));
        assertThat(TimeParser.parse("1700000000")).isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(TimeParser.parse("yesterday")).isNull();
    }

    @Test
    void identifiersAndSubjectWeightInTerms() {
        Map<String, Float> tf = DupTerms.of(TicketText.of("1", "NPE in BillingService.computeTotal",
                "See HADOOP-16912 and ITestAbfsStats#testRead after upgrading to 2.9.10.3 (error 13.2)."));
        assertThat(tf).containsKeys("billingservice.computetotal", "hadoop-16912", "itestabfsstats#testread", "billing", "npe",
                "2.9.10.3", "13.2");
        assertThat(tf.get("npe")).isEqualTo(DupTerms.SUBJECT_WEIGHT);
    }

    @Test
    void baselineUsesSublinearTermFrequencySoARepeatedLogTokenDoesNotDecide() throws Exception {
        // 3 is a duplicate of 1 (same problem in other words) but shares a log token repeated 8 times with 2;
        // with raw counts that token outweighs everything else and 2 ranks first
        String retries = "retry ".repeat(8);
        Path tickets = dir.resolve("t.csv");
        Files.writeString(tickets, "id,summary,description\n"
                + "1,Upload quota exceeded,Saving a report fails with quota exceeded\n"
                + "2,Nightly export slow," + retries + "timeout\n"
                + "3,Report upload fails,quota exceeded when saving report; log: " + retries + "\n"
                + "4,Mailbox full,inbox storage warning\n"
                + "5,VPN drops,GlobalProtect disconnects hourly\n");
        Path pairs = dir.resolve("p.csv");
        Files.writeString(pairs, "duplicate,original\n3,1\n");
        DuplicateEvaluation.Input in = DuplicateEvaluation.load(tickets, "id", List.of("summary", "description"), pairs, null);
        assertThat(DuplicateEvaluation.tfidfBaseline(in).recallAt1()).isEqualTo(1.0);
    }

    @Test
    void subjectTextIsEmbeddedOnlyWhenItIsASeparatePartOfTheText() {
        assertThat(DuplicateEvaluation.subjectText(TicketText.of("1", " VPN drops ", "GlobalProtect disconnects"))).isEqualTo("VPN drops");
        assertThat(DuplicateEvaluation.subjectText(TicketText.of("1", "VPN drops", ""))).isNull();
        assertThat(DuplicateEvaluation.subjectText(TicketText.of("1", "  ", "GlobalProtect disconnects"))).isNull();
    }

    @Test
    void subjectVectorsChangeTheMainRankingAndTheTextOnlyAblationDoesNotUseThem() throws Exception {
        Path tickets = dir.resolve("t.csv");
        Files.writeString(tickets, "id,summary,description\n1,Upload fails,details\n2,Nightly job slow,details\n3,Uploads failing,details\n");
        Path pairs = dir.resolve("p.csv");
        Files.writeString(pairs, "duplicate,original\n3,1\n");
        DuplicateEvaluation.Input in = DuplicateEvaluation.load(tickets, "id", List.of("summary", "description"), pairs, null);
        // text vectors put 3 next to 2; subject vectors put 3 next to 1
        List<float[]> text = List.of(DuplicateFinderTest.v(0, 1, 0.6), DuplicateFinderTest.v(0, 1, 0.1), DuplicateFinderTest.v(0, 1, 0.15));
        List<float[]> subj = List.of(DuplicateFinderTest.v(4, 5, 0.1), DuplicateFinderTest.v(6, 7, 0.1), DuplicateFinderTest.v(4, 5, 0.2));
        DuplicateEvaluation.Report without = DuplicateEvaluation.evaluate("toy", in, text, false);
        DuplicateEvaluation.Report with = DuplicateEvaluation.evaluate("toy", in, text, subj, false);
        assertThat(without.recallAt1()).isZero();
        assertThat(with.recallAt1()).isEqualTo(1.0);
        assertThat(with.ablation()).extracting(DuplicateEvaluation.Metrics::method)
                .containsExactly("embedding(text+subject) only", "embedding(text) only", "tfidf(words,identifiers) only");
        assertThat(with.ablation().get(0).recallAt1()).isEqualTo(1.0);
        assertThat(with.ablation().get(1).recallAt1()).isZero();
    }
}
