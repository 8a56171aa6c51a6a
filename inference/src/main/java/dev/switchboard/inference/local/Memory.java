package dev.switchboard.inference.local;

import dev.switchboard.inference.TicketText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decided tickets the model remembers: embedding index for the neighbour vote and incremental
 * per-label statistics (counts, embedding centroids, BM25 term counts). Not thread-safe on its own:
 * {@link LocalModel} guards it with a read-write lock.
 */
final class Memory {

    record Entry(String id, TicketText text, String team, String priority, double weight,
                 Map<String, Integer> terms, int length) {}

    /** Statistics for one label set (teams or priorities). */
    static final class LabelStats {
        final List<String> labels = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();
        final int dim;
        double[] count = new double[8];
        double[][] centroidSum = new double[8][];
        double[] length = new double[8];
        final Map<String, double[]> tf = new HashMap<>();

        LabelStats(int dim) {
            this.dim = dim;
        }

        int labelOf(String label, boolean create) {
            Integer i = index.get(label);
            if (i != null) return i;
            if (!create) return -1;
            int id = labels.size();
            labels.add(label);
            index.put(label, id);
            if (id >= count.length) {
                int cap = count.length * 2;
                count = Arrays.copyOf(count, cap);
                centroidSum = Arrays.copyOf(centroidSum, cap);
                length = Arrays.copyOf(length, cap);
            }
            centroidSum[id] = new double[dim];
            return id;
        }

        void add(int label, float[] vec, Map<String, Integer> terms, int len, double w, double sign) {
            double sw = sign * w;
            count[label] += sw;
            double[] c = centroidSum[label];
            for (int d = 0; d < dim; d++) c[d] += sw * vec[d];
            length[label] += sw * len;
            for (var e : terms.entrySet()) {
                double[] arr = tf.get(e.getKey());
                if (arr == null) {
                    if (sign < 0) continue;
                    arr = new double[Math.max(8, labels.size())];
                    tf.put(e.getKey(), arr);
                }
                if (label >= arr.length) {
                    arr = Arrays.copyOf(arr, Math.max(labels.size(), label + 1));
                    tf.put(e.getKey(), arr);
                }
                arr[label] += sw * e.getValue();
                if (arr[label] < 1e-9) arr[label] = 0;
            }
        }

        int size() {
            return labels.size();
        }
    }

    final int dim;
    float[] vectors;
    final List<Entry> entries = new ArrayList<>();
    boolean[] alive;
    int[] teamOf;
    int[] priorityOf;
    final Map<String, Integer> slotById = new HashMap<>();
    /** Slots of each requester's decided tickets (by {@link TicketText#requesterKey()}), dead ones included. */
    private final Map<String, int[]> requesterSlots = new HashMap<>();
    final LabelStats teams;
    final LabelStats priorities;
    int aliveCount;
    // lexical index: word TF-IDF vectors (unit length) of every slot, as postings per word feature
    private final TfidfVectorizer lexVz;
    private int[][] postSlot;
    private float[][] postVal;
    private int[] postLen;

    Memory(int dim, int capacity) {
        this(dim, capacity, null);
    }

    /** @param lexVz vectorizer for the lexical neighbour index, or null for none */
    Memory(int dim, int capacity, TfidfVectorizer lexVz) {
        this.lexVz = lexVz;
        int words = lexVz == null ? 0 : lexVz.wordVectorDimension();
        postSlot = new int[words][];
        postVal = new float[words][];
        postLen = new int[words];
        this.dim = dim;
        int cap = Math.max(16, capacity);
        vectors = new float[cap * dim];
        alive = new boolean[cap];
        teamOf = new int[cap];
        priorityOf = new int[cap];
        teams = new LabelStats(dim);
        priorities = new LabelStats(dim);
    }

    int slots() {
        return entries.size();
    }

    float[] vector(int slot) {
        return Arrays.copyOfRange(vectors, slot * dim, slot * dim + dim);
    }

    /** Adds a decided ticket (replacing an earlier decision on the same id); returns its slot. */
    int add(String id, TicketText text, String team, String priority, double weight, float[] vec) {
        if (id != null) remove(id);
        int slot = entries.size();
        if (slot >= alive.length) {
            int cap = alive.length * 2;
            vectors = Arrays.copyOf(vectors, cap * dim);
            alive = Arrays.copyOf(alive, cap);
            teamOf = Arrays.copyOf(teamOf, cap);
            priorityOf = Arrays.copyOf(priorityOf, cap);
        }
        List<String> toks = TfidfVectorizer.unigrams(text.fullText());
        Map<String, Integer> terms = new HashMap<>();
        for (String t : toks) terms.merge(t, 1, Integer::sum);
        Entry e = new Entry(id, text, team, priority, weight, terms, toks.size());
        entries.add(e);
        System.arraycopy(vec, 0, vectors, slot * dim, dim);
        alive[slot] = true;
        aliveCount++;
        int t = teams.labelOf(team, true);
        teamOf[slot] = t;
        teams.add(t, vec, terms, toks.size(), weight, 1);
        if (priority != null && !priority.isBlank()) {
            int p = priorities.labelOf(priority, true);
            priorityOf[slot] = p;
            priorities.add(p, vec, terms, toks.size(), weight, 1);
        } else {
            priorityOf[slot] = -1;
        }
        if (id != null) slotById.put(id, slot);
        String who = text.requesterKey();
        if (!who.isEmpty()) {
            int[] old = requesterSlots.get(who);
            int[] now = old == null ? new int[1] : Arrays.copyOf(old, old.length + 1);
            now[now.length - 1] = slot;
            requesterSlots.put(who, now);
        }
        if (lexVz != null) {
            SparseVec lv = lexVz.wordVector(text.fullText());
            for (int a = 0; a < lv.idx().length; a++) {
                int f = lv.idx()[a];
                int len = postLen[f];
                if (postSlot[f] == null) {
                    postSlot[f] = new int[4];
                    postVal[f] = new float[4];
                } else if (len == postSlot[f].length) {
                    postSlot[f] = Arrays.copyOf(postSlot[f], len * 2);
                    postVal[f] = Arrays.copyOf(postVal[f], len * 2);
                }
                postSlot[f][len] = slot;
                postVal[f][len] = lv.val()[a];
                postLen[f] = len + 1;
            }
        }
        return slot;
    }

    boolean remove(String id) {
        Integer slot = slotById.remove(id);
        if (slot == null || !alive[slot]) return false;
        Entry e = entries.get(slot);
        float[] vec = vector(slot);
        alive[slot] = false;
        aliveCount--;
        teams.add(teamOf[slot], vec, e.terms(), e.length(), e.weight(), -1);
        if (priorityOf[slot] >= 0) priorities.add(priorityOf[slot], vec, e.terms(), e.length(), e.weight(), -1);
        return true;
    }

    /**
     * Weighted count of a requester's live decided tickets per label ({@code labelOf} maps slots to
     * labels, -1 = none), leaving out the slots {@code skip} names; null for an unknown requester or one
     * with nothing counted.
     */
    double[] requesterCounts(String requesterKey, int[] labelOf, int labels, java.util.function.IntPredicate skip) {
        if (requesterKey == null || requesterKey.isEmpty()) return null;
        int[] slots = requesterSlots.get(requesterKey);
        if (slots == null) return null;
        double[] out = null;
        for (int s : slots) {
            if (!alive[s] || labelOf[s] < 0 || labelOf[s] >= labels || (skip != null && skip.test(s))) continue;
            if (out == null) out = new double[labels];
            out[labelOf[s]] += entries.get(s).weight();
        }
        return out;
    }

    boolean hasLexical() {
        return lexVz != null;
    }

    /** Word TF-IDF vector of a text for {@link #lexSimilarities}, or null without a lexical index. */
    SparseVec lexVector(String text) {
        return lexVz == null ? null : lexVz.wordVector(text);
    }

    /** Cosine of a word TF-IDF vector to every slot (0 when nothing shared; dead slots get -2). */
    void lexSimilarities(SparseVec q, float[] out) {
        int n = entries.size();
        Arrays.fill(out, 0, n, 0f);
        if (q != null) {
            for (int a = 0; a < q.idx().length; a++) {
                int f = q.idx()[a];
                if (f >= postLen.length) continue;
                float qv = q.val()[a];
                int[] ps = postSlot[f];
                float[] pv = postVal[f];
                for (int k = 0, m = postLen[f]; k < m; k++) out[ps[k]] += qv * pv[k];
            }
        }
        for (int s = 0; s < n; s++) if (!alive[s]) out[s] = -2f;
    }

    /** Cosine similarity of a unit vector to every slot (dead slots get -2). */
    void similarities(float[] q, float[] out) {
        int n = entries.size();
        float[] v = vectors;
        for (int s = 0; s < n; s++) {
            if (!alive[s]) {
                out[s] = -2f;
                continue;
            }
            int base = s * dim;
            float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            int d = 0;
            for (; d + 3 < dim; d += 4) {
                a0 += q[d] * v[base + d];
                a1 += q[d + 1] * v[base + d + 1];
                a2 += q[d + 2] * v[base + d + 2];
                a3 += q[d + 3] * v[base + d + 3];
            }
            for (; d < dim; d++) a0 += q[d] * v[base + d];
            out[s] = a0 + a1 + a2 + a3;
        }
    }
}
