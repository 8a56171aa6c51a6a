package dev.switchboard.inference.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.inference.text.Mojibake;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a table of tickets from CSV (header row required; comma, semicolon or tab separated) or JSON
 * Lines. Streams rows to a handler with the line each starts on; rows that cannot be read are
 * reported as {@link Problem}s and reading goes on where it can.
 *
 * <p>Encoding: UTF-8 with or without byte-order mark (UTF-16 with BOM too, or without one for Latin text). A file that is not valid
 * UTF-8 is read as Windows-1252 and a warning says so, rather than importing replacement characters.
 * Values holding UTF-8 that an earlier system decoded as Windows-1252 ("fÃ¼r") are repaired
 * ({@link Mojibake}), and a warning counts them.
 *
 * <p>A row longer than {@link #MAX_ROW_CHARS} characters is not kept in memory: a JSON Lines line is skipped to
 * its end and reading goes on with the next; a CSV record is given up where it passes the limit and reading resumes
 * on the line after the one it started on, as after broken quoting (a header row that long ends the reading).
 */
public final class TableReader {

    public enum Format { CSV, JSONL }

    /** One data row: the 1-based line it starts on and its values by column name. */
    public record Row(long line, Map<String, String> values) {
        public String get(String column) {
            String v = values.get(column);
            return v == null ? "" : v;
        }
    }

    /** Something wrong in the file; {@code line} is 0 for problems about the whole file. */
    public record Problem(long line, String message) {
        @Override
        public String toString() {
            return line > 0 ? "line " + line + ": " + message : message;
        }
    }

    public interface Handler {
        /** Return false to stop reading (cancel). */
        boolean row(Row row);

        void problem(Problem problem);
    }

    /** What the reader saw; {@code complete} is false when reading stopped early. */
    public record Summary(Format format, Charset charset, List<String> columns, long rows, long problems,
                          boolean complete) {}

    /**
     * Jackson refuses strings over 20,000,000 characters by default; a line is already in memory when it is
     * parsed, and an importer cuts an overlong body and keeps the ticket (as it does for CSV), so a JSON Lines
     * row with a 25-million-character body must not be rejected as "invalid JSON".
     */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build());

    /**
     * The most characters one row may have (32 Mi; at most 64 MiB as a string): far above a body the store keeps
     * ({@code Ticket.MAX_BODY}, one million, longer ones are cut), and far below what would exhaust the heap when a
     * file holds one endless line or an unclosed quote. CSV rows are counted as the parser reads, in blocks of
     * {@link #CSV_READ_AHEAD}: one up to two blocks over the limit may still be read, one at or under it always is.
     */
    public static final int MAX_ROW_CHARS = 32 * 1024 * 1024;

    /** Characters the CSV parser reads ahead of the record it is on (its buffer), the slack of its row count. */
    static final int CSV_READ_AHEAD = 8192;

    private TableReader() {}

    public static Format detect(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) return Format.JSONL;
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) return Format.CSV;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            for (byte b : head) {
                if (b == '{') return Format.JSONL;
                if (!Character.isWhitespace(b) && (b & 0xff) < 0x80) return Format.CSV;
            }
        }
        return Format.CSV;
    }

    /** Header of a CSV file, or the keys of the first JSON object, for column-mapping dialogs. */
    public static List<String> columns(Path file) throws IOException {
        List<String> cols = new ArrayList<>();
        Summary summary = read(file, new Handler() {
            @Override public boolean row(Row row) {
                cols.addAll(row.values().keySet());
                return false;
            }
            @Override public void problem(Problem p) { }
        });
        // A CSV file with a header and no rows still has columns.
        return cols.isEmpty() ? List.copyOf(summary.columns()) : cols;
    }

    /** The first {@code n} rows, for previews. */
    public static List<Row> preview(Path file, int n) throws IOException {
        List<Row> rows = new ArrayList<>();
        read(file, new Handler() {
            @Override public boolean row(Row row) {
                rows.add(row);
                return rows.size() < n;
            }
            @Override public void problem(Problem p) { }
        });
        return rows;
    }

    public static Summary read(Path file, Handler handler) throws IOException {
        return read(file, handler, null);
    }

    /**
     * As {@link #read(Path, Handler)}, and counts the bytes consumed from the file into {@code bytesRead}
     * (read ahead by up to 64 KiB), for progress bars over {@code Files.size(file)}.
     */
    public static Summary read(Path file, Handler handler, java.util.concurrent.atomic.AtomicLong bytesRead)
            throws IOException {
        return read(file, handler, bytesRead, MAX_ROW_CHARS);
    }

    /** As {@link #read(Path, Handler, java.util.concurrent.atomic.AtomicLong)} with another row limit (tests). */
    static Summary read(Path file, Handler handler, java.util.concurrent.atomic.AtomicLong bytesRead, int maxRowChars)
            throws IOException {
        Repairing repairing = new Repairing(handler);
        Summary summary = readRaw(file, repairing, bytesRead, maxRowChars);
        if (repairing.repaired > 0) {
            handler.problem(new Problem(0, repairing.repaired + " value(s) held UTF-8 text an earlier system had read as Windows-1252 (like \"fÃ¼r\" for \"für\"); repaired"));
        }
        return summary;
    }

    /** Passes rows on with {@link Mojibake#repair mis-decoded text} repaired, counting the values it changed. */
    private static final class Repairing implements Handler {
        private final Handler next;
        long repaired;

        Repairing(Handler next) {
            this.next = next;
        }

        @Override
        public boolean row(Row row) {
            Map<String, String> values = row.values();
            Map<String, String> fixed = null;
            for (var e : values.entrySet()) {
                String v = e.getValue();
                String r = Mojibake.repair(v);
                if (r == v) continue;
                if (fixed == null) fixed = new LinkedHashMap<>(values);
                fixed.put(e.getKey(), r);
                repaired++;
            }
            return next.row(fixed == null ? row : new Row(row.line(), fixed));
        }

        @Override
        public void problem(Problem p) {
            next.problem(p);
        }
    }

    private static Summary readRaw(Path file, Handler handler, java.util.concurrent.atomic.AtomicLong bytesRead,
                                   int maxRowChars) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        Detected det = detectCharset(file);
        Charset cs = det.charset();
        if (det.binary() != null) {
            throw new IOException(file.getFileName() + " is not a text table (CSV or JSON Lines): " + det.binary());
        }
        Format fmt = detect(file);
        if (!cs.equals(StandardCharsets.UTF_8) && !cs.equals(StandardCharsets.UTF_16BE) && !cs.equals(StandardCharsets.UTF_16LE)) {
            handler.problem(new Problem(0, file.getFileName() + " is not valid UTF-8; read as " + cs.name()));
        } else if (det.invalidUtf8() > 0) {
            handler.problem(new Problem(0, file.getFileName() + " has " + det.invalidUtf8()
                    + " invalid UTF-8 byte sequence(s); read as UTF-8 with those replaced by U+FFFD"));
        }
        if (fmt == Format.JSONL) {
            try (Reader r = openReader(file, cs, bytesRead)) {
                return readJsonl(r, cs, handler, maxRowChars);
            }
        }
        // CSV: after broken quoting the parser cannot go on, so the file is reopened at the line after
        // the start of the broken record and parsing resumes there with the same header. The byte where that
        // line starts is found by scanning bytes onwards from where the previous pass started, so that each
        // resume costs the distance from the last one (reading on from the top each time made a large file
        // with many broken rows take hours, and its progress went back to zero at each).
        CsvPass pass;
        try (Reader r = openReader(file, cs, bytesRead)) {
            pass = readCsv(r, cs, handler, null, ',', 1, 0, 0, maxRowChars);
        }
        int resumes = 0;
        LinePosition at = new LinePosition(0, 0);
        while (pass.resumeAfterLine() > 0) {
            if (++resumes > MAX_RESUMES) {
                handler.problem(new Problem(pass.resumeAfterLine() + 1, "more than " + MAX_RESUMES
                        + " rows with broken quoting; stopped reading here"));
                return new Summary(Format.CSV, cs, pass.summary().columns(), pass.summary().rows(),
                        pass.summary().problems() + 1, false);
            }
            at = seekLine(file, cs, at, pass.resumeAfterLine());
            if (at == null) {
                Summary sm = pass.summary(); // the broken row was the last one
                return new Summary(sm.format(), sm.charset(), sm.columns(), sm.rows(), sm.problems(), true);
            }
            try (Reader r = openReaderAt(file, cs, at.offset(), bytesRead)) {
                pass = readCsv(r, cs, handler, pass.summary().columns(), pass.delimiter(), pass.resumeAfterLine(),
                        pass.summary().rows(), pass.summary().problems(), maxRowChars);
            }
        }
        return pass.summary();
    }

    private static final int MAX_RESUMES = 1000;

    /** Result of one CSV parsing pass; {@code resumeAfterLine} > 0 asks for another pass after that line. */
    private record CsvPass(Summary summary, long resumeAfterLine, char delimiter) {}

    /** Where a physical line starts: {@code lines} lines (LF, CR LF or CR) end before byte {@code offset}. */
    record LinePosition(long lines, long offset) {}

    /**
     * The start of the line after {@code lines} physical lines, scanning bytes onwards from {@code from} (a line
     * start before it); null at the end of the file. Works on bytes: in UTF-8 and Windows-1252 a CR or LF byte is
     * always that character, in UTF-16 the two-byte unit is.
     */
    static LinePosition seekLine(Path file, Charset cs, LinePosition from, long lines) throws IOException {
        if (lines < from.lines()) from = new LinePosition(0, 0);
        if (lines == from.lines()) return from;
        boolean le = cs.equals(StandardCharsets.UTF_16LE), be = cs.equals(StandardCharsets.UTF_16BE);
        int unit = le || be ? 2 : 1;
        long seen = from.lines(), pos = from.offset();
        boolean cr = false;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            in.skipNBytes(pos);
            byte[] buf = new byte[1 << 16];
            int n, carry = 0;
            while (true) {
                n = in.read(buf, carry, buf.length - carry);
                if (n < 0) return null;
                n += carry;
                int i = 0;
                for (; i + unit <= n; i += unit) {
                    int c = unit == 1 ? buf[i] & 0xff
                            : le ? (buf[i] & 0xff) | (buf[i + 1] & 0xff) << 8 : (buf[i] & 0xff) << 8 | (buf[i + 1] & 0xff);
                    if (cr && seen == lines) {
                        // the line after the last one counted starts here, or after the LF of a CR LF
                        return new LinePosition(lines, pos + (c == '\n' ? unit : 0));
                    }
                    pos += unit;
                    if (c == '\n') {
                        if (!cr && ++seen == lines) return new LinePosition(lines, pos);
                        cr = false;
                    } else if (c == '\r') {
                        seen++;
                        cr = true;
                    } else {
                        cr = false;
                    }
                }
                carry = n - i; // half a UTF-16 unit
                System.arraycopy(buf, i, buf, 0, carry);
            }
        } catch (java.io.EOFException e) {
            return null;
        }
    }

    /** A reader from byte {@code offset} (a line start after the first line: no byte-order mark there). */
    private static Reader openReaderAt(Path file, Charset cs, long offset, java.util.concurrent.atomic.AtomicLong bytesRead)
            throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            in.skipNBytes(offset);
        } catch (IOException e) {
            in.close();
            throw e;
        }
        if (bytesRead != null) {
            bytesRead.set(offset);
            in = new CountingInputStream(in, bytesRead);
        }
        CharsetDecoder dec = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedReader(new InputStreamReader(new java.io.BufferedInputStream(in, 1 << 16), dec), 1 << 16);
    }

    private static Reader openReader(Path file, Charset cs, java.util.concurrent.atomic.AtomicLong bytesRead)
            throws IOException {
        InputStream in = Files.newInputStream(file);
        if (bytesRead != null) in = new CountingInputStream(in, bytesRead);
        byte[] bom = new byte[3];
        InputStream buffered = new java.io.BufferedInputStream(in, 1 << 16);
        buffered.mark(3);
        int n = buffered.readNBytes(bom, 0, 3);
        int skip = 0;
        if (n >= 3 && (bom[0] & 0xff) == 0xEF && (bom[1] & 0xff) == 0xBB && (bom[2] & 0xff) == 0xBF) skip = 3;
        else if (n >= 2 && (((bom[0] & 0xff) == 0xFE && (bom[1] & 0xff) == 0xFF) || ((bom[0] & 0xff) == 0xFF && (bom[1] & 0xff) == 0xFE))) skip = 2;
        buffered.reset();
        buffered.skipNBytes(skip);
        CharsetDecoder dec = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedReader(new InputStreamReader(buffered, dec), 1 << 16);
    }

    /** UTF-16 by BOM (or by its zero bytes without one); UTF-8 when every byte decodes (or nearly: see {@link #detectCharset}); otherwise Windows-1252. */
    static Charset charsetOf(Path file) throws IOException {
        return detectCharset(file).charset();
    }

    /**
     * The charset chosen for a file and how many invalid UTF-8 sequences were tolerated in it;
     * {@code binary} says why the file is not text at all, or is null.
     */
    record Detected(Charset charset, long invalidUtf8, long validMultibyte, String binary) {
        Detected(Charset charset, long invalidUtf8, long validMultibyte) {
            this(charset, invalidUtf8, validMultibyte, null);
        }
    }

    /**
     * UTF-16 without a byte-order mark (some tools save "Unicode text" so): in the first KiB, most two-byte units are
     * a Latin character and a zero byte, the zero always on the same side. Null when the file does not look so
     * (CJK text in UTF-16 without a mark is not recognised; it is refused as binary or read as Windows-1252).
     */
    static Charset utf16WithoutBom(Path file) throws IOException {
        byte[] h;
        try (InputStream in = Files.newInputStream(file)) {
            h = in.readNBytes(1024);
        }
        int units = h.length / 2, zeroHigh = 0, zeroLow = 0;
        if (units < 4) return null;
        for (int i = 0; i + 1 < h.length; i += 2) {
            int a = h[i] & 0xff, b = h[i + 1] & 0xff;
            if (b == 0 && latin(a)) zeroHigh++;      // little-endian: low byte first
            else if (a == 0 && latin(b)) zeroLow++;  // big-endian
        }
        if (zeroHigh >= units * 0.9) return StandardCharsets.UTF_16LE;
        if (zeroLow >= units * 0.9) return StandardCharsets.UTF_16BE;
        return null;
    }

    private static boolean latin(int c) {
        return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f) || c >= 0xa0;
    }

    /** Bytes at the start of a file checked for binary content. */
    private static final int TEXT_CHECK_BYTES = 1 << 16;

    /**
     * Scans the whole file once. Its first 64 KiB also tell a binary file (an archive, an image, a
     * spreadsheet picked by mistake) from text: a NUL byte, or more than 1 % (and more than 8) control
     * characters other than tab, line breaks and form feed; reading one as a table would offer its bytes
     * as column names. A stray control character in text is fine. A file that is UTF-8 except for a few broken sequences (a typical
     * export with some garbled rows) stays UTF-8, the broken bytes becoming U+FFFD; reading it as
     * Windows-1252 instead would garble every correct non-ASCII character. A file with no valid
     * multi-byte sequences, or more broken than valid ones, is read as Windows-1252.
     */
    static Detected detectCharset(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            if (head.length == 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) return new Detected(StandardCharsets.UTF_16BE, 0, 0);
            if (head.length == 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) return new Detected(StandardCharsets.UTF_16LE, 0, 0);
        }
        Charset utf16 = utf16WithoutBom(file);
        if (utf16 != null) return new Detected(utf16, 0, 0);
        long invalid = 0;
        long valid = 0;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            int pending = 0;   // continuation bytes still expected
            int seqLen = 0;
            int b;
            long pos = 0, control = 0;
            while ((b = in.read()) >= 0) {
                if (pos < TEXT_CHECK_BYTES) {
                    if (b == 0) return binary("binary data (a NUL byte at offset " + pos + ")");
                    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7f) control++;
                    if (++pos == TEXT_CHECK_BYTES && tooManyControls(control, pos)) return binaryControls(control, pos);
                }
                if (pending > 0) {
                    if ((b & 0xC0) == 0x80) {
                        if (--pending == 0) valid++;
                        continue;
                    }
                    invalid++;           // sequence cut short; this byte starts afresh
                    pending = 0;
                }
                if (b < 0x80) continue;
                if (b >= 0xC2 && b <= 0xDF) { pending = 1; seqLen = 2; }
                else if (b >= 0xE0 && b <= 0xEF) { pending = 2; seqLen = 3; }
                else if (b >= 0xF0 && b <= 0xF4) { pending = 3; seqLen = 4; }
                else invalid++;
            }
            if (pending > 0 && seqLen > 0) invalid++;
            if (pos < TEXT_CHECK_BYTES && tooManyControls(control, pos)) return binaryControls(control, pos);
        }
        if (invalid == 0) return new Detected(StandardCharsets.UTF_8, 0, valid);
        if (valid >= 4 * invalid) return new Detected(StandardCharsets.UTF_8, invalid, valid);
        return new Detected(Charset.forName("windows-1252"), invalid, valid);
    }

    private static boolean tooManyControls(long control, long bytes) {
        return control > 8 && control * 100 > bytes;
    }

    private static Detected binaryControls(long control, long bytes) {
        return binary(control + " control characters in its first " + bytes + " bytes");
    }

    private static Detected binary(String why) {
        return new Detected(StandardCharsets.UTF_8, 0, 0, why);
    }

    private static CsvPass readCsv(Reader r, Charset cs, Handler handler, List<String> knownHeader, char knownDelimiter,
                                   long startLine,
                                   long rowsBefore, long problemsBefore, int maxRowChars) throws IOException {
        BufferedReader br = (BufferedReader) r;
        long rows = rowsBefore;
        long problems = problemsBefore;
        CSVFormat format;
        if (knownHeader == null) {
            String first = peekLine(br, 1 << 15);
            if (first == null) {
                handler.problem(new Problem(0, "the file is empty"));
                return new CsvPass(new Summary(Format.CSV, cs, List.of(), 0, 1, true), 0, ',');
            }
            char delimiter = sniffDelimiter(first);
            format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader()
                    .setSkipHeaderRecord(true).setAllowMissingColumnNames(true).setIgnoreEmptyLines(true)
                    .setTrim(false).get();
        } else {
            format = CSVFormat.DEFAULT.builder().setDelimiter(knownDelimiter).setHeader(knownHeader.toArray(String[]::new))
                    .setSkipHeaderRecord(false).setAllowMissingColumnNames(true).setAllowDuplicateHeaderNames(true)
                    .setIgnoreEmptyLines(true).setTrim(false).get();
        }
        List<String> columns;
        RowLimit limit = new RowLimit(br, maxRowChars + (long) CSV_READ_AHEAD);
        CSVParser opened;
        try {
            opened = CSVParser.builder().setReader(limit).setFormat(format).get();
        } catch (IOException | UncheckedIOException e) {
            if (!RowLimit.passed(e)) throw e;
            // without its header no row can be read
            handler.problem(new Problem(1, "the header row is longer than " + String.format(Locale.ROOT, "%,d", maxRowChars)
                    + " characters (the limit for one row; often an unclosed quote); the file was not read"));
            return new CsvPass(new Summary(Format.CSV, cs, List.of(), rows, problems + 1, false), 0, knownDelimiter);
        }
        try (CSVParser parser = opened) {
            columns = knownHeader != null ? knownHeader : parser.getHeaderNames().stream().map(String::strip).toList();
            char delimiter = format.getDelimiterString().charAt(0);
            if (columns.stream().allMatch(String::isEmpty)) {
                handler.problem(new Problem(1, "no header row: the first line must name the columns"));
                return new CsvPass(new Summary(Format.CSV, cs, columns, 0, 1, true), 0, delimiter);
            }
            Iterator<CSVRecord> it = parser.iterator();
            // Lines the parser counts are relative to where this pass started.
            long offset = knownHeader == null ? 0 : startLine;
            long lastLine = knownHeader == null ? 1 : startLine;
            while (true) {
                CSVRecord rec;
                try {
                    if (!it.hasNext()) break;
                    rec = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    problems++;
                    long bad = lastLine + 1;
                    handler.problem(new Problem(bad, RowLimit.passed(e)
                            ? "the row starting here is longer than " + String.format(Locale.ROOT, "%,d", maxRowChars)
                                    + " characters (the limit for one row; often an unclosed quote); row skipped, reading on from line " + (bad + 1)
                            : "broken quoting in the row starting here (" + parserReason(e)
                                    + "; often an unclosed or stray quote); row skipped, reading on from line " + (bad + 1)));
                    return new CsvPass(new Summary(Format.CSV, cs, columns, rows, problems, false), bad, delimiter);
                }
                limit.nextRow();
                long line = lineOf(rec, lastLine);
                lastLine = parser.getCurrentLineNumber() + offset;
                if (rec.size() != columns.size()) {
                    boolean blankTail = rec.size() > columns.size() && allBlankFrom(rec, columns.size());
                    if (!blankTail && rec.size() != 1) {
                        problems++;
                        handler.problem(new Problem(line, "expected " + columns.size() + " fields but found "
                                + rec.size() + " (check quoting and separators)"));
                        continue;
                    }
                    if (rec.size() == 1 && rec.get(0).isBlank()) continue;
                    if (rec.size() == 1 && columns.size() > 1) {
                        problems++;
                        handler.problem(new Problem(line, "expected " + columns.size() + " fields but found 1"));
                        continue;
                    }
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < columns.size() && i < rec.size(); i++) values.put(columns.get(i), rec.get(i));
                rows++;
                if (!handler.row(new Row(line, values))) {
                    return new CsvPass(new Summary(Format.CSV, cs, columns, rows, problems, false), 0, delimiter);
                }
            }
            return new CsvPass(new Summary(Format.CSV, cs, columns, rows, problems, true), 0, delimiter);
        }
    }

    private static boolean allBlankFrom(CSVRecord rec, int from) {
        for (int i = from; i < rec.size(); i++) if (!rec.get(i).isBlank()) return false;
        return true;
    }

    private static long lineOf(CSVRecord rec, long previousEnd) {
        // commons-csv reports the record's character position, not its line; the line after the previous
        // record's last line is where this one starts.
        return previousEnd + 1;
    }

    private static char sniffDelimiter(String headerLine) {
        char best = ',';
        long bestCount = headerLine.chars().filter(c -> c == ',').count();
        for (char c : new char[] {';', '\t'}) {
            long count = headerLine.chars().filter(x -> x == c).count();
            if (count > bestCount) {
                best = c;
                bestCount = count;
            }
        }
        return best;
    }

    private static Summary readJsonl(Reader r, Charset cs, Handler handler, int maxRowChars) throws IOException {
        Lines lines = new Lines(r, maxRowChars);
        long lineNo = 0;
        long rows = 0;
        long problems = 0;
        List<String> columns = new ArrayList<>();
        String line;
        while ((line = lines.next()) != null) {
            lineNo++;
            if (line == Lines.TOO_LONG) {
                problems++;
                handler.problem(new Problem(lineNo, String.format(Locale.ROOT,
                        "line of %,d characters is longer than %,d (the limit for one row); skipped", lines.skipped(), maxRowChars)));
                continue;
            }
            String s = line.strip();
            if (s.isEmpty()) continue;
            if (lineNo == 1 && s.startsWith("[")) {
                problems++;
                handler.problem(new Problem(1, "this is a JSON array; expected JSON Lines (one object per line)"));
                return new Summary(Format.JSONL, cs, columns, rows, problems, false);
            }
            JsonNode node;
            try {
                node = JSON.readTree(s);
            } catch (JsonProcessingException e) {
                problems++;
                handler.problem(new Problem(lineNo, "invalid JSON: " + e.getOriginalMessage()));
                continue;
            }
            if (node == null || !node.isObject()) {
                problems++;
                handler.problem(new Problem(lineNo, "expected a JSON object"));
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            node.properties().forEach(e -> {
                JsonNode v = e.getValue();
                values.put(e.getKey(), v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString());
            });
            if (columns.isEmpty()) columns.addAll(values.keySet());
            rows++;
            if (!handler.row(new Row(lineNo, values))) {
                return new Summary(Format.JSONL, cs, columns, rows, problems, false);
            }
        }
        return new Summary(Format.JSONL, cs, columns, rows, problems, true);
    }

    /**
     * The CSV parser's reason without its positions ("(startline 2) EOF reached…", "… at line: 452, position: 4,302"):
     * they count from where the current pass started, not from the top of the file, so they named the wrong line.
     */
    static String parserReason(Throwable e) {
        String m = conciseMessage(e)
                .replaceAll("\\(startline \\d+\\)\\s*", "")
                .replaceAll("\\s*\\(?\\b(at )?line:? \\d+(,\\d{3})*(, position:? \\d+(,\\d{3})*)?\\)?[:,]?", "")
                .strip();
        if (m.isEmpty()) return "unreadable quoting";
        // "Invalid character…" reads on in the sentence as "invalid character…"; "EOF" stays
        return m.length() > 1 && Character.isLowerCase(m.charAt(1)) ? Character.toLowerCase(m.charAt(0)) + m.substring(1) : m;
    }

    private static String conciseMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** The first line (up to {@code max} characters of it) without consuming it; null for an empty file. */
    private static String peekLine(BufferedReader br, int max) throws IOException {
        br.mark(max);
        char[] buf = new char[max];
        int n = 0;
        int k;
        while (n < max && (k = br.read(buf, n, max - n)) > 0) {
            int end = n + k;
            for (int i = n; i < end; i++) {
                if (buf[i] == '\n' || buf[i] == '\r') {
                    br.reset();
                    return new String(buf, 0, i);
                }
            }
            n = end;
        }
        br.reset();
        return n == 0 ? null : new String(buf, 0, n);
    }

    /**
     * Lines ending in LF, CR LF or CR, as {@link BufferedReader#readLine} reads them, none kept longer than
     * {@code max} characters: a longer one is read to its end without being kept, and {@link #TOO_LONG} stands
     * for it.
     */
    private static final class Lines {
        /** Stands for a line over the limit (compared by identity). */
        static final String TOO_LONG = new String("(too long)");

        private final Reader in;
        private final int max;
        private final char[] buf = new char[1 << 16];
        private int pos;
        private int len;
        private boolean skipLf;
        private long skipped;

        Lines(Reader in, int max) {
            this.in = in;
            this.max = max;
        }

        /** The next line without its line break, {@link #TOO_LONG}, or null at the end of the input. */
        String next() throws IOException {
            StringBuilder line = new StringBuilder();
            long chars = 0;
            boolean any = false;
            while (true) {
                if (pos == len) {
                    len = Math.max(0, in.read(buf, 0, buf.length));
                    pos = 0;
                    if (len == 0) {
                        if (!any) return null;
                        return finish(line, chars);
                    }
                }
                if (skipLf) {
                    skipLf = false;
                    if (buf[pos] == '\n') {
                        pos++;
                        continue;
                    }
                }
                any = true;
                int start = pos;
                while (pos < len && buf[pos] != '\n' && buf[pos] != '\r') pos++;
                int n = pos - start;
                chars += n;
                if (line != null && chars <= max) line.append(buf, start, n);
                else line = null; // over the limit: counted, not kept
                if (pos < len) {
                    skipLf = buf[pos++] == '\r';
                    return finish(line, chars);
                }
            }
        }

        private String finish(StringBuilder line, long chars) {
            if (line != null) return line.toString();
            skipped = chars;
            return TOO_LONG;
        }

        /** Characters of the last line over the limit. */
        long skipped() {
            return skipped;
        }
    }

    /**
     * Counts the characters the CSV parser takes since the start of the row it is on and stops it, with
     * {@link Passed}, when they pass {@code max}; {@link #nextRow} starts the count again.
     */
    private static final class RowLimit extends java.io.FilterReader {
        private final long max;
        private long chars;

        RowLimit(Reader in, long max) {
            super(in);
            this.max = max;
        }

        void nextRow() {
            chars = 0;
        }

        @Override public int read() throws IOException {
            int c = super.read();
            if (c >= 0) count(1);
            return c;
        }

        @Override public int read(char[] b, int off, int n) throws IOException {
            int k = super.read(b, off, n);
            if (k > 0) count(k);
            return k;
        }

        private void count(int k) throws Passed {
            chars += k;
            if (chars > max) throw new Passed();
        }

        /** Whether {@code e} (as the parser wraps it) says a row passed the limit. */
        static boolean passed(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof Passed) return true;
            return false;
        }

        /** A row passed the limit. */
        static final class Passed extends IOException {
            Passed() {
                super("row over the length limit");
            }
        }
    }

    /** Adds the bytes read to a shared counter. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final java.util.concurrent.atomic.AtomicLong count;

        CountingInputStream(InputStream in, java.util.concurrent.atomic.AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count.incrementAndGet();
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) count.addAndGet(n);
            return n;
        }

        @Override public long skip(long n) throws IOException {
            long k = super.skip(n);
            if (k > 0) count.addAndGet(k);
            return k;
        }
    }
}
