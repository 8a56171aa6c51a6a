package dev.switchboard.inference.local;

import dev.switchboard.inference.Progress;
import java.util.List;
import java.util.Random;

/**
 * Multinomial logistic regression on sparse features, trained by SGD with L2 regularisation (weight
 * scale trick, so each step touches only the active features). Immutable once trained.
 */
final class SoftmaxRegression {

    final int features;
    final int classes;
    final float[] w; // [feature * classes + class]
    final float[] bias;

    SoftmaxRegression(int features, int classes, float[] w, float[] bias) {
        this.features = features;
        this.classes = classes;
        this.w = w;
        this.bias = bias;
    }

    record Params(int epochs, double lambda, double eta0, long seed) {}

    /**
     * @param rows   indices into {@code x} to train on
     * @param weight per-example weight (index like {@code x})
     */
    static SoftmaxRegression train(List<SparseVec> x, int[] y, double[] weight, int[] rows, int features,
                                   int classes, Params p, Progress progress) {
        float[] w = new float[features * classes];
        float[] bias = new float[classes];
        double scale = 1.0;
        int n = rows.length;
        int[] order = rows.clone();
        Random rnd = new Random(p.seed());
        double[] prob = new double[classes];
        float[] acc = new float[classes];
        float[] gk = new float[classes];
        int[] active = new int[classes];
        long t = 0;
        double lambda = p.lambda();
        for (int epoch = 0; epoch < p.epochs(); epoch++) {
            progress.checkCancelled();
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int r = 0; r < n; r++) {
                int ex = order[r];
                double sw = weight[ex];
                if (sw <= 0) continue;
                double eta = p.eta0() / (1.0 + (double) t / n);
                t++;
                SparseVec v = x.get(ex);
                scores(w, bias, scale, v, classes, prob, acc);
                softmaxInPlace(prob);
                // L2 shrink of all weights through the scale
                scale *= (1.0 - eta * lambda);
                if (scale < 1e-6) {
                    for (int i = 0; i < w.length; i++) w[i] = (float) (w[i] * scale);
                    scale = 1.0;
                }
                int yi = y[ex];
                double step = eta * sw / scale;
                int[] idx = v.idx();
                float[] val = v.val();
                // feature-major update (contiguous per feature); classes with a negligible gradient get 0
                int nActive = 0;
                for (int k = 0; k < classes; k++) {
                    double g = prob[k] - (k == yi ? 1.0 : 0.0);
                    if (Math.abs(g) < 1e-5) {
                        gk[k] = 0f;
                        continue;
                    }
                    gk[k] = (float) (g * step);
                    active[nActive++] = k;
                    bias[k] -= (float) (eta * sw * g * 0.1);
                }
                if (nActive * 4 < classes) {
                    // few classes with a gradient (the usual case once trained a little): touch only those
                    // (the others would subtract exactly 0)
                    for (int a = 0; a < idx.length; a++) {
                        int base = idx[a] * classes;
                        float xv = val[a];
                        for (int j = 0; j < nActive; j++) {
                            int k = active[j];
                            w[base + k] -= gk[k] * xv;
                        }
                    }
                } else {
                    for (int a = 0; a < idx.length; a++) {
                        int base = idx[a] * classes;
                        float xv = val[a];
                        for (int k = 0; k < classes; k++) w[base + k] -= gk[k] * xv;
                    }
                }
            }
        }
        if (scale != 1.0) for (int i = 0; i < w.length; i++) w[i] = (float) (w[i] * scale);
        return new SoftmaxRegression(features, classes, w, bias);
    }

    private static void scores(float[] w, float[] bias, double scale, SparseVec v, int classes, double[] out,
                               float[] acc) {
        int[] idx = v.idx();
        float[] val = v.val();
        java.util.Arrays.fill(acc, 0f);
        for (int a = 0; a < idx.length; a++) {
            int base = idx[a] * classes;
            float x = val[a];
            for (int k = 0; k < classes; k++) acc[k] += x * w[base + k];
        }
        for (int k = 0; k < classes; k++) out[k] = acc[k] * scale + bias[k];
    }

    static void softmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double s = 0;
        for (int k = 0; k < z.length; k++) {
            z[k] = Math.exp(z[k] - max);
            s += z[k];
        }
        for (int k = 0; k < z.length; k++) z[k] /= s;
    }

    double[] predict(SparseVec v) {
        double[] p = new double[classes];
        scores(w, bias, 1.0, v, classes, p, new float[classes]);
        softmaxInPlace(p);
        return p;
    }

    /** Contribution of a feature to a class score for an input (for rationales). */
    double weight(int feature, int cls) {
        return w[feature * classes + cls];
    }
}
