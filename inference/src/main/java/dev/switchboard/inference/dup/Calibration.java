package dev.switchboard.inference.dup;

import java.util.List;

/**
 * Maps a pair's evidence to a duplicate probability: {@code p = sigmoid(bias + wCos*cosine + wLex*lexical)}.
 *
 * <p>The default weights encode a prior, not a fit to any labelled file (see {@link #DEFAULT}). Dispatcher
 * feedback refits all three parameters by maximum a posteriori logistic regression with a Gaussian prior
 * centred on the defaults, so a handful of confirms/dismisses moves the boundary a little and many move
 * it a lot; with no feedback the defaults stand.
 */
public record Calibration(double bias, double wCos, double wLex, int feedbackCount) {

    /**
     * Default: equal weight on semantic similarity (the finder's mean of text and subject embedding
     * cosines) and lexical cosine (neither signal is trusted over the other without data); p = 0.5 where
     * their mean is 0.5 (e.g. semantic 0.75 and TF-IDF 0.25, typical of reworded reports of one issue,
     * while unrelated tickets sit near 0.15 / 0.02); slope 12 per unit of the mean, so p goes from 0.1 to
     * 0.9 across a mean of 0.32 .. 0.68. Ranking is flat in the relative weight: on the GitBugs Hadoop
     * pairs any lexical weight from 1x to 6x the semantic one gives recall within two queries of the
     * others, so the equal-weight prior was kept rather than fitted to that file.
     */
    public static final Calibration DEFAULT = new Calibration(-6, 6, 6, 0);

    /** Prior standard deviation of each parameter around the default (in logit units). */
    static final double PRIOR_SD = 3.0;

    public double logit(double cosine, double lexical) {
        return bias + wCos * cosine + wLex * lexical;
    }

    public double probability(double cosine, double lexical) {
        return 1 / (1 + Math.exp(-logit(cosine, lexical)));
    }

    /** Ranking score: the weighted mean of the two similarities (monotone in probability). */
    public double fused(double cosine, double lexical) {
        return (wCos * cosine + wLex * lexical) / (wCos + wLex);
    }

    /** The fused score at which the probability is {@code p}. */
    public double fusedAt(double p) {
        double logit = Math.log(p / (1 - p));
        return (logit - bias) / (wCos + wLex);
    }

    /** One labelled pair: its evidence and whether it was confirmed. */
    public record Example(double cosine, double lexical, boolean duplicate) {}

    /** MAP logistic regression around {@code prior} (Newton's method, 3 parameters). */
    public static Calibration fit(Calibration prior, List<Example> examples) {
        double[] w = {prior.bias, prior.wCos, prior.wLex};
        double[] mu = w.clone();
        double lambda = 1 / (PRIOR_SD * PRIOR_SD);
        for (int iter = 0; iter < 25; iter++) {
            double[] g = new double[3];
            double[][] h = new double[3][3];
            for (int k = 0; k < 3; k++) {
                g[k] = lambda * (w[k] - mu[k]);
                h[k][k] = lambda;
            }
            for (Example e : examples) {
                double[] x = {1, e.cosine(), e.lexical()};
                double z = w[0] + w[1] * x[1] + w[2] * x[2];
                double p = 1 / (1 + Math.exp(-z));
                double y = e.duplicate() ? 1 : 0;
                for (int a = 0; a < 3; a++) {
                    g[a] += (p - y) * x[a];
                    for (int b = 0; b < 3; b++) h[a][b] += p * (1 - p) * x[a] * x[b];
                }
            }
            double[] step = solve3(h, g);
            double size = 0;
            for (int k = 0; k < 3; k++) {
                w[k] -= step[k];
                size += Math.abs(step[k]);
            }
            if (size < 1e-9) break;
        }
        // weights must stay positive: more similarity never means less likely duplicate
        return new Calibration(w[0], Math.max(0.1, w[1]), Math.max(0.1, w[2]), examples.size());
    }

    private static double[] solve3(double[][] a, double[] b) {
        double[][] m = new double[3][4];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(a[i], 0, m[i], 0, 3);
            m[i][3] = b[i];
        }
        for (int c = 0; c < 3; c++) {
            int piv = c;
            for (int r = c + 1; r < 3; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            for (int r = 0; r < 3; r++) {
                if (r == c) continue;
                double f = m[r][c] / m[c][c];
                for (int k = c; k < 4; k++) m[r][k] -= f * m[c][k];
            }
        }
        return new double[] {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
    }
}
