package dev.switchboard.inference.dup;

import dev.switchboard.inference.data.TimeParser;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.data.TableReader;
import dev.switchboard.inference.embed.Embedder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;

/**
 * Offline evaluation of duplicate retrieval. For every (duplicate, original) pair the duplicate is the
 * query; every other ticket is ranked (with a time column: only tickets created no later than the
 * duplicate, as at the moment it arrived) and the original's rank is recorded. Metrics: recall@1/5/10,
 * mean reciprocal rank, and the latency of the finder's real query path.
 */
public final class DuplicateEvaluation {

    public record Ticket(String id, TicketText text, Instant created) {}

    public record Pair(String duplicate, String original) {}

    /** One-line, user-facing problem with the inputs. */
    public static final class InputException extends Exception {
        public InputException(String message) {
            super(message);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Latency(@JsonProperty("p50") double p50, @JsonProperty("p95") double p95) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metrics(
            @JsonProperty("method") String method,
            @JsonProperty("recall_at_1") double recallAt1,
            @JsonProperty("recall_at_5") double recallAt5,
            @JsonProperty("recall_at_10") double recallAt10,
            @JsonProperty("mrr") double mrr,
            @JsonProperty("queries") int queries,
            @JsonProperty("pool") int pool,
            @JsonProperty("unreachable") int unreachable,
            @JsonProperty("latency_ms") Latency latencyMs) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Report(
            @JsonProperty("dataset") String dataset,
            @JsonProperty("method") String method,
            @JsonProperty("time_aware") boolean timeAware,
            @JsonProperty("recall_at_1") double recallAt1,
            @JsonProperty("recall_at_5") double recallAt5,
            @JsonProperty("recall_at_10") double recallAt10,
            @JsonProperty("mrr") double mrr,
            @JsonProperty("queries") int queries,
            @JsonProperty("pool") int pool,
            @JsonProperty("unreachable") int unreachable,
            @JsonProperty("latency_ms") Latency latencyMs,
            @JsonProperty("ablation") List<Metrics> ablation,
            @JsonProperty("baseline") Metrics baseline,
            @JsonProperty("skipped_pairs") int skippedPairs) {

        static Report of(String dataset, boolean timeAware, Metrics main, List<Metrics> ablation, Metrics baseline,
                         int skipped) {
            return new Report(dataset, main.method(), timeAware, main.recallAt1(), main.recallAt5(), main.recallAt10(),
                    main.mrr(), main.queries(), main.pool(), main.unreachable(), main.latencyMs(), ablation, baseline,
                    skipped);
        }

        public void write(Path file) throws IOException {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        }
    }

    /** Tickets and pairs read from files, with the count of pairs that name unknown ids. */
    public record Input(List<Ticket> tickets, List<Pair> pairs, int skippedPairs, boolean timeAware) {}

    private DuplicateEvaluation() {}

    public static final String METHOD = "embedding(text+subject)+tfidf(words,identifiers)";

    // ------------------------------------------------------------------ loading

    public static Input load(Path ticketsFile, String idCol, List<String> textCols, Path pairsFile, String timeCol)
            throws InputException {
        List<Ticket> tickets = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        TableReader.Summary summary;
        try {
            summary = TableReader.read(ticketsFile, new TableReader.Handler() {
                boolean checked;

                @Override
                public boolean row(TableReader.Row row) {
                    if (!checked) {
                        checked = true;
                        List<String> cols = new ArrayList<>(textCols);
                        cols.add(idCol);
                        if (timeCol != null) cols.add(timeCol);
                        for (String c : cols) {
                            if (!row.values().containsKey(c)) {
                                problems.add(ticketsFile + ": no column '" + c + "' (columns: "
                                        + String.join(", ", row.values().keySet()) + ")");
                                return false;
                            }
                        }
                    }
                    String id = row.get(idCol).strip();
                    if (id.isEmpty()) return true;
                    String subject = row.get(textCols.get(0));
                    StringBuilder body = new StringBuilder();
                    for (int i = 1; i < textCols.size(); i++) {
                        String v = row.get(textCols.get(i));
                        if (!v.isBlank()) {
                            if (!body.isEmpty()) body.append('\n');
                            body.append(v);
                        }
                    }
                    Instant t = null;
                    if (timeCol != null) {
                        t = TimeParser.parse(row.get(timeCol));
                        if (t == null) {
                            problems.add(ticketsFile + " line " + row.line() + ": cannot read time '"
                                    + row.get(timeCol) + "' in column '" + timeCol + "'");
                            return false;
                        }
                    }
                    tickets.add(new Ticket(id, TicketText.of(id, subject, body.toString()), t));
                    return true;
                }

                @Override
                public void problem(TableReader.Problem p) { }
            });
        } catch (IOException e) {
            throw new InputException(ticketsFile + ": " + oneLine(e));
        }
        if (!problems.isEmpty()) throw new InputException(problems.get(0));
        if (summary.rows() == 0 || tickets.isEmpty()) throw new InputException(ticketsFile + ": no tickets");
        Map<String, Ticket> byId = new HashMap<>();
        for (Ticket t : tickets) byId.put(t.id(), t);

        List<Pair> pairs = new ArrayList<>();
        int[] skipped = {0};
        try {
            TableReader.read(pairsFile, new TableReader.Handler() {
                String dupCol;
                String origCol;

                @Override
                public boolean row(TableReader.Row row) {
                    if (dupCol == null) {
                        List<String> cols = new ArrayList<>(row.values().keySet());
                        dupCol = cols.contains("duplicate") ? "duplicate" : cols.get(0);
                        origCol = cols.contains("original") ? "original" : cols.size() > 1 ? cols.get(1) : null;
                        if (origCol == null || origCol.equals(dupCol)) {
                            problems.add(pairsFile + ": expected columns 'duplicate,original'");
                            return false;
                        }
                    }
                    String d = row.get(dupCol).strip();
                    String o = row.get(origCol).strip();
                    if (d.isEmpty() || o.isEmpty()) return true;
                    if (!byId.containsKey(d) || !byId.containsKey(o) || d.equals(o)) skipped[0]++;
                    else pairs.add(new Pair(d, o));
                    return true;
                }

                @Override
                public void problem(TableReader.Problem p) { }
            });
        } catch (IOException e) {
            throw new InputException(pairsFile + ": " + oneLine(e));
        }
        if (!problems.isEmpty()) throw new InputException(problems.get(0));
        if (pairs.isEmpty()) {
            throw new InputException(pairsFile + ": no pair names two tickets of " + ticketsFile.getFileName()
                    + (skipped[0] > 0 ? " (" + skipped[0] + " pairs name unknown ids; check --id)" : ""));
        }
        return new Input(tickets, pairs, skipped[0], timeCol != null);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    // ------------------------------------------------------------------ evaluation

    /**
     * Embeds the tickets' full texts and subjects (through the cache if given) and evaluates finder,
     * ablations and optionally the baseline.
     */
    public static Report run(String dataset, Input in, Embedder embedder, Path cache, boolean baseline, Progress progress)
            throws IOException {
        List<String> texts = new ArrayList<>();
        for (Ticket t : in.tickets()) texts.add(t.text().fullText());
        List<float[]> vectors = EmbeddingCache.embedAll(embedder, texts, cache, progress);
        // subjects: only where the subject is a separate, non-empty part of the text
        List<String> subjects = new ArrayList<>();
        List<Integer> withSubject = new ArrayList<>();
        for (int i = 0; i < in.tickets().size(); i++) {
            String s = subjectText(in.tickets().get(i).text());
            if (s != null) {
                subjects.add(s);
                withSubject.add(i);
            }
        }
        List<float[]> subjectVectors = new ArrayList<>(java.util.Collections.nCopies(texts.size(), (float[]) null));
        if (!subjects.isEmpty()) {
            Progress sub = new Progress() {
                @Override
                public void update(long done, long total, String message) {
                    progress.update(done, total, "embedding subjects");
                }

                @Override
                public boolean isCancelled() {
                    return progress.isCancelled();
                }
            };
            List<float[]> sv = EmbeddingCache.embedAll(embedder, subjects, cache, sub);
            for (int k = 0; k < withSubject.size(); k++) subjectVectors.set(withSubject.get(k), sv.get(k));
        }
        return evaluate(dataset, in, vectors, subjectVectors, baseline);
    }

    /** {@link DuplicateFinder#subjectText}: the same rule as the app. */
    static String subjectText(TicketText t) {
        return DuplicateFinder.subjectText(t);
    }

    /** Evaluates without subject vectors (each ticket's full-text vector stands in for its subject). */
    public static Report evaluate(String dataset, Input in, List<float[]> vectors, boolean baseline) {
        return evaluate(dataset, in, vectors, null, baseline);
    }

    /** {@code subjectVectors} may be null, or hold null for tickets without a subject vector. */
    public static Report evaluate(String dataset, Input in, List<float[]> vectors, List<float[]> subjectVectors,
                                  boolean baseline) {
        List<Ticket> tickets = in.tickets();
        boolean timed = in.timeAware();
        int dim = vectors.get(0).length;
        DuplicateFinder finder = new DuplicateFinder(dim,
                DuplicateFinder.Config.defaults().withWindow(Duration.ofDays(365L * 1000)).withOpenAlwaysEligible(false));
        Map<String, Instant> createdOf = new HashMap<>();
        Map<String, float[]> fullOf = new HashMap<>();
        for (int i = 0; i < tickets.size(); i++) {
            Ticket t = tickets.get(i);
            Instant c = timed ? t.created() : Instant.EPOCH;
            createdOf.put(t.id(), c);
            fullOf.put(t.id(), vectors.get(i));
            finder.add(t.text(), vectors.get(i), subjectVectors == null ? null : subjectVectors.get(i), c, false);
        }
        int pool = finder.size();
        Calibration cal = finder.calibration();
        List<int[]> ranks = new ArrayList<>();
        for (int i = 0; i < 4; i++) ranks.add(new int[in.pairs().size()]);
        double[] latencies = new double[in.pairs().size()];
        // warm-up pass so latency reflects the steady state of a running app, not JIT compilation
        for (Pair p : in.pairs()) finder.candidates(p.duplicate(), createdOf.get(p.duplicate()), 10);
        List<ToDoubleBiFunction<Double, Double>> scorers = List.of(
                (c, l) -> cal.fused(c, l), (c, l) -> c, (c, l) -> l);
        for (int k = 0; k < in.pairs().size(); k++) {
            Pair p = in.pairs().get(k);
            Instant now = createdOf.get(p.duplicate());
            long t0 = System.nanoTime();
            finder.candidates(p.duplicate(), now, 10);
            latencies[k] = (System.nanoTime() - t0) / 1e6;
            DuplicateFinder.Evidence ev = finder.evidenceAgainstAll(p.duplicate());
            for (int m = 0; m < scorers.size(); m++) {
                ToDoubleBiFunction<Double, Double> f = scorers.get(m);
                ranks.get(m)[k] = rank(ev.ids(), i -> f.applyAsDouble(ev.cosine()[i], ev.lexical()[i]), p, createdOf);
            }
            float[] q = fullOf.get(p.duplicate());
            ranks.get(3)[k] = rank(ev.ids(), i -> ev.ids()[i] == null ? -2 : DuplicateFinder.dot(q, fullOf.get(ev.ids()[i]), 0, dim),
                    p, createdOf);
        }
        Latency lat = latency(latencies);
        Metrics main = metrics(METHOD, ranks.get(0), pool, lat);
        List<Metrics> ablation = List.of(metrics("embedding(text+subject) only", ranks.get(1), pool, null),
                metrics("embedding(text) only", ranks.get(3), pool, null),
                metrics("tfidf(words,identifiers) only", ranks.get(2), pool, null));
        Metrics base = baseline ? tfidfBaseline(in) : null;
        return Report.of(dataset, timed, main, ablation, base, in.skippedPairs());
    }

    /**
     * 1-based rank of the pair's original among eligible tickets by descending score (ties count against
     * the original), or 0 when the original is not eligible (created after the duplicate).
     */
    static int rank(String[] ids, java.util.function.IntToDoubleFunction score, Pair p, Map<String, Instant> createdOf) {
        Instant now = createdOf.get(p.duplicate());
        int orig = -1;
        for (int i = 0; i < ids.length; i++) if (p.original().equals(ids[i])) orig = i;
        if (orig < 0 || createdOf.get(p.original()).isAfter(now)) return 0;
        double so = score.applyAsDouble(orig);
        int rank = 1;
        for (int i = 0; i < ids.length; i++) {
            if (i == orig || ids[i] == null || ids[i].equals(p.duplicate())) continue;
            if (createdOf.get(ids[i]).isAfter(now)) continue;
            if (score.applyAsDouble(i) >= so) rank++;
        }
        return rank;
    }

    /** Metrics from 1-based ranks (0 = original not retrievable). */
    public static Metrics metrics(String method, int[] ranks, int pool, Latency latency) {
        int n = ranks.length;
        int r1 = 0, r5 = 0, r10 = 0, unreachable = 0;
        double rr = 0;
        for (int r : ranks) {
            if (r <= 0) {
                unreachable++;
                continue;
            }
            if (r <= 1) r1++;
            if (r <= 5) r5++;
            if (r <= 10) r10++;
            rr += 1.0 / r;
        }
        return new Metrics(method, round(r1 / (double) n), round(r5 / (double) n), round(r10 / (double) n),
                round(rr / n), n, pool, unreachable, latency);
    }

    static Latency latency(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return new Latency(round(percentile(s, 0.50)), round(percentile(s, 0.95)));
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    // ------------------------------------------------------------------ baseline

    /**
     * Plain TF-IDF cosine, the usual reference for duplicate retrieval: {@link DupTerms#words} tokens of all
     * text columns as one document (no field weights, no identifiers), sublinear term frequency
     * {@code 1 + ln(count)}, smoothed idf {@code ln((N+1)/(df+1)) + 1}, L2 norm; the same as scikit-learn's
     * {@code TfidfVectorizer(sublinear_tf=True, stop_words=...)}. Raw counts (the library default) let a
     * token repeated through a pasted log or stack trace outweigh the words that state the problem, and
     * score well below the published TF-IDF reference on bug reports; the sublinear form reproduces it.
     */
    public static Metrics tfidfBaseline(Input in) {
        List<Ticket> tickets = in.tickets();
        Map<String, Integer> df = new HashMap<>();
        List<Map<String, Integer>> tfs = new ArrayList<>();
        for (Ticket t : tickets) {
            Map<String, Integer> tf = new HashMap<>();
            for (String tok : DupTerms.words(t.text().fullText())) tf.merge(tok, 1, Integer::sum);
            tfs.add(tf);
            for (String k : tf.keySet()) df.merge(k, 1, Integer::sum);
        }
        int n = tickets.size();
        List<Map<String, Double>> vecs = new ArrayList<>();
        for (Map<String, Integer> tf : tfs) {
            Map<String, Double> v = new HashMap<>();
            double norm = 0;
            for (Map.Entry<String, Integer> e : tf.entrySet()) {
                double w = (1 + Math.log(e.getValue())) * (Math.log((n + 1.0) / (df.get(e.getKey()) + 1.0)) + 1);
                v.put(e.getKey(), w);
                norm += w * w;
            }
            double nn = Math.sqrt(norm);
            if (nn > 0) v.replaceAll((k, w) -> w / nn);
            vecs.add(v);
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        String[] ids = new String[n];
        Map<String, Instant> createdOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ids[i] = tickets.get(i).id();
            index.put(ids[i], i);
            createdOf.put(ids[i], in.timeAware() ? tickets.get(i).created() : Instant.EPOCH);
        }
        int[] ranks = new int[in.pairs().size()];
        double[] lat = new double[ranks.length];
        for (int k = 0; k < ranks.length; k++) {
            Pair p = in.pairs().get(k);
            Map<String, Double> q = vecs.get(index.get(p.duplicate()));
            long t0 = System.nanoTime();
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                Map<String, Double> d = vecs.get(i);
                Map<String, Double> small = q.size() <= d.size() ? q : d;
                Map<String, Double> big = small == q ? d : q;
                double s = 0;
                for (Map.Entry<String, Double> e : small.entrySet()) {
                    Double w = big.get(e.getKey());
                    if (w != null) s += w * e.getValue();
                }
                scores[i] = s;
            }
            lat[k] = (System.nanoTime() - t0) / 1e6;
            ranks[k] = rank(ids, i -> scores[i], p, createdOf);
        }
        return metrics("tfidf cosine (baseline)", ranks, n, latency(lat));
    }

    // ------------------------------------------------------------------ output

    /** A readable table of the report. */
    public static String table(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Duplicate retrieval on %s (%d queries, pool %d, %s)%n", r.dataset(), r.queries(),
                r.pool(), r.timeAware() ? "only earlier tickets ranked" : "all other tickets ranked"));
        sb.append(String.format("%-48s %8s %8s %8s %8s %10s %10s%n", "method", "R@1", "R@5", "R@10", "MRR", "p50 ms", "p95 ms"));
        List<Metrics> rows = new ArrayList<>();
        rows.add(new Metrics(r.method(), r.recallAt1(), r.recallAt5(), r.recallAt10(), r.mrr(), r.queries(), r.pool(),
                r.unreachable(), r.latencyMs()));
        if (r.ablation() != null) rows.addAll(r.ablation());
        if (r.baseline() != null) rows.add(r.baseline());
        for (Metrics m : rows) {
            sb.append(String.format("%-48s %8.3f %8.3f %8.3f %8.3f %10s %10s%n", m.method(), m.recallAt1(), m.recallAt5(),
                    m.recallAt10(), m.mrr(), m.latencyMs() == null ? "-" : String.format("%.2f", m.latencyMs().p50()),
                    m.latencyMs() == null ? "-" : String.format("%.2f", m.latencyMs().p95())));
        }
        if (r.unreachable() > 0) {
            sb.append(String.format("%d pair(s) name an original created after its duplicate: counted as misses%n", r.unreachable()));
        }
        if (r.skippedPairs() > 0) sb.append(String.format("%d pair(s) skipped: id not in the tickets file%n", r.skippedPairs()));
        return sb.toString();
    }
}
