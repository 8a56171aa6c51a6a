package dev.switchboard.app.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Workspace;
import dev.switchboard.app.cli.SwitchboardCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard quality}: the summary, the JSON report with {@code evaluate}'s keys, and clear errors. */
class QualityCommandTest {

    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void summaryAndReport() throws Exception {
        String url;
        try (Workspace ws = QualityFixture.create(dir)) {
            url = ws.database().displayUrl();
        }
        Path report = dir.resolve("out/quality.json");
        Result r = run("quality", "--db", url, "--report", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("6 answered suggestions").contains("accepted as suggested   66.7% (4; 1 of them bulk accepts)")
                .contains("\n  Answered 6 of 11 suggested tickets (54.5%); not answered: 3 still waiting for a decision, 2 closed "
                        + "without a decision (1 of them merged as duplicates).\n"
                        + "  Only 6 answered: one answer moves a rate by 16.7 points")
                .contains("Network → Desktop").contains("override reasons: wrong-priority 1; wrong-team 1\n");
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        // ticket-derived, like an export: the user's only (before: the umask's, 0644, and its new folder 0755)
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(report)))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(report.getParent())))
                .isEqualTo("rwx------");
        assertThat(j.path("answered").asInt()).isEqualTo(6);
        assertThat(j.path("acceptance_rate").asDouble()).isEqualTo(0.6667);
        assertThat(j.path("team").path("accuracy").asDouble()).isEqualTo(0.6667);
        assertThat(j.path("team").path("hit_at_3").asDouble()).isEqualTo(1.0);
        assertThat(j.path("team").path("threshold_precision").asDouble()).isEqualTo(0.6667);
        assertThat(j.path("team").path("confusion").path("Desktop").path("Network").asInt()).isEqualTo(1);
        assertThat(j.path("kept_then_transferred").asInt()).isEqualTo(1);
        assertThat(j.path("mean_teams_per_ticket").asDouble()).isEqualTo(1.1667);
        JsonNode suggested = j.path("suggested_tickets");
        assertThat(suggested.path("total").asInt()).isEqualTo(11);
        assertThat(suggested.path("answered").asInt()).isEqualTo(6);
        assertThat(suggested.path("answered_share").asDouble()).isEqualTo(0.5455);
        assertThat(suggested.path("waiting").asInt()).isEqualTo(3);
        assertThat(suggested.path("closed_without_decision").asInt()).isEqualTo(2);
        assertThat(suggested.path("merged_duplicates").asInt()).isEqualTo(1);
        assertThat(suggested.path("decided_without_answer").asInt()).isZero();

        Result llm = run("quality", "--db", url, "--engine", "LLM", "--json"); // engine names in any case
        JsonNode lj = new ObjectMapper().readTree(llm.out());
        assertThat(lj.path("answered").asInt()).isEqualTo(1);
        assertThat(lj.path("suggested_tickets").path("total").asInt()).isEqualTo(2);
        assertThat(lj.path("suggested_tickets").path("waiting").asInt()).isEqualTo(1);
        assertThat(lj.path("suggested_tickets").path("closed_without_decision").asInt()).isZero();
        Result none = run("quality", "--db", url, "--from", "2099-01-01");
        assertThat(none.code()).isZero();
        assertThat(none.out()).contains("No dispatcher has answered a suggestion in this period yet.").doesNotContain("suggested tickets");
        Result future = run("quality", "--db", url, "--from", "2099-01-01", "--json");
        JsonNode fj = new ObjectMapper().readTree(future.out()).path("suggested_tickets");
        assertThat(fj.path("total").asInt()).isZero();
        assertThat(fj.path("answered_share").isNull()).isTrue();
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        String url = "jdbc:h2:file:" + dir.resolve("empty");
        Result both = run("quality", "--db", url, "--days", "7", "--from", "2026-01-01");
        assertThat(both.code()).isNotZero();
        assertThat(both.err()).contains("--days or --from");
        Result date = run("quality", "--db", url, "--from", "last tuesday");
        assertThat(date.code()).isNotZero();
        assertThat(date.err()).contains("is not a date");
        Result engine = run("quality", "--db", url, "--engine", "foo");
        assertThat(engine.code()).isNotZero();
        assertThat(engine.err()).contains("unknown engine 'foo' (local or llm)");
        Result empty = run("quality", "--db", url, "--from", "2026-02-01", "--to", "2026-01-01");
        assertThat(empty.code()).isNotZero();
        assertThat(empty.err()).contains("period is empty");
        assertThat(Files.exists(dir.resolve("empty.mv.db"))).isFalse();
    }

    @Test
    void aReportSavedOverAnOlderOneReadableByOthersIsTheUsersOnly() throws Exception {
        // the Suggestion quality view's Ctrl+S and --report both write through QualityReport.write
        Path file = dir.resolve("older-report.json");
        java.nio.file.Files.writeString(file, "{}");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        QualityReport r;
        try (Workspace ws = QualityFixture.create(dir.resolve("again"))) {
            r = dev.switchboard.app.quality.QualityService.of(ws).compute(null, null, null, null);
        }
        QualityReport.write(file, r);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(new ObjectMapper().readTree(file.toFile()).has("answered")).isTrue();
    }
}
