package dev.switchboard.inference.local;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One label set (teams or priorities): the trained linear model, the blend that combines all
 * signals into one calibrated distribution, and confidence thresholds. Immutable.
 *
 * <p>Signals per candidate label c, in this order:
 * <ol>
 *   <li>log P(c) from the linear model over TF-IDF word and character n-grams</li>
 *   <li>log of the similarity-weighted vote of the k nearest decided tickets (sentence embeddings)</li>
 *   <li>highest similarity of a ticket of c among those neighbours</li>
 *   <li>cosine to the centroid of c's tickets (plus c's description from the taxonomy, if any)</li>
 *   <li>BM25 of the ticket against all text c solved, relative to the best label</li>
 *   <li>log(1 + number of tickets of c): the prior</li>
 *   <li>log of the similarity-weighted vote of the k nearest decided tickets by word TF-IDF cosine</li>
 *   <li>highest word TF-IDF cosine of a ticket of c among those lexical neighbours</li>
 *   <li>the requester's lift for c: how much more often the requester's decided tickets went to c than
 *       everyone's (see {@link #REQ_LIFT}; 0 for an unknown requester)</li>
 * </ol>
 */
final class Head {

    static final int NF = 9;
    /**
     * Extra columns after the blend signals, used by the {@link Ranker} only: share of the k neighbours
     * with the label, position of the label's nearest neighbour, the label's best neighbour similarity
     * minus the overall best, the overall best embedding and lexical similarities, the linear model's
     * top probability, log(1 + words in the ticket), and log P(label) from a linear model on the subject
     * alone (set by {@link #setSubjectSignal}).
     */
    static final int NE = 17;
    static final String[] EXTRA = {"knn-share", "knn-first-pos", "knn-max-gap", "top-sim", "top-lex-sim",
            "linear-top", "log-words", "subject-linear", "cnb", "lex-share", "embedding-linear", "label-max-sim",
            "label-top3-sim", "label-max-lex", "requester-share", "requester-count", "requester-total"};
    /**
     * Columns of the requester's own history (set by {@link #setRequesterHistory}): the share of the
     * requester's earlier decided tickets that went to the label, log(1 + their number with the label),
     * and log(1 + the requester's decided tickets in all); all 0 for an unknown requester.
     */
    static final int REQ_SHARE = NF + 14, REQ_COUNT = NF + 15, REQ_TOTAL = NF + 16;
    /**
     * Columns of the similarity of the ticket to the label's own decided tickets, over all of them (not
     * only among the k nearest overall, so labels ranked second to fifth get a measured value too): the
     * highest embedding cosine, the mean of the three highest, and the highest word TF-IDF cosine.
     */
    static final int LABEL_MAX_SIM = NF + 11, LABEL_TOP3_SIM = NF + 12, LABEL_MAX_LEX = NF + 13;
    /**
     * Column of log P(label) from a linear model over the ticket's sentence embedding (standardised per
     * dimension): a discriminative reading of the embedding, where the neighbour vote and centroid are
     * similarity-based.
     */
    static final int EMB_LINEAR = NF + 10;
    /** Column of the subject-only linear model. */
    static final int SUBJECT = NF + 7;
    /**
     * Column of the Complement Naive Bayes score (Rennie et al. 2003) over the label statistics' word
     * counts: per query word (log(1 + count) weighted), log of the smoothed share of the word outside the
     * label, negated, relative to the best label; a different inductive bias from the discriminative
     * linear model, robust on skewed classes.
     */
    static final int CNB = NF + 8;
    /** Column of the share of the k lexical neighbours that carry the label. */
    static final int LEX_SHARE = NF + 9;
    static final double[] DEFAULT_BLEND = {0.6, 0.4, 4.0, 6.0, 1.0, 0.3, 0.2, 1.0, 1.0};
    static final String[] SIGNALS = {"linear", "knn-vote", "knn-max", "centroid", "bm25", "prior", "lex-vote",
            "lex-max", "requester-lift"};
    /**
     * Signal of the requester's history: log of the smoothed share of the requester's decided tickets
     * with the label over the label's share of all tickets (0 for an unknown requester or label), a
     * log-likelihood ratio, so its default blend weight is 1.
     */
    static final int REQ_LIFT = 8;
    /** Pseudo-count (in tickets, spread by the label prior) that smooths a requester's history. */
    static final double REQ_SMOOTHING = 1.0;
    /** Softness of the lexical neighbour vote (cosine units). */
    static final double LEX_TEMPERATURE = 0.1;

    final SoftmaxRegression lr; // null when too little data; classes = first lr.classes labels
    final double[] blend;
    final double[] bias; // per label index at training time (log-odds correction); missing = 0
    final double[] thresholds; // per label index at training time; NaN = use global
    final double globalThreshold;
    final List<String> labels; // labels known at training time, in label-index order
    final Ranker ranker; // second stage over the blend, or null
    final SoftmaxRegression lrSubject; // linear model on the subject alone (ranker feature), or null
    final SoftmaxRegression lrEmb; // linear model on the standardised embedding (ranker feature), or null
    final float[] embMean; // per-dimension mean of the training embeddings (with lrEmb)
    final float[] embScale; // 1 / (std * sqrt(dim)) per dimension (with lrEmb)
    /**
     * Novelty floor: a ticket whose closest decided ticket is less similar than this, by sentence embedding
     * and by words alike, is unlike what the thresholds were learned on (a low quantile of the held-out
     * tickets' closest similarities); NaN = no floor.
     */
    final double noveltySim, noveltyLex;

    Head(SoftmaxRegression lr, double[] blend, double[] thresholds, double globalThreshold, List<String> labels) {
        this(lr, blend, new double[0], thresholds, globalThreshold, labels);
    }

    Head(SoftmaxRegression lr, double[] blend, double[] bias, double[] thresholds, double globalThreshold,
         List<String> labels) {
        this(lr, blend, bias, thresholds, globalThreshold, labels, null, null);
    }

    Head(SoftmaxRegression lr, double[] blend, double[] bias, double[] thresholds, double globalThreshold,
         List<String> labels, Ranker ranker, SoftmaxRegression lrSubject) {
        this(lr, blend, bias, thresholds, globalThreshold, labels, ranker, lrSubject, null, null, null);
    }

    Head(SoftmaxRegression lr, double[] blend, double[] bias, double[] thresholds, double globalThreshold,
         List<String> labels, Ranker ranker, SoftmaxRegression lrSubject, SoftmaxRegression lrEmb, float[] embMean,
         float[] embScale) {
        this(lr, blend, bias, thresholds, globalThreshold, labels, ranker, lrSubject, lrEmb, embMean, embScale,
                Double.NaN, Double.NaN);
    }

    Head(SoftmaxRegression lr, double[] blend, double[] bias, double[] thresholds, double globalThreshold,
         List<String> labels, Ranker ranker, SoftmaxRegression lrSubject, SoftmaxRegression lrEmb, float[] embMean,
         float[] embScale, double noveltySim, double noveltyLex) {
        this.noveltySim = noveltySim;
        this.noveltyLex = noveltyLex;
        this.lrEmb = lrEmb;
        this.embMean = embMean;
        this.embScale = embScale;
        this.ranker = ranker;
        this.lrSubject = lrSubject;
        this.lr = lr;
        this.blend = blend;
        this.bias = bias;
        this.thresholds = thresholds;
        this.globalThreshold = globalThreshold;
        this.labels = List.copyOf(labels);
    }

    static Head untrained(double target) {
        return new Head(null, DEFAULT_BLEND.clone(), new double[0], target, List.of());
    }

    /** Whether a ticket with these closest similarities lies below the novelty floor of both kinds. */
    boolean isNovel(double topSim, double topLex) {
        return !Double.isNaN(noveltySim) && topSim < noveltySim && topLex < noveltyLex;
    }

    double threshold(int label) {
        if (label >= 0 && label < thresholds.length && !Double.isNaN(thresholds[label])) return thresholds[label];
        return globalThreshold;
    }

    /** Probabilities over candidates, from their signal rows (blend, then the ranker if any). */
    double[] probabilities(double[][] f, int[] cand) {
        double[] z = blendLogits(f, cand);
        if (ranker != null) z = ranker.logits(f, z);
        SoftmaxRegression.softmaxInPlace(z);
        return z;
    }

    /** The linear blend's scores (log-odds up to a constant) over candidates. */
    double[] blendLogits(double[][] f, int[] cand) {
        double[] z = new double[f.length];
        for (int c = 0; c < f.length; c++) {
            int l = cand[c];
            double s = l >= 0 && l < bias.length ? bias[l] : 0;
            for (int j = 0; j < NF; j++) s += blend[j] * f[c][j];
            z[c] = s;
        }
        return z;
    }

    // ---------------------------------------------------------------- signals

    record Neighbour(int slot, float sim) {}

    /** k most similar live slots carrying a label of this head, best first; {@code exclude} skipped. */
    static Neighbour[] topK(float[] sims, int n, int[] labelOf, boolean[] alive, int exclude, int k) {
        int[] slot = new int[k];
        float[] sim = new float[k];
        int m = 0;
        for (int s = 0; s < n; s++) {
            if (!alive[s] || s == exclude || labelOf[s] < 0) continue;
            float v = sims[s];
            if (m == k && v <= sim[m - 1]) continue;
            int pos = m < k ? m++ : k - 1;
            while (pos > 0 && sim[pos - 1] < v) {
                sim[pos] = sim[pos - 1];
                slot[pos] = slot[pos - 1];
                pos--;
            }
            sim[pos] = v;
            slot[pos] = s;
        }
        Neighbour[] out = new Neighbour[m];
        for (int i = 0; i < m; i++) out[i] = new Neighbour(slot[i], sim[i]);
        return out;
    }

    /**
     * Signal rows for candidate labels.
     *
     * @param cand      label index per candidate, or -1 for a label nothing was learned about
     * @param candDesc  embedding of each candidate's description, or null entries
     * @param lrProb    linear-model probabilities (length lr.classes) or null
     * @param exclude   slot to leave out (the ticket itself while fitting on training data), or -1
     */
    static double[][] signals(Memory mem, Memory.LabelStats st, int[] labelOf, Neighbour[] nn, float[] q,
                              Map<String, Integer> qterms, double[] lrProb, int exclude, int[] cand,
                              float[][] candDesc, double temperature, Neighbour[] lexNn) {
        int[] removed = null;
        if (exclude >= 0) {
            removed = new int[st.size()];
            Arrays.fill(removed, -1);
            removed[labelOf[exclude]] = exclude;
        }
        return signals(mem, st, labelOf, nn, q, qterms, lrProb, removed, cand, candDesc, temperature, lexNn, null);
    }

    /**
     * Signal rows with decided tickets left out of their label's statistics ({@code removed[label]} =
     * slot, or -1 for none; null = nothing left out). {@code prior}, when given, supplies the label counts
     * of the prior signal instead of {@code st} (used when {@code st} holds other folds only).
     */
    static double[][] signals(Memory mem, Memory.LabelStats st, int[] labelOf, Neighbour[] nn, float[] q,
                              Map<String, Integer> qterms, double[] lrProb, int[] removed, int[] cand,
                              float[][] candDesc, double temperature, Neighbour[] lexNn, Memory.LabelStats prior) {
        int nc = cand.length;
        double[][] f = new double[nc][NF + NE];
        int Ls = st.size();
        double[] remW = new double[Ls];
        double[] remLen = new double[Ls];
        Memory.Entry[] remEntry = new Memory.Entry[Ls];
        if (removed != null) {
            for (int l = 0; l < Math.min(Ls, removed.length); l++) {
                if (removed[l] < 0) continue;
                remEntry[l] = mem.entries.get(removed[l]);
                remW[l] = remEntry[l].weight();
                remLen[l] = remW[l] * remEntry[l].length();
            }
        }
        // neighbour vote
        int L = st.size();
        double[] vote = new double[L];
        float[] maxSim = new float[L];
        Arrays.fill(maxSim, Float.NaN);
        int[] nnCount = new int[L];
        int[] lexCount = new int[L];
        int[] firstPos = new int[L];
        Arrays.fill(firstPos, nn.length);
        double total = 0;
        float floor = nn.length == 0 ? 0f : nn[nn.length - 1].sim() - 0.05f;
        if (nn.length > 0) {
            float top = nn[0].sim();
            for (int i = 0; i < nn.length; i++) {
                Neighbour nb = nn[i];
                int l = labelOf[nb.slot()];
                double w = mem.entries.get(nb.slot()).weight() * Math.exp((nb.sim() - top) / temperature);
                vote[l] += w;
                total += w;
                nnCount[l]++;
                if (Float.isNaN(maxSim[l])) {
                    maxSim[l] = nb.sim();
                    firstPos[l] = i;
                }
            }
        }
        double lrTop = 0;
        if (lrProb != null) for (double v : lrProb) lrTop = Math.max(lrTop, v);
        int words = 0;
        for (int v : qterms.values()) words += v;
        // lexical neighbour vote (neighbours sharing no word are ignored)
        double[] lexVote = new double[L];
        float[] lexMax = new float[L];
        double lexTotal = 0;
        if (lexNn != null && lexNn.length > 0 && lexNn[0].sim() > 0) {
            float top = lexNn[0].sim();
            for (Neighbour nb : lexNn) {
                if (nb.sim() <= 0) break;
                int l = labelOf[nb.slot()];
                double w = mem.entries.get(nb.slot()).weight() * Math.exp((nb.sim() - top) / LEX_TEMPERATURE);
                lexVote[l] += w;
                lexTotal += w;
                lexCount[l]++;
                if (lexMax[l] == 0) lexMax[l] = nb.sim();
            }
        }
        // BM25 over labels
        double[] bm25 = new double[nc];
        double avgLen = 0;
        int withData = 0;
        for (int l = 0; l < L; l++) {
            double len = st.length[l] - remLen[l];
            if (st.count[l] - remW[l] > 1e-9) {
                avgLen += len;
                withData++;
            }
        }
        avgLen = withData == 0 ? 1 : Math.max(1, avgLen / withData);
        final double k1 = 1.2, b = 0.75;
        for (var qe : qterms.entrySet()) {
            double[] tf = st.tf.get(qe.getKey());
            if (tf == null) continue;
            String term = qe.getKey();
            int df = 0;
            for (int l = 0; l < Math.min(L, tf.length); l++) {
                double t = tf[l] - (remEntry[l] == null ? 0 : remW[l] * remEntry[l].terms().getOrDefault(term, 0));
                if (t > 1e-9) df++;
            }
            if (df == 0) continue;
            double idf = Math.log(1 + (withData - df + 0.5) / (df + 0.5));
            for (int c = 0; c < nc; c++) {
                int l = cand[c];
                if (l < 0 || l >= tf.length) continue;
                double t = tf[l] - (remEntry[l] == null ? 0 : remW[l] * remEntry[l].terms().getOrDefault(term, 0));
                if (t <= 1e-9) continue;
                double len = st.length[l] - remLen[l];
                bm25[c] += idf * t * (k1 + 1) / (t + k1 * (1 - b + b * len / avgLen));
            }
        }
        double bmMax = 0;
        for (double v : bm25) bmMax = Math.max(bmMax, v);
        double[] cnb = complementNb(st, qterms, cand, remEntry, remW, remLen);
        int dim = q.length;
        for (int c = 0; c < nc; c++) {
            int l = cand[c];
            double[] row = f[c];
            // a label nothing was learned about (only a description) gets neutral, uniform signals
            boolean unknown = l < 0;
            int known = Math.max(1, withData);
            row[0] = unknown ? Math.log(1.0 / known + 1e-4)
                    : Math.log((lrProb != null && l < lrProb.length ? lrProb[l] : 0) + 1e-4);
            row[1] = unknown ? Math.log(1.0 / known + 1e-3) : Math.log((total > 0 ? vote[l] / total : 0) + 1e-3);
            row[2] = l >= 0 && !Float.isNaN(maxSim[l]) ? maxSim[l] : floor;
            // centroid (leave the ticket itself out while fitting)
            double dot = 0, norm2 = 0;
            double[] sum = l >= 0 ? st.centroidSum[l] : null;
            float[] desc = candDesc == null ? null : candDesc[c];
            boolean self = l >= 0 && l < Ls && remEntry[l] != null;
            float[] exVec = self ? mem.vector(removed[l]) : null;
            double exW = self ? remW[l] : 0;
            double descW = 2.0;
            for (int d = 0; d < dim; d++) {
                double s = 0;
                if (sum != null) s = sum[d];
                if (self) s -= exW * exVec[d];
                if (desc != null) s += descW * desc[d];
                dot += s * q[d];
                norm2 += s * s;
            }
            row[3] = norm2 > 1e-12 ? dot / Math.sqrt(norm2) : 0;
            row[4] = bmMax > 0 ? bm25[c] / bmMax : 0;
            double cnt = l >= 0 ? (prior != null ? prior.count[l] : st.count[l] - (self ? exW : 0)) : 0;
            row[5] = Math.log(1 + Math.max(0, cnt));
            row[6] = unknown || lexTotal <= 0 ? Math.log(1.0 / known + 1e-3) : Math.log(lexVote[l] / lexTotal + 1e-3);
            row[7] = l >= 0 ? lexMax[l] : 0;
            row[NF] = l >= 0 && nn.length > 0 ? nnCount[l] / (double) nn.length : 0;
            row[NF + 1] = l >= 0 ? firstPos[l] : nn.length;
            row[NF + 2] = row[2] - (nn.length > 0 ? nn[0].sim() : 0);
            row[NF + 3] = nn.length > 0 ? nn[0].sim() : 0;
            row[NF + 4] = lexNn != null && lexNn.length > 0 ? Math.max(0, lexNn[0].sim()) : 0;
            row[NF + 5] = lrTop;
            row[NF + 6] = Math.log(1 + words);
            row[CNB] = cnb[c];
            row[LEX_SHARE] = l >= 0 && lexNn != null && lexNn.length > 0 ? lexCount[l] / (double) lexNn.length : 0;
        }
        return f;
    }

    /** Smoothing of the Complement Naive Bayes word counts. */
    static final double CNB_ALPHA = 1.0;

    /**
     * Complement Naive Bayes score per candidate, per unit of query-word weight, minus the best
     * candidate's (so 0 for the best, negative for the others; the lowest score for unknown labels).
     */
    static double[] complementNb(Memory.LabelStats st, Map<String, Integer> qterms, int[] cand,
                                 Memory.Entry[] remEntry, double[] remW, double[] remLen) {
        int L = st.size();
        int nc = cand.length;
        double[] out = new double[nc];
        double total = 0;
        double[] len = new double[L];
        for (int l = 0; l < L; l++) {
            len[l] = Math.max(0, st.length[l] - remLen[l]);
            total += len[l];
        }
        double vocab = Math.max(1, st.tf.size());
        double[] score = new double[L];
        double qsum = 0;
        double[] t = new double[L];
        for (var qe : qterms.entrySet()) {
            double[] tf = st.tf.get(qe.getKey());
            if (tf == null) continue;
            double nt = 0;
            for (int l = 0; l < L; l++) {
                t[l] = l < tf.length ? tf[l] - (remEntry[l] == null ? 0 : remW[l] * remEntry[l].terms().getOrDefault(qe.getKey(), 0)) : 0;
                if (t[l] < 0) t[l] = 0;
                nt += t[l];
            }
            if (nt <= 1e-9) continue;
            double q = Math.log(1 + qe.getValue());
            qsum += q;
            for (int l = 0; l < L; l++) score[l] -= q * Math.log(nt - t[l] + CNB_ALPHA);
        }
        if (qsum <= 0) return out;
        for (int l = 0; l < L; l++) score[l] = (score[l] + qsum * Math.log(total - len[l] + CNB_ALPHA * vocab)) / qsum;
        double best = Double.NEGATIVE_INFINITY, worst = Double.POSITIVE_INFINITY;
        for (int c = 0; c < nc; c++) {
            int l = cand[c];
            if (l < 0 || l >= L) continue;
            best = Math.max(best, score[l]);
            worst = Math.min(worst, score[l]);
        }
        if (best == Double.NEGATIVE_INFINITY) return out;
        for (int c = 0; c < nc; c++) {
            int l = cand[c];
            out[c] = (l >= 0 && l < L ? score[l] : worst) - best;
        }
        return out;
    }

    /** Fills the subject-model column: log P(label), uniform for labels it does not know or without a model. */
    static void setSubjectSignal(double[][] f, int[] cand, double[] p) {
        setLinearColumn(f, cand, p, SUBJECT);
    }

    /** Per-dimension mean and 1 / (std * sqrt(dim)) of the given vectors (the scaled inputs have about unit length). */
    static float[][] standardiser(List<float[]> vecs, int dim) {
        double[] mean = new double[dim], sq = new double[dim];
        for (float[] v : vecs) for (int d = 0; d < dim; d++) {
            mean[d] += v[d];
            sq[d] += (double) v[d] * v[d];
        }
        int n = Math.max(1, vecs.size());
        float[] m = new float[dim], sc = new float[dim];
        for (int d = 0; d < dim; d++) {
            mean[d] /= n;
            double var = Math.max(sq[d] / n - mean[d] * mean[d], 1e-8);
            m[d] = (float) mean[d];
            sc[d] = (float) (1 / (Math.sqrt(var) * Math.sqrt(dim)));
        }
        return new float[][] {m, sc};
    }

    /** The standardised embedding as a (dense) feature vector for a linear model. */
    static SparseVec embeddingFeatures(float[] v, float[] mean, float[] scale) {
        int[] idx = new int[v.length];
        float[] val = new float[v.length];
        for (int d = 0; d < v.length; d++) {
            idx[d] = d;
            val[d] = (v[d] - mean[d]) * scale[d];
        }
        return new SparseVec(idx, val);
    }

    /** The embedding model's probabilities for a ticket vector, or null without one. */
    double[] embeddingProbabilities(float[] q) {
        return lrEmb == null || q == null ? null : lrEmb.predict(embeddingFeatures(q, embMean, embScale));
    }

    /**
     * Per label: the highest similarity of one of its tickets and the mean of its three highest (fewer
     * when it has fewer); NaN for labels without a ticket. Slots with a similarity below -1 (dead or
     * masked) are skipped.
     */
    static double[][] labelSimilarities(float[] sims, int n, int[] labelOf, boolean[] alive, int labels) {
        float[][] top = new float[labels][3];
        int[] cnt = new int[labels];
        for (int s = 0; s < n; s++) {
            int l = labelOf[s];
            float v = sims[s];
            if (l < 0 || l >= labels || !alive[s] || v < -1f) continue;
            float[] t = top[l];
            int m = cnt[l];
            if (m == 3 && v <= t[2]) continue;
            int pos = m < 3 ? m : 2;
            if (m < 3) cnt[l]++;
            while (pos > 0 && t[pos - 1] < v) {
                t[pos] = t[pos - 1];
                pos--;
            }
            t[pos] = v;
        }
        double[][] out = new double[2][labels];
        for (int l = 0; l < labels; l++) {
            if (cnt[l] == 0) {
                out[0][l] = Double.NaN;
                out[1][l] = Double.NaN;
                continue;
            }
            out[0][l] = top[l][0];
            double sum = 0;
            for (int k = 0; k < cnt[l]; k++) sum += top[l][k];
            out[1][l] = sum / cnt[l];
        }
        return out;
    }

    /** Fills the label-similarity columns from {@link #labelSimilarities} of the embedding and lexical cosines. */
    static void setLabelSimilarities(double[][] f, int[] cand, double[][] emb, double[][] lex) {
        for (int c = 0; c < f.length; c++) {
            int l = cand[c];
            boolean e = emb != null && l >= 0 && l < emb[0].length && !Double.isNaN(emb[0][l]);
            boolean x = lex != null && l >= 0 && l < lex[0].length && !Double.isNaN(lex[0][l]);
            f[c][LABEL_MAX_SIM] = e ? emb[0][l] : 0;
            f[c][LABEL_TOP3_SIM] = e ? emb[1][l] : 0;
            f[c][LABEL_MAX_LEX] = x ? Math.max(0, lex[0][l]) : 0;
        }
    }

    /**
     * Fills the requester-history signal and columns from the requester's decided tickets per label
     * ({@code counts}, null = none) and the label counts of all tickets ({@code prior}).
     */
    static void setRequesterHistory(double[][] f, int[] cand, double[] counts, Memory.LabelStats prior) {
        double n = 0;
        if (counts != null) for (double v : counts) n += v;
        double all = 0;
        for (int l = 0; l < prior.size(); l++) all += Math.max(0, prior.count[l]);
        for (int c = 0; c < f.length; c++) {
            int l = cand[c];
            double k = counts != null && l >= 0 && l < counts.length ? counts[l] : 0;
            double pi = l >= 0 && l < prior.size() && all > 0 ? Math.max(0, prior.count[l]) / all : 0;
            // a team none of whose tickets is known (only a description) counts like a known team the
            // requester never used: log(s / (n + s)), whatever its share
            f[c][REQ_LIFT] = n <= 0 ? 0 : pi > 0 ? Math.log((k + REQ_SMOOTHING * pi) / (n + REQ_SMOOTHING) / pi)
                    : Math.log(REQ_SMOOTHING / (n + REQ_SMOOTHING));
            f[c][REQ_SHARE] = n > 0 ? k / n : 0;
            f[c][REQ_COUNT] = Math.log(1 + k);
            f[c][REQ_TOTAL] = Math.log(1 + n);
        }
    }

    /** Fills a linear-model column with log P(label), uniform for labels it does not know or without a model. */
    static void setLinearColumn(double[][] f, int[] cand, double[] p, int col) {
        int known = p == null ? Math.max(1, cand.length) : p.length;
        for (int c = 0; c < f.length; c++) {
            int l = cand[c];
            f[c][col] = p != null && l >= 0 && l < p.length ? Math.log(p[l] + 1e-4) : Math.log(1.0 / known + 1e-4);
        }
    }

    // ---------------------------------------------------------------- fitting

    /**
     * Fits blend weights by Newton's method on weighted log-loss over held-out signal rows, with an
     * L2 pull towards {@link #DEFAULT_BLEND} so that small data sets stay near sensible defaults.
     */
    static double[] fitBlend(double[][][] f, int[] y, double[] weight, double prior) {
        double[] w = DEFAULT_BLEND.clone();
        int n = f.length;
        for (int iter = 0; iter < 30; iter++) {
            double[] g = new double[NF];
            double[][] h = new double[NF][NF];
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double[][] fi = f[i];
                if (y[i] < 0 || weight[i] <= 0) continue;
                double[] p = new double[fi.length];
                for (int c = 0; c < fi.length; c++) {
                    double s = 0;
                    for (int j = 0; j < NF; j++) s += w[j] * fi[c][j];
                    p[c] = s;
                }
                SoftmaxRegression.softmaxInPlace(p);
                double[] mu = new double[NF];
                for (int c = 0; c < fi.length; c++) for (int j = 0; j < NF; j++) mu[j] += p[c] * fi[c][j];
                double sw = weight[i];
                loss -= sw * Math.log(Math.max(1e-12, p[y[i]]));
                for (int j = 0; j < NF; j++) g[j] += sw * (mu[j] - fi[y[i]][j]);
                for (int c = 0; c < fi.length; c++) {
                    if (p[c] < 1e-7) continue;
                    for (int j = 0; j < NF; j++) {
                        double dj = fi[c][j] - mu[j];
                        for (int k = j; k < NF; k++) h[j][k] += sw * p[c] * dj * (fi[c][k] - mu[k]);
                    }
                }
            }
            for (int j = 0; j < NF; j++) {
                g[j] += prior * (w[j] - DEFAULT_BLEND[j]);
                h[j][j] += prior + 1e-6;
                for (int k = 0; k < j; k++) h[j][k] = h[k][j];
            }
            loss = nll(f, y, weight, w, prior);
            double[] step = solve(h, g);
            double maxStep = 0;
            for (int j = 0; j < NF; j++) maxStep = Math.max(maxStep, Math.abs(step[j]));
            double t = maxStep > 5 ? 5 / maxStep : 1;
            // backtracking line search: Newton steps can overshoot far from the optimum
            double[] cand = new double[NF];
            boolean moved = false;
            while (t > 1e-6) {
                for (int j = 0; j < NF; j++) cand[j] = w[j] - t * step[j];
                if (nll(f, y, weight, cand, prior) <= loss) {
                    moved = true;
                    break;
                }
                t /= 2;
            }
            if (!moved) break;
            System.arraycopy(cand, 0, w, 0, NF);
            if (maxStep * t < 1e-6) break;
        }
        return w;
    }

    /**
     * Like {@link #fitBlend} but also fits one bias per label (rows of {@code f} are candidates in label
     * order), pulled towards 0 with strength {@code biasPrior}. Returns NF blend weights then the biases.
     */
    static double[] fitBlendWithBias(double[][][] f, int[] y, double[] weight, double prior, double biasPrior,
                                     int labels) {
        int P = NF + labels;
        double[] w = new double[P];
        System.arraycopy(DEFAULT_BLEND, 0, w, 0, NF);
        int n = f.length;
        for (int iter = 0; iter < 25; iter++) {
            double[] g = new double[P];
            double[][] h = new double[P][P];
            for (int i = 0; i < n; i++) {
                double[][] fi = f[i];
                if (y[i] < 0 || weight[i] <= 0) continue;
                int C = fi.length;
                double[] p = scores(fi, w);
                SoftmaxRegression.softmaxInPlace(p);
                double[] mu = new double[NF];
                for (int c = 0; c < C; c++) for (int j = 0; j < NF; j++) mu[j] += p[c] * fi[c][j];
                double sw = weight[i];
                for (int j = 0; j < NF; j++) g[j] += sw * (mu[j] - fi[y[i]][j]);
                for (int c = 0; c < C; c++) g[NF + c] += sw * (p[c] - (c == y[i] ? 1 : 0));
                for (int c = 0; c < C; c++) {
                    if (p[c] < 1e-7) continue;
                    double swp = sw * p[c];
                    for (int j = 0; j < NF; j++) {
                        double dj = fi[c][j] - mu[j];
                        for (int k = j; k < NF; k++) h[j][k] += swp * dj * (fi[c][k] - mu[k]);
                        h[j][NF + c] += swp * dj;
                    }
                    double[] hr = h[NF + c];
                    hr[NF + c] += swp;
                    for (int d = c; d < C; d++) hr[NF + d] -= swp * p[d];
                }
            }
            for (int j = 0; j < P; j++) {
                boolean isBias = j >= NF;
                g[j] += isBias ? biasPrior * w[j] : prior * (w[j] - DEFAULT_BLEND[j]);
                h[j][j] += (isBias ? biasPrior : prior) + 1e-6;
                for (int k = 0; k < j; k++) h[j][k] = h[k][j];
            }
            double loss = nllBias(f, y, weight, w, prior, biasPrior);
            double[] step = solve(h, g);
            double maxStep = 0;
            for (int j = 0; j < P; j++) maxStep = Math.max(maxStep, Math.abs(step[j]));
            double t = maxStep > 5 ? 5 / maxStep : 1;
            double[] cand = new double[P];
            boolean moved = false;
            while (t > 1e-6) {
                for (int j = 0; j < P; j++) cand[j] = w[j] - t * step[j];
                if (nllBias(f, y, weight, cand, prior, biasPrior) <= loss) {
                    moved = true;
                    break;
                }
                t /= 2;
            }
            if (!moved) break;
            System.arraycopy(cand, 0, w, 0, P);
            if (maxStep * t < 1e-6) break;
        }
        return w;
    }

    private static double[] scores(double[][] fi, double[] w) {
        double[] z = new double[fi.length];
        for (int c = 0; c < fi.length; c++) {
            double s = NF + c < w.length ? w[NF + c] : 0;
            for (int j = 0; j < NF; j++) s += w[j] * fi[c][j];
            z[c] = s;
        }
        return z;
    }

    private static double nllBias(double[][][] f, int[] y, double[] weight, double[] w, double prior,
                                  double biasPrior) {
        double loss = 0;
        for (int i = 0; i < f.length; i++) {
            if (y[i] < 0 || weight[i] <= 0) continue;
            double[] z = scores(f[i], w);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) max = Math.max(max, v);
            double lse = 0;
            for (double v : z) lse += Math.exp(v - max);
            loss += weight[i] * (max + Math.log(lse) - z[y[i]]);
        }
        for (int j = 0; j < NF; j++) loss += 0.5 * prior * (w[j] - DEFAULT_BLEND[j]) * (w[j] - DEFAULT_BLEND[j]);
        for (int j = NF; j < w.length; j++) loss += 0.5 * biasPrior * w[j] * w[j];
        return loss;
    }

    private static double nll(double[][][] f, int[] y, double[] weight, double[] w, double prior) {
        double loss = 0;
        for (int i = 0; i < f.length; i++) {
            double[][] fi = f[i];
            if (y[i] < 0 || weight[i] <= 0) continue;
            double[] z = new double[fi.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < fi.length; c++) {
                double s = 0;
                for (int j = 0; j < NF; j++) s += w[j] * fi[c][j];
                z[c] = s;
                max = Math.max(max, s);
            }
            double lse = 0;
            for (double v : z) lse += Math.exp(v - max);
            loss += weight[i] * (max + Math.log(lse) - z[y[i]]);
        }
        for (int j = 0; j < NF; j++) loss += 0.5 * prior * (w[j] - DEFAULT_BLEND[j]) * (w[j] - DEFAULT_BLEND[j]);
        return loss;
    }

    private static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] t = a[c]; a[c] = a[piv]; a[piv] = t;
            double tb = b[c]; b[c] = b[piv]; b[piv] = tb;
            if (Math.abs(a[c][c]) < 1e-12) continue;
            for (int r = c + 1; r < n; r++) {
                double m = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) a[r][k] -= m * a[c][k];
                b[r] -= m * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
            x[r] = Math.abs(a[r][r]) < 1e-12 ? 0 : s / a[r][r];
        }
        return x;
    }

    /**
     * Lowest confidence at which predictions reach {@code target} precision, scanning from the most
     * confident down and keeping the widest coverage that still meets the target. Returns NaN when
     * fewer than {@code minSupport} predictions are given, and 1.0 (never confident) when the target
     * is never met.
     */
    static double threshold(double[] conf, boolean[] correct, double[] weight, double target, int minSupport) {
        int n = conf.length;
        if (n < minSupport) return Double.NaN;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(conf[b], conf[a]));
        double ok = 0, all = 0;
        double best = 1.0;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            all += weight[i];
            if (correct[i]) ok += weight[i];
            boolean tieNext = r + 1 < n && conf[order[r + 1]] == conf[i];
            if (!tieNext && all > 0 && ok / all >= target && r + 1 >= Math.min(minSupport, 10)) best = conf[i];
        }
        return best;
    }
}
