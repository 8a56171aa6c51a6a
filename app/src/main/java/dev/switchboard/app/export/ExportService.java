package dev.switchboard.app.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.Workspace;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.llm.PromptBuilder;
import dev.switchboard.inference.redact.Redactor;
import dev.switchboard.persistence.db.PrivateFiles;
import dev.switchboard.persistence.store.ExportQuery;
import dev.switchboard.persistence.store.LabelledExample;
import dev.switchboard.persistence.store.LabelledExampleReader;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Labelled dataset export (issue #7): turns the decision ledger into fine-tuning files.
 *
 * <p>Two streaming passes over the database, constant memory whatever the size (only per-team
 * counters are kept; a random split also holds one 8-byte key per counted row until pass one ends): pass
 * one counts matching tickets per team; pass two decides each row's fate deterministically from those counts
 * and a seeded hash of the ticket id (selection sampling, so a cap of N keeps exactly N) and writes it. A
 * random split decides the side by a seeded hash of the ticket's normalised text instead ({@link TextSplit}:
 * identical texts always on one side), round(r * kept) per team as far as groups of identical texts allow. Both passes read the ledger as of the same decision id, so decisions recorded meanwhile do not
 * skew them.
 *
 * <p>Files are written under temporary names in the output directory and moved to their final names
 * only when complete (manifest last); cancel or failure removes the temporary files.
 */
public final class ExportService {

    /** 2: records carry the ticket's updates up to the label decision (CSV: an {@code updates} column). */
    public static final int SCHEMA_VERSION = 2;
    public static final String MANIFEST = "manifest.json";

    /** Progress callback: phase ("counting", "writing"), rows done, rows expected (-1 unknown). */
    @FunctionalInterface
    public interface Progress {
        void update(String phase, long done, long total);

        Progress NONE = (p, d, t) -> { };
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long SALT_KEEP = 0x6B656570L;

    private final LabelledExampleReader reader;

    public ExportService(LabelledExampleReader reader) {
        this.reader = reader;
    }

    public static ExportService of(Workspace ws) {
        return new ExportService(new LabelledExampleReader(ws.database()::jdbc));
    }

    public LabelledExampleReader reader() {
        return reader;
    }

    // ------------------------------------------------------------------ taxonomy

    /** The taxonomy as the LLM engine sees it (teams with descriptions, priorities with criteria). */
    public Taxonomy taxonomy() {
        return new Taxonomy(reader.teams().stream().map(t -> new Taxonomy.Team(t.name(), t.description())).toList(),
                reader.priorities().stream().map(p -> new Taxonomy.Priority(p.name(), p.description())).toList());
    }

    public List<String> teamNames() {
        return reader.teams().stream().map(TaxonomyRow::name).toList();
    }

    // ------------------------------------------------------------------ plan (pass 1)

    /** Counts from the first pass and what balancing and splitting will do with them. */
    public record Plan(ExportQuery query, long matched, long excludedUnreviewed, Map<String, Long> perTeam,
                       Map<String, Long> keepPerTeam, Map<String, Long> validationPerTeam,
                       Map<String, Long> droppedCapped, Map<String, Long> smallTeams, boolean smallDropped,
                       long mergedDuplicates, TextSplit textSplit) {
        public long toWrite() {
            return keepPerTeam.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Pass one: counts matching tickets per team and works out caps, small teams and split sizes. */
    public Plan plan(ExportOptions o, BooleanSupplier cancelled, Progress progress) {
        ExportQuery q = o.query().asOf(o.query().asOfDecision() != null ? o.query().asOfDecision() : reader.latestDecisionId());
        Map<String, Long> perTeam = new TreeMap<>();
        long[] unreviewed = {0};
        long[] seen = {0};
        long[] merged = {0};
        // the random split goes by text (identical texts on one side): this pass reads subject and body for it
        TextSplit.Builder texts = o.split() instanceof Split.Random ? new TextSplit.Builder() : null;
        reader.forEach(q, texts != null, false, row -> {
            checkCancel(cancelled);
            if (!row.reviewed() && !o.includeUnreviewed()) {
                unreviewed[0]++;
            } else {
                perTeam.merge(row.team(), 1L, Long::sum);
                if (texts != null) texts.add(row.team(), TextSplit.key(o.seed(), row.subject(), row.body()));
            }
            if (++seen[0] % 5000 == 0) progress.update("counting", seen[0], -1);
            return true;
        }, id -> merged[0]++); // merged duplicates: their text is already an update of the original
        Balance b = o.balance();
        Map<String, Long> keep = new TreeMap<>();
        Map<String, Long> capped = new TreeMap<>();
        Map<String, Long> small = new TreeMap<>();
        Map<String, Long> validation = new TreeMap<>();
        long matched = 0;
        for (var e : perTeam.entrySet()) {
            long n = e.getValue();
            matched += n;
            if (b.minPerTeam() != null && n < b.minPerTeam()) {
                small.put(e.getKey(), n);
                if (b.dropSmall()) continue;
            }
            long k = b.maxPerTeam() != null ? Math.min(n, b.maxPerTeam()) : n;
            if (k < n) capped.put(e.getKey(), n - k);
            keep.put(e.getKey(), k);
        }
        TextSplit textSplit = null;
        if (o.split() instanceof Split.Random r) {
            textSplit = texts.build(r.validationRatio(), keep.keySet());
            for (var e : keep.entrySet()) {
                // round(r * kept) from the validation side, as far as whole groups of identical texts allow: a
                // cap samples each side on its own; without one every row is kept, so the side decides
                long k = e.getValue();
                long onValidation = textSplit.validationRows(e.getKey());
                long onTrain = perTeam.get(e.getKey()) - onValidation;
                long v = Math.round(r.validationRatio() * k);
                validation.put(e.getKey(), Math.max(Math.max(0, k - onTrain), Math.min(v, Math.min(onValidation, k))));
            }
        }
        return new Plan(q, matched, unreviewed[0], perTeam, keep, validation, capped, small, b.dropSmall(), merged[0],
                textSplit);
    }

    // ------------------------------------------------------------------ preview

    /**
     * Up to {@code max} real rows matching the filters, before and after redaction, preferring rows
     * where something is redacted (looks at the first few thousand rows only).
     */
    public List<PreviewRow> preview(ExportOptions o, int max) {
        PiiScrubber scrubber = new PiiScrubber(o.redact(), o.redactPatterns());
        List<PreviewRow> redacted = new ArrayList<>();
        List<PreviewRow> plain = new ArrayList<>();
        int[] looked = {0};
        reader.forEach(o.query(), true, row -> {
            if (!row.reviewed() && !o.includeUnreviewed()) return true;
            // redacted part by part, as the export does (updates one by one), and shown joined
            List<String> names = PiiScrubber.requesterNames(row.requester());
            Map<Redactor.Kind, Integer> counts = new EnumMap<>(Redactor.Kind.class);
            String before = text(row.subject(), row.body(), row.updates());
            String after = text(scrubber.scrub(row.subject(), names, counts), scrubber.scrub(row.body(), names, counts),
                    scrubber.scrubUpdates(row.updates(), names, counts));
            PreviewRow p = new PreviewRow(row.ticketId(), row.team(), row.priority(), row.kind(), before, after, Map.copyOf(counts));
            if (p.redactions() > 0) redacted.add(p);
            else if (plain.size() < max) plain.add(p);
            return redacted.size() < max && ++looked[0] < 5000;
        });
        List<PreviewRow> out = new ArrayList<>(redacted);
        for (PreviewRow p : plain) if (out.size() < max) out.add(p);
        return out;
    }

    /** Subject, body and each update on its own line ("Update: …"), for the preview. */
    private static String text(String subject, String body, List<String> updates) {
        String s = subject == null ? "" : subject;
        String b = body == null ? "" : body;
        StringBuilder sb = new StringBuilder(b.isEmpty() ? s : s.isEmpty() ? b : s + "\n" + b);
        for (String u : updates) sb.append("\nUpdate: ").append(u);
        return sb.toString();
    }

    // ------------------------------------------------------------------ run (pass 1 + pass 2)

    /** Runs the export. Throws {@link ExportCancelledException} when {@code cancelled} turns true. */
    public ExportResult run(ExportOptions o, Progress progress, BooleanSupplier cancelled) throws IOException {
        long t0 = System.nanoTime();
        Progress pr = progress == null ? Progress.NONE : progress;
        BooleanSupplier cancel = cancelled == null ? () -> false : cancelled;
        PrivateFiles.createDirectories(o.outDir()); // a new folder is the user's only (0700), like the database's
        List<String> splits = o.split() instanceof Split.None ? List.of("all") : List.of("train", "validation");
        String base = o.split() instanceof Split.None ? "dataset" : null;
        Map<String, Path> finals = new LinkedHashMap<>();
        for (String s : splits) finals.put(s, o.outDir().resolve((base != null ? base : s) + "." + o.format().extension()));
        Path manifest = o.outDir().resolve(MANIFEST);
        if (!o.overwrite()) {
            for (Path p : concat(finals.values(), manifest)) {
                if (Files.exists(p)) throw new IllegalStateException(p + " already exists (choose another folder, or use --force to replace the export)");
            }
        }
        // --force: the files the previous export's manifest lists go once the new ones are in place (a
        // dataset.csv must not stay beside a new train.csv / validation.csv and pass for part of this export)
        List<Path> stale = o.overwrite() ? previousFiles(o.outDir(), manifest) : List.of();
        PiiScrubber scrubber = new PiiScrubber(o.redact(), o.redactPatterns()); // validates patterns before any work
        Plan plan = plan(o, cancel, pr);
        Taxonomy taxonomy = taxonomy();
        TriageContext ctx = TriageContext.of(taxonomy);
        PromptBuilder prompts = new PromptBuilder(o.template(), PromptBuilder.Limits.defaults(), () -> "");
        String system = prompts.systemMessage(ctx);

        Map<String, SplitWriter> writers = new LinkedHashMap<>();
        boolean done = false;
        Pipeline[] started = {null};
        // Ctrl-C (or a logout) while writing: the JVM runs its shutdown hooks and halts, skipping the finally
        // below, so a hook removes the partial files (raw ticket text with --no-redact). Removed again afterwards.
        List<Path> partial = new ArrayList<>();
        for (Path p : finals.values()) partial.add(temp(p));
        partial.add(temp(manifest));
        Thread cleanup = new Thread(() -> deleteQuietly(partial), "switchboard-export-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            for (String s : splits) writers.put(s, new SplitWriter(s, finals.get(s), o.format()));
            Map<String, long[]> seenKeep = new TreeMap<>();   // per team: [seen, kept]
            Map<String, long[]> seenSplit = new TreeMap<>();  // per team: [validation seen, kept; train seen, kept]
            long total = plan.toWrite();
            long[] written = {0};
            RowRenderer renderer = new RowRenderer(o.format(), o.template(), o.seed(), scrubber, system, ctx);
            Pipeline pipeline = new Pipeline(renderer, (row, split, rendered) -> {
                writers.get(split).write(row, rendered);
                scrubber.add(rendered.counts());
                if (++written[0] % 1000 == 0) pr.update("writing", written[0], total);
            }, cancel);
            started[0] = pipeline;
            reader.forEach(plan.query(), true, row -> {
                checkCancel(cancel);
                if (!row.reviewed() && !o.includeUnreviewed()) return true;
                Long keepN = plan.keepPerTeam().get(row.team());
                Long n = plan.perTeam().get(row.team());
                if (keepN == null || n == null) return true; // small team dropped
                double u = uniform(o.seed(), SALT_KEEP, row.ticketId());
                String split;
                if (plan.textSplit() != null) {
                    // random split: the text decides the side; a cap samples within each side
                    boolean val = plan.textSplit().validation(row.team(), TextSplit.key(o.seed(), row.subject(), row.body()));
                    long onValidation = plan.textSplit().validationRows(row.team());
                    long v = plan.validationPerTeam().getOrDefault(row.team(), 0L);
                    long[] ss = seenSplit.computeIfAbsent(row.team(), k -> new long[4]);
                    int at = val ? 0 : 2;
                    boolean keep = val ? choose(u, onValidation - ss[0], v - ss[1])
                            : choose(u, n - onValidation - ss[2], keepN - v - ss[3]);
                    ss[at]++;
                    if (!keep) return true;
                    ss[at + 1]++;
                    split = val ? "validation" : "train";
                } else {
                    long[] sk = seenKeep.computeIfAbsent(row.team(), k -> new long[2]);
                    boolean keep = choose(u, n - sk[0], keepN - sk[1]);
                    sk[0]++;
                    if (!keep) return true;
                    sk[1]++;
                    split = o.split() instanceof Split.Time t
                            ? (row.createdAt().isBefore(t.validationFrom()) ? "train" : "validation") : "all";
                }
                pipeline.add(row, split);
                return true;
            });
            pipeline.finish();
            checkCancel(cancel);
            for (SplitWriter w : writers.values()) w.close();
            pr.update("writing", written[0], total);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<ExportResult.FileInfo> files = new ArrayList<>();
            for (SplitWriter w : writers.values()) {
                files.add(new ExportResult.FileInfo(w.target.getFileName().toString(), w.split, w.rows, w.bytes(), w.sha256(), w.target));
            }
            Map<String, Long> bySplit = new LinkedHashMap<>();
            for (SplitWriter w : writers.values()) bySplit.put(w.split, w.rows);
            ExportResult result = new ExportResult(files, manifest, plan.matched(), written[0], bySplit, plan.droppedCapped(),
                    plan.smallTeams(), plan.smallDropped(), plan.excludedUnreviewed(), plan.mergedDuplicates(), scrubber.totals(),
                    seconds);
            Path manifestTmp = temp(manifest);
            try (OutputStream m = newPrivateFile(manifestTmp)) {
                m.write(JSON.writeValueAsString(manifest(o, plan, result, writers.values(), system)).getBytes(StandardCharsets.UTF_8));
            }
            checkCancel(cancel);
            for (SplitWriter w : writers.values()) move(w.tmp, w.target);
            List<Path> fresh = finals.values().stream().map(p -> p.toAbsolutePath().normalize()).toList();
            for (Path p : stale) if (!fresh.contains(p)) Files.deleteIfExists(p);
            move(manifestTmp, manifest);
            done = true;
            return result;
        } finally {
            try {
                if (started[0] != null) started[0].close();
                if (!done) {
                    for (SplitWriter w : writers.values()) w.abort();
                    Files.deleteIfExists(temp(manifest));
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run: it removes the partial files
                }
            }
        }
    }

    private static void deleteQuietly(List<Path> files) {
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException | RuntimeException ignored) {
                // best effort while the JVM shuts down
            }
        }
    }

    private static final java.util.Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    /**
     * A new, empty file readable by the user only (0600) where the file system has POSIX permissions, as the
     * database's files are: an export holds ticket text (raw with --no-redact). An old file of that name is
     * replaced.
     */
    static OutputStream newPrivateFile(Path p) throws IOException {
        Files.deleteIfExists(p);
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(p, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            }
        } catch (UnsupportedOperationException noPosix) {
            // a file system without POSIX permissions: created below with its defaults
        }
        return Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /**
     * The files an earlier export's manifest in {@code dir} lists ({@code files[].name}): plain names of files
     * directly inside {@code dir}, nothing else (a name with a path, or one that leads out of the folder, is
     * ignored). Empty when there is no manifest or it cannot be read.
     */
    static List<Path> previousFiles(Path dir, Path manifest) {
        if (!Files.isRegularFile(manifest)) return List.of();
        Path folder = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode f : JSON.readTree(manifest.toFile()).path("files")) {
                String name = f.path("name").asText("");
                if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) continue;
                Path p = folder.resolve(name).normalize();
                if (!folder.equals(p.getParent()) || p.getFileName().toString().equals(MANIFEST)) continue;
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) out.add(p);
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // not a manifest this version can read: remove nothing
        }
        return out;
    }

    private static List<Path> concat(java.util.Collection<Path> a, Path b) {
        List<Path> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    private static void checkCancel(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) throw new ExportCancelledException();
    }

    /** Selection sampling (Knuth's algorithm S): take this item with probability needed / remaining. */
    static boolean choose(double u, long remaining, long needed) {
        if (needed <= 0) return false;
        if (remaining <= needed) return true;
        return u * remaining < needed;
    }

    static double uniform(long seed, long salt, long id) {
        return (mix(seed * 0x9E3779B97F4A7C15L + salt, id) >>> 11) * 0x1.0p-53;
    }

    static long mix(long seed, long id) {
        long z = seed + id * 0xBF58476D1CE4E5B9L + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static Path temp(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".part");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ------------------------------------------------------------------ records

    /** The assistant reply's rationale: the suggestion's when the decision took its team, else the dispatcher's note. */
    static String rationale(LabelledExample row) {
        boolean tookSuggestion = row.suggestedTeam() != null && row.suggestedTeam().equals(row.team())
                && row.suggestionRationale() != null && !row.suggestionRationale().isBlank();
        // the exported prompt carries no requester: the suggestion's requester-history sentence goes too
        if (tookSuggestion) return dev.switchboard.inference.local.LocalModel.withoutRequesterNote(row.suggestionRationale());
        return row.note() == null || row.note().isBlank() ? null : row.note();
    }

    /** One output file: temp path, SHA-256 while writing, per-team/priority counts, date range. */
    private static final class SplitWriter {
        final String split;
        final Path target;
        final Path tmp;
        final ExportFormat format;
        final MessageDigest digest;
        final CountingStream counting;
        final Writer writer;
        final CSVPrinter csv;
        final Map<String, Long> teams = new TreeMap<>();
        final Map<String, Long> priorities = new TreeMap<>();
        Instant first;
        Instant last;
        long rows;
        boolean closed;

        SplitWriter(String split, Path target, ExportFormat format) throws IOException {
            this.split = split;
            this.target = target;
            this.tmp = temp(target);
            this.format = format;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            this.counting = new CountingStream(new DigestOutputStream(newPrivateFile(tmp), digest));
            OutputStream buffered = new BufferedOutputStream(counting, 1 << 16);
            this.writer = new OutputStreamWriter(buffered, StandardCharsets.UTF_8);
            if (format == ExportFormat.CSV) {
                this.csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(
                        "ticket_id", "external_id", "text", "final_team", "final_priority", "suggested_team",
                        "suggested_priority", "suggestion_engine", "suggestion_model", "suggestion_confidence",
                        "decision_kind", "reviewed", "reason_code", "reason_note", "created_at", "decided_at",
                        "updates").get());
            } else {
                this.csv = null;
            }
        }

        void write(LabelledExample row, RowRenderer.Rendered r) throws IOException {
            if (csv != null) csv.printRecord(r.csv());
            else writer.write(r.line());
            rows++;
            teams.merge(row.team(), 1L, Long::sum);
            priorities.merge(row.priority() == null ? "(none)" : row.priority(), 1L, Long::sum);
            if (first == null || row.createdAt().isBefore(first)) first = row.createdAt();
            if (last == null || row.createdAt().isAfter(last)) last = row.createdAt();
        }

        void close() throws IOException {
            if (closed) return;
            closed = true;
            if (csv != null) csv.close(true);
            else writer.close();
        }

        void abort() {
            try {
                close();
            } catch (IOException | RuntimeException ignored) {
                // we are deleting the file anyway
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: a leftover ".part" file never carries a final name
            }
        }

        long bytes() {
            return counting.count;
        }

        private String sha;

        /** Hex SHA-256 of the bytes written; call after {@link #close()}. */
        String sha256() {
            if (sha == null) sha = HexFormat.of().formatHex(digest.digest());
            return sha;
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    // ------------------------------------------------------------------ manifest

    private ObjectNode manifest(ExportOptions o, Plan plan, ExportResult r, java.util.Collection<SplitWriter> writers,
                                String system) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schema_version", SCHEMA_VERSION);
        m.put("generator", "switchboard export");
        m.put("app_version", dev.switchboard.app.AppVersion.current());
        m.put("created_at", Instant.now().toString());
        m.put("format", o.format().id());
        ObjectNode f = m.putObject("filters");
        f.put("created_from", o.query().createdFrom() == null ? null : o.query().createdFrom().toString());
        f.put("created_to_exclusive", o.query().createdTo() == null ? null : o.query().createdTo().toString());
        ArrayNode teams = f.putArray("teams");
        o.query().teams().stream().sorted().forEach(teams::add);
        ArrayNode kinds = f.putArray("kinds");
        o.query().kinds().stream().map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).sorted().forEach(kinds::add);
        f.put("include_unreviewed", o.includeUnreviewed());
        f.put("as_of_decision_id", plan.query().asOfDecision());
        f.put("label", "final effective human decision (undone decisions excluded; transfers: the team that kept the ticket)");
        ObjectNode text = m.putObject("text");
        text.put("ticket", "subject, body and the updates (comments, merged duplicates) recorded up to the label decision's"
                + " decided_at, oldest first; later updates are left out");
        PromptBuilder.Limits limits = PromptBuilder.Limits.defaults();
        text.put("update_max_chars", limits.update());
        text.put("updates_max_chars", limits.updatesTotal());
        if (o.format() == ExportFormat.CSV) {
            text.put("csv_text_column", "subject and body, cut at csv_cell_max_chars (\"…[truncated N chars]\")");
            text.put("csv_cell_max_chars", RowRenderer.CSV_CELL_MAX);
            text.put("csv_formula_guard", "a text cell starting with = + - @ tab or carriage return is led by an apostrophe"
                    + " (' ) so spreadsheets show it as text; strip one leading apostrophe from such cells to get the text back");
            text.put("csv_updates_column", "JSON array of the updates' texts, oldest first ([] when none), clipped as in the"
                    + " LLM prompt: each cut at update_max_chars (\"…[truncated N chars]\"), the most recent kept within"
                    + " updates_max_chars, led by \"[N earlier update(s) omitted]\" when earlier ones did not fit");
        } else {
            text.put("user_message", "built from subject, body and updates as the LLM engine builds it live, with no example"
                    + " tickets (see prompt.examples)");
        }
        ObjectNode b = m.putObject("balance");
        b.put("spec", o.balance().toString());
        if (o.balance().maxPerTeam() != null) b.put("max_per_team", o.balance().maxPerTeam());
        if (o.balance().minPerTeam() != null) b.put("min_per_team", o.balance().minPerTeam());
        b.put("small_teams", o.balance().dropSmall() ? "drop" : "report");
        ObjectNode sp = m.putObject("split");
        switch (o.split()) {
            case Split.None n -> sp.put("kind", "none");
            case Split.Random rr -> {
                sp.put("kind", "random");
                sp.put("stratified_by", "team");
                sp.put("validation_ratio", rr.validationRatio());
                sp.put("grouped_by", "normalised text: subject and body with case, whitespace and punctuation folded;"
                        + " identical texts are always on the same side");
                sp.put("rule", "per team round(validation_ratio * rows kept) go to validation, chosen by a seeded hash of"
                        + " the normalised text; a group of identical texts straddling the cut goes whole to the side nearer"
                        + " that count, and a text under several teams whose cuts disagree to the side most of its rows are on");
            }
            case Split.Time t -> {
                sp.put("kind", "time");
                sp.put("validation_from", t.validationFrom().toString());
                sp.put("rule", "train: created before validation_from; validation: created at or after");
            }
        }
        m.put("seed", o.seed());
        m.put("matched", plan.matched());
        m.put("excluded_unreviewed", plan.excludedUnreviewed());
        m.put("written", r.written());
        ObjectNode dropped = m.putObject("dropped");
        dropped.set("capped_by_max_per_team", JSON.valueToTree(plan.droppedCapped()));
        dropped.set(plan.smallDropped() ? "small_teams_dropped" : "small_teams_reported", JSON.valueToTree(plan.smallTeams()));
        // left out before matching (in neither matched nor total): a ticket merged into another is no row of its
        // own, its text is in the original's "Merged duplicate #N" update
        dropped.put("merged_duplicates", r.mergedDuplicates());
        dropped.put("total", r.droppedTotal());
        ObjectNode red = m.putObject("redaction");
        red.put("enabled", o.redact());
        // a custom pattern often spells out the secret it hides ("hunter2"): only its fingerprint is written
        red.put("custom_pattern_count", o.redactPatterns().size());
        ArrayNode pats = red.putArray("custom_patterns_sha256");
        o.redactPatterns().forEach(p -> pats.add(sha256(p)));
        ObjectNode counts = red.putObject("counts");
        for (Redactor.Kind k : Redactor.Kind.values()) counts.put(Redactor.label(k), r.redactions().getOrDefault(k, 0L));
        ObjectNode prompt = m.putObject("prompt");
        boolean defaultTemplate = o.template().equals(PromptBuilder.Template.defaults());
        prompt.put("template", defaultTemplate ? "default" : "custom");
        if (!defaultTemplate) {
            // which custom template (Settings › Prompt) built the prompts, without copying it into the manifest
            prompt.put("system_template_sha256", sha256(o.template().system()));
            prompt.put("user_template_sha256", sha256(o.template().user()));
        }
        prompt.put("system_message_sha256", sha256(system));
        // The live engine adds up to k similar decided tickets to the user message; the export retrieves none.
        prompt.put("examples", "none");
        prompt.put("examples_note", "zero-shot prompts: the user message carries no example tickets (\"(no similar decided"
                + " tickets yet)\"), as the LLM engine sends it with Settings › Engine › Examples (k) at 0; serve a model"
                + " fine-tuned on these files with k = 0 so its live prompts match");
        Instant first = null;
        Instant last = null;
        ObjectNode splits = m.putObject("splits");
        ArrayNode files = m.putArray("files");
        for (SplitWriter w : writers) {
            ObjectNode s = splits.putObject(w.split);
            s.put("rows", w.rows);
            s.set("teams", JSON.valueToTree(w.teams));
            s.set("priorities", JSON.valueToTree(w.priorities));
            s.put("created_from", w.first == null ? null : w.first.toString());
            s.put("created_to", w.last == null ? null : w.last.toString());
            if (w.first != null && (first == null || w.first.isBefore(first))) first = w.first;
            if (w.last != null && (last == null || w.last.isAfter(last))) last = w.last;
        }
        for (ExportResult.FileInfo fi : r.files()) {
            ObjectNode fn = files.addObject();
            fn.put("name", fi.name());
            fn.put("split", fi.split());
            fn.put("rows", fi.rows());
            fn.put("bytes", fi.bytes());
            fn.put("sha256", fi.sha256());
        }
        ObjectNode range = m.putObject("date_range");
        range.put("created_from", first == null ? null : first.toString());
        range.put("created_to", last == null ? null : last.toString());
        m.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        return m;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
