package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCommandsTest {

    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private String db() {
        return "jdbc:h2:file:" + dir.resolve("db");
    }

    @Test
    void everyOptionOfEveryCommandSaysWhatItIs() {
        // `import --help` listed --priority=COL and --requester=COL with no word about them
        var cl = new picocli.CommandLine(new SwitchboardCli());
        cl.getSubcommands().forEach((name, sub) -> sub.getCommandSpec().options().forEach(o ->
                assertThat(String.join(" ", o.description()).strip()).as(name + " " + o.longestName()).isNotEmpty()));
        assertThat(run("import", "--help").out()).contains("--priority=COL").contains("kept on rows with a team");
    }

    @Test
    void importExitCodesAndMessages() throws Exception {
        Path good = dir.resolve("good.csv");
        Files.writeString(good, "Title,Text,Group\nprinter jam,paper stuck,HW\nvpn,down,NET\n", StandardCharsets.UTF_8);
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "Title,Text\nok row,fine\n,\n", StandardCharsets.UTF_8);

        Result cols = run("import", good.toString(), "--list-columns");
        assertThat(cols.code()).isZero();
        assertThat(cols.out()).contains("Title").contains("e.g. printer jam");

        Result ok = run("import", good.toString(), "--subject", "Title", "--body", "Text", "--team", "Group", "--db", db(), "--quiet");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("Import complete").containsPattern("created\\s+2").contains("tickets/s");

        Result again = run("import", good.toString(), "--subject", "Title", "--body", "Text", "--team", "Group", "--db", db());
        assertThat(again.code()).isZero();
        assertThat(again.out()).containsPattern("created\\s+0").containsPattern("already present\\s+2");

        Result rejected = run("import", bad.toString(), "--subject", "Title", "--body", "Text", "--db", db(), "--quiet");
        assertThat(rejected.code()).isEqualTo(3);
        assertThat(rejected.out()).containsPattern("rejected\\s+1").contains("bad.csv:3: subject and body are both empty");

        Result unknown = run("import", good.toString(), "--subject", "Nope", "--body", "Text", "--db", db());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no column 'Nope'").contains("'Title', 'Text', 'Group'");

        Result missing = run("import", dir.resolve("missing.csv").toString(), "--body", "Text", "--db", db());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("missing.csv: no such file");

        Result noMapping = run("import", good.toString(), "--db", db());
        assertThat(noMapping.code()).isEqualTo(2);
        assertThat(noMapping.err()).contains("give at least --subject COL or --body COL").contains("'Title', 'Text', 'Group'");
        // a missing file is named before the missing mapping
        Result missingNoMapping = run("import", dir.resolve("missing.csv").toString(), "--db", db());
        assertThat(missingNoMapping.err()).contains("missing.csv: no such file").doesNotContain("give at least");

        for (Result r : new Result[] {ok, again, rejected, unknown, missing, noMapping}) {
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }

        Result status = run("status", "--db", db());
        assertThat(status.out()).contains("Tickets      3 (1 open, 2 decided)");
    }

    @Test
    void importOfNothingExitsTwo() throws Exception {
        Path headerOnly = Files.writeString(dir.resolve("header-only.csv"), "Title,Text\n", StandardCharsets.UTF_8);
        Result h = run("import", headerOnly.toString(), "--subject", "Title", "--body", "Text", "--db", db(), "--quiet");
        assertThat(h.code()).as(h.out() + h.err()).isEqualTo(2);
        assertThat(h.err()).contains("nothing imported: header-only.csv has no data rows");

        Path empty = Files.writeString(dir.resolve("empty.csv"), "", StandardCharsets.UTF_8);
        Result e = run("import", empty.toString(), "--subject", "Title", "--db", db(), "--quiet");
        assertThat(e.code()).isEqualTo(2);
        assertThat(e.err()).contains("no columns found");

        // a JSON array (a .json file) is named as such, not taken for an empty file or one without a header row
        Path array = Files.writeString(dir.resolve("tickets.json"), "[\n  {\"subject\": \"VPN down\", \"team\": \"NET\"}\n]\n",
                StandardCharsets.UTF_8);
        Result a = run("import", array.toString(), "--subject", "subject", "--db", db(), "--quiet");
        assertThat(a.code()).isEqualTo(2);
        assertThat(a.err()).contains("JSON array").contains("JSON Lines").doesNotContain("header row");

        Path allBad = Files.writeString(dir.resolve("all-bad.csv"), "Title,Text\n,\n,\n", StandardCharsets.UTF_8);
        Result b = run("import", allBad.toString(), "--subject", "Title", "--body", "Text", "--db", db(), "--quiet");
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.out()).containsPattern("rejected\\s+2");
        assertThat(b.err()).contains("nothing imported: every row was rejected");

        // a second import of the same rows imports nothing new, and that is fine
        Path good = Files.writeString(dir.resolve("twice.csv"), "Title,Text\nvpn,down\n", StandardCharsets.UTF_8);
        assertThat(run("import", good.toString(), "--subject", "Title", "--body", "Text", "--db", db(), "--quiet").code()).isZero();
        assertThat(run("import", good.toString(), "--subject", "Title", "--body", "Text", "--db", db(), "--quiet").code()).isZero();
    }

    @Test
    void importProgressEndsItsLineWithTheFinalCountsInTheSummarysWords() throws Exception {
        StringBuilder csv = new StringBuilder("Title,Text\n");
        for (int i = 0; i < 50; i++) csv.append("ticket ").append(i).append(",body ").append(i).append('\n');
        Path f = Files.writeString(dir.resolve("fifty.csv"), csv, StandardCharsets.UTF_8);
        Result r = run("import", f.toString(), "--subject", "Title", "--body", "Text", "--db", db());
        assertThat(r.code()).as(r.err()).isZero();
        // what a terminal shows of the progress line: the text after its last carriage return, then a newline
        assertThat(r.err()).endsWith("\n");
        String finalLine = r.err().substring(r.err().lastIndexOf('\r') + 1).strip();
        assertThat(finalLine).contains("100%").contains("50 rows read, 50 created or already present");
        assertThat(r.out()).startsWith("Import complete").containsPattern("created\\s+50").containsPattern("already present\\s+0");

        Result noMapping = run("import", f.toString(), "--db", db());
        assertThat(noMapping.err()).contains("(--columns shows a sample of each)").doesNotContain("--list-columns");
    }

    @Test
    void exportIntoAnExistingExportNamesForce() throws Exception {
        assertThat(run("demo-data", "--db", db()).code()).isZero();
        Path out = dir.resolve("export");
        Result first = run("export", "--format", "csv", "--out", out.toString(), "--db", db(), "--quiet");
        assertThat(first.code()).as(first.err()).isZero();
        Result again = run("export", "--format", "csv", "--out", out.toString(), "--db", db(), "--quiet");
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("already exists").contains("--force").doesNotContain("allow overwriting");
        assertThat(run("export", "--format", "csv", "--out", out.toString(), "--db", db(), "--quiet", "--force").code()).isZero();
    }

    @Test
    void demoDataAndBench() throws Exception {
        Result first = run("demo-data", "--db", db());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("200 history ticket(s) added, 0 already present");
        Result second = run("demo-data", "--db", db());
        assertThat(second.out()).contains("0 history ticket(s) added, 200 already present");

        Path f = dir.resolve("bench.csv");
        Files.writeString(f, "s,b\na,1\nb,2\nc,3\n", StandardCharsets.UTF_8);
        Result bench = run("bench-import", f.toString(), "--subject", "s", "--body", "b");
        assertThat(bench.code()).as(bench.err()).isZero();
        assertThat(bench.out()).containsPattern("run 1: 3 rows read, 3 created, 0 rejected in [0-9.]+ s = [0-9,]+ tickets/s");
    }
}
