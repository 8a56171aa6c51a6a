package dev.switchboard.inference.local;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.TicketText;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The local model's fitted state in a file, so that a restart serves suggestions without a full retrain.
 *
 * <p><b>Saved ("fitted")</b>: both TF-IDF vectorizers (vocabulary, idf, document count) and, per head
 * (team, priority), its label order, the word/character, subject and embedding linear models, the
 * embedding standardiser, the blend weights and per-label biases, the ranker's trees and temperature,
 * the confidence thresholds and the novelty floor; and the memory's layout: the label order of its
 * statistics and, in slot order, the ticket id, labels, weight and a 64-bit fingerprint of the text (subject,
 * body and updates) of every decision it remembers.
 *
 * <p><b>Not saved ("memory")</b>: the decided tickets' text and vectors, the neighbour and lexical
 * indexes and the per-label statistics (counts, centroids, BM25 and Naive Bayes term counts). {@link #load}
 * rebuilds them from the decided history the caller reads from its database (vectors are stored there,
 * so this is cheap): decisions still as saved (same labels, weight and text) go in the saved order, every
 * other one (new since, re-decided, or learned from another text, such as with updates the saved one did not
 * have) is appended afterwards in decision order, which is where {@link LocalModel#learn} would have
 * put it; decisions gone since are left out, as {@link LocalModel#forget} would. With the same history the
 * rebuilt memory is the one the model was saved with, so suggestions are identical.
 *
 * <p><b>What of the tickets is in the file</b>: only what the fitted state itself consists of: the
 * vocabulary terms (words, word pairs and character 3-5-grams found in at least two decided tickets, one
 * below 50 tickets, with e-mail addresses and URLs already masked), team and priority names, and decided
 * tickets' ids with their labels, weights and text fingerprints (a hash, from which no text can be read back).
 * No ticket text beyond that, never API keys or settings.
 *
 * <p><b>Format</b> (big-endian, {@link DataOutputStream} conventions): the magic {@code SWBLOCAL}, the
 * format version, a header (embedding model id and dimension, model settings, the feature schema, the
 * version of the program that wrote it, when, and the training summary), the body, and a CRC-32 of all of
 * it. A file that is missing, truncated, corrupt, of another format, embedding model, settings, feature
 * schema or program version is refused with an {@link UnusableException} before anything changes in the
 * model (the caller then trains as usual). Bump {@link #FORMAT} whenever the layout changes or a fitted
 * parameter comes to mean something else (a changed signal or feature that keeps its name).
 *
 * <p>Writing goes to a temporary file in the same folder, synced, then moved over the old one atomically.
 */
public final class ModelSnapshot {

    /**
     * Layout and meaning version of the file; see the class comment. 2: each decision carries its text's
     * fingerprint, and the history a model is trained on includes the tickets' updates up to their decision
     * (format 1 was fitted on subject and body only).
     */
    public static final int FORMAT = 2;

    /**
     * Share of the current decided tickets that are new, re-decided or gone since the snapshot above which
     * a loaded model should be retrained (the loaded one serves meanwhile).
     */
    public static final double RETRAIN_SHARE = 0.20;

    private static final byte[] MAGIC = "SWBLOCAL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Refuse to read anything larger (no snapshot comes near it). */
    private static final long MAX_BYTES = 1L << 30;

    private ModelSnapshot() {}

    /** A saved model is not usable (corrupt, truncated or incompatible); the message says why. */
    public static final class UnusableException extends IOException {
        public UnusableException(String message) {
            super(message);
        }
    }

    /** What a snapshot says about itself. */
    public record Info(int format, String embeddingModelId, String writer, Instant savedAt,
                       LocalModel.TrainingSummary summary) {}

    /**
     * What {@link #load} did: decisions kept as saved, added since, re-decided since (with other labels,
     * weight or text), gone since; vectors that were not supplied; labels of the history the loaded heads were not
     * trained on.
     */
    public record Loaded(Path file, Info info, long bytes, int kept, int added, int changed, int removed,
                         int vectorsComputed, List<String> newTeams, List<String> newPriorities, double seconds) {

        /** Decided tickets the model now remembers. */
        public int decided() {
            return kept + added + changed;
        }

        /** Share of the decided tickets the fitted state has not seen as they are now (gone ones count too). */
        public double changedShare() {
            int changes = added + changed + removed;
            return changes == 0 ? 0 : changes / (double) Math.max(1, decided());
        }

        /**
         * Why a full retrain is the right answer now (null when it is not): labels the heads do not know, or
         * more than {@code maxShare} of the history new or changed since the snapshot.
         */
        public String retrainReason(double maxShare) {
            if (!newTeams.isEmpty()) return (newTeams.size() == 1 ? "new team " : "new teams ") + String.join(", ", newTeams);
            if (!newPriorities.isEmpty()) {
                return (newPriorities.size() == 1 ? "new priority " : "new priorities ") + String.join(", ", newPriorities);
            }
            if (changedShare() > maxShare) {
                return String.format(java.util.Locale.ROOT, "%.0f %% of the decided tickets are new or changed since it was saved",
                        100 * changedShare());
            }
            return null;
        }
    }

    /** One remembered decision in the memory's slot order; {@code text} is {@link #textHash} of its text. */
    record Slot(String id, int team, int priority, double weight, long text) {}

    /**
     * A 64-bit fingerprint (FNV-1a) of everything of a ticket's text the model reads: subject, body and
     * updates. Equal texts, equal fingerprints, on any machine.
     */
    static long textHash(TicketText t) {
        long h = fnv(0xcbf29ce484222325L, t.subject());
        h = fnv(fnv(h, 0xffff), t.body()); // U+FFFF, a non-character, separates the parts
        for (String u : t.updates()) h = fnv(fnv(h, 0xfffe), u == null ? "" : u);
        return h;
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) h = fnv(h, s.charAt(i));
        return h;
    }

    private static long fnv(long h, int c) {
        return (h ^ c) * 0x100000001b3L;
    }

    /** The fitted parts and the memory's layout, as {@link LocalModel#fitted()} hands them out. */
    record Fitted(TfidfVectorizer vectorizer, TfidfVectorizer subjectVectorizer, Head team, Head priority,
                  List<String> teamLabels, List<String> priorityLabels, List<Slot> slots) {

        /** Called under the model's read lock: heads and vectorizers are immutable, the memory is copied. */
        static Fitted of(TfidfVectorizer vz, TfidfVectorizer vzSubject, Head team, Head priority, Memory mem) {
            List<Slot> slots = new ArrayList<>(mem.aliveCount);
            for (int s = 0; s < mem.slots(); s++) {
                if (!mem.alive[s]) continue;
                Memory.Entry e = mem.entries.get(s);
                slots.add(new Slot(e.id(), mem.teamOf[s], mem.priorityOf[s], e.weight(), textHash(e.text())));
            }
            return new Fitted(vz, vzSubject, team, priority, List.copyOf(mem.teams.labels),
                    List.copyOf(mem.priorities.labels), slots);
        }
    }

    // ------------------------------------------------------------------ compatibility

    /** Every setting that shapes the fitted state or how it is used (the thread count does neither). */
    static String settingsKey(LocalModelConfig c) {
        return "targetPrecision=" + c.targetPrecision() + " minThresholdSupport=" + c.minThresholdSupport()
                + " folds=" + c.folds() + " epochs=" + c.epochs() + " lambda=" + c.lambda()
                + " neighbours=" + c.neighbours() + " temperature=" + c.temperature() + " embedChars=" + c.embedChars()
                + " seed=" + c.seed() + " embedding=" + c.embedding() + " rankerTrees=" + c.rankerTrees();
    }

    /** The signals and features the fitted weights and trees refer to, by name and position. */
    static String schemaKey() {
        return "NF=" + Head.NF + " NE=" + Head.NE + " NX=" + Ranker.NX + " TOP=" + Ranker.TOP
                + " signals=" + String.join(",", Head.SIGNALS) + " extra=" + String.join(",", Head.EXTRA)
                + " ranker=" + String.join(",", Ranker.FEATURES) + " lexT=" + Head.LEX_TEMPERATURE
                + " cnbAlpha=" + Head.CNB_ALPHA + " requesterSmoothing=" + Head.REQ_SMOOTHING + " maxChars=" + TfidfVectorizer.MAX_CHARS
                + " rareBuckets=" + TfidfVectorizer.RARE_BUCKETS;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Saves the model's fitted state (see the class comment) to {@code file}, atomically; returns its size
     * in bytes.
     *
     * @param summary the training run that produced the state (kept for display after a load), or null
     * @param writer  the program version writing it; {@link #load} refuses a file from another one
     */
    public static long write(LocalModel model, Path file, LocalModel.TrainingSummary summary, String writer)
            throws IOException {
        Fitted f = model.fitted();
        Path dir = file.toAbsolutePath().getParent();
        createPrivateDirectories(dir);
        // readable by the user only (0600 where the file system has POSIX permissions): it holds the vocabulary
        Path tmp = Files.createTempFile(dir, file.getFileName().toString() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(ch);
                CRC32 crc = new CRC32();
                Out out = new Out(new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16)));
                out.d.write(MAGIC);
                out.d.writeInt(FORMAT);
                writeHeader(out, model, summary, writer);
                writeVectorizer(out, f.vectorizer());
                writeVectorizer(out, f.subjectVectorizer());
                writeHead(out, f.team());
                writeHead(out, f.priority());
                out.strings(f.teamLabels());
                out.strings(f.priorityLabels());
                List<Slot> slots = f.slots();
                out.d.writeInt(slots.size());
                for (Slot s : slots) {
                    out.string(s.id());
                    out.d.writeInt(s.team());
                    out.d.writeInt(s.priority());
                    out.d.writeDouble(s.weight());
                    out.d.writeLong(s.text());
                }
                out.d.flush();
                new DataOutputStream(raw).writeLong(crc.getValue()); // not part of the checksum
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        deleteStaleTemporaries(dir, file.getFileName().toString());
        return Files.size(file);
    }

    /**
     * Creates {@code dir} and missing parents readable by the user only (0700) where the file system has POSIX
     * permissions (team mode keeps the model in the data directory, which may not exist yet); an existing folder
     * is left as it is.
     */
    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Files.createDirectories(dir, posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0]);
    }

    /** Temporary files left by a writer that died (older than ten minutes: not another process's write). */
    private static void deleteStaleTemporaries(Path dir, String name) {
        long cutoff = System.currentTimeMillis() - 10 * 60_000L;
        try (var s = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(name + ".") && n.endsWith(".tmp");
        })) {
            for (Path p : s) {
                if (Files.getLastModifiedTime(p).toMillis() < cutoff) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static void writeHeader(Out out, LocalModel model, LocalModel.TrainingSummary s, String writer) throws IOException {
        out.string(model.embeddingModelId());
        out.d.writeInt(model.embeddingDimension());
        out.string(settingsKey(model.config()));
        out.string(schemaKey());
        out.string(writer == null ? "" : writer);
        out.d.writeLong(System.currentTimeMillis());
        out.d.writeBoolean(s != null);
        if (s != null) {
            out.d.writeInt(s.examples());
            out.d.writeInt(s.teams());
            out.d.writeInt(s.priorities());
            out.d.writeInt(s.embedded());
            out.d.writeInt(s.reusedVectors());
            out.d.writeDouble(s.seconds());
            out.d.writeDouble(s.heldOutTeamAccuracy());
            out.d.writeDouble(s.globalTeamThreshold());
            Map<String, Double> blend = s.blend() == null ? Map.of() : s.blend();
            out.d.writeInt(blend.size());
            for (var e : blend.entrySet()) {
                out.string(e.getKey());
                out.d.writeDouble(e.getValue());
            }
        }
    }

    private static void writeVectorizer(Out out, TfidfVectorizer vz) throws IOException {
        out.d.writeBoolean(vz != null);
        if (vz == null) return;
        out.d.writeInt(vz.docs);
        out.strings(Arrays.asList(vz.wordNames));
        String[] chars = new String[vz.charVocab.size()];
        int words = vz.wordNames.length;
        for (var e : vz.charVocab.entrySet()) chars[e.getValue() - words] = e.getKey();
        out.strings(Arrays.asList(chars));
        out.floats(vz.idf);
    }

    private static void writeHead(Out out, Head h) throws IOException {
        out.strings(h.labels);
        out.doubles(h.blend);
        out.doubles(h.bias);
        out.doubles(h.thresholds);
        out.d.writeDouble(h.globalThreshold);
        writeLinear(out, h.lr);
        writeLinear(out, h.lrSubject);
        writeLinear(out, h.lrEmb);
        out.floats(h.embMean);
        out.floats(h.embScale);
        out.d.writeDouble(h.noveltySim);
        out.d.writeDouble(h.noveltyLex);
        Ranker r = h.ranker;
        out.d.writeBoolean(r != null);
        if (r != null) {
            out.d.writeDouble(r.temperature);
            out.d.writeDouble(r.treeWeight);
            out.d.writeInt(r.trees.size());
            for (Ranker.Tree t : r.trees) {
                out.ints(t.feature());
                out.doubles(t.threshold());
                out.ints(t.left());
                out.ints(t.right());
                out.doubles(t.value());
            }
        }
    }

    private static void writeLinear(Out out, SoftmaxRegression m) throws IOException {
        out.d.writeBoolean(m != null);
        if (m == null) return;
        out.d.writeInt(m.features);
        out.d.writeInt(m.classes);
        out.floats(m.w);
        out.floats(m.bias);
    }

    // ------------------------------------------------------------------ reading

    /** Reads and checks a snapshot's header only (no model needed). */
    public static Info info(Path file) throws IOException {
        In in = open(file);
        return readHeader(in, null, null);
    }

    /**
     * Loads the fitted state saved in {@code file} into {@code model} and rebuilds its memory from
     * {@code history} (see the class comment). Everything is read and checked first; the model changes in
     * one swap at the end or not at all.
     *
     * @param writer      the running program's version; a file written by another one is refused
     * @param history     the decided tickets now, as {@link LocalModel#train} would get them
     * @param vectorsById stored embeddings by ticket id (missing ones come from the cache or are computed)
     * @throws UnusableException when the file is corrupt, truncated or incompatible
     * @throws IOException       when it cannot be read (for example, it does not exist)
     */
    public static Loaded load(LocalModel model, Path file, String writer, List<LabelledTicket> history,
                              Map<String, float[]> vectorsById) throws IOException {
        long t0 = System.nanoTime();
        In in = open(file);
        Info info = readHeader(in, model, writer == null ? "" : writer);
        Fitted f;
        try {
            TfidfVectorizer vz = readVectorizer(in);
            TfidfVectorizer vzSubject = readVectorizer(in);
            int dim = model.embeddingDimension();
            Head team = readHead(in, vz, vzSubject, dim);
            Head priority = readHead(in, vz, vzSubject, dim);
            List<String> teamLabels = in.strings();
            List<String> priorityLabels = in.strings();
            int n = in.count(4 + 4 + 4 + 8 + 8);
            List<Slot> slots = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Slot s = new Slot(in.string(), in.b.getInt(), in.b.getInt(), in.b.getDouble(), in.b.getLong());
                check(s.team() >= 0 && s.team() < teamLabels.size()
                        && s.priority() >= -1 && s.priority() < priorityLabels.size(), "a decision's label is out of range");
                slots.add(s);
            }
            check(!in.b.hasRemaining(), "unexpected bytes after the model");
            check(isPrefix(team.labels, teamLabels) && isPrefix(priority.labels, priorityLabels),
                    "the heads' labels do not match the memory's");
            f = new Fitted(vz, vzSubject, team, priority, teamLabels, priorityLabels, slots);
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new UnusableException("corrupt model file: " + e);
        }
        return rebuild(model, file, in.size, info, f, history, vectorsById == null ? Map.of() : vectorsById, t0);
    }

    private static Loaded rebuild(LocalModel model, Path file, long bytes, Info info, Fitted f,
                                  List<LabelledTicket> history, Map<String, float[]> vectorsById, long t0) {
        int dim = model.embeddingDimension();
        int n = history.size();
        Memory mem = new Memory(dim, n + 64, f.vectorizer());
        // label indices as at saving: the heads' outputs are indexed by them
        for (String l : f.teamLabels()) mem.teams.labelOf(l, true);
        for (String l : f.priorityLabels()) mem.priorities.labelOf(l, true);
        String[] ids = new String[n];
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String id = history.get(i).text().id();
            ids[i] = id != null ? id : "#" + i; // as LocalModel.train names them
            last.put(ids[i], i);
        }
        boolean[] placed = new boolean[n];
        Set<String> saved = new HashSet<>();
        int kept = 0, changed = 0, removed = 0, added = 0;
        int[] computed = {0};
        for (Slot s : f.slots()) {
            if (s.id() == null) {
                removed++;
                continue;
            }
            saved.add(s.id());
            Integer i = last.get(s.id());
            if (i == null) {
                removed++;
                continue;
            }
            LabelledTicket e = history.get(i);
            if (sameDecision(e, s, f)) {
                add(model, mem, ids[i], e, vectorsById, dim, computed);
                placed[i] = true;
                kept++;
            } else {
                changed++;
            }
        }
        // new or re-decided since: appended in decision order, as learning them one by one would have
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < n; i++) if (!placed[i] && last.get(ids[i]) == i) rest.add(i);
        rest.sort(Comparator.comparing((Integer i) -> history.get(i).decidedAt(),
                Comparator.nullsFirst(Comparator.naturalOrder())));
        for (int i : rest) {
            add(model, mem, ids[i], history.get(i), vectorsById, dim, computed);
            if (!saved.contains(ids[i])) added++;
        }
        Set<String> newTeams = new LinkedHashSet<>();
        Set<String> newPriorities = new LinkedHashSet<>();
        Set<String> knownTeams = new HashSet<>(f.team().labels);
        Set<String> knownPriorities = new HashSet<>(f.priority().labels);
        for (int i = 0; i < n; i++) {
            if (last.get(ids[i]) != i) continue;
            LabelledTicket e = history.get(i);
            if (!knownTeams.contains(e.team())) newTeams.add(e.team());
            String p = e.priority();
            if (p != null && !p.isBlank() && !knownPriorities.contains(p)) newPriorities.add(p);
        }
        model.install(f, mem);
        return new Loaded(file, info, bytes, kept, added, changed, removed, computed[0], List.copyOf(newTeams),
                List.copyOf(newPriorities), (System.nanoTime() - t0) / 1e9);
    }

    /** Same labels and weight, learned from the same text. */
    private static boolean sameDecision(LabelledTicket e, Slot s, Fitted f) {
        if (!e.team().equals(f.teamLabels().get(s.team()))) return false;
        if (textHash(e.text()) != s.text()) return false;
        String p = e.priority() == null || e.priority().isBlank() ? null : e.priority();
        String sp = s.priority() < 0 ? null : f.priorityLabels().get(s.priority());
        return Objects.equals(p, sp) && Double.compare(e.weight(), s.weight()) == 0;
    }

    private static void add(LocalModel model, Memory mem, String id, LabelledTicket e, Map<String, float[]> vectorsById,
                            int dim, int[] computed) {
        float[] v = e.text().id() == null ? null : vectorsById.get(e.text().id());
        if (v == null || v.length != dim) {
            v = model.vector(e.text());
            computed[0]++;
        }
        mem.add(id, e.text(), e.team(), e.priority(), e.weight(), v);
    }

    private static boolean isPrefix(List<String> head, List<String> all) {
        return head.size() <= all.size() && all.subList(0, head.size()).equals(head);
    }

    private static In open(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) throw new UnusableException("model file too large (" + size + " bytes)");
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 4 + 8 || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new UnusableException(all.length < MAGIC.length + 4 + 8 ? "model file truncated (" + all.length + " bytes)"
                    : "not a saved local model");
        }
        ByteBuffer b = ByteBuffer.wrap(all, 0, all.length - 8);
        b.position(MAGIC.length);
        int format = b.getInt();
        if (format != FORMAT) throw new UnusableException("model file format " + format + ", this version reads " + FORMAT);
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (crc.getValue() != stored) throw new UnusableException("model file corrupt or truncated (checksum mismatch)");
        return new In(b.slice(), all.length);
    }

    /** Reads the header; with a model, also checks it fits that model and program. */
    private static Info readHeader(In in, LocalModel model, String writer) throws IOException {
        try {
            String embedding = in.string();
            int dim = in.b.getInt();
            String settings = in.string();
            String schema = in.string();
            String wrote = in.string();
            Instant savedAt = Instant.ofEpochMilli(in.b.getLong());
            LocalModel.TrainingSummary summary = null;
            if (in.b.get() != 0) {
                int examples = in.b.getInt(), teams = in.b.getInt(), priorities = in.b.getInt();
                int embedded = in.b.getInt(), reused = in.b.getInt();
                double seconds = in.b.getDouble(), acc = in.b.getDouble(), thr = in.b.getDouble();
                int k = in.count(8);
                Map<String, Double> blend = new LinkedHashMap<>();
                for (int i = 0; i < k; i++) blend.put(in.string(), in.b.getDouble());
                summary = new LocalModel.TrainingSummary(examples, teams, priorities, embedded, reused, seconds, acc, thr, blend);
            }
            if (model != null) {
                if (!embedding.equals(model.embeddingModelId()) || dim != model.embeddingDimension()) {
                    throw new UnusableException("saved for embedding model " + embedding + " (" + dim + "), now "
                            + model.embeddingModelId() + " (" + model.embeddingDimension() + ")");
                }
                if (!settings.equals(settingsKey(model.config()))) {
                    throw new UnusableException("saved with other model settings (" + settings + ")");
                }
                if (!schema.equals(schemaKey())) throw new UnusableException("saved with other model features");
                if (!wrote.equals(writer)) {
                    throw new UnusableException("saved by version '" + wrote + "', this is '" + writer + "'");
                }
            }
            return new Info(FORMAT, embedding, wrote, savedAt, summary);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new UnusableException("corrupt model file header: " + e);
        }
    }

    private static TfidfVectorizer readVectorizer(In in) throws UnusableException {
        if (in.b.get() == 0) return null;
        int docs = in.b.getInt();
        List<String> words = in.strings();
        List<String> chars = in.strings();
        float[] idf = in.floats();
        check(idf != null && idf.length == words.size() + chars.size() && docs >= 0, "vectorizer sizes disagree");
        Map<String, Integer> wv = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) wv.put(words.get(i), i);
        Map<String, Integer> cv = new HashMap<>(chars.size() * 2);
        for (int i = 0; i < chars.size(); i++) cv.put(chars.get(i), words.size() + i);
        check(wv.size() == words.size() && cv.size() == chars.size(), "vectorizer terms repeat");
        return new TfidfVectorizer(wv, cv, idf, words.toArray(String[]::new), docs);
    }

    private static Head readHead(In in, TfidfVectorizer vz, TfidfVectorizer vzSubject, int dim) throws UnusableException {
        List<String> labels = in.strings();
        int L = labels.size();
        double[] blend = in.doubles();
        double[] bias = in.doubles();
        double[] thresholds = in.doubles();
        double global = in.b.getDouble();
        check(blend != null && blend.length == Head.NF && bias != null && bias.length <= L
                && thresholds != null && thresholds.length <= L, "head sizes disagree");
        SoftmaxRegression lr = readLinear(in);
        SoftmaxRegression lrSubject = readLinear(in);
        SoftmaxRegression lrEmb = readLinear(in);
        float[] embMean = in.floats();
        float[] embScale = in.floats();
        check(lr == null || vz != null && lr.features == vz.dimension() && lr.classes == L, "linear model does not fit");
        check(lrSubject == null || vzSubject != null && lrSubject.features == vzSubject.dimension() && lrSubject.classes == L,
                "subject model does not fit");
        check(lrEmb == null || lrEmb.features == dim && lrEmb.classes == L && embMean != null && embMean.length == dim
                && embScale != null && embScale.length == dim, "embedding model does not fit");
        double noveltySim = in.b.getDouble();
        double noveltyLex = in.b.getDouble();
        Ranker ranker = null;
        if (in.b.get() != 0) {
            double temperature = in.b.getDouble();
            double treeWeight = in.b.getDouble();
            check(temperature > 0 && Double.isFinite(temperature) && Double.isFinite(treeWeight), "ranker scale invalid");
            int k = in.count(5 * 4);
            List<Ranker.Tree> trees = new ArrayList<>(k);
            for (int t = 0; t < k; t++) {
                int[] feature = in.ints();
                double[] threshold = in.doubles();
                int[] left = in.ints();
                int[] right = in.ints();
                double[] value = in.doubles();
                int m = feature == null ? 0 : feature.length;
                check(m > 0 && threshold != null && threshold.length == m && left != null && left.length == m
                        && right != null && right.length == m && value != null && value.length == m, "tree sizes disagree");
                for (int i = 0; i < m; i++) {
                    // children come after their parent: evaluation always ends at a leaf
                    check(feature[i] < 0 || feature[i] < Ranker.NX && left[i] > i && left[i] < m && right[i] > i
                            && right[i] < m, "tree nodes out of range");
                }
                trees.add(new Ranker.Tree(feature, threshold, left, right, value));
            }
            ranker = new Ranker(trees, temperature, treeWeight);
        }
        return new Head(lr, blend, bias, thresholds, global, labels, ranker, lrSubject, lrEmb, embMean, embScale,
                noveltySim, noveltyLex);
    }

    private static SoftmaxRegression readLinear(In in) throws UnusableException {
        if (in.b.get() == 0) return null;
        int features = in.b.getInt();
        int classes = in.b.getInt();
        float[] w = in.floats();
        float[] bias = in.floats();
        check(features >= 0 && classes >= 0 && w != null && w.length == (long) features * classes
                && bias != null && bias.length == classes, "linear model sizes disagree");
        return new SoftmaxRegression(features, classes, w, bias);
    }

    private static void check(boolean ok, String what) throws UnusableException {
        if (!ok) throw new UnusableException("corrupt model file: " + what);
    }

    // ------------------------------------------------------------------ encoding

    /** Writer side: strings as length + modified UTF-8 (any char, unpaired surrogates included), arrays bulk. */
    private static final class Out {
        final DataOutputStream d;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

        Out(DataOutputStream d) {
            this.d = d;
        }

        void string(String s) throws IOException {
            if (s == null) {
                d.writeInt(-1);
                return;
            }
            d.writeInt(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 1 && c <= 0x7f) {
                    d.write(c);
                } else if (c <= 0x7ff) {
                    d.write(0xc0 | (c >> 6));
                    d.write(0x80 | (c & 0x3f));
                } else {
                    d.write(0xe0 | (c >> 12));
                    d.write(0x80 | ((c >> 6) & 0x3f));
                    d.write(0x80 | (c & 0x3f));
                }
            }
        }

        void strings(List<String> list) throws IOException {
            d.writeInt(list.size());
            for (String s : list) string(s);
        }

        void doubles(double[] v) throws IOException {
            d.writeInt(v == null ? -1 : v.length);
            if (v != null) for (double x : v) d.writeDouble(x);
        }

        void ints(int[] v) throws IOException {
            d.writeInt(v == null ? -1 : v.length);
            if (v == null) return;
            for (int i = 0; i < v.length; ) {
                buf.clear();
                while (i < v.length && buf.remaining() >= 4) buf.putInt(v[i++]);
                d.write(buf.array(), 0, buf.position());
            }
        }

        /** Bit-exact (the linear models' weights are dense after training: every one is stored). */
        void floats(float[] v) throws IOException {
            d.writeInt(v == null ? -1 : v.length);
            if (v == null) return;
            for (int i = 0; i < v.length; ) {
                buf.clear();
                while (i < v.length && buf.remaining() >= 4) buf.putFloat(v[i++]);
                d.write(buf.array(), 0, buf.position());
            }
        }
    }

    /** Reader side over the checked bytes; every length is checked against what is left before allocating. */
    private static final class In {
        final ByteBuffer b;
        final long size;

        In(ByteBuffer b, long size) {
            this.b = b;
            this.size = size;
        }

        /** A count of items of at least {@code minBytes} each that must fit in what is left. */
        int count(int minBytes) {
            int n = b.getInt();
            if (n < 0 || (long) n * minBytes > b.remaining()) throw new IllegalArgumentException("bad length " + n);
            return n;
        }

        /** A length for an array that may be null (-1). */
        private int lengthOrNull(int minBytes) {
            int n = b.getInt();
            if (n == -1) return -1;
            if (n < 0 || (long) n * minBytes > b.remaining()) throw new IllegalArgumentException("bad length " + n);
            return n;
        }

        String string() {
            int n = lengthOrNull(1);
            if (n < 0) return null;
            char[] cs = new char[n];
            for (int i = 0; i < n; i++) {
                int a = b.get() & 0xff;
                if (a < 0x80) {
                    cs[i] = (char) a;
                } else if ((a & 0xe0) == 0xc0) {
                    cs[i] = (char) (((a & 0x1f) << 6) | (b.get() & 0x3f));
                } else if ((a & 0xf0) == 0xe0) {
                    int x = b.get() & 0x3f;
                    cs[i] = (char) (((a & 0x0f) << 12) | (x << 6) | (b.get() & 0x3f));
                } else {
                    throw new IllegalArgumentException("bad string encoding");
                }
            }
            return new String(cs);
        }

        List<String> strings() {
            int n = count(4);
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(string());
            return out;
        }

        double[] doubles() {
            int n = lengthOrNull(8);
            if (n < 0) return null;
            double[] v = new double[n];
            b.asDoubleBuffer().get(v);
            b.position(b.position() + 8 * n);
            return v;
        }

        int[] ints() {
            int n = lengthOrNull(4);
            if (n < 0) return null;
            int[] v = new int[n];
            b.asIntBuffer().get(v);
            b.position(b.position() + 4 * n);
            return v;
        }

        float[] floats() {
            int n = lengthOrNull(4);
            if (n < 0) return null;
            float[] v = new float[n];
            b.asFloatBuffer().get(v);
            b.position(b.position() + 4 * n);
            return v;
        }
    }
}
