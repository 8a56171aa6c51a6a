package dev.switchboard.inference.dup;

import dev.switchboard.inference.text.TextAnalyzer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TF-IDF cosine over an inverted index, keyed by the caller's integer slots. Weights are sublinear
 * ({@code 1 + ln tf}) times smoothed idf ({@code ln((N+1)/(df+1)) + 1}); scores are cosines in [0, 1].
 *
 * <p>Document norms depend on idf, which drifts as tickets arrive: a norm is computed when its
 * document is added and all norms are refreshed whenever the collection has changed by 10% since the
 * last refresh, so drift stays small at amortised O(1) cost per add.
 *
 * <p>Not thread-safe: the owner guards it (reads may run concurrently with each other, not with writes).
 */
final class LexicalIndex {

    private final Map<String, Integer> termIds = new HashMap<>();
    private final List<String> terms = new ArrayList<>();
    private int[] df = new int[1024];
    private int[][] postings = new int[1024][];
    private float[][] postingW = new float[1024][];
    private int[] postingSizes = new int[1024];

    private int[][] docTerms = new int[0][];
    private float[][] docTf = new float[0][];
    private float[] docNorm = new float[0];
    private int docs;
    private int changesSinceRefresh;

    int docCount() {
        return docs;
    }

    /** Adds (slot must be free). */
    void add(int slot, Map<String, Float> tf) {
        ensureSlots(slot + 1);
        int[] ids = new int[tf.size()];
        float[] ws = new float[tf.size()];
        int i = 0;
        for (Map.Entry<String, Float> e : tf.entrySet()) {
            int id = termIds.computeIfAbsent(e.getKey(), k -> {
                terms.add(k);
                return terms.size() - 1;
            });
            ensureTerms(id + 1);
            ids[i] = id;
            ws[i] = e.getValue();
            df[id]++;
            int[] p = postings[id];
            if (p == null) {
                postings[id] = p = new int[4];
                postingW[id] = new float[4];
            } else if (postingSizes[id] == p.length) {
                postings[id] = p = Arrays.copyOf(p, p.length * 2);
                postingW[id] = Arrays.copyOf(postingW[id], p.length);
            }
            postingW[id][postingSizes[id]] = (float) tfWeight(ws[i]);
            p[postingSizes[id]++] = slot;
            i++;
        }
        docTerms[slot] = ids;
        docTf[slot] = ws;
        docs++;
        docNorm[slot] = norm(ids, ws);
        maybeRefresh();
    }

    void remove(int slot) {
        int[] ids = docTerms[slot];
        if (ids == null) return;
        for (int id : ids) {
            df[id]--;
            int[] p = postings[id];
            int n = postingSizes[id];
            for (int k = 0; k < n; k++) {
                if (p[k] == slot) {
                    p[k] = p[n - 1];
                    postingW[id][k] = postingW[id][n - 1];
                    postingSizes[id] = n - 1;
                    break;
                }
            }
        }
        docTerms[slot] = null;
        docTf[slot] = null;
        docNorm[slot] = 0;
        docs--;
        maybeRefresh();
    }

    private void maybeRefresh() {
        changesSinceRefresh++;
        if (changesSinceRefresh * 10 > Math.max(docs, 20)) {
            for (int s = 0; s < docTerms.length; s++) if (docTerms[s] != null) docNorm[s] = norm(docTerms[s], docTf[s]);
            changesSinceRefresh = 0;
        }
    }

    double idf(int termId) {
        return Math.log((docs + 1.0) / (df[termId] + 1.0)) + 1.0;
    }

    private float norm(int[] ids, float[] ws) {
        double s = 0;
        for (int i = 0; i < ids.length; i++) {
            double w = tfWeight(ws[i]) * idf(ids[i]);
            s += w * w;
        }
        return (float) Math.sqrt(s);
    }

    static double tfWeight(float tf) {
        return tf <= 0 ? 0 : 1 + Math.log(tf);
    }

    /** A query prepared against the current statistics: known term ids and their weights. */
    record Query(int[] ids, double[] weights, double norm) {
        static final Query EMPTY = new Query(new int[0], new double[0], 0);
    }

    Query query(Map<String, Float> tf) {
        int[] ids = new int[tf.size()];
        double[] ws = new double[tf.size()];
        int n = 0;
        double norm = 0;
        for (Map.Entry<String, Float> e : tf.entrySet()) {
            Integer id = termIds.get(e.getKey());
            // unseen terms still count in the query norm (they are evidence of difference)
            double idf = id == null || df[id] == 0 ? Math.log(docs + 1.0) + 1.0 : idf(id);
            double w = tfWeight(e.getValue()) * idf;
            norm += w * w;
            if (id != null && df[id] > 0) {
                ids[n] = id;
                ws[n] = w;
                n++;
            }
        }
        return new Query(Arrays.copyOf(ids, n), Arrays.copyOf(ws, n), Math.sqrt(norm));
    }

    /** The indexed document at {@code slot} as a query. */
    Query queryOf(int slot) {
        int[] ids = docTerms[slot];
        if (ids == null) return Query.EMPTY;
        double[] ws = new double[ids.length];
        double norm = 0;
        for (int i = 0; i < ids.length; i++) {
            ws[i] = tfWeight(docTf[slot][i]) * idf(ids[i]);
            norm += ws[i] * ws[i];
        }
        return new Query(ids.clone(), ws, Math.sqrt(norm));
    }

    /** Adds {@code dot(query, doc) / (|q||d|)} into {@code acc[slot]} for every doc sharing a term. */
    void accumulate(Query q, float[] acc) {
        if (q.norm == 0) return;
        for (int i = 0; i < q.ids.length; i++) {
            int id = q.ids[i];
            double qw = q.weights[i] * idf(id) / q.norm;
            float fqw = (float) qw;
            int[] p = postings[id];
            float[] pw = postingW[id];
            int n = postingSizes[id];
            for (int k = 0; k < n; k++) acc[p[k]] += fqw * pw[k];
        }
    }

    /** Turns accumulated dot products into cosines for the given slot. */
    float finish(float acc, int slot) {
        float n = docNorm[slot];
        return n == 0 ? 0 : Math.min(1f, acc / n);
    }

    private float tfOf(int slot, int termId) {
        int[] ids = docTerms[slot];
        // docs' term arrays are small; linear scan avoids a per-posting tf array
        for (int i = 0; i < ids.length; i++) if (ids[i] == termId) return docTf[slot][i];
        return 0;
    }

    /** Cosine between a prepared query and one document, and the shared terms by contribution. */
    double cosine(Query q, int slot) {
        int[] ids = docTerms[slot];
        if (ids == null || q.norm == 0 || docNorm[slot] == 0) return 0;
        double s = 0;
        for (int i = 0; i < q.ids.length; i++) {
            float tf = tfOf(slot, q.ids[i]);
            if (tf > 0) s += q.weights[i] * tfWeight(tf) * idf(q.ids[i]);
        }
        return Math.min(1, s / (q.norm * docNorm[slot]));
    }

    /** Shared terms ranked by their contribution to the cosine, most salient first. */
    List<String> sharedTerms(Query q, int slot, int max) {
        int[] ids = docTerms[slot];
        if (ids == null) return List.of();
        List<double[]> contrib = new ArrayList<>();
        for (int i = 0; i < q.ids.length; i++) {
            float tf = tfOf(slot, q.ids[i]);
            // function words ("habe", "leider", "zur") count in the cosine but are not evidence a
            // dispatcher can use, so they are not offered for highlighting
            if (tf > 0 && !TextAnalyzer.isFunctionWord(terms.get(q.ids[i]))) {
                contrib.add(new double[] {q.ids[i], q.weights[i] * tfWeight(tf) * idf(q.ids[i])});
            }
        }
        contrib.sort((a, b) -> Double.compare(b[1], a[1]));
        // identifiers first (they are what a dispatcher scans for), then words; a word inside a chosen
        // identifier adds nothing to the highlight
        List<String> idents = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (double[] c : contrib) {
            String t = terms.get((int) c[0]);
            (DupTerms.isIdentifier(t) ? idents : words).add(t);
        }
        List<String> out = new ArrayList<>();
        for (String t : idents) {
            if (out.size() >= Math.max(1, max / 2)) break;
            out.add(t);
        }
        List<String> rest = new ArrayList<>(idents.subList(out.size(), idents.size()));
        rest.addAll(0, words);
        for (String t : rest) {
            if (out.size() >= max) break;
            boolean covered = false;
            for (String o : out) if (o.length() > t.length() && o.contains(t)) covered = true;
            if (!covered) out.add(t);
        }
        return out;
    }

    long bytesEstimate() {
        long b = 0;
        for (int s = 0; s < docTerms.length; s++) if (docTerms[s] != null) b += 16L + docTerms[s].length * 8L + 32;
        for (int t = 0; t < terms.size(); t++) b += postings[t] == null ? 0 : 32L + postings[t].length * 8L;
        return b;
    }

    private void ensureSlots(int n) {
        if (docTerms.length >= n) return;
        int cap = Math.max(n, docTerms.length * 2);
        docTerms = Arrays.copyOf(docTerms, cap);
        docTf = Arrays.copyOf(docTf, cap);
        docNorm = Arrays.copyOf(docNorm, cap);
    }

    private void ensureTerms(int n) {
        if (df.length >= n) return;
        int cap = Math.max(n, df.length * 2);
        df = Arrays.copyOf(df, cap);
        postings = Arrays.copyOf(postings, cap);
        postingSizes = Arrays.copyOf(postingSizes, cap);
        postingW = Arrays.copyOf(postingW, cap);
    }
}
