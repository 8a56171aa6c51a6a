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

    private interface Reading {
        TableReader.Summary read(TableReader.Handler handler) throws Exception;
    }

    /** Runs {@code reading} with a handler that keeps every row and problem. */
    private static Collected collect(Reading reading) throws Exception {
        List<TableReader.Row> rows = new ArrayList<>();
        List<TableReader.Problem> problems = new ArrayList<>();
        TableReader.Summary s = reading.read(new TableReader.Handler() {
            @Override public boolean row(TableReader.Row row) {
                rows.add(row);
                return true;
            }
            @Override public void problem(TableReader.Problem p) {
                problems.add(p);
            }
        });
        return new Collected(rows, problems, s);
    }

    private static Collected read(Path f, AtomicLong bytes) throws Exception {
        return collect(h -> TableReader.read(f, h, bytes));
    }

    private static Collected read(Path f, int maxRowChars) throws Exception {
        return collect(h -> TableReader.read(f, h, null, maxRowChars));
    }

    @Test
    void aJsonLinesLineOverTheRowLimitIsSkippedWithItsLineNumberAndTheNextOnesAreRead() throws Exception {
        Path f = dir.resolve("long.jsonl");
        Files.writeString(f, "{\"subject\":\"one\"}\r\n{\"subject\":\"" + "x".repeat(5000) + "\"}\r\n"
                + "{\"subject\":\"" + "y".repeat(980) + "\"}\n" + "z".repeat(3000) + "\r{\"subject\":\"four\"}\n");
        Collected c = read(f, 1000);
        assertThat(c.rows()).extracting(r -> r.get("subject").length() > 10 ? r.get("subject").substring(0, 1) + "@" + r.line()
                : r.get("subject") + "@" + r.line()).containsExactly("one@1", "y@3", "four@5");
        assertThat(c.problems()).extracting(TableReader.Problem::toString).containsExactly(
                "line 2: line of 5,014 characters is longer than 1,000 (the limit for one row); skipped",
                "line 4: line of 3,000 characters is longer than 1,000 (the limit for one row); skipped");
        assertThat(c.summary().complete()).isTrue();
    }

    @Test
    void aCsvRowOverTheRowLimitIsSkippedWithItsLineNumberAndReadingGoesOnAfterIt() throws Exception {
        int limit = 1000;
        Path f = dir.resolve("long.csv");
        String longLine = "x".repeat(100_000);
        Files.writeString(f, "subject,body\n"
                + "one," + "a".repeat(limit - 10) + "\n"            // under the limit, as are the rows around it
                + "two," + longLine + "\n"                         // one endless line
                + "three,\"quoted\nacross lines\"\n"
                + "four,\"" + (longLine + "\n").repeat(3) + "\"\n" // a quoted field over the limit: resumes inside it
                + "five,end\n");
        Collected c = read(f, limit);
        assertThat(c.rows()).extracting(r -> r.get("subject") + "@" + r.line()).startsWith("one@2", "three@4")
                .contains("five@10");
        assertThat(c.problems()).first().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).isEqualTo("the row starting here is longer than 1,000 characters (the limit for one row;"
                    + " often an unclosed quote); row skipped, reading on from line 4");
        });
        assertThat(c.problems()).extracting(TableReader.Problem::line).contains(6L);
        assertThat(c.rows()).allSatisfy(r -> assertThat(r.values().values()).allSatisfy(v -> assertThat(v.length())
                .isLessThanOrEqualTo(limit + 2 * TableReader.CSV_READ_AHEAD)));
        assertThat(c.summary().complete()).isTrue();
    }

    /** An unclosed quote at the top of a big file would otherwise read all the rest into one field. */
    @Test
    void anUnclosedQuoteEndsAsOneRowOverTheLimitNotAsTheWholeFileInMemory() throws Exception {
        Path f = dir.resolve("unclosed.csv");
        StringBuilder csv = new StringBuilder("subject,body\nbroken,\"starts here\n");
        for (int i = 0; i < 2000; i++) csv.append("row ").append(i).append(",body of row ").append(i).append('\n');
        Files.writeString(f, csv);
        Collected c = read(f, 1000);
        assertThat(c.problems()).first().satisfies(p -> assertThat(p.toString())
                .startsWith("line 2: the row starting here is longer than 1,000 characters"));
        assertThat(c.rows()).extracting(r -> r.get("subject")).contains("row 1999");
        assertThat(c.rows().size()).isGreaterThan(1990);
    }

    @Test
    void aHeaderRowOverTheLimitEndsTheReadingAndSaysWhy() throws Exception {
        Path f = dir.resolve("wide.csv");
        Files.writeString(f, "subject," + "c".repeat(50_000) + "\none,two\n");
        Collected c = read(f, 1000);
        assertThat(c.rows()).isEmpty();
        assertThat(c.problems()).extracting(TableReader.Problem::toString).containsExactly("line 1: the header row is longer than"
                + " 1,000 characters (the limit for one row; often an unclosed quote); the file was not read");
        assertThat(c.summary().complete()).isFalse();
    }

    /** The real limit: a 33-million-character line is skipped without being kept, quickly. */
    @Test
    void aLineJustOverTheRealLimitIsSkippedAndOneAtItIsRead() throws Exception {
        Path f = dir.resolve("huge.jsonl");
        String prefix = "{\"subject\":\"at\",\"body\":\"";
        String atLimit = prefix + "y".repeat(TableReader.MAX_ROW_CHARS - prefix.length() - 2) + "\"}";
        try (var w = Files.newBufferedWriter(f)) {
            w.write(atLimit);
            w.write("\n{\"subject\":\"over\",\"body\":\"");
            w.write("z".repeat(TableReader.MAX_ROW_CHARS));
            w.write("\"}\n{\"subject\":\"after\"}\n");
        }
        Collected c = read(f, null);
        assertThat(c.rows()).extracting(r -> r.get("subject") + "@" + r.line()).containsExactly("at@1", "after@3");
        assertThat(c.problems()).extracting(TableReader.Problem::line).containsExactly(2L);
        assertThat(c.problems().get(0).message()).isEqualTo("line of 33,554,460 characters is longer than 33,554,432"
                + " (the limit for one row); skipped");
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
    void manyBrokenRowsAreEachSkippedAndTheRowsBetweenReadInOrder() throws Exception {
        // each resume starts where the line after the broken row starts, found by its bytes (it used to read on from
        // the top of the file each time: hours for a large file with many broken rows)
        StringBuilder csv = new StringBuilder("id,text\n");
        for (int i = 1; i <= 3000; i++) {
            csv.append(i).append(i % 100 == 0 ? ",\"bad\"quote über\n" : ",ticket " + i + " ünïcode text\n");
        }
        Path f = dir.resolve("broken.csv");
        Files.writeString(f, csv);
        AtomicLong bytes = new AtomicLong();
        List<String> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<Long> progress = new ArrayList<>();
        List<TableReader.Problem> problems = new ArrayList<>();
        TableReader.Summary s = TableReader.read(f, new TableReader.Handler() {
            @Override public boolean row(TableReader.Row row) {
                rows.add(row.get("text"));
                lines.add(row.line());
                progress.add(bytes.get());
                return true;
            }
            @Override public void problem(TableReader.Problem p) {
                problems.add(p);
            }
        }, bytes);
        assertThat(s.complete()).isTrue();
        assertThat(rows).hasSize(2970).first().isEqualTo("ticket 1 ünïcode text");
        assertThat(rows).last().isEqualTo("ticket 2999 ünïcode text");
        assertThat(lines.get(99)).as("the row after the first broken one keeps its line").isEqualTo(102L);
        assertThat(problems).hasSize(30).extracting(TableReader.Problem::line).startsWith(101L, 201L).endsWith(3001L);
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i)).as("bytes read at row %d", i).isGreaterThanOrEqualTo(progress.get(i - 1));
        }
        assertThat(bytes.get()).isEqualTo(Files.size(f));
    }

    @Test
    void theLineAfterABrokenRowIsFoundByItsBytesInEveryEncodingAndLineEnding() throws Exception {
        java.util.Random rnd = new java.util.Random(5);
        String[] ends = {"\n", "\r\n", "\r"};
        String[] words = {"printer", "ü", "中文", "\"", ",", "x".repeat(700)};
        for (java.nio.charset.Charset cs : List.of(java.nio.charset.StandardCharsets.UTF_8,
                java.nio.charset.StandardCharsets.UTF_16LE, java.nio.charset.StandardCharsets.UTF_16BE)) {
            StringBuilder text = new StringBuilder();
            for (int line = 0; line < 400; line++) {
                for (int w = rnd.nextInt(4); w > 0; w--) text.append(words[rnd.nextInt(words.length)]);
                text.append(ends[rnd.nextInt(ends.length)]);
            }
            Path f = dir.resolve("lines-" + cs.name() + ".txt");
            Files.writeString(f, text, cs);
            // reference: the decoded text's line starts (LF, CR LF, CR)
            List<Integer> starts = new ArrayList<>();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) starts.add(i + 1);
            }
            TableReader.LinePosition at = new TableReader.LinePosition(0, 0);
            for (long target = 1; target < starts.size(); target += 1 + rnd.nextInt(40)) {
                at = TableReader.seekLine(f, cs, at, target);
                String rest = text.substring(starts.get((int) target - 1));
                String read = new String(java.util.Arrays.copyOfRange(Files.readAllBytes(f), (int) at.offset(), (int) Files.size(f)), cs);
                assertThat(read).as("%s: line %d", cs, target).isEqualTo(rest);
            }
            assertThat(TableReader.seekLine(f, cs, at, starts.size() + 1)).as("past the end").isNull();
        }
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
