package dev.switchboard.inference.eval;

import dev.switchboard.inference.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Classification metrics for one label set (team or priority).
 *
 * @param thresholdPrecision accuracy among suggestions flagged confident (NaN when none or unknown)
 * @param thresholdCoverage  share of test tickets flagged confident (NaN when the engine has no flag)
 */
public record LabelMetrics(int n, double accuracy, double hitAt3, double macroF1, double ece,
                           Map<String, PerClass> perClass, Map<String, Map<String, Integer>> confusion,
                           double thresholdPrecision, double thresholdCoverage) {

    public record PerClass(double precision, double recall, int support) {}

    /** One scored test ticket: gold label, ranked predictions (may be empty), confident flag or null. */
    public record Scored(String gold, List<Prediction> ranked, Boolean confident) {
        String top() {
            return ranked.isEmpty() ? null : ranked.get(0).label();
        }

        double confidence() {
            return ranked.isEmpty() ? 0 : ranked.get(0).probability();
        }
    }

    public static final int ECE_BINS = 15;

    public static LabelMetrics compute(List<Scored> items) {
        int n = items.size();
        int top1 = 0, hit3 = 0;
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        TreeSet<String> labels = new TreeSet<>();
        int flagged = 0, flaggedOk = 0, flagKnown = 0;
        for (Scored s : items) {
            String top = s.top();
            boolean ok = Objects.equals(top, s.gold());
            if (ok) top1++;
            for (int i = 0; i < Math.min(3, s.ranked().size()); i++) {
                if (s.ranked().get(i).label().equals(s.gold())) {
                    hit3++;
                    break;
                }
            }
            String predLabel = top == null ? "(none)" : top;
            labels.add(s.gold());
            if (top != null) labels.add(top);
            confusion.computeIfAbsent(s.gold(), k -> new TreeMap<>()).merge(predLabel, 1, Integer::sum);
            if (s.confident() != null) {
                flagKnown++;
                if (s.confident()) {
                    flagged++;
                    if (ok) flaggedOk++;
                }
            }
        }
        double ece = 0;
        for (Bin b : reliability(items, ECE_BINS)) ece += (double) b.n() / n * Math.abs(b.accuracy() - b.meanConfidence());
        Map<String, PerClass> per = new TreeMap<>();
        double f1sum = 0;
        for (String l : labels) {
            int tp = confusion.getOrDefault(l, Map.of()).getOrDefault(l, 0);
            int support = confusion.getOrDefault(l, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
            int predicted = 0;
            for (Map<String, Integer> row : confusion.values()) predicted += row.getOrDefault(l, 0);
            double prec = predicted == 0 ? 0 : (double) tp / predicted;
            double rec = support == 0 ? 0 : (double) tp / support;
            double f1 = prec + rec == 0 ? 0 : 2 * prec * rec / (prec + rec);
            f1sum += f1;
            per.put(l, new PerClass(prec, rec, support));
        }
        double macroF1 = labels.isEmpty() ? 0 : f1sum / labels.size();
        double tp = flagged == 0 ? Double.NaN : (double) flaggedOk / flagged;
        double cov = flagKnown == 0 ? Double.NaN : (double) flagged / flagKnown;
        return new LabelMetrics(n, n == 0 ? 0 : (double) top1 / n, n == 0 ? 0 : (double) hit3 / n, macroF1, ece, per,
                confusion, tp, cov);
    }

    /**
     * One confidence bin of a reliability diagram: the tickets whose top probability lies in
     * [{@code lo}, {@code hi}), their mean top probability and how often the top label was right.
     */
    public record Bin(double lo, double hi, int n, double meanConfidence, double accuracy) {}

    /** The non-empty bins of {@code bins} equal-width confidence bins, lowest first (the last one includes 1.0). */
    public static List<Bin> reliability(List<Scored> items, int bins) {
        double[] conf = new double[bins];
        int[] right = new int[bins];
        int[] count = new int[bins];
        for (Scored s : items) {
            double c = s.confidence();
            int b = Math.max(0, Math.min(bins - 1, (int) Math.floor(c * bins)));
            conf[b] += c;
            if (Objects.equals(s.top(), s.gold())) right[b]++;
            count[b]++;
        }
        List<Bin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                out.add(new Bin((double) b / bins, (double) (b + 1) / bins, count[b], conf[b] / count[b],
                        (double) right[b] / count[b]));
            }
        }
        return out;
    }

    /** Labels in the order of the confusion matrix rows and columns. */
    public List<String> labels() {
        TreeSet<String> all = new TreeSet<>(confusion.keySet());
        for (Map<String, Integer> row : confusion.values()) all.addAll(row.keySet());
        return new ArrayList<>(all);
    }
}
