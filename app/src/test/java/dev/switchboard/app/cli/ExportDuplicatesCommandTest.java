package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.entity.DuplicateLink;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.NewTicket;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dispatcher duplicate verdicts leave as labelled, redacted pairs; pending and undone pairs stay home. */
class ExportDuplicatesCommandTest {

    @TempDir Path dir;

    private String db() {
        return "jdbc:h2:file:" + dir.resolve("db");
    }

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void verdictsBecomeLabelledPairsWithWhoAndWhenAndRedactedText() throws Exception {
        try (Workspace ws = Workspace.open(db())) {
            Instant t0 = Instant.parse("2026-11-01T09:00:00Z");
            List<Long> ids = ws.store().saveTickets(List.of(
                    new NewTicket("t", "1", "VPN down", "VPN refuses logins, call me at jane.doe@example.com", "Jane Doe", t0, null, null),
                    new NewTicket("t", "2", "VPN not working", "Cannot connect to VPN since 9:00", "Bob Stone", t0.plusSeconds(60), null, null),
                    new NewTicket("t", "3", "Printer jam", "Floor 2 printer jammed", "Cy Park", t0.plusSeconds(120), null, null),
                    new NewTicket("t", "4", "VPN slow", "VPN is slow", "Di Lu", t0.plusSeconds(180), null, null),
                    new NewTicket("t", "5", "VPN again", "VPN failing", "Ed Ko", t0.plusSeconds(240), null, null)), "t").join().createdIds();
            DuplicateLinks links = new DuplicateLinks(ws.store());
            long a = ids.get(0), b = ids.get(1), c = ids.get(2), d = ids.get(3), e = ids.get(4);
            links.suggest(b, List.of(new long[] {a}), List.of(0.91)).join();
            links.suggest(c, List.of(new long[] {a}), List.of(0.31)).join();
            links.suggest(d, List.of(new long[] {a}), List.of(0.55)).join();
            links.suggest(e, List.of(new long[] {a}), List.of(0.6)).join();
            links.merge(b, a, 0.91, "dana").join();                                  // duplicate
            links.resolve(c, a, DuplicateLink.State.DISMISSED, 0.31, "eve").join();   // not a duplicate
            links.resolve(e, a, DuplicateLink.State.CONFIRMED, 0.6, "dana").join();   // linked, then undone
            links.resolve(e, a, DuplicateLink.State.UNDONE, 0, "dana").join();
            // d-a stays pending
        }

        Path csv = dir.resolve("pairs.csv");
        String[] r = run("export-duplicates", "--db", db(), "--out", csv.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("Wrote 2 pairs (1 duplicate, 1 not duplicate)").contains("PII redacted");
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(csv, StandardCharsets.UTF_8)).getRecords();
        assertThat(rows).hasSize(2);
        assertThat(rows).extracting(x -> x.get("label")).containsExactlyInAnyOrder("duplicate", "not_duplicate");
        CSVRecord merged = rows.stream().filter(x -> x.get("verdict").equals("merged")).findFirst().orElseThrow();
        assertThat(merged.get("decided_by")).isEqualTo("dana");
        assertThat(Instant.parse(merged.get("decided_at"))).isAfter(Instant.parse("2026-11-01T09:00:00Z"));
        assertThat(merged.get("score")).isEqualTo("0.91");
        assertThat(merged.get("duplicate_subject")).isEqualTo("VPN not working");
        assertThat(merged.get("original_body")).contains("[EMAIL]").doesNotContain("jane.doe@example.com");
        assertThat(rows.stream().filter(x -> x.get("verdict").equals("dismissed")).findFirst().orElseThrow().get("decided_by"))
                .isEqualTo("eve");

        Path jsonl = dir.resolve("pairs.jsonl");
        String[] j = run("export-duplicates", "--db", db(), "--out", jsonl.toString(), "--no-redact");
        assertThat(j[0]).as(j[2]).isEqualTo("0");
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.stream().filter(l -> l.contains("merged")).findFirst().orElseThrow());
        assertThat(first.path("original_body").asText()).contains("jane.doe@example.com");
        assertThat(first.path("score").asDouble()).isEqualTo(0.91);

        String[] again = run("export-duplicates", "--db", db(), "--out", csv.toString());
        assertThat(again[0]).isEqualTo("1");
        assertThat(again[2]).contains("already exists").doesNotContain("Exception");
        assertThat(run("export-duplicates", "--db", db(), "--out", csv.toString(), "--force")[0]).isEqualTo("0");
        assertThat(run("export-duplicates", "--db", db(), "--out", csv.toString(), "--format", "xml", "--force")[0]).isEqualTo("2");
    }

    @Test
    void aFolderItCreatesIsTheUsersOnlyLikeTheFile() throws Exception {
        run("demo-data", "--db", db());
        Path out = dir.resolve("new/deeper/pairs.csv");
        String[] r = run("export-duplicates", "--db", db(), "--out", out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(out)))
                .isEqualTo("rw-------");
        for (Path p : List.of(dir.resolve("new"), dir.resolve("new/deeper"))) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p)))
                    .as(p.toString()).isEqualTo("rwx------");
        }
    }
}
