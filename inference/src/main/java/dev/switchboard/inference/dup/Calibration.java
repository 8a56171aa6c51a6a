package dev.switchboard.inference.dup;

import java.util.List;

/**
 * Maps a pair's evidence to a duplicate probability: {@code p = sigmoid(bias + wCos*cosine + wLex*lexical)}.
 *
 * <p>The default weights encode a prior, not a fit to any labelled file (see {@link #DEFAULT}). Dispatcher
 * feedback refits the bias and a common scale of the weights by maximum a posteriori logistic regression
 * with a Gaussian prior centred on the defaults, so a handful of confirms/dismisses moves the boundary a
 * little and many move it a lot; with no feedback the defaults stand. The ranking (the weights' ratio)
 * never moves with feedback (see {@link #fit}).
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

    /** Prior standard deviation of the common scale of the weights, relative to the prior's (1 = the prior's). */
    static final double SCALE_SD = 0.5;

    /**
     * MAP logistic regression around {@code prior} over two parameters: the bias and a common scale of the
     * prior's weights (Newton's method). The ratio of the weights, which alone decides the ranking, stays the
     * prior's: dispatchers only ever judge the candidates shown to them, the top of the ranking, so their
     * verdicts say where the boundary lies but are a biased sample for how to rank. A free refit of both
     * weights on such verdicts (hard negatives dismissed, nothing said about the tickets never shown) drove
     * the embedding weight to its floor and lowered recall@1 from 0.621 to 0.561 in a simulation on the
     * GitBugs Hadoop pairs (docs/benchmarks.md, "Duplicates: a soft creation-time prior").
     */
    public static Calibration fit(Calibration prior, List<Example> examples) {
        double b = prior.bias, sc = 1;
        double lb = 1 / (PRIOR_SD * PRIOR_SD), ls = 1 / (SCALE_SD * SCALE_SD);
        for (int iter = 0; iter < 50; iter++) {
            double gb = lb * (b - prior.bias), gs = ls * (sc - 1);
            double hbb = lb, hbs = 0, hss = ls;
            for (Example e : examples) {
                double f = prior.wCos * e.cosine() + prior.wLex * e.lexical();
                double p = 1 / (1 + Math.exp(-(b + sc * f)));
                double y = e.duplicate() ? 1 : 0;
                double v = p * (1 - p);
                gb += p - y;
                gs += (p - y) * f;
                hbb += v;
                hbs += v * f;
                hss += v * f * f;
            }
            double det = hbb * hss - hbs * hbs;
            double db = (hss * gb - hbs * gs) / det, ds = (hbb * gs - hbs * gb) / det;
            // damped: saturated probabilities make a full Newton step overshoot (and cycle back to the prior)
            double now = objective(prior, examples, b, sc), t = 1;
            while (t > 1e-6 && !(objective(prior, examples, b - t * db, sc - t * ds) <= now)) t /= 2;
            if (t <= 1e-6) break;
            b -= t * db;
            sc -= t * ds;
            if (t * (Math.abs(db) + Math.abs(ds)) < 1e-10) break;
        }
        // the scale must stay positive: more similarity never means less likely duplicate
        sc = Math.max(0.05, sc);
        return new Calibration(b, sc * prior.wCos, sc * prior.wLex, examples.size());
    }

    /**
     * Lowest and highest decision boundary (fused score at the suggestion probability) feedback may move to.
     * Verdicts come one-sided: a queue with recurring reports of one kind (a nightly job failing the same way)
     * gets near-identical pairs dismissed again and again, and the likelihood then puts the boundary past
     * exact copies, above any score a pair can reach, so nothing would ever be suggested again (and no
     * verdict could bring it back); many confirms of loose pairs would likewise flood the queue. The pairs
     * themselves stay remembered either way (a dismissed pair never returns).
     */
    public static final double MIN_BOUNDARY = 0.3, MAX_BOUNDARY = 0.9;

    /** This calibration with its bias moved so that the boundary at {@code p} lies within the allowed range. */
    public Calibration withBoundaryWithin(double p) {
        double at = fusedAt(p);
        double target = Math.max(MIN_BOUNDARY, Math.min(MAX_BOUNDARY, at));
        if (target == at) return this;
        double logit = Math.log(p / (1 - p));
        return new Calibration(logit - target * (wCos + wLex), wCos, wLex, feedbackCount);
    }

    /** Negative log posterior of bias {@code b} and scale {@code sc} (what {@link #fit} minimises). */
    private static double objective(Calibration prior, List<Example> examples, double b, double sc) {
        double db = b - prior.bias, ds = sc - 1;
        double loss = 0.5 * db * db / (PRIOR_SD * PRIOR_SD) + 0.5 * ds * ds / (SCALE_SD * SCALE_SD);
        for (Example e : examples) {
            double z = b + sc * (prior.wCos * e.cosine() + prior.wLex * e.lexical());
            // log(1 + exp(-z)) for a duplicate, log(1 + exp(z)) otherwise, computed stably
            double m = e.duplicate() ? -z : z;
            loss += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
        }
        return loss;
    }
}
