package dev.switchboard.inference.dup;

import dev.switchboard.inference.TicketText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * In-memory index of tickets for probable-duplicate detection.
 *
 * <p><b>Evidence.</b> Each pair is scored by semantic similarity and by TF-IDF cosine over words plus
 * identifiers ({@link DupTerms}); a {@link Calibration} turns both into a duplicate probability. The
 * semantic similarity is the mean of two embedding cosines (caller-supplied unit vectors, e.g. MiniLM):
 * of the full texts and of the subjects alone. A sentence encoder reads only the start of a long text
 * (MiniLM: 256 word pieces) and averages everything it reads, so a report whose body is mostly logs or a
 * stack trace loses its one-line statement of the problem; the subject vector keeps it. Callers without
 * a subject vector pass null and the full-text vector stands in for it. Dispatcher feedback ({@link #confirm}, {@link #dismiss})
 * refits the calibration around its prior; dismissed pairs are never suggested again.
 *
 * <p><b>Eligibility.</b> A ticket can be a candidate when it was created within {@code window} before
 * {@code now} (default 30 days), or when it is still open (unless {@link Config#openAlwaysEligible} is
 * off). Tickets created after {@code now} are never candidates.
 *
 * <p><b>Cost.</b> A query is an inverted-index pass for the query's terms plus a scan of the vectors:
 * exact dot products over a contiguous {@code float[]} up to {@value #EXACT_SCAN_LIMIT} tickets; above
 * that, a 512-bit SimHash sketch per ticket estimates every cosine by popcount and the best 1,000 (by
 * estimated fused score) are rescored exactly. Both vectors of a slot are stored side by side, each
 * scaled by 1/sqrt(2), so one dot product of length {@code 2 x dimension} is the semantic similarity and
 * one sketch covers both. Memory per ticket: {@code 8 x dimension} bytes of vectors (3,072 for 384-d) +
 * 64 bytes of sketch + ~16 bytes per distinct term for postings and term lists + id string and ~40 bytes
 * of bookkeeping; about 5.2 KB per typical ticket (measured by bench-duplicates).
 *
 * <p><b>Threads.</b> Reads (queries, bursts, groups) run concurrently; writes take an exclusive lock.
 * Feedback is lock-free. The optional {@link IssueRewriter} runs only in {@link #verify}, outside locks.
 */
public final class DuplicateFinder {

    /**
     * @param window             how far back a closed ticket may be to still be a candidate
     * @param openAlwaysEligible open tickets are candidates however old
     * @param suggestProbability probability at which a candidate counts as suggested
     * @param maxCandidates      default number of candidates returned
     * @param borderlineLow      lower end of the band the optional LLM check examines
     * @param borderlineHigh     upper end of that band
     */
    public record Config(Duration window, boolean openAlwaysEligible, double suggestProbability, int maxCandidates,
                         double borderlineLow, double borderlineHigh) {
        public static Config defaults() {
            return new Config(Duration.ofDays(30), true, 0.5, 10, 0.25, 0.75);
        }

        public Config withWindow(Duration w) {
            return new Config(w, openAlwaysEligible, suggestProbability, maxCandidates, borderlineLow, borderlineHigh);
        }

        public Config withOpenAlwaysEligible(boolean b) {
            return new Config(window, b, suggestProbability, maxCandidates, borderlineLow, borderlineHigh);
        }
    }

    private static final int MAX_SHARED_TERMS = 8;

    /**
     * Above this many slots a query prefilters by 512-bit SimHash sketches, then rescores exactly. A work
     * budget of ~7.7 M multiply-adds per exact scan (10,000 slots of two 384-d halves).
     */
    static final int EXACT_SCAN_LIMIT = 10_000;
    static final int SKETCH_WORDS = 8;
    private static final int SKETCH_BITS = SKETCH_WORDS * 64;
    private static final float[] COS_OF_HAMMING = new float[SKETCH_BITS + 1];

    static {
        for (int h = 0; h <= SKETCH_BITS; h++) COS_OF_HAMMING[h] = (float) Math.cos(Math.PI * h / SKETCH_BITS);
    }

    private final float[] hyperplanes;

    private final int dim;
    /** Floats per slot: the full-text vector and the subject vector, each scaled by 1/sqrt(2). */
    private final int stride;
    private volatile Config config;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    // slot storage (guarded by lock)
    private final Map<String, Integer> slotOf = new HashMap<>();
    private String[] ids = new String[0];
    private long[] created = new long[0];
    private boolean[] open = new boolean[0];
    private float[] vectors = new float[0];
    private long[] sketches = new long[0];
    private int[] freeSlots = new int[0];
    private int freeCount;
    private int highWater;
    private final LexicalIndex lexical = new LexicalIndex();

    // feedback (lock-free)
    private final Set<String> dismissed = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> dismissedPartners = new ConcurrentHashMap<>();
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final Map<String, Calibration.Example> feedback = new ConcurrentHashMap<>();
    private final Calibration prior;
    private volatile Calibration calibration;

    private volatile IssueRewriter rewriter;
    private final Map<String, String> rewriteCache = new ConcurrentHashMap<>();
    private final Map<String, IssueRewriter.Verdict> verdictCache = new ConcurrentHashMap<>();

    public DuplicateFinder(int dimension) {
        this(dimension, Config.defaults());
    }

    public DuplicateFinder(int dimension, Config config) {
        this(dimension, config, Calibration.DEFAULT);
    }

    public DuplicateFinder(int dimension, Config config, Calibration prior) {
        if (dimension <= 0) throw new IllegalArgumentException("dimension must be positive");
        this.dim = dimension;
        this.stride = 2 * dimension;
        this.config = Objects.requireNonNull(config);
        this.prior = Objects.requireNonNull(prior);
        this.calibration = prior;
        this.hyperplanes = new float[SKETCH_BITS * stride];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(0x5EEDL);
        for (int i = 0; i < hyperplanes.length; i++) {
            double u = rnd.nextDouble(), w = rnd.nextDouble();
            hyperplanes[i] = (float) (Math.sqrt(-2 * Math.log(Math.max(u, 1e-300))) * Math.cos(2 * Math.PI * w));
        }
    }

    /** SimHash of a vector: sign of its projection on fixed random hyperplanes (angle-preserving). */
    private long[] sketch(float[] v) {
        long[] out = new long[SKETCH_WORDS];
        for (int b = 0; b < SKETCH_BITS; b++) {
            if (dot(v, hyperplanes, b * stride, stride) >= 0) out[b >>> 6] |= 1L << (b & 63);
        }
        return out;
    }

    /** Changes how far back closed tickets count as candidates (open ones count however old if so configured). */
    public void setWindow(Duration window) {
        if (window == null || window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
        config = config.withWindow(window);
    }

    public Config config() {
        return config;
    }

    public int dimension() {
        return dim;
    }

    // ------------------------------------------------------------------ writes

    /**
     * Adds a ticket without a separate subject vector (its full-text vector stands in for it), or replaces
     * it when the id is already indexed. {@code vector} must be unit length.
     */
    public void add(TicketText ticket, float[] vector, Instant createdAt, boolean isOpen) {
        add(ticket, vector, null, createdAt, isOpen);
    }

    /**
     * Adds a ticket, or replaces it when the id is already indexed.
     *
     * @param vector        unit embedding of the ticket's full text (subject, body, updates)
     * @param subjectVector unit embedding of the subject alone, or null (e.g. no subject): the full-text
     *                      vector stands in for it
     */
    public void add(TicketText ticket, float[] vector, float[] subjectVector, Instant createdAt, boolean isOpen) {
        Objects.requireNonNull(ticket.id(), "ticket id");
        float[] joint = joint(vector, subjectVector);
        Map<String, Float> tf = DupTerms.of(ticket);
        long[] sk = sketch(joint);
        lock.writeLock().lock();
        try {
            Integer old = slotOf.get(ticket.id());
            if (old != null) removeSlot(old);
            int slot = freeCount > 0 ? freeSlots[--freeCount] : highWater++;
            ensureCapacity(slot + 1);
            ids[slot] = ticket.id();
            created[slot] = createdAt.toEpochMilli();
            open[slot] = isOpen;
            System.arraycopy(joint, 0, vectors, slot * stride, stride);
            System.arraycopy(sk, 0, sketches, slot * SKETCH_WORDS, SKETCH_WORDS);
            lexical.add(slot, tf);
            slotOf.put(ticket.id(), slot);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Same as {@link #add}: re-indexes text and vector of a changed ticket. */
    public void update(TicketText ticket, float[] vector, Instant createdAt, boolean isOpen) {
        add(ticket, vector, null, createdAt, isOpen);
    }

    /** Same as {@link #add}: re-indexes text and vectors of a changed ticket. */
    public void update(TicketText ticket, float[] vector, float[] subjectVector, Instant createdAt, boolean isOpen) {
        add(ticket, vector, subjectVector, createdAt, isOpen);
    }

    private static final float HALF_SQRT = (float) Math.sqrt(0.5);

    /**
     * The text whose embedding is a ticket's subject vector, or null when the ticket has no subject of its
     * own (blank, or the whole text): then pass null and the full-text vector stands in. Embedding a blank
     * subject would give every such ticket the same vector.
     */
    public static String subjectText(TicketText t) {
        String s = t.subject().strip();
        if (s.isEmpty() || s.equals(t.fullText().strip())) return null;
        return s;
    }

    /**
     * The stored form of a ticket's vectors: {@code [full, subject] / sqrt(2)}, so that one dot product of
     * two stored vectors is the mean of their full-text cosine and their subject cosine. Both inputs are
     * unit vectors; a missing subject vector is replaced by the full-text one.
     */
    private float[] joint(float[] vector, float[] subjectVector) {
        if (vector.length != dim) throw new IllegalArgumentException("vector has " + vector.length + " dimensions, expected " + dim);
        float[] s = subjectVector == null ? vector : subjectVector;
        if (s.length != dim) throw new IllegalArgumentException("subject vector has " + s.length + " dimensions, expected " + dim);
        float[] out = new float[stride];
        for (int i = 0; i < dim; i++) {
            out[i] = vector[i] * HALF_SQRT;
            out[dim + i] = s[i] * HALF_SQRT;
        }
        return out;
    }

    /** Marks a ticket open or closed; returns false when it is not indexed. */
    public boolean setOpen(String id, boolean isOpen) {
        lock.writeLock().lock();
        try {
            Integer s = slotOf.get(id);
            if (s == null) return false;
            open[s] = isOpen;
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean remove(String id) {
        lock.writeLock().lock();
        try {
            Integer s = slotOf.get(id);
            if (s == null) return false;
            removeSlot(s);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void removeSlot(int slot) {
        slotOf.remove(ids[slot]);
        lexical.remove(slot);
        ids[slot] = null;
        Arrays.fill(vectors, slot * stride, slot * stride + stride, 0f);
        if (freeCount == freeSlots.length) freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeCount * 2));
        freeSlots[freeCount++] = slot;
    }

    private void ensureCapacity(int n) {
        if (ids.length >= n) return;
        int cap = Math.max(n, Math.max(64, ids.length + (ids.length >> 1)));
        ids = Arrays.copyOf(ids, cap);
        created = Arrays.copyOf(created, cap);
        open = Arrays.copyOf(open, cap);
        vectors = Arrays.copyOf(vectors, cap * stride);
        sketches = Arrays.copyOf(sketches, cap * SKETCH_WORDS);
    }

    public int size() {
        lock.readLock().lock();
        try {
            return slotOf.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public boolean contains(String id) {
        lock.readLock().lock();
        try {
            return slotOf.containsKey(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ queries

    /** Candidates for an indexed ticket (the ticket itself is excluded). Empty when the id is unknown. */
    public List<DuplicateCandidate> candidates(String ticketId, Instant now) {
        return candidates(ticketId, now, config.maxCandidates());
    }

    public List<DuplicateCandidate> candidates(String ticketId, Instant now, int limit) {
        lock.readLock().lock();
        try {
            Integer s = slotOf.get(ticketId);
            if (s == null) return List.of();
            float[] v = Arrays.copyOfRange(vectors, s * stride, s * stride + stride);
            return search(ticketId, v, lexical.queryOf(s), now, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Top {@code k} ids by an exact scan regardless of pool size (to check the prefilter). */
    List<String> exactTop(String ticketId, Instant now, int k) {
        lock.readLock().lock();
        try {
            int s = slotOf.get(ticketId);
            float[] v = Arrays.copyOfRange(vectors, s * stride, s * stride + stride);
            long nowMs = now.toEpochMilli();
            int[] top = topK(v, lexical.queryOf(s), s, excludedSlots(ticketId), nowMs, nowMs - config.window().toMillis(),
                    config.openAlwaysEligible(), calibration, k, null);
            List<String> out = new ArrayList<>();
            for (int t : top) out.add(ids[t]);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Candidates for a ticket that may not be indexed yet (e.g. being typed or just received). */
    public List<DuplicateCandidate> candidates(TicketText ticket, float[] vector, Instant now) {
        return candidates(ticket, vector, now, config.maxCandidates());
    }

    public List<DuplicateCandidate> candidates(TicketText ticket, float[] vector, Instant now, int limit) {
        return candidates(ticket, vector, null, now, limit);
    }

    /** As {@link #candidates(TicketText, float[], Instant, int)} with the subject's own vector (may be null). */
    public List<DuplicateCandidate> candidates(TicketText ticket, float[] vector, float[] subjectVector, Instant now,
                                               int limit) {
        float[] joint = joint(vector, subjectVector);
        Map<String, Float> tf = DupTerms.of(ticket);
        lock.readLock().lock();
        try {
            return search(ticket.id(), joint, lexical.query(tf), now, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<DuplicateCandidate> search(String queryId, float[] v, LexicalIndex.Query q, Instant now, int limit) {
        long nowMs = now.toEpochMilli();
        long from = nowMs - config.window().toMillis();
        Integer self = queryId == null ? null : slotOf.get(queryId);
        int selfSlot = self == null ? -1 : self;
        int[] excluded = excludedSlots(queryId);
        Calibration cal = calibration;
        int[] top = highWater <= EXACT_SCAN_LIMIT
                ? topK(v, q, selfSlot, excluded, nowMs, from, config.openAlwaysEligible(), cal, limit, null)
                : topK(v, q, selfSlot, excluded, nowMs, from, config.openAlwaysEligible(), cal, limit, sketch(v));
        List<DuplicateCandidate> out = new ArrayList<>(top.length);
        for (int s : top) out.add(candidate(queryId, s, v, q, cal));
        return out;
    }

    /** Slots dismissed as duplicates of {@code queryId}, sorted. Caller holds the read lock. */
    private int[] excludedSlots(String queryId) {
        Set<String> partners = queryId == null ? null : dismissedPartners.get(queryId);
        if (partners == null || partners.isEmpty()) return new int[0];
        int[] out = new int[partners.size()];
        int n = 0;
        for (String p : partners) {
            Integer s = slotOf.get(p);
            if (s != null && n < out.length) out[n++] = s;
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }

    private DuplicateCandidate candidate(String queryId, int s, float[] v, LexicalIndex.Query q, Calibration cal) {
        double cos = dot(v, vectors, s * stride, stride);
        double lex = lexical.cosine(q, s);
        double p = cal.probability(cos, lex);
        boolean conf = queryId != null && confirmed.contains(pairKey(queryId, ids[s]));
        return new DuplicateCandidate(ids[s], p, cos, lex, lexical.sharedTerms(q, s, MAX_SHARED_TERMS),
                Instant.ofEpochMilli(created[s]), open[s], p >= config.suggestProbability(), conf,
                IssueRewriter.Verdict.UNCHECKED);
    }

    /** Best {@code k} eligible slots by fused score, best first. Caller holds the read lock. */
    private int[] topK(float[] v, LexicalIndex.Query q, int selfSlot, int[] excluded, long nowMs, long from,
                       boolean openOk, Calibration cal, int k, long[] qSketch) {
        int n = highWater;
        // with a sketch: pass 1 keeps the best `keep` by estimated cosine, pass 2 rescores them exactly
        int keep = qSketch == null ? k : Math.max(1000, 50 * k);
        float[] acc = new float[n];
        lexical.accumulate(q, acc);
        float wc = (float) cal.wCos();
        float wl = (float) cal.wLex();
        int[] heap = new int[Math.max(1, keep)];
        float[] heapScore = new float[heap.length];
        int size = 0;
        long[] sk = sketches;
        String[] ids = this.ids;
        long[] created = this.created;
        boolean[] open = this.open;
        for (int s = 0; s < n; s++) {
            long c = created[s];
            if (s == selfSlot || ids[s] == null || c > nowMs || (c < from && !(openOk && open[s]))) continue;
            if (excluded.length > 0 && Arrays.binarySearch(excluded, s) >= 0) continue;
            float cos;
            if (qSketch == null) cos = dot(v, vectors, s * stride, stride);
            else {
                int o = s * SKETCH_WORDS;
                int h = 0;
                for (int w = 0; w < SKETCH_WORDS; w++) h += Long.bitCount(qSketch[w] ^ sk[o + w]);
                cos = COS_OF_HAMMING[h];
            }
            float score = wc * cos + wl * lexical.finish(acc[s], s);
            if (size < keep) {
                heap[size] = s;
                heapScore[size] = score;
                siftUp(heap, heapScore, size++);
            } else if (keep > 0 && score > heapScore[0]) {
                heap[0] = s;
                heapScore[0] = score;
                siftDown(heap, heapScore, size);
            }
        }
        if (qSketch != null) {
            // exact rescoring of the survivors
            for (int i = 0; i < size; i++) {
                int s = heap[i];
                heapScore[i] = wc * dot(v, vectors, s * stride, stride) + wl * lexical.finish(acc[s], s);
            }
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(heapScore[b], heapScore[a]));
        int[] out = new int[Math.min(size, k)];
        for (int i = 0; i < out.length; i++) out[i] = heap[order[i]];
        return out;
    }

    private static void siftUp(int[] h, float[] sc, int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (sc[p] <= sc[i]) break;
            swap(h, sc, p, i);
            i = p;
        }
    }

    private static void siftDown(int[] h, float[] sc, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) break;
            int m = l + 1 < size && sc[l + 1] < sc[l] ? l + 1 : l;
            if (sc[i] <= sc[m]) break;
            swap(h, sc, i, m);
            i = m;
        }
    }

    private static void swap(int[] h, float[] sc, int a, int b) {
        int t = h[a];
        h[a] = h[b];
        h[b] = t;
        float f = sc[a];
        sc[a] = sc[b];
        sc[b] = f;
    }

    /** Dot product of {@code a} with {@code dim} floats of {@code m} at {@code off}; 8 accumulators for ILP. */
    static float dot(float[] a, float[] m, int off, int dim) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        int end = dim & ~7;
        for (; i < end; i += 8) {
            s0 = Math.fma(a[i], m[off + i], s0);
            s1 = Math.fma(a[i + 1], m[off + i + 1], s1);
            s2 = Math.fma(a[i + 2], m[off + i + 2], s2);
            s3 = Math.fma(a[i + 3], m[off + i + 3], s3);
            s4 = Math.fma(a[i + 4], m[off + i + 4], s4);
            s5 = Math.fma(a[i + 5], m[off + i + 5], s5);
            s6 = Math.fma(a[i + 6], m[off + i + 6], s6);
            s7 = Math.fma(a[i + 7], m[off + i + 7], s7);
        }
        for (; i < dim; i++) s0 = Math.fma(a[i], m[off + i], s0);
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    // ------------------------------------------------------------------ evaluation support

    /** Raw evidence of one indexed ticket against every indexed ticket, for offline evaluation. */
    record Evidence(String[] ids, double[] cosine, double[] lexical) {}

    Evidence evidenceAgainstAll(String id) {
        lock.readLock().lock();
        try {
            int s = slotOf.get(id);
            float[] v = Arrays.copyOfRange(vectors, s * stride, s * stride + stride);
            LexicalIndex.Query q = lexical.queryOf(s);
            float[] acc = new float[highWater];
            lexical.accumulate(q, acc);
            String[] outIds = Arrays.copyOf(ids, highWater);
            double[] c = new double[highWater];
            double[] l = new double[highWater];
            for (int t = 0; t < highWater; t++) {
                if (ids[t] == null) continue;
                c[t] = dot(v, vectors, t * stride, stride);
                l[t] = lexical.finish(acc[t], t);
            }
            return new Evidence(outIds, c, l);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ pairs, feedback, threshold

    /** Evidence for two indexed tickets, or null if either is unknown. */
    public DuplicateCandidate pair(String a, String b) {
        lock.readLock().lock();
        try {
            Integer sa = slotOf.get(a);
            Integer sb = slotOf.get(b);
            if (sa == null || sb == null) return null;
            float[] v = Arrays.copyOfRange(vectors, sa * stride, sa * stride + stride);
            return candidate(a, sb, v, lexical.queryOf(sa), calibration);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Records that {@code a} and {@code b} are duplicates; refits the calibration. */
    public void confirm(String a, String b) {
        feedback(a, b, true);
    }

    /** Records that {@code a} and {@code b} are not duplicates: never suggested again; refits the calibration. */
    public void dismiss(String a, String b) {
        feedback(a, b, false);
    }

    /**
     * Takes back a verdict on {@code a} and {@code b} (the dispatcher undid it): the pair is scored as if
     * never judged, so it can be suggested again, and its example leaves the calibration.
     */
    public void forget(String a, String b) {
        String key = pairKey(a, b);
        confirmed.remove(key);
        if (dismissed.remove(key)) {
            partners(a).remove(b);
            partners(b).remove(a);
        }
        if (feedback.remove(key) != null) refit();
    }

    private void feedback(String a, String b, boolean dup) {
        String key = pairKey(a, b);
        if (dup) {
            confirmed.add(key);
            dismissed.remove(key);
            partners(a).remove(b);
            partners(b).remove(a);
        } else {
            dismissed.add(key);
            confirmed.remove(key);
            partners(a).add(b);
            partners(b).add(a);
        }
        DuplicateCandidate ev = pair(a, b);
        if (ev != null) {
            feedback.put(key, new Calibration.Example(ev.cosine(), ev.lexical(), dup));
            refit();
        }
    }

    /** Replays stored feedback (e.g. DuplicateLinks loaded at start-up) with its evidence. */
    public void restoreFeedback(String a, String b, boolean dup, double cosine, double lexical) {
        String key = pairKey(a, b);
        (dup ? confirmed : dismissed).add(key);
        if (!dup) {
            partners(a).add(b);
            partners(b).add(a);
        }
        feedback.put(key, new Calibration.Example(cosine, lexical, dup));
        refit();
    }

    private Set<String> partners(String id) {
        return dismissedPartners.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
    }

    private synchronized void refit() {
        calibration = Calibration.fit(prior, List.copyOf(feedback.values())).withBoundaryWithin(config.suggestProbability());
    }

    public boolean isDismissed(String a, String b) {
        return dismissed.contains(pairKey(a, b));
    }

    public boolean isConfirmed(String a, String b) {
        return confirmed.contains(pairKey(a, b));
    }

    public Calibration calibration() {
        return calibration;
    }

    /**
     * The current decision boundary as a fused score (weighted mean of embedding and lexical cosine) at
     * which the probability reaches {@link Config#suggestProbability}. Moves with feedback.
     */
    public double threshold() {
        return calibration.fusedAt(config.suggestProbability());
    }

    static String pairKey(String a, String b) {
        return a.compareTo(b) <= 0 ? a + '\u0000' + b : b + '\u0000' + a;
    }

    // ------------------------------------------------------------------ bursts and groups

    /**
     * At most this many tickets are compared pairwise by {@link #bursts(Instant, Duration, int)}: the most
     * recent open arrivals in the window. 300 tickets are 44,850 pairs, about 35 M multiply-adds for
     * 384-d vectors (tens of milliseconds on one core), however many tickets an import just added. More
     * than 300 open arrivals in the burst window (10 a minute for 30 minutes) is a flood on its own; the
     * most recent 300 still hold the incident's latest reports, though a burst's size then counts at
     * most 300.
     */
    public static final int BURST_SCAN_LIMIT = 300;

    /**
     * Groups of at least {@code minSize} open tickets created within {@code window} before {@code now}
     * that are linked by suggested-duplicate pairs (single linkage; each member is above threshold with at
     * least one other member and every member is above threshold with the group's medoid or linked through
     * confirms). Largest first. A burst is about work arriving now: closed or resolved tickets (decided
     * history, even one imported a minute ago) never count, and of the open ones only the
     * {@value #BURST_SCAN_LIMIT} most recent are compared, so the cost is bounded.
     */
    public List<Burst> bursts(Instant now, Duration window, int minSize) {
        return bursts(now, window, minSize, BURST_SCAN_LIMIT);
    }

    /** As {@link #bursts(Instant, Duration, int)}, comparing at most the {@code maxTickets} most recent open arrivals. */
    public List<Burst> bursts(Instant now, Duration window, int minSize, int maxTickets) {
        if (maxTickets < 0) throw new IllegalArgumentException("maxTickets must not be negative");
        long nowMs = now.toEpochMilli();
        long from = nowMs - window.toMillis();
        List<String> recent = new ArrayList<>();
        lock.readLock().lock();
        try {
            int n = 0;
            int[] slots = new int[16];
            for (int s = 0; s < highWater; s++) {
                if (ids[s] != null && open[s] && created[s] >= from && created[s] <= nowMs) {
                    if (n == slots.length) slots = Arrays.copyOf(slots, n * 2);
                    slots[n++] = s;
                }
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = slots[i];
            if (n > maxTickets) {
                // newest first; ties by id so the same tickets are chosen on every run and after a restart
                Arrays.sort(order, Comparator.comparingLong((Integer s) -> created[s]).reversed()
                        .thenComparing(s -> ids[s]));
            }
            for (int i = 0; i < Math.min(n, maxTickets); i++) recent.add(ids[order[i]]);
        } finally {
            lock.readLock().unlock();
        }
        List<Burst> out = new ArrayList<>();
        for (Cluster c : cluster(recent)) {
            if (c.ids.size() < Math.max(2, minSize)) continue;
            out.add(new Burst(c.ids, c.first, c.last, c.meanP, c.terms));
        }
        out.sort(Comparator.comparingInt(Burst::size).reversed().thenComparing(Burst::last, Comparator.reverseOrder()));
        return out;
    }

    /**
     * Connected components of the given tickets under suggested or confirmed duplicate links (dismissed
     * pairs never link), so a queue can show related tickets together. Singletons included; each group
     * oldest first (ties by id); groups in order of their oldest member (ties by id).
     */
    public List<List<String>> groups(Collection<String> ticketIds) {
        List<List<String>> out = new ArrayList<>();
        for (Cluster c : cluster(new ArrayList<>(new java.util.LinkedHashSet<>(ticketIds)))) out.add(c.ids);
        return out;
    }

    private record Cluster(List<String> ids, Instant first, Instant last, double meanP, List<String> terms) {}

    private List<Cluster> cluster(List<String> members) {
        lock.readLock().lock();
        try {
            List<Integer> slots = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (String id : members) {
                Integer s = slotOf.get(id);
                if (s == null) unknown.add(id);
                else slots.add(s);
            }
            int m = slots.size();
            int[] parent = new int[m];
            for (int i = 0; i < m; i++) parent[i] = i;
            double[] pSum = new double[m];
            int[] pCount = new int[m];
            Calibration cal = calibration;
            double suggest = config.suggestProbability();
            LexicalIndex.Query[] qs = new LexicalIndex.Query[m];
            for (int i = 0; i < m; i++) qs[i] = lexical.queryOf(slots.get(i));
            List<int[]> edges = new ArrayList<>();
            List<Double> edgeP = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                int si = slots.get(i);
                for (int j = i + 1; j < m; j++) {
                    int sj = slots.get(j);
                    String key = pairKey(ids[si], ids[sj]);
                    if (dismissed.contains(key)) continue;
                    double cos = dot(vectors, vectors, sj * stride, stride, si * stride);
                    double p;
                    if (confirmed.contains(key)) p = 1;
                    else {
                        // cheap bound first: lexical cosine is at most 1
                        if (cal.probability(cos, 1) < suggest) continue;
                        p = cal.probability(cos, lexical.cosine(qs[i], sj));
                    }
                    if (p >= suggest) {
                        union(parent, i, j);
                        edges.add(new int[] {i, j});
                        edgeP.add(p);
                    }
                }
            }
            Map<Integer, List<Integer>> comps = new LinkedHashMap<>();
            for (int i = 0; i < m; i++) comps.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
            for (int e = 0; e < edges.size(); e++) {
                int r = find(parent, edges.get(e)[0]);
                pSum[r] += edgeP.get(e);
                pCount[r]++;
            }
            List<Cluster> out = new ArrayList<>();
            for (Map.Entry<Integer, List<Integer>> c : comps.entrySet()) {
                List<Integer> idx = c.getValue();
                idx.sort(Comparator.comparingLong((Integer i) -> created[slots.get(i)]).thenComparing(i -> ids[slots.get(i)]));
                List<String> cids = new ArrayList<>();
                for (int i : idx) cids.add(ids[slots.get(i)]);
                Instant first = Instant.ofEpochMilli(created[slots.get(idx.get(0))]);
                Instant last = Instant.ofEpochMilli(created[slots.get(idx.get(idx.size() - 1))]);
                int r = c.getKey();
                double meanP = pCount[r] == 0 ? 0 : pSum[r] / pCount[r];
                List<String> terms = idx.size() > 1 ? lexical.sharedTerms(qs[idx.get(0)], slots.get(idx.get(1)), 5) : List.of();
                out.add(new Cluster(cids, first, last, meanP, terms));
            }
            for (String u : unknown) out.add(new Cluster(List.of(u), Instant.EPOCH, Instant.EPOCH, 0, List.of()));
            out.sort(Comparator.comparing(Cluster::first).thenComparing(c -> c.ids().get(0)));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static float dot(float[] a, float[] m, int off, int dim, int aOff) {
        float s = 0;
        for (int i = 0; i < dim; i++) s = Math.fma(a[aOff + i], m[off + i], s);
        return s;
    }

    private static int find(int[] p, int i) {
        while (p[i] != i) {
            p[i] = p[p[i]];
            i = p[i];
        }
        return i;
    }

    private static void union(int[] p, int a, int b) {
        int ra = find(p, a);
        int rb = find(p, b);
        if (ra != rb) p[Math.max(ra, rb)] = Math.min(ra, rb);
    }

    // ------------------------------------------------------------------ optional LLM check

    public void setIssueRewriter(IssueRewriter rewriter) {
        this.rewriter = rewriter;
        rewriteCache.clear();
        verdictCache.clear();
    }

    public boolean hasIssueRewriter() {
        return rewriter != null;
    }

    /** Whether {@link #verify} would send this candidate to the LLM (borderline and not confirmed). */
    public boolean isBorderline(DuplicateCandidate c) {
        return !c.confirmed() && c.probability() >= config.borderlineLow() && c.probability() <= config.borderlineHigh();
    }

    /**
     * Runs the optional {@link IssueRewriter} on borderline candidates (probability within the configured
     * band): SAME raises the probability to at least the band's top, DIFFERENT lowers it to at most the
     * band's bottom, UNSURE leaves it. Slow (LLM calls): call off the UI thread. Without a rewriter the
     * candidates come back unchanged. {@code texts} resolves candidate ids to their text.
     */
    public List<DuplicateCandidate> verify(TicketText query, List<DuplicateCandidate> candidates,
                                           java.util.function.Function<String, TicketText> texts) {
        IssueRewriter r = rewriter;
        if (r == null) return candidates;
        List<DuplicateCandidate> out = new ArrayList<>(candidates.size());
        String qIssue = null;
        for (DuplicateCandidate c : candidates) {
            if (!isBorderline(c)) {
                out.add(c);
                continue;
            }
            TicketText other = texts.apply(c.id());
            if (other == null) {
                out.add(c);
                continue;
            }
            IssueRewriter.Verdict v;
            try {
                if (qIssue == null) qIssue = rewrite(r, query);
                v = judge(r, qIssue, rewrite(r, other));
            } catch (RuntimeException e) {
                v = IssueRewriter.Verdict.UNSURE;
            }
            if (v == null) v = IssueRewriter.Verdict.UNSURE;
            double p = switch (v) {
                case SAME -> Math.max(c.probability(), config.borderlineHigh());
                case DIFFERENT -> Math.min(c.probability(), config.borderlineLow());
                default -> c.probability();
            };
            out.add(c.withVerdict(v, p, config.suggestProbability()));
        }
        out.sort(Comparator.comparingDouble(DuplicateCandidate::probability).reversed());
        return out;
    }

    /** SAME and DIFFERENT are remembered per pair of statements; UNSURE may be a failed call, so it is asked again. */
    private IssueRewriter.Verdict judge(IssueRewriter r, String a, String b) {
        String key = a.compareTo(b) <= 0 ? a + '\u0000' + b : b + '\u0000' + a;
        IssueRewriter.Verdict known = verdictCache.get(key);
        if (known != null) return known;
        IssueRewriter.Verdict v = r.judge(a, b);
        if (v == IssueRewriter.Verdict.SAME || v == IssueRewriter.Verdict.DIFFERENT) verdictCache.put(key, v);
        return v;
    }

    private String rewrite(IssueRewriter r, TicketText t) {
        String key = t.id() == null ? null : t.id() + '\u0000' + t.hashCode();
        if (key == null) return r.rewrite(t);
        return rewriteCache.computeIfAbsent(key, k -> r.rewrite(t));
    }

    // ------------------------------------------------------------------ memory

    /** Estimated bytes held by the index (vectors, postings, bookkeeping). */
    public long estimatedBytes() {
        lock.readLock().lock();
        try {
            long b = (long) vectors.length * 4 + (long) sketches.length * 8 + (long) ids.length * (8 + 1 + 4);
            for (String id : slotOf.keySet()) b += 40 + id.length() + 48; // string + map entry
            return b + lexical.bytesEstimate();
        } finally {
            lock.readLock().unlock();
        }
    }
}
