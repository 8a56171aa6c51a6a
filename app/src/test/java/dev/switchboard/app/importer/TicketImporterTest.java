package dev.switchboard.app.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TicketStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketImporterTest {

    @TempDir static Path dir;
    static Workspace ws;
    static TicketStore store;

    @BeforeAll
    static void open() {
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"));
        store = ws.store();
    }

    @AfterAll
    static void close() {
        ws.close();
    }

    private static Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static TicketImporter importer() {
        return new TicketImporter(store).zone(ZoneOffset.UTC);
    }

    private static List<QueueRow> rowsWithSubject(String prefix) {
        return store.queue().stream().filter(r -> r.subject().startsWith(prefix)).toList();
    }

    private static final ColumnMapping ITSM = new ColumnMapping("Short description", List.of("Description"), null,
            "Caller", null, "Assignment group", null);

    @Test
    void bomMultiLineQuotesUmlautsRepeatedRowsAndReimport() throws Exception {
        String csv = "\uFEFFShort description,Description,Caller,Assignment group\r\n"
                + "bom login issue,\"line one\r\nline two, with comma\r\n\"\"quoted\"\"\",alice,GRP_0\r\n"
                + "bom Drucker geht nicht,\"Der Drucker im Büro druckt nur Müll: äöüß\",jürgen,GRP_1\r\n"
                + "bom same text,same body,bob,GRP_0\r\n"
                + "bom same text,same body,bob,GRP_0\r\n"
                + "bom unlabelled,needs triage,carol,\r\n";
        Path f = write("itsm-like.csv", csv);

        ImportReport r = importer().run(f, ITSM, ImportListener.NONE);

        assertThat(r.complete()).isTrue();
        assertThat(r.rowsRead()).isEqualTo(5);
        assertThat(r.created()).isEqualTo(5);          // the repeated row is kept as its own ticket
        assertThat(r.rejected()).isZero();
        assertThat(r.problems()).isEmpty();
        List<QueueRow> rows = rowsWithSubject("bom ");
        assertThat(rows).extracting(QueueRow::subject).containsExactly("bom login issue", "bom Drucker geht nicht",
                "bom same text", "bom same text", "bom unlabelled");
        assertThat(rows).extracting(QueueRow::externalId).allMatch(id -> id.matches("sha256:[0-9a-f]{64}#[12]"));
        assertThat(rows.get(3).externalId()).endsWith("#2");
        assertThat(rows.get(0).team()).isEqualTo("GRP_0");
        assertThat(rows.get(4).team()).isNull();
        assertThat(rows.get(1).requester()).isEqualTo("jürgen");
        String body = store.detail(rows.get(0).id()).orElseThrow().body();
        assertThat(body).isEqualTo("line one\nline two, with comma\n\"quoted\"");
        assertThat(store.detail(rows.get(1).id()).orElseThrow().body()).contains("äöüß");

        ImportReport again = importer().run(f, ITSM, ImportListener.NONE);
        assertThat(again.created()).isZero();
        assertThat(again.alreadyPresent()).isEqualTo(5);
        assertThat(again.complete()).isTrue();
        assertThat(rowsWithSubject("bom ")).hasSize(5);
    }

    /**
     * A bidi override in a subject made the queue show "Invoice \u202Egpj.exe" as "Invoice exe.jpg", and a line
     * break made the row two lines high. Both are left out of what is stored; the id still hashes the text as
     * an earlier build did, so re-importing the file adds nothing.
     */
    @Test
    void subjectsAndRequestersAreOneLineWithoutBidiOverrides() throws Exception {
        Path f = write("spoof.csv", "subject,body,requester\n"
                + "\"spoof Invoice \u202Egpj.exe\u202C please\",open the attachment,\"mal\u2067lory\u2069\"\n"
                + "\"spoof two\nlines\ttabbed\",body,bob\n");
        ImportReport r = importer().run(f, new ColumnMapping("subject", List.of("body"), null, "requester", null, null, null),
                ImportListener.NONE);
        assertThat(r.created()).isEqualTo(2);
        List<QueueRow> rows = rowsWithSubject("spoof ");
        assertThat(rows).extracting(QueueRow::subject).containsExactly("spoof Invoice gpj.exe please", "spoof two lines tabbed");
        assertThat(rows.get(0).requester()).isEqualTo("mallory");
        assertThat(r.warnings()).anyMatch(w -> w.contains("removed 4 control character(s)") && w.contains("line(s) 2"));
        ImportReport again = importer().run(f, new ColumnMapping("subject", List.of("body"), null, "requester", null, null, null),
                ImportListener.NONE);
        assertThat(again.created()).isZero();
        assertThat(again.alreadyPresent()).isEqualTo(2);
    }

    @Test
    void aRecurringAlertInNextMonthsExportIsAnotherTicketAndReimportingStillAddsNothing() throws Exception {
        ColumnMapping m = new ColumnMapping("Subject", List.of("Body"), null, "Who", "Created", "Team", null);
        String header = "Subject,Body,Who,Created,Team\n";
        Path jan = write("jan.csv", header + "recur Disk full on srv01,Disk /var is 95% full,monitoring,2024-01-15T03:00:00Z,Ops\n");
        Path feb = write("feb.csv", header + "recur Disk full on srv01,Disk /var is 95% full,monitoring,2024-02-15T03:00:00Z,Ops\n");
        assertThat(importer().run(jan, m, ImportListener.NONE).created()).isEqualTo(1);
        ImportReport second = importer().run(feb, m, ImportListener.NONE);
        assertThat(second.created()).as("February's alert is a ticket of its own, with its label").isEqualTo(1);
        assertThat(rowsWithSubject("recur ")).extracting(QueueRow::createdAt)
                .containsExactlyInAnyOrder(Instant.parse("2024-01-15T03:00:00Z"), Instant.parse("2024-02-15T03:00:00Z"));
        assertThat(importer().run(feb, m, ImportListener.NONE).created()).isZero();
        assertThat(importer().run(jan, m, ImportListener.NONE).created()).isZero();
        assertThat(rowsWithSubject("recur ")).hasSize(2);

        // a file an earlier build imported (content-only ids) is not imported a second time by this one
        String hash = TicketStore.contentHash("legacy Printer offline", "Printer 3 offline", "desk");
        store.saveTickets(List.of(new NewTicket(TicketImporter.SOURCE, "sha256:" + hash + "#1", "legacy Printer offline",
                "Printer 3 offline", "desk", Instant.parse("2024-03-01T08:00:00Z"), "Ops", null)), "import").join();
        Path old = write("old.csv", header + "legacy Printer offline,Printer 3 offline,desk,2024-03-01T08:00:00Z,Ops\n"
                + "legacy Printer offline,Printer 3 offline,desk,2024-04-01T08:00:00Z,Ops\n");
        ImportReport again = importer().run(old, m, ImportListener.NONE);
        assertThat(again.alreadyPresent()).as("the row the earlier build stored").isEqualTo(1);
        assertThat(again.created()).as("April's recurrence").isEqualTo(1);
        assertThat(rowsWithSubject("legacy ")).hasSize(2);
    }

    @Test
    void brokenQuotingMidFileKeepsEarlierRowsAndNamesTheLine() throws Exception {
        String csv = "subject,body\n"
                + "bq one,fine\n"
                + "bq two,\"also\nfine\"\n"
                + "bq three,\"broken\"quote,more\n"
                + "bq four,after\n";
        Path f = write("broken.csv", csv);
        ImportReport r = importer().run(f, ColumnMapping.of("subject", "body"), ImportListener.NONE);
        assertThat(r.created()).isEqualTo(3);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.complete()).isTrue();
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p).startsWith("broken.csv:5: broken quoting")
                .contains("reading on from line 6"));
        assertThat(rowsWithSubject("bq ")).extracting(QueueRow::subject).containsExactly("bq one", "bq two", "bq four");
    }

    /** One endless line (a log pasted into a cell, an unclosed quote) is one rejected row, not the heap's end. */
    @Test
    void aRowOverTheReadersLimitIsRejectedByLineAndTheOthersImported() throws Exception {
        Path f = dir.resolve("endless.csv");
        try (var w = Files.newBufferedWriter(f)) {
            w.write("subject,body\nel one,fine\nel endless,");
            w.write("x".repeat(dev.switchboard.inference.data.TableReader.MAX_ROW_CHARS + 20_000));
            w.write("\nel two,fine\n");
        }
        ImportReport r = importer().run(f, ColumnMapping.of("subject", "body"), ImportListener.NONE);
        assertThat(r.problems()).containsExactly("endless.csv:3: the row starting here is longer than 33,554,432 characters"
                + " (the limit for one row; often an unclosed quote); row skipped, reading on from line 4");
        assertThat(r.created()).isEqualTo(2);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.complete()).isTrue();
        assertThat(rowsWithSubject("el ")).extracting(QueueRow::subject).containsExactly("el one", "el two");
    }

    @Test
    void latin1FileIsReadWithAWarning() throws Exception {
        Path f = dir.resolve("latin1.csv");
        Files.write(f, "subject;body;requester\nl1 Störung Drucker;Grüße aus Köln;Jürgen Müller\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        ImportReport r = importer().run(f, ColumnMapping.of("subject", "body").withRequester("requester"), ImportListener.NONE);
        assertThat(r.created()).isEqualTo(1);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("latin1.csv").contains("not valid UTF-8"));
        QueueRow row = rowsWithSubject("l1 ").get(0);
        assertThat(row.subject()).isEqualTo("l1 Störung Drucker");
        assertThat(row.requester()).isEqualTo("Jürgen Müller");
    }

    @Test
    void oversizedBodyEmptySubjectAndGarbageAreHandledPerRow() throws Exception {
        String huge = "x".repeat(5 * 1024 * 1024);
        String csv = "subject,body\n"
                + "big one," + huge + "\n"
                + ",\"\n  first body line\nsecond\"\n"
                + ",\n"
                + "bin \u0000\u0007garbage\u001b,body \u0001with\u0002 ctl\n"
                + "sz ok,small\n";
        Path f = write("sizes.csv", csv);
        ImportReport r = importer().run(f, ColumnMapping.of("subject", "body"), ImportListener.NONE);
        assertThat(r.rowsRead()).isEqualTo(5);
        assertThat(r.created()).isEqualTo(4);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.complete()).isTrue();
        assertThat(r.problems()).containsExactly("sizes.csv:6: subject and body are both empty");
        // a long body (a whole e-mail thread) is kept, cut to the store's limit, and said so
        assertThat(r.bodiesCut()).isEqualTo(1);
        assertThat(r.warnings()).contains("sizes.csv:2: body cut from 5,242,880 to 1,000,000 characters (the limit)");
        assertThat(r.summary()).contains("1 body cut to the 1,000,000-character limit");
        String kept = store.detail(rowsWithSubject("big one").get(0).id()).orElseThrow().body();
        assertThat(kept).hasSize(1_000_000).startsWith("xxx").endsWith("x…");
        assertThat(rowsWithSubject("first body line")).hasSize(1);
        QueueRow bin = rowsWithSubject("bin ").get(0);
        assertThat(bin.subject()).isEqualTo("bin garbage");
        assertThat(store.detail(bin.id()).orElseThrow().body()).isEqualTo("body with ctl");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("control character").contains("line(s) 7"));
    }

    @Test
    void unknownColumnsFailBeforeImportingAnything() throws Exception {
        Path f = write("cols.csv", "Title,Text\nuc a,b\n");
        long before = store.stats().tickets();
        assertThatThrownBy(() -> importer().run(f, new ColumnMapping("Subject", List.of("Text", "Notes"), null, null, null, null, null),
                ImportListener.NONE))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("cols.csv").hasMessageContaining("'Subject' (for subject)")
                .hasMessageContaining("'Notes' (for body)").hasMessageContaining("Available columns: 'Title', 'Text'");
        assertThat(store.stats().tickets()).isEqualTo(before);
        // case and blanks are forgiven
        ImportReport r = importer().run(f, ColumnMapping.of(" title ", "TEXT"), ImportListener.NONE);
        assertThat(r.created()).isEqualTo(1);

        // 8,000 columns: the message names the first 40 and counts the rest instead of listing 60 KB of names
        StringBuilder wide = new StringBuilder();
        for (int i = 0; i < 8000; i++) wide.append(i == 0 ? "" : ",").append("c").append(i);
        Path w = write("wide.csv", wide + "\n" + wide + "\n");
        assertThatThrownBy(() -> importer().run(w, ColumnMapping.of("Subject", "Text"), ImportListener.NONE))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("Available columns: 'c0', 'c1', ").hasMessageContaining("'c39' and 7,960 more (--columns lists them all)")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(1000));
    }

    @Test
    void jsonLinesWithABadLineAndCreatedTimesAndIds() throws Exception {
        String jsonl = "{\"id\": 7, \"title\": \"js one\", \"text\": \"a\", \"when\": \"2024-03-01T09:30:00Z\", \"prio\": \"P2\"}\n"
                + "{\"id\": 8, \"title\": \"js two\", \"text\": \"b\", \"when\": \"2024-03-01 10:15\"}\n"
                + "{\"id\": 9, \"title\": \"js three\", \"text\": oops}\n"
                + "{\"id\": 10, \"title\": \"js four\", \"text\": \"d\", \"when\": \"1709290800000\"}\n"
                + "{\"id\": 11, \"title\": \"js five\", \"text\": \"e\", \"when\": \"next tuesday\"}\n"
                + "{\"id\": 12, \"title\": \"js six\", \"text\": \"f\", \"when\": \"2024-03-02\"}\n";
        Path f = write("tickets.jsonl", jsonl);
        ColumnMapping m = ColumnMapping.of("title", "text").withId("id").withCreated("when").withPriority("prio");
        ImportReport r = importer().run(f, m, ImportListener.NONE);
        assertThat(r.created()).isEqualTo(4);
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(r.problems()).hasSize(2);
        assertThat(r.problems().get(0)).startsWith("tickets.jsonl:3: invalid JSON");
        assertThat(r.problems().get(1)).startsWith("tickets.jsonl:5: cannot read created time 'next tuesday'");
        List<QueueRow> rows = rowsWithSubject("js ");
        assertThat(rows).extracting(QueueRow::externalId).containsExactly("7", "8", "10", "12");
        assertThat(rows).extracting(QueueRow::createdAt).containsExactly(Instant.parse("2024-03-01T09:30:00Z"),
                Instant.parse("2024-03-01T10:15:00Z"), Instant.ofEpochMilli(1709290800000L), Instant.parse("2024-03-02T00:00:00Z"));
        assertThat(importer().run(f, m, ImportListener.NONE).created()).isZero();
    }

    @Test
    void cancelStopsBetweenBatchesAndReportsIncomplete() throws Exception {
        StringBuilder sb = new StringBuilder("subject,body,team\n");
        for (int i = 0; i < 1000; i++) sb.append("cx ticket ").append(i).append(",body ").append(i).append(",T").append(i % 3).append('\n');
        Path f = write("cancel.csv", sb.toString());
        AtomicBoolean cancel = new AtomicBoolean();
        ImportListener l = new ImportListener() {
            @Override public void progress(Progress p) {
                if (p.saved() >= 100) cancel.set(true);
            }
            @Override public boolean isCancelled() {
                return cancel.get();
            }
        };
        ImportReport r = importer().batchSize(100).run(f, ColumnMapping.of("subject", "body").withTeam("team"), l);
        assertThat(r.cancelled()).isTrue();
        assertThat(r.complete()).isFalse();
        assertThat(r.created()).isBetween(100L, 999L);
        assertThat(r.created() % 100).isZero();
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("cancelled").contains("kept"));
        assertThat(rowsWithSubject("cx ")).hasSize((int) r.created()).allMatch(q -> q.team() != null);
        // resuming adds exactly the rest
        ImportReport rest = importer().batchSize(100).run(f, ColumnMapping.of("subject", "body").withTeam("team"), ImportListener.NONE);
        assertThat(rest.complete()).isTrue();
        assertThat(rest.created() + r.created()).isEqualTo(1000);
        assertThat(rowsWithSubject("cx ")).hasSize(1000);
    }

    @Test
    void createdTimesParseLeniently() {
        assertThat(TicketFields.parseCreated("2024-03-01T09:30:00+02:00", ZoneOffset.UTC)).isEqualTo(Instant.parse("2024-03-01T07:30:00Z"));
        assertThat(TicketFields.parseCreated("2024-03-01T09:30", ZoneOffset.UTC)).isEqualTo(Instant.parse("2024-03-01T09:30:00Z"));
        assertThat(TicketFields.parseCreated("2024-03-01 09:30:15", ZoneOffset.UTC)).isEqualTo(Instant.parse("2024-03-01T09:30:15Z"));
        assertThat(TicketFields.parseCreated("1709285400", ZoneOffset.UTC)).isEqualTo(Instant.parse("2024-03-01T09:30:00Z"));
        assertThat(TicketFields.parseCreated("  ", ZoneOffset.UTC)).isNull();
        assertThatThrownBy(() -> TicketFields.parseCreated("01.03.2024", ZoneOffset.UTC))
                .hasMessageContaining("'01.03.2024'").hasMessageContaining("ISO-8601");
    }

    @Test
    void aPriorityOnARowWithoutATeamIsNotDroppedWithoutAWord(@TempDir Path own) throws Exception {
        try (Workspace w = Workspace.open("jdbc:h2:file:" + own.resolve("db"))) {
            w.store().saveTaxonomy(List.of(new dev.switchboard.persistence.store.TaxonomyRow("Network", "", 0)),
                    List.of(new dev.switchboard.persistence.store.TaxonomyRow("P1", "Outage", 1),
                            new dev.switchboard.persistence.store.TaxonomyRow("P2", "Degraded", 2))).join();
            Path f = own.resolve("mixed.csv");
            Files.writeString(f, "subject,body,team,prio\n"
                    + "open one,vpn down,,P1\n"
                    + "decided one,wifi slow,Network,P2\n"
                    + "open two,printer,,P2\n"
                    + "open three,no priority,,\n");
            ImportReport r = new TicketImporter(w.store()).zone(ZoneOffset.UTC)
                    .run(f, ColumnMapping.of("subject", "body").withTeam("team").withPriority("prio"), ImportListener.NONE);
            assertThat(r.created()).isEqualTo(4);
            assertThat(r.warnings()).anySatisfy(x -> assertThat(x)
                    .contains("mixed.csv: 2 row(s) without a team have a priority (first on line 2)").contains("not stored"));
            List<QueueRow> rows = w.store().queue();
            assertThat(rows).filteredOn(q -> q.subject().equals("decided one")).extracting(QueueRow::priority).containsExactly("P2");
            assertThat(rows).filteredOn(q -> q.subject().startsWith("open")).extracting(QueueRow::priority).containsOnlyNulls();
        }
    }

    @Test
    void aWorkspaceWithoutPriorityLevelsTakesThemFromTheDecidedRowsItImports(@TempDir Path own) throws Exception {
        try (Workspace w = Workspace.open("jdbc:h2:file:" + own.resolve("db"))) {
            assertThat(w.store().priorities()).isEmpty();
            Path f = own.resolve("history.csv");
            Files.writeString(f, "subject,body,team,prio\n"
                    + "vpn,down,Network,P3\n"
                    + "wifi,slow,Network,P1\n"
                    + "printer,jam,Desktop,P2\n"
                    + "outage,all down,Network,Critical\n"
                    + "laptop,broken,Desktop,P1\n"
                    + "mapped wrong,x,Desktop,this is a sentence and not a priority level\n");
            ImportReport r = new TicketImporter(w.store()).zone(ZoneOffset.UTC)
                    .run(f, ColumnMapping.of("subject", "body").withTeam("team").withPriority("prio"), ImportListener.NONE);
            assertThat(r.created()).isEqualTo(6);
            // ranked by the number in the name, then the others as first seen
            assertThat(w.store().priorities()).extracting(dev.switchboard.persistence.store.TaxonomyRow::name)
                    .containsExactly("P1", "P2", "P3", "Critical");
            assertThat(r.warnings()).anySatisfy(x -> assertThat(x).contains("defined P1, P2, P3, Critical from the decided rows"));
            assertThat(r.warnings()).anySatisfy(x -> assertThat(x).contains("'this is a sentence and not a priority level' is not a defined priority level"));
            List<QueueRow> rows = w.store().queue();
            assertThat(rows).filteredOn(q -> q.subject().equals("vpn")).extracting(QueueRow::priority).containsExactly("P3");
            assertThat(rows).filteredOn(q -> q.subject().equals("outage")).extracting(QueueRow::priority).containsExactly("Critical");
            assertThat(rows).filteredOn(q -> q.subject().equals("mapped wrong")).extracting(QueueRow::priority).containsOnlyNulls();

            // once there are levels, an unknown one is not added (a typo in a later file must not become a level)
            Path g = own.resolve("later.csv");
            Files.writeString(g, "subject,body,team,prio\nmail,bounces,Desktop,P9\n");
            ImportReport later = new TicketImporter(w.store()).zone(ZoneOffset.UTC)
                    .run(g, ColumnMapping.of("subject", "body").withTeam("team").withPriority("prio"), ImportListener.NONE);
            assertThat(later.warnings()).anySatisfy(x -> assertThat(x).contains("'P9' is not a defined priority level (Critical, P1, P2, P3)"));
            assertThat(w.store().priorities()).hasSize(4);
        }
    }
}
