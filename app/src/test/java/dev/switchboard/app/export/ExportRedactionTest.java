package dev.switchboard.app.export;

import static dev.switchboard.app.export.ExportTestSupport.JSON;
import static dev.switchboard.app.export.ExportTestSupport.jsonLines;
import static dev.switchboard.app.export.ExportTestSupport.manifest;
import static dev.switchboard.app.export.ExportTestSupport.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.DecisionLedger;
import dev.switchboard.persistence.store.DecisionRequest;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.ExportQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportRedactionTest {

    @TempDir Path dir;
    Workspace ws;
    ExportService svc;
    static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");
    static final Pattern ANY_EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.[A-Za-z]{2,}");

    @BeforeEach
    void open() {
        ws = ExportTestSupport.open(dir);
        svc = ExportService.of(ws);
        ws.store().saveTickets(List.of(
                ticket("itsm1", "Outlook not syncing", "received from: someone@gmail.com\n\nHello team, outlook stopped syncing.",
                        "someone@gmail.com", T0, "Desktop", "P3"),
                ticket("itsm2", "account locked", "received from: Jane.Doe@Company.co.uk\r\nplease unlock. regards, jane doe",
                        "Jane Doe <jane.doe@company.co.uk>", T0.plusSeconds(1), "Identity", "P2"),
                ticket("net", "VPN from 10.20.30.40", "Call +44 20 7946 0958 or 030/1234567. Link: "
                        + "https://portal.example.com/reset?token=abc123SECRET&lang=en. Employee 12345678. Badge EMP-4471.",
                        "Smith, Alice", T0.plusSeconds(2), "Network", "P1")), "import").join();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    @Test
    void piiIsRedactedByDefaultInEveryFormatAndCounted() throws Exception {
        ExportOptions o = ExportOptions.defaults(ExportFormat.OPENAI_JSONL, dir.resolve("oa"))
                .withRedaction(true, List.of("EMP-\\d+"));
        ExportResult r = svc.run(o, ExportService.Progress.NONE, () -> false);
        String all = Files.readString(dir.resolve("oa/dataset.jsonl"));
        assertThat(ANY_EMAIL.matcher(all).find()).as("no e-mail address survives").isFalse();
        assertThat(all).doesNotContain("someone@").doesNotContain("gmail.com").doesNotContain("Jane.Doe")
                .doesNotContain("jane doe").doesNotContain("10.20.30.40").doesNotContain("7946")
                .doesNotContain("1234567").doesNotContain("abc123SECRET").doesNotContain("12345678")
                .doesNotContain("EMP-4471").doesNotContain("Alice").doesNotContain("Smith");
        List<JsonNode> lines = jsonLines(dir.resolve("oa/dataset.jsonl"));
        String user = lines.get(0).get("messages").get(1).get("content").asText();
        assertThat(user).contains("received from: [EMAIL]");
        assertThat(lines.get(1).get("messages").get(1).get("content").asText()).contains("regards, [NAME]");
        assertThat(lines.get(2).get("messages").get(1).get("content").asText())
                .contains("[IP]").contains("[PHONE]").contains("token=[URL]").contains("lang=en").contains("[CUSTOM]");
        assertThat(r.redactions().get(dev.switchboard.inference.redact.Redactor.Kind.EMAIL)).isEqualTo(2);
        JsonNode man = manifest(dir.resolve("oa"));
        assertThat(man.at("/redaction/enabled").asBoolean()).isTrue();
        assertThat(man.at("/redaction/counts/email").asLong()).isEqualTo(2);
        assertThat(man.at("/redaction/counts/ip").asLong()).isEqualTo(1);
        assertThat(man.at("/redaction/counts/custom").asLong()).isEqualTo(1);
        assertThat(man.at("/redaction/counts/name").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(man.at("/redaction/custom_pattern_count").asInt()).isEqualTo(1);
        assertThat(man.at("/redaction/custom_patterns_sha256/0").asText())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest("EMP-\\d+".getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        svc.run(ExportOptions.defaults(ExportFormat.CSV, dir.resolve("csv")), ExportService.Progress.NONE, () -> false);
        String csv = Files.readString(dir.resolve("csv/dataset.csv"));
        assertThat(ANY_EMAIL.matcher(csv).find()).isFalse();
        assertThat(csv).contains("received from: [EMAIL]");
        svc.run(ExportOptions.defaults(ExportFormat.INSTRUCTION_JSONL, dir.resolve("in")), ExportService.Progress.NONE, () -> false);
        assertThat(ANY_EMAIL.matcher(Files.readString(dir.resolve("in/dataset.jsonl"))).find()).isFalse();
    }

    @Test
    void anUpdateIsRedactedLikeTheBodyInEveryFormatAndCounted() throws Exception {
        ws.store().saveTickets(List.of(ticket("upd", "Laptop will not boot", "Black screen after the update.",
                "Jane Doe <jane.doe@company.co.uk>", T0.plusSeconds(3), null, null)), "import").join();
        long id = ws.store().queue().stream().filter(r -> "upd".equals(r.externalId())).findFirst().orElseThrow().id();
        ws.store().addUpdate(id, "jane", "Reach me at bob.builder@example.org or +44 20 7946 0321 until 5pm. Thanks, Jane Doe").join();
        decide(id, "Desktop");
        // only the decided ticket (the others' label is their import): its redactions come from its update alone
        ExportQuery overridden = new ExportQuery(null, null, Set.of(), Set.of(DecisionKind.OVERRIDDEN), null);
        for (ExportFormat f : ExportFormat.values()) {
            Path out = dir.resolve("u-" + f.id());
            ExportResult r = svc.run(ExportOptions.defaults(f, out).withQuery(overridden), ExportService.Progress.NONE, () -> false);
            assertThat(r.written()).isEqualTo(1);
            String file = Files.readString(out.resolve("dataset." + f.extension()));
            assertThat(file).as(f.id()).contains("Reach me at [EMAIL] or [PHONE] until 5pm. Thanks, [NAME]")
                    .doesNotContain("bob.builder").doesNotContain("example.org").doesNotContain("7946")
                    .doesNotContain("Jane Doe");
            assertThat(ANY_EMAIL.matcher(file).find()).isFalse();
            JsonNode man = manifest(out);
            assertThat(man.at("/redaction/counts/email").asLong()).as(f.id()).isEqualTo(1);
            assertThat(man.at("/redaction/counts/phone").asLong()).as(f.id()).isEqualTo(1);
            assertThat(man.at("/redaction/counts/name").asLong()).as(f.id()).isEqualTo(1);
        }
        // the preview shows the update, redacted
        PreviewRow p = svc.preview(ExportOptions.defaults(ExportFormat.CSV, dir.resolve("p")).withQuery(overridden), 10).get(0);
        assertThat(p.before()).contains("bob.builder@example.org");
        assertThat(p.after()).contains("Reach me at [EMAIL] or [PHONE]").doesNotContain("bob.builder");
        assertThat(p.redactions()).isEqualTo(3);
    }

    @Test
    void aMergedDuplicatesRequesterIsRedactedInTheOriginalsUpdate() throws Exception {
        ws.store().saveTickets(List.of(
                ticket("orig", "Printer offline", "Floor 3 printer shows offline.", "Ann Original <ann.original@company.co.uk>",
                        T0.plusSeconds(3), null, null),
                ticket("dup", "Printer on floor 3 offline", "Same here. Regards, Bob Miller",
                        "Bob Miller <bob.miller@company.co.uk>", T0.plusSeconds(4), null, null)), "import").join();
        long orig = ws.store().queue().stream().filter(r -> "orig".equals(r.externalId())).findFirst().orElseThrow().id();
        long dup = ws.store().queue().stream().filter(r -> "dup".equals(r.externalId())).findFirst().orElseThrow().id();
        new DuplicateLinks(ws.store()).merge(dup, orig, 0.93, "lead").join();
        decide(orig, "Desktop");
        Path out = dir.resolve("merged");
        svc.run(ExportOptions.defaults(ExportFormat.OPENAI_JSONL, out)
                        .withQuery(new ExportQuery(null, null, Set.of(), Set.of(DecisionKind.OVERRIDDEN), null)),
                ExportService.Progress.NONE, () -> false);
        String user = jsonLines(out.resolve("dataset.jsonl")).get(0).get("messages").get(1).get("content").asText();
        assertThat(user).contains("Merged duplicate #" + dup + " from [NAME] <[EMAIL]>: Printer on floor 3 offline")
                .contains("Regards, [NAME]").doesNotContain("Bob").doesNotContain("Miller");
    }

    private void decide(long id, String team) {
        long version = ws.store().rows(List.of(id)).get(0).version();
        new DecisionLedger(ws.store()).decide(DecisionRequest.of(id, version, DecisionKind.OVERRIDDEN, team, null, null, "lead"))
                .join();
    }

    @Test
    void aCustomPatternNeverReachesTheManifestOnlyItsFingerprint() throws Exception {
        Path out = dir.resolve("secret");
        svc.run(ExportOptions.defaults(ExportFormat.CSV, out).withRedaction(true, List.of("hunter2", "EMP-\\d+")),
                ExportService.Progress.NONE, () -> false);
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertThat(manifest).doesNotContain("hunter2").doesNotContain("EMP-");
        JsonNode man = manifest(out);
        assertThat(man.at("/redaction/custom_pattern_count").asInt()).isEqualTo(2);
        assertThat(man.at("/redaction/custom_patterns_sha256")).hasSize(2);
        assertThat(man.at("/redaction/custom_patterns_sha256/0").asText())
                .isEqualTo("f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7"); // sha256("hunter2")
    }

    @Test
    void noRedactWritesTextAsStored() throws Exception {
        svc.run(ExportOptions.defaults(ExportFormat.INSTRUCTION_JSONL, dir.resolve("raw")).withRedaction(false, List.of()),
                ExportService.Progress.NONE, () -> false);
        String input = JSON.readTree(Files.readAllLines(dir.resolve("raw/dataset.jsonl")).get(0)).get("input").asText();
        assertThat(input).contains("received from: someone@gmail.com");
        assertThat(manifest(dir.resolve("raw")).at("/redaction/enabled").asBoolean()).isFalse();
    }

    @Test
    void previewShowsRealRowsBeforeAndAfter() {
        List<PreviewRow> rows = svc.preview(ExportOptions.defaults(ExportFormat.CSV, dir.resolve("p")), 10);
        assertThat(rows).hasSize(3);
        PreviewRow first = rows.get(0);
        assertThat(first.before()).contains("someone@gmail.com");
        assertThat(first.after()).contains("[EMAIL]").doesNotContain("someone@gmail.com");
        assertThat(first.redactions()).isGreaterThan(0);
    }

    @Test
    void aBadCustomPatternFailsBeforeAnythingIsWritten() {
        ExportOptions o = ExportOptions.defaults(ExportFormat.CSV, dir.resolve("bad")).withRedaction(true, List.of("EMP-("));
        assertThatThrownBy(() -> svc.run(o, ExportService.Progress.NONE, () -> false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EMP-(");
        assertThat(dir.resolve("bad/dataset.csv")).doesNotExist();
    }

    @Test
    void requesterNamesComeFromTheRequesterField() {
        assertThat(PiiScrubber.requesterNames("Jane Doe <jane.doe@company.co.uk>")).contains("Jane Doe", "jane doe");
        assertThat(PiiScrubber.requesterNames("Smith, Alice")).containsExactly("Smith, Alice");
        assertThat(PiiScrubber.requesterNames("someone@gmail.com")).isEmpty();
        assertThat(PiiScrubber.requesterNames("bob_miller@x.org")).containsExactly("bob miller");
        assertThat(PiiScrubber.requesterNames(null)).isEmpty();
    }

    @Test
    void aMegabyteBodyBuiltToSlowTheRedactorDownIsExportedRedactedInEveryFormat() throws Exception {
        String body = "mail jane.doe at example dot com or jane.doe@example.com. see anecdote: " + "a.".repeat(499_000); // the column holds 1,000,000
        ws.store().saveTickets(List.of(ticket("big", "anecdote", body, "Jane Doe", T0.plusSeconds(3), "Desktop", "P3")), "import").join();

        svc.run(ExportOptions.defaults(ExportFormat.OPENAI_JSONL, dir.resolve("big-oa")), ExportService.Progress.NONE, () -> false);
        String user = jsonLines(dir.resolve("big-oa/dataset.jsonl")).stream()
                .map(l -> l.get("messages").get(1).get("content").asText()).filter(u -> u.contains("anecdote")).findFirst().orElseThrow();
        assertThat(user).contains("mail [EMAIL] or [EMAIL]. see anecdote: a.a.").doesNotContain("jane").hasSizeLessThan(12_000);
        // only the head the prompt carries was redacted; the note still counts the whole body
        int whole = new dev.switchboard.inference.redact.Redactor().redact(body).text().length();
        assertThat(user).contains("a.a \u2026[truncated " + (whole - 4000) + " chars]");

        svc.run(ExportOptions.defaults(ExportFormat.CSV, dir.resolve("big-csv")), ExportService.Progress.NONE, () -> false);
        String csv = Files.readString(dir.resolve("big-csv/dataset.csv"));
        assertThat(csv).contains("mail [EMAIL] or [EMAIL]. see anecdote: a.a.").doesNotContain("jane");
    }

    @Test
    void ibansAndAddressesHiddenByInvisibleCharactersAreRedactedAndCountedInTheManifest() throws Exception {
        ws.store().saveTickets(List.of(ticket("pay", "refund", "Refund to DE89 3704 0044 0532 0130 00 please, "
                + "reply to jane.doe\u200b@example.com", "Jane Doe", T0.plusSeconds(3), "Desktop", "P3")), "import").join();
        for (ExportFormat f : List.of(ExportFormat.OPENAI_JSONL, ExportFormat.CSV)) {
            Path out = dir.resolve("iban-" + f.id());
            svc.run(ExportOptions.defaults(f, out), ExportService.Progress.NONE, () -> false);
            String all = Files.readString(out.resolve("dataset." + f.extension()));
            assertThat(all).as(f.id()).contains("Refund to [IBAN] please, reply to [EMAIL]").doesNotContain("3704")
                    .doesNotContain("jane.doe");
            JsonNode man = manifest(out);
            assertThat(man.at("/redaction/counts/iban").asLong()).as(f.id()).isEqualTo(1);
            assertThat(man.at("/redaction/counts/email").asLong()).as(f.id()).isGreaterThanOrEqualTo(3);
        }
    }
}
