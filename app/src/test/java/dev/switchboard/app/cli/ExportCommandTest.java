package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Workspace;
import dev.switchboard.app.settings.EngineConfig;
import dev.switchboard.app.settings.Settings;
import dev.switchboard.inference.llm.PromptBuilder;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code switchboard export} as a lead runs it: the settings it honours and the input it refuses. */
class ExportCommandTest {

    @TempDir Path dir;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A database with three imported (decided) tickets; returns its URL. */
    private String decidedTickets() {
        String url = "jdbc:h2:file:" + dir.resolve("db");
        try (Workspace ws = Workspace.open(url)) {
            ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN, Wi-Fi", 0), new TaxonomyRow("Desktop", "Laptops", 0)),
                    List.of(new TaxonomyRow("P2", "Degraded", 2))).join();
            ws.store().saveTickets(List.of(
                    new NewTicket("test", "a", "VPN drops", "The tunnel disconnects.", "Ann", T0, "Network", "P2"),
                    new NewTicket("test", "b", "Printer jam", "Floor 2.", "Bob", T0.plusSeconds(60), "Desktop", "P2"),
                    new NewTicket("test", "c", "Wi-Fi slow", "Hall B.", "Cy", T0.plusSeconds(120), "Network", "P2")), "import").join();
        }
        return url;
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theExportBuildsItsPromptsWithTheTemplateTheEngineUsesAndNamesItInTheManifest() throws Exception {
        String url = decidedTickets();
        PromptBuilder.Template custom = new PromptBuilder.Template(
                "You route tickets for ACME's service desk.\n{{teams}}\nReply with JSON.",
                "{{routing}}Similar tickets:\n{{examples}}\n\nRoute this one for ACME:\n{{ticket}}");
        Settings settings = new Settings(dir.resolve("settings.properties"));
        EngineConfig.defaults().withTemplate(custom).store(settings);
        settings.save();

        ExportCommand cmd = new ExportCommand();
        cmd.settings = () -> new Settings(dir.resolve("settings.properties"));
        StringWriter err = new StringWriter();
        Path out = dir.resolve("out");
        int code = new CommandLine(cmd).setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter(), true))
                .execute("--db", url, "--format", "openai-jsonl", "--out", out.toString(), "--quiet");
        assertThat(code).as(err.toString()).isZero();

        List<String> lines = Files.readAllLines(out.resolve("dataset.jsonl"));
        assertThat(lines).hasSize(3);
        JsonNode messages = JSON.readTree(lines.get(0)).get("messages");
        assertThat(messages.get(0).get("content").asText()).startsWith("You route tickets for ACME's service desk.");
        assertThat(messages.get(1).get("content").asText()).contains("Route this one for ACME:");
        JsonNode prompt = JSON.readTree(out.resolve("manifest.json").toFile()).get("prompt");
        assertThat(prompt.get("template").asText()).isEqualTo("custom");
        assertThat(prompt.get("system_template_sha256").asText()).isEqualTo(sha256(custom.system()));
        assertThat(prompt.get("user_template_sha256").asText()).isEqualTo(sha256(custom.user()));

        // no custom template in the settings: the default, and no fingerprint of a template
        cmd = new ExportCommand();
        cmd.settings = () -> new Settings(dir.resolve("none.properties"));
        Path plain = dir.resolve("plain");
        assertThat(new CommandLine(cmd).execute("--db", url, "--format", "openai-jsonl", "--out", plain.toString(), "--quiet")).isZero();
        JsonNode plainPrompt = JSON.readTree(plain.resolve("manifest.json").toFile()).get("prompt");
        assertThat(plainPrompt.get("template").asText()).isEqualTo("default");
        assertThat(plainPrompt.has("user_template_sha256")).isFalse();
    }

    @Test
    void readOnlyCommandsRefuseADatabaseThatDoesNotExistInsteadOfCreatingAnEmptyOne() {
        String missing = "jdbc:h2:file:" + dir.resolve("typo");
        Path out = dir.resolve("out");
        List<Result> results = List.of(
                run("export", "--db", missing, "--format", "csv", "--out", out.toString(), "--quiet"),
                run("export-duplicates", "--db", missing, "--out", dir.resolve("pairs.csv").toString()),
                run("quality", "--db", missing));
        for (Result r : results) {
            assertThat(r.code()).as(r.out() + r.err()).isNotZero();
            assertThat(r.err()).contains("no database at " + dir.resolve("typo.mv.db")).contains("check --db")
                    .doesNotContain("Exception");
        }
        assertThat(dir.resolve("typo.mv.db")).doesNotExist();
        assertThat(out.resolve("dataset.csv")).doesNotExist();
        assertThat(dir.resolve("pairs.csv")).doesNotExist();
        // commands that make a workspace still do
        assertThat(run("demo-data", "--db", missing).code()).isZero();
        Result r = run("export", "--db", missing, "--format", "csv", "--out", out.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(run("quality", "--db", missing).code()).isZero();
    }

    @Test
    void anExportPeriodThatEndsBeforeItStartsIsRefused() {
        String url = decidedTickets();
        Path out = dir.resolve("out");
        Result r = run("export", "--db", url, "--format", "csv", "--out", out.toString(), "--from", "2024-05-01", "--to", "2024-04-01");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("the period is empty: --from is after --to");
        assertThat(out.resolve("dataset.csv")).doesNotExist();
        // one day (--to is inclusive) is a period
        Result day = run("export", "--db", url, "--format", "csv", "--out", out.toString(), "--from", "2024-03-01", "--to", "2024-03-01", "--quiet");
        assertThat(day.code()).as(day.err()).isZero();
        assertThat(day.out()).contains("3 rows written").doesNotContain("Nothing matched");
        // a period with no decisions writes an empty file, and says why it is empty
        Result none = run("export", "--db", url, "--format", "csv", "--out", dir.resolve("none").toString(), "--from", "2025-01-01",
                "--quiet");
        assertThat(none.code()).as(none.err()).isZero();
        assertThat(none.out()).contains("0 rows written (0 matched)").contains("Nothing matched: no ticket with a final human decision");
    }

    @Test
    void aRedactPatternWithNoRedactIsRefusedInsteadOfSilentlyIgnored() throws Exception {
        String url = decidedTickets();
        Path out = dir.resolve("out");
        Result r = run("export", "--db", url, "--format", "csv", "--out", out.toString(), "--quiet", "--no-redact",
                "--redact-pattern", "Floor \\d");
        assertThat(r.code()).as(r.out() + r.err()).isNotZero();
        assertThat(r.err()).contains("--redact-pattern has no effect with --no-redact");
        assertThat(out.resolve("dataset.csv")).doesNotExist();
        assertThat(out.resolve("manifest.json")).doesNotExist();
        // with redaction on, the pattern is applied and counted
        Result ok = run("export", "--db", url, "--format", "csv", "--out", out.toString(), "--quiet", "--redact-pattern", "Floor \\d");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(Files.readString(out.resolve("dataset.csv"))).contains("[CUSTOM]").doesNotContain("Floor 2");
        JsonNode m = JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(m.path("redaction").path("counts").path("custom").asInt()).isEqualTo(1);
    }

    @Test
    void theCommandListShowsEachCommandsSummaryAsAWholeSentence() {
        // `switchboard --help` lists each command with the first line of its description: one cut mid-sentence
        // read "…instruction JSONL or CSV)," and "…one row per pair whose latest"
        Result r = run("--help");
        assertThat(r.out().replaceAll("\\s+", " ")).contains("(OpenAI chat JSONL, instruction JSONL or CSV).")
                .contains("labelled pairs (CSV or JSONL).");
        CommandLine cl = new CommandLine(new SwitchboardCli());
        cl.getSubcommands().forEach((name, sub) -> {
            String[] d = sub.getCommandSpec().usageMessage().description();
            if (d.length > 0) assertThat(d[0].strip()).as(name).endsWith(".");
        });
    }
}
