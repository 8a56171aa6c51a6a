package dev.switchboard.inference.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableReaderTest {

    @TempDir Path dir;

    record Collected(List<TableReader.Row> rows, List<TableReader.Problem> problems, TableReader.Summary summary) {}

    private static Collected read(Path f, AtomicLong bytes) throws Exception {
        List<TableReader.Row> rows = new ArrayList<>();
        List<TableReader.Problem> problems = new ArrayList<>();
        TableReader.Summary s = TableReader.read(f, new TableReader.Handler() {
            @Override public boolean row(TableReader.Row row) {
                rows.add(row);
                return true;
            }
            @Override public void problem(TableReader.Problem p) {
                problems.add(p);
            }
        }, bytes);
        return new Collected(rows, problems, s);
    }

    @Test
    void aBinaryFileIsRefusedWithAReasonInsteadOfReadAsColumns() throws Exception {
        byte[] noise = new byte[4000];
        new java.util.Random(1).nextBytes(noise);
        Path zip = dir.resolve("export.csv");
        Files.write(zip, noise);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TableReader.columns(zip))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("export.csv is not a text table (CSV or JSON Lines): binary data");
        // control characters without NUL (a mis-saved spreadsheet, say)
        byte[] ctl = new byte[2000];
        for (int i = 0; i < ctl.length; i++) ctl[i] = (byte) (i % 3 == 0 ? 0x01 : 'a');
        Path odd = dir.resolve("odd.csv");
        Files.write(odd, ctl);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(odd, null))
                .hasMessageContaining("control characters in its first 2000 bytes");
    }

    @Test
    void utf8ThatAnEarlierSystemReadAsWindows1252IsRepairedAndCounted() throws Exception {
        Path f = dir.resolve("export.csv");
        Files.writeString(f, "subject,body\nBerechtigung fÃ¼r Ordner,ich benÃ¶tige Zugriff\nDrucker,geht nicht\n");
        Collected c = read(f, null);
        assertThat(c.rows()).extracting(r -> r.get("subject") + " / " + r.get("body"))
                .containsExactly("Berechtigung für Ordner / ich benötige Zugriff", "Drucker / geht nicht");
        assertThat(c.problems()).extracting(TableReader.Problem::line).containsExactly(0L);
        assertThat(c.problems().get(0).message()).startsWith("2 value(s) held UTF-8 text").endsWith("repaired");
    }

    @Test
    void aStrayControlCharacterInTextStillReads() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "subject,body\nPrinter\u0007 jammed,paper stuck in tray 2 since the morning shift began\n");
        Collected c = read(f, null);
        assertThat(c.rows()).hasSize(1);
        assertThat(c.rows().get(0).get("subject")).isEqualTo("Printer\u0007 jammed");
    }

    @Test
    void aJsonLinesValueOverJacksonsDefaultLimitIsRead() throws Exception {
        Path f = dir.resolve("big.jsonl");
        Files.writeString(f, "{\"subject\":\"big\",\"body\":\"" + "y".repeat(21_000_000) + "\"}\n{\"subject\":\"next\",\"body\":\"b\"}\n");
        Collected c = read(f, null);
        assertThat(c.problems()).isEmpty();
        assertThat(c.rows()).extracting(r -> r.get("body").length()).containsExactly(21_000_000, 1);
    }

    @Test
    void resumesAfterBrokenQuotingWithCorrectLineNumbers() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "a,b\r\n1,\"x\r\ny\"\r\n2,\"bad\"quote\r\n3,z\r\n4,\"unclosed\r\n5,w\r\n");
        AtomicLong bytes = new AtomicLong();
        Collected c = read(f, bytes);
        assertThat(c.rows()).extracting(r -> r.get("a") + "@" + r.line()).containsExactly("1@2", "3@5", "5@7");
        assertThat(c.problems()).extracting(TableReader.Problem::line).containsExactly(4L, 6L);
        assertThat(c.problems().get(0).message()).startsWith("broken quoting").contains("reading on from line 5");
        // the parser's own line numbers count from where its pass started: they must not reach the message
        assertThat(c.problems()).extracting(TableReader.Problem::message).allSatisfy(m -> assertThat(m)
                .doesNotContainPattern("line:? \\d+,|startline|position|\\(\\("));
        assertThat(c.problems().get(0).message()).isEqualTo("broken quoting in the row starting here (invalid character"
                + " between encapsulated token and delimiter; often an unclosed or stray quote); row skipped, reading on from line 5");
        assertThat(c.problems().get(1).message()).isEqualTo("broken quoting in the row starting here (EOF reached before"
                + " encapsulated token finished; often an unclosed or stray quote); row skipped, reading on from line 7");
        assertThat(c.summary().complete()).isTrue();
        assertThat(c.summary().rows()).isEqualTo(3);
        assertThat(bytes.get()).isEqualTo(Files.size(f));
    }

    @Test
    void mostlyUtf8WithAFewBrokenBytesStaysUtf8() throws Exception {
        Path f = dir.resolve("mixed.csv");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("s,b\nGrüße,Köln äöü\n".getBytes(StandardCharsets.UTF_8));
        out.write(new byte[] {'x', ',', (byte) 0xFC, '\n'});
        Files.write(f, out.toByteArray());
        Collected c = read(f, null);
        assertThat(c.rows().get(0).get("s")).isEqualTo("Grüße");
        assertThat(c.rows().get(1).get("b")).isEqualTo("\uFFFD");
        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("1 invalid UTF-8"));

        Path latin = dir.resolve("latin.csv");
        Files.write(latin, "s,b\nGrüße,Köln\n".getBytes(StandardCharsets.ISO_8859_1));
        Collected l = read(latin, null);
        assertThat(l.rows().get(0).get("s")).isEqualTo("Grüße");
        assertThat(l.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("not valid UTF-8"));
    }

    @Test
    void utf16WithoutAByteOrderMarkIsReadNotRefusedAsBinary() throws Exception {
        String text = "Subject,Body\nGrüße aus Köln,Drucker defekt\nVPN down,since 9:00\n";
        for (Charset cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            Path f = dir.resolve("u16-" + cs.name() + ".csv");
            Files.write(f, text.getBytes(cs)); // Java's UTF_16LE/BE write no byte-order mark
            Collected c = read(f, null);
            assertThat(c.problems()).as(cs.name()).isEmpty();
            assertThat(c.rows()).hasSize(2);
            assertThat(c.rows().get(0).get("Subject")).isEqualTo("Grüße aus Köln");
            assertThat(c.rows().get(1).get("Body")).isEqualTo("since 9:00");
        }
        // a binary file with zero bytes is still refused
        Path bin = dir.resolve("bin.csv");
        byte[] b = new byte[2048];
        new java.util.Random(3).nextBytes(b);
        for (int i = 1; i < b.length; i += 4) b[i] = 0;
        Files.write(bin, b);
        assertThat(TableReader.detectCharset(bin).binary()).startsWith("binary data");
    }

    @Test
    void headerOnlyFileStillHasColumns() throws Exception {
        Path f = dir.resolve("h.csv");
        Files.writeString(f, "Subject;Body\n");
        assertThat(TableReader.columns(f)).containsExactly("Subject", "Body");
    }
}
