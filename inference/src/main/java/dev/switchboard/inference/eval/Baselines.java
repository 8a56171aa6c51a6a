package dev.switchboard.inference.eval;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.text.TextAnalyzer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reference engines for the evaluation report: majority class and multinomial Naive Bayes over word
 * counts (Laplace smoothing). Both flag a suggestion confident when its probability reaches the
 * target precision (they have no thresholds of their own).
 */
public final class Baselines {

    private Baselines() {}

    public static TriageEngine majority(List<LabelledTicket> train, double target) {
        return new NaiveBayes(train, target, true);
    }

    public static TriageEngine naiveBayes(List<LabelledTicket> train, double target) {
        return new NaiveBayes(train, target, false);
    }

    private static final class NaiveBayes implements TriageEngine {
        private final Model team;
        private final Model priority;
        private final double target;
        private final boolean priorOnly;

        NaiveBayes(List<LabelledTicket> train, double target, boolean priorOnly) {
            this.target = target;
            this.priorOnly = priorOnly;
            this.team = new Model(train, LabelledTicket::team);
            List<LabelledTicket> withP = train.stream().filter(t -> t.priority() != null && !t.priority().isBlank()).toList();
            this.priority = withP.isEmpty() ? null : new Model(withP, LabelledTicket::priority);
        }

        @Override public String id() {
            return priorOnly ? "majority" : "naive-bayes";
        }

        @Override public TriageSuggestion suggest(TicketText ticket, TriageContext context) {
            long t0 = System.nanoTime();
            List<String> toks = priorOnly ? List.of() : TextAnalyzer.tokens(ticket.fullText());
            List<Prediction> teams = team.predict(toks);
            List<Prediction> prios = priority == null ? List.of() : priority.predict(toks);
            boolean confident = !teams.isEmpty() && teams.get(0).probability() >= target;
            return new TriageSuggestion(TriageSuggestion.Status.OK, teams, prios, confident, "", List.of(), id(), id(), "",
                    (System.nanoTime() - t0) / 1000);
        }
    }

    private static final class Model {
        final List<String> labels = new ArrayList<>();
        final double[] logPrior;
        final Map<String, double[]> counts = new HashMap<>();
        final double[] totals;
        final int vocab;

        Model(List<LabelledTicket> train, Function<LabelledTicket, String> label) {
            Map<String, Integer> idx = new HashMap<>();
            for (LabelledTicket t : train) idx.computeIfAbsent(label.apply(t), k -> { labels.add(k); return labels.size() - 1; });
            int k = labels.size();
            double[] prior = new double[k];
            totals = new double[k];
            for (LabelledTicket t : train) {
                int c = idx.get(label.apply(t));
                prior[c] += t.weight();
                for (String w : TextAnalyzer.tokens(t.text().fullText())) {
                    counts.computeIfAbsent(w, x -> new double[k])[c] += t.weight();
                    totals[c] += t.weight();
                }
            }
            double sum = 0;
            for (double p : prior) sum += p;
            logPrior = new double[k];
            for (int c = 0; c < k; c++) logPrior[c] = Math.log(prior[c] / sum);
            vocab = counts.size();
        }

        List<Prediction> predict(List<String> toks) {
            int k = labels.size();
            double[] z = logPrior.clone();
            for (String w : toks) {
                double[] cnt = counts.get(w);
                if (cnt == null) continue;
                for (int c = 0; c < k; c++) z[c] += Math.log((cnt[c] + 1.0) / (totals[c] + vocab));
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) max = Math.max(max, v);
            double s = 0;
            for (int c = 0; c < k; c++) s += (z[c] = Math.exp(z[c] - max));
            List<Prediction> out = new ArrayList<>();
            for (int c = 0; c < k; c++) out.add(new Prediction(labels.get(c), z[c] / s));
            out.sort(Comparator.comparingDouble(Prediction::probability).reversed());
            return out;
        }
    }
}
