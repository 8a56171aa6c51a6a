package dev.switchboard.inference.local;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Second stage of a head: small gradient-boosted regression trees over per-(ticket, label) features
 * that correct the linear blend's logits, trained with the softmax (listwise) log-loss across each
 * ticket's candidate labels. Only each ticket's {@link #TOP} best labels by blend score are scored by
 * the trees; the others keep their blend logit. The number of trees is chosen by five-fold
 * cross-validation on the held-out training predictions; the five fold models, cut at that size, are
 * averaged into the ranker, and a temperature fitted on their cross-validated outputs keeps the
 * probabilities calibrated. Immutable once fitted.
 *
 * <p>Features of a candidate: the blend signals and extra columns (see {@link Head}), its blend logit
 * minus the best one, its blend probability, its rank by blend score, by the linear model, by the
 * embedding neighbour vote, by the lexical neighbour vote, by Complement Naive Bayes, by centroid, by
 * BM25, by the subject and embedding linear models and by top-3 similarity to the label's tickets, and
 * its linear-model margin to the best label.
 */
final class Ranker {

    static final int TOP = 15;
    /** Cross-validation folds of the ranker (trees on 4/5 of the tickets score the fifth). */
    static final int CV_FOLDS = 5;
    /** Boosting of a CV fold stops after this many trees without a held-out gain. */
    static final int PATIENCE = 40;
    static final int NX = Head.NF + Head.NE + 13;
    private static final int B = Head.NF + Head.NE;
    static final String[] FEATURES = {"linear", "knn-vote", "knn-max", "centroid", "bm25", "prior", "lex-vote",
            "lex-max", "requester-lift", "knn-share", "knn-first-pos", "knn-max-gap", "top-sim", "top-lex-sim", "linear-top",
            "log-words", "subject-linear", "cnb", "lex-share", "embedding-linear", "label-max-sim", "label-top3-sim", "label-max-lex", "requester-share", "requester-count", "requester-total", "blend-margin", "blend-prob", "blend-rank", "linear-rank",
            "knn-rank", "lex-rank", "linear-margin", "cnb-rank", "centroid-rank", "bm25-rank", "subject-rank", "embedding-linear-rank", "label-top3-sim-rank"};

    record Params(int maxTrees, int depth, double shrinkage, double l2, double minChildHessian, int minChildRows,
                  int bins, long seed) {
        static Params defaults() {
            return new Params(300, 3, 0.1, 1.0, 0.5, 20, 32, 42);
        }
    }

    /** One tree: internal nodes split on feature <= threshold; leaves hold values. */
    record Tree(int[] feature, double[] threshold, int[] left, int[] right, double[] value) {
        double eval(double[] x) {
            int n = 0;
            while (feature[n] >= 0) n = x[feature[n]] <= threshold[n] ? left[n] : right[n];
            return value[n];
        }
    }

    final List<Tree> trees;
    final double temperature;

    final double treeWeight; // 1 / number of averaged models

    Ranker(List<Tree> trees, double temperature, double treeWeight) {
        this.treeWeight = treeWeight;
        this.trees = trees;
        this.temperature = temperature;
    }

    int size() {
        return trees.size();
    }

    /** Final logits over candidates from their signal rows and blend logits. */
    double[] logits(double[][] f, double[] z) {
        double[] out = z.clone();
        int[] top = topIndices(z);
        double[][] x = features(f, z, top);
        for (int i = 0; i < top.length; i++) {
            double s = 0;
            for (Tree t : trees) s += t.eval(x[i]);
            out[top[i]] += s * treeWeight;
        }
        for (int c = 0; c < out.length; c++) out[c] /= temperature;
        return out;
    }

    // ------------------------------------------------------------------ features

    static int[] topIndices(double[] z) {
        int m = Math.min(TOP, z.length);
        Integer[] o = new Integer[z.length];
        for (int i = 0; i < o.length; i++) o[i] = i;
        Arrays.sort(o, (a, b) -> Double.compare(z[b], z[a]));
        int[] top = new int[m];
        for (int i = 0; i < m; i++) top[i] = o[i];
        return top;
    }

    /** Feature rows of the given candidates (indices into {@code f} and {@code z}). */
    static double[][] features(double[][] f, double[] z, int[] top) {
        int nc = f.length;
        double zMax = Double.NEGATIVE_INFINITY, lrMax = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < nc; c++) {
            zMax = Math.max(zMax, z[c]);
            lrMax = Math.max(lrMax, f[c][0]);
        }
        double lse = 0;
        for (int c = 0; c < nc; c++) lse += Math.exp(z[c] - zMax);
        double[][] x = new double[top.length][NX];
        for (int i = 0; i < top.length; i++) {
            int c = top[i];
            double[] r = x[i];
            System.arraycopy(f[c], 0, r, 0, B);
            r[B] = z[c] - zMax;
            r[B + 1] = Math.exp(z[c] - zMax) / lse;
            r[B + 2] = i;
            r[B + 3] = rank(f, c, 0);
            r[B + 4] = rank(f, c, 1);
            r[B + 5] = rank(f, c, 6);
            r[B + 6] = f[c][0] - lrMax;
            r[B + 7] = rank(f, c, Head.CNB);
            r[B + 8] = rank(f, c, 3);
            r[B + 9] = rank(f, c, 4);
            r[B + 10] = rank(f, c, Head.SUBJECT);
            r[B + 11] = rank(f, c, Head.EMB_LINEAR);
            r[B + 12] = rank(f, c, Head.LABEL_TOP3_SIM);
        }
        return x;
    }

    /** Number of candidates with a strictly higher value of signal j (capped at TOP). */
    private static int rank(double[][] f, int c, int j) {
        int r = 0;
        double v = f[c][j];
        for (double[] row : f) if (row[j] > v && ++r >= TOP) break;
        return r;
    }

    // ------------------------------------------------------------------ fitting

    /** What {@link #fit} returns: the ranker (null when trees did not help) and the CV logits. */
    record Fitted(Ranker ranker, double[][] heldOutLogits, int trees, double cvLossBlend, double cvLossRanker) {}

    /** Training data in candidate-row form. */
    private static final class Data {
        final int tickets;
        final int[] start; // rows of ticket i: start[i] .. start[i+1]-1
        final double[][] x;
        final double[] base; // blend logit per row
        final int[] yRow; // label's row per ticket, or -1 when the label is outside the top
        final double[][] rest; // blend logits outside the top
        final double[] yOutside; // label's blend logit when outside the top
        final double[] w;
        final int[][] topOf;

        Data(double[][][] f, double[][] z, int[] y, double[] w) {
            tickets = f.length;
            start = new int[tickets + 1];
            topOf = new int[tickets][];
            List<double[]> rows = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            yRow = new int[tickets];
            rest = new double[tickets][];
            yOutside = new double[tickets];
            this.w = w;
            for (int i = 0; i < tickets; i++) {
                start[i] = rows.size();
                int[] top = topIndices(z[i]);
                topOf[i] = top;
                double[][] xi = features(f[i], z[i], top);
                boolean[] inTop = new boolean[z[i].length];
                yRow[i] = -1;
                for (int k = 0; k < top.length; k++) {
                    inTop[top[k]] = true;
                    if (top[k] == y[i]) yRow[i] = rows.size();
                    rows.add(xi[k]);
                    b.add(z[i][top[k]]);
                }
                double[] out = new double[z[i].length - top.length];
                int k = 0;
                for (int c = 0; c < z[i].length; c++) if (!inTop[c]) out[k++] = z[i][c];
                rest[i] = out;
                yOutside[i] = y[i] >= 0 && !inTop[y[i]] ? z[i][y[i]] : Double.NaN;
            }
            start[tickets] = rows.size();
            x = rows.toArray(new double[0][]);
            base = new double[b.size()];
            for (int r = 0; r < base.length; r++) base[r] = b.get(r);
        }

        /** Weighted log-loss of ticket i given row scores s; probabilities of the rows into p. */
        double loss(int i, double[] s, double[] p, double temperature) {
            double m = Double.NEGATIVE_INFINITY;
            for (double v : rest[i]) m = Math.max(m, v / temperature);
            for (int r = start[i]; r < start[i + 1]; r++) m = Math.max(m, s[r] / temperature);
            double sum = 0;
            for (double v : rest[i]) sum += Math.exp(v / temperature - m);
            for (int r = start[i]; r < start[i + 1]; r++) sum += Math.exp(s[r] / temperature - m);
            double lse = m + Math.log(sum);
            if (p != null) for (int r = start[i]; r < start[i + 1]; r++) p[r] = Math.exp(s[r] / temperature - lse);
            if (w[i] <= 0) return 0;
            double ly = yRow[i] >= 0 ? s[yRow[i]] / temperature
                    : Double.isNaN(yOutside[i]) ? Double.NaN : yOutside[i] / temperature;
            return Double.isNaN(ly) ? 0 : w[i] * (lse - ly);
        }
    }

    /**
     * Fits the ranker on held-out signal rows {@code f[i][c]} with blend logits {@code z[i][c]} and labels
     * {@code y[i]} (index into the candidates). Returns null ranker when fewer than {@code minTickets}.
     */
    static Fitted fit(double[][][] f, double[][] z, int[] y, double[] w, Params p, int minTickets, int threads,
                      dev.switchboard.inference.Progress progress) {
        int n = f.length;
        if (n < minTickets || f[0].length < 2) return new Fitted(null, null, 0, Double.NaN, Double.NaN);
        Data d = new Data(f, z, y, w);
        double[][] edges = binEdges(d.x, p.bins());
        byte[][] bins = binAll(d.x, edges);
        // K-fold CV by ticket to choose the number of trees (and to give honest held-out scores)
        int K = CV_FOLDS;
        int[] half = new int[n];
        Random rnd = new Random(p.seed());
        for (int i = 0; i < n; i++) half[i] = rnd.nextInt(K);
        double[][] curves = new double[K][];
        double[] cvScore = new double[d.base.length];
        List<List<Tree>> halves = new ArrayList<>();
        for (int k = 0; k < K; k++) halves.add(List.of());
        java.util.function.IntConsumer fitHalf = hh -> {
            boolean[] train = new boolean[n];
            for (int i = 0; i < n; i++) train[i] = half[i] != hh;
            double[] curve = new double[p.maxTrees() + 1];
            List<Tree> ts = boost(d, bins, edges, train, p, p.maxTrees(), curve, progress);
            curves[hh] = Arrays.copyOf(curve, ts.size() + 1);
            synchronized (halves) {
                halves.set(hh, ts);
            }
        };
        java.util.concurrent.atomic.AtomicInteger nextFold = new java.util.concurrent.atomic.AtomicInteger();
        Runnable worker = () -> {
            for (int k; (k = nextFold.getAndIncrement()) < K; ) fitHalf.accept(k);
        };
        if (threads > 1) {
            java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(
                    worker, r -> {
                        Thread t = new Thread(r, "local-model-ranker");
                        t.setDaemon(true);
                        t.start();
                    });
            worker.run();
            try {
                other.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw e;
            }
        } else {
            worker.run();
        }
        int len = Integer.MAX_VALUE;
        for (double[] c : curves) len = Math.min(len, c.length);
        int best = 0;
        double bestSum = Double.POSITIVE_INFINITY, blendLoss = 0;
        for (double[] c : curves) blendLoss += c[0];
        for (int t = 0; t < len; t++) {
            double sum = 0;
            for (double[] c : curves) sum += c[t];
            if (sum < bestSum) {
                bestSum = sum;
                best = t;
            }
        }
        // held-out scores at the chosen size
        for (int i = 0; i < n; i++) {
            List<Tree> ts = halves.get(half[i]);
            for (int r = d.start[i]; r < d.start[i + 1]; r++) {
                double s = d.base[r];
                for (int t = 0; t < best; t++) s += ts.get(t).eval(d.x[r]);
                cvScore[r] = s;
            }
        }
        if (best == 0) return new Fitted(null, null, 0, blendLoss, blendLoss);
        double temp = fitTemperature(d, cvScore);
        double cvLoss = 0;
        for (int i = 0; i < n; i++) cvLoss += d.loss(i, cvScore, null, temp);
        // The deployed ranker is the mean of the K cross-validation models at the chosen size (bagging):
        // the held-out scores that set the temperature and the confidence thresholds come from exactly
        // these models, and no further fit on all tickets is needed.
        List<Tree> all = new ArrayList<>();
        for (List<Tree> ts : halves) all.addAll(ts.subList(0, best));
        Ranker r = new Ranker(all, temp, 1.0 / K);
        double[][] held = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] out = z[i].clone();
            int[] top = d.topOf[i];
            for (int k = 0; k < top.length; k++) out[top[k]] = cvScore[d.start[i] + k];
            for (int c = 0; c < out.length; c++) out[c] /= temp;
            held[i] = out;
        }
        return new Fitted(r, held, best, blendLoss, cvLoss);
    }

    /**
     * Boosts trees on tickets with {@code train[i]} (all when null). When {@code curve} is given, adds the
     * held-out log-loss of the other tickets after 0..maxTrees trees to it.
     */
    private static List<Tree> boost(Data d, byte[][] bins, double[][] edges, boolean[] train, Params p, int trees,
                                    double[] curve, dev.switchboard.inference.Progress progress) {
        int rows = d.base.length;
        double[] s = d.base.clone();
        double[] prob = new double[rows];
        double[] g = new double[rows];
        double[] h = new double[rows];
        List<Tree> out = new ArrayList<>();
        int[] trainRows = rowsOf(d, train, true);
        double bestHeld = Double.POSITIVE_INFINITY;
        int bestAt = 0;
        for (int t = 0; t <= trees; t++) {
            double held = 0;
            for (int i = 0; i < d.tickets; i++) {
                boolean tr = train == null || train[i];
                double l = d.loss(i, s, prob, 1.0);
                if (!tr) held += l;
                if (!tr) continue;
                for (int r = d.start[i]; r < d.start[i + 1]; r++) {
                    double pr = prob[r];
                    g[r] = d.w[i] * (pr - (r == d.yRow[i] ? 1 : 0));
                    h[r] = d.w[i] * Math.max(pr * (1 - pr), 1e-6);
                }
            }
            if (curve != null) {
                curve[t] = held;
                if (held < bestHeld) {
                    bestHeld = held;
                    bestAt = t;
                } else if (t - bestAt >= PATIENCE) {
                    break; // no held-out gain for a while: the rest would not be chosen
                }
            }
            if (t == trees) break;
            if (progress != null) progress.checkCancelled();
            Tree tree = grow(bins, edges, g, h, trainRows, p);
            out.add(tree);
            for (int i = 0; i < d.tickets; i++) {
                for (int r = d.start[i]; r < d.start[i + 1]; r++) s[r] += tree.eval(d.x[r]);
            }
        }
        return out;
    }

    private static int[] rowsOf(Data d, boolean[] train, boolean want) {
        int c = 0;
        for (int i = 0; i < d.tickets; i++) if (train == null || train[i] == want) c += d.start[i + 1] - d.start[i];
        int[] out = new int[c];
        int k = 0;
        for (int i = 0; i < d.tickets; i++) {
            if (train != null && train[i] != want) continue;
            for (int r = d.start[i]; r < d.start[i + 1]; r++) out[k++] = r;
        }
        return out;
    }

    private static Tree grow(byte[][] bins, double[][] edges, double[] g, double[] h, int[] rows, Params p) {
        List<Integer> feat = new ArrayList<>();
        List<Double> thr = new ArrayList<>();
        List<Integer> left = new ArrayList<>();
        List<Integer> right = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        growNode(bins, edges, g, h, rows, 0, p, feat, thr, left, right, val);
        int m = feat.size();
        int[] f = new int[m], l = new int[m], r = new int[m];
        double[] t = new double[m], v = new double[m];
        for (int i = 0; i < m; i++) {
            f[i] = feat.get(i);
            t[i] = thr.get(i);
            l[i] = left.get(i);
            r[i] = right.get(i);
            v[i] = val.get(i);
        }
        return new Tree(f, t, l, r, v);
    }

    /** Gradient, hessian and row count per bin of every feature, for one node's rows. */
    private record Hist(double[][] g, double[][] h, int[][] c) {
        static Hist of(byte[][] bins, double[][] edges, double[] g, double[] h, int[] rows) {
            double[][] hg = new double[NX][], hh = new double[NX][];
            int[][] hc = new int[NX][];
            for (int f = 0; f < NX; f++) {
                int nb = edges[f].length + 1;
                double[] fg = new double[nb], fh = new double[nb];
                int[] fc = new int[nb];
                byte[] col = bins[f];
                for (int r : rows) {
                    int b = col[r] & 0xff;
                    fg[b] += g[r];
                    fh[b] += h[r];
                    fc[b]++;
                }
                hg[f] = fg;
                hh[f] = fh;
                hc[f] = fc;
            }
            return new Hist(hg, hh, hc);
        }

        /** This histogram minus a child's: the sibling's (histogram subtraction). */
        Hist minus(Hist o) {
            double[][] hg = new double[NX][], hh = new double[NX][];
            int[][] hc = new int[NX][];
            for (int f = 0; f < NX; f++) {
                int nb = g[f].length;
                hg[f] = new double[nb];
                hh[f] = new double[nb];
                hc[f] = new int[nb];
                for (int b = 0; b < nb; b++) {
                    hg[f][b] = g[f][b] - o.g[f][b];
                    hh[f][b] = h[f][b] - o.h[f][b];
                    hc[f][b] = c[f][b] - o.c[f][b];
                }
            }
            return new Hist(hg, hh, hc);
        }
    }

    private static boolean splittable(int rows, int depth, Params p) {
        return depth < p.depth() && rows >= 2 * p.minChildRows();
    }

    private static int growNode(byte[][] bins, double[][] edges, double[] g, double[] h, int[] rows, int depth,
                                Params p, List<Integer> feat, List<Double> thr, List<Integer> left,
                                List<Integer> right, List<Double> val) {
        return growNode(bins, edges, g, h, rows, depth, p, feat, thr, left, right, val, null);
    }

    /**
     * Grows a node; {@code hist} is its rows' histogram when the caller has it (null: built here). Of two
     * children that both need a histogram, only the smaller one is built from rows, the other one is the
     * parent's minus it.
     */
    private static int growNode(byte[][] bins, double[][] edges, double[] g, double[] h, int[] rows, int depth,
                                Params p, List<Integer> feat, List<Double> thr, List<Integer> left,
                                List<Integer> right, List<Double> val, Hist hist) {
        int id = feat.size();
        feat.add(-1);
        thr.add(0.0);
        left.add(-1);
        right.add(-1);
        double G = 0, H = 0;
        for (int r : rows) {
            G += g[r];
            H += h[r];
        }
        val.add(-G / (H + p.l2()) * p.shrinkage());
        if (!splittable(rows.length, depth, p)) return id;
        if (hist == null) hist = Hist.of(bins, edges, g, h, rows);
        double parent = G * G / (H + p.l2());
        double bestGain = 1e-9;
        int bestF = -1, bestB = -1;
        for (int f = 0; f < NX; f++) {
            int nb = edges[f].length + 1;
            double[] hg = hist.g()[f], hh = hist.h()[f];
            int[] hc = hist.c()[f];
            double gl = 0, hl = 0;
            int cl = 0;
            for (int b = 0; b < nb - 1; b++) {
                gl += hg[b];
                hl += hh[b];
                cl += hc[b];
                double gr = G - gl, hr = H - hl;
                int cr = rows.length - cl;
                if (cl < p.minChildRows() || cr < p.minChildRows()) continue;
                if (hl < p.minChildHessian() || hr < p.minChildHessian()) continue;
                double gain = gl * gl / (hl + p.l2()) + gr * gr / (hr + p.l2()) - parent;
                if (gain > bestGain) {
                    bestGain = gain;
                    bestF = f;
                    bestB = b;
                }
            }
        }
        if (bestF < 0) return id;
        int nl = 0;
        byte[] col = bins[bestF];
        for (int r : rows) if ((col[r] & 0xff) <= bestB) nl++;
        int[] lr = new int[nl], rr = new int[rows.length - nl];
        int a = 0, b = 0;
        for (int r : rows) {
            if ((col[r] & 0xff) <= bestB) lr[a++] = r;
            else rr[b++] = r;
        }
        feat.set(id, bestF);
        thr.set(id, edges[bestF][bestB]);
        Hist hl = null, hr = null;
        boolean needL = splittable(lr.length, depth + 1, p), needR = splittable(rr.length, depth + 1, p);
        if (needL && needR) {
            if (lr.length <= rr.length) {
                hl = Hist.of(bins, edges, g, h, lr);
                hr = hist.minus(hl);
            } else {
                hr = Hist.of(bins, edges, g, h, rr);
                hl = hist.minus(hr);
            }
        }
        int li = growNode(bins, edges, g, h, lr, depth + 1, p, feat, thr, left, right, val, hl);
        int ri = growNode(bins, edges, g, h, rr, depth + 1, p, feat, thr, left, right, val, hr);
        left.set(id, li);
        right.set(id, ri);
        return id;
    }

    /** Upper edges of up to {@code bins} quantile bins per feature (value <= edge[b] falls in bin b). */
    private static double[][] binEdges(double[][] x, int bins) {
        double[][] edges = new double[NX][];
        int n = x.length;
        int step = Math.max(1, n / 20000);
        for (int f = 0; f < NX; f++) {
            int m = (n + step - 1) / step;
            double[] v = new double[m];
            for (int i = 0, k = 0; i < n && k < m; i += step) v[k++] = x[i][f];
            Arrays.sort(v);
            double[] e = new double[bins - 1];
            int k = 0;
            for (int b = 1; b < bins; b++) {
                double q = v[Math.min(m - 1, (int) ((long) b * m / bins))];
                if (k == 0 || q > e[k - 1]) e[k++] = q;
            }
            // the top edge must leave something to its right
            if (k > 0 && e[k - 1] >= v[m - 1]) k--;
            edges[f] = Arrays.copyOf(e, k);
        }
        return edges;
    }

    private static byte[][] binAll(double[][] x, double[][] edges) {
        byte[][] out = new byte[NX][x.length];
        for (int f = 0; f < NX; f++) {
            double[] e = edges[f];
            for (int r = 0; r < x.length; r++) {
                int b = Arrays.binarySearch(e, x[r][f]);
                if (b < 0) b = -b - 1;
                out[f][r] = (byte) b;
            }
        }
        return out;
    }

    /** Temperature minimising the log-loss of the held-out scores (golden-section search on log T). */
    private static double fitTemperature(Data d, double[] s) {
        double lo = Math.log(0.5), hi = Math.log(2.0);
        double gr = (Math.sqrt(5) - 1) / 2;
        double a = hi - gr * (hi - lo), b = lo + gr * (hi - lo);
        double fa = tempLoss(d, s, Math.exp(a)), fb = tempLoss(d, s, Math.exp(b));
        for (int it = 0; it < 30; it++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - gr * (hi - lo);
                fa = tempLoss(d, s, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + gr * (hi - lo);
                fb = tempLoss(d, s, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    private static double tempLoss(Data d, double[] s, double t) {
        double l = 0;
        for (int i = 0; i < d.tickets; i++) l += d.loss(i, s, null, t);
        return l;
    }
}
