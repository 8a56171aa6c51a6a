package dev.switchboard.inference.eval;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains an engine on a training split (through an {@link EngineFactory}) and scores it on a test
 * split, one ticket at a time, measuring latency. Works for any {@link TriageEngine}.
 */
public final class EvaluateRunner {

    /**
     * @param unrelated       tickets from outside the training data to count confident suggestions on, or
     *                        empty
     * @param unrelatedSource where they came from (for the report)
     */
    public record Options(double targetPrecision, boolean baselines, List<TicketText> unrelated,
                          String unrelatedSource) {
        public Options {
            unrelated = unrelated == null ? List.of() : List.copyOf(unrelated);
        }

        public static Options defaults() {
            return new Options(0.90, false, List.of(), null);
        }
    }

    private EvaluateRunner() {}

    /** The taxonomy implied by labelled data: every team and priority seen, descriptions empty. */
    public static Taxonomy taxonomyOf(List<LabelledTicket> tickets) {
        Set<String> teams = new LinkedHashSet<>();
        Set<String> prios = new LinkedHashSet<>();
        for (LabelledTicket t : tickets) {
            teams.add(t.team());
            if (t.priority() != null && !t.priority().isBlank()) prios.add(t.priority());
        }
        return new Taxonomy(teams.stream().sorted().map(n -> new Taxonomy.Team(n, "")).toList(),
                prios.stream().sorted().map(n -> new Taxonomy.Priority(n, "")).toList());
    }

    public static EvaluationReport run(List<LabelledTicket> train, List<LabelledTicket> test, int duplicatesRemoved,
                                       String engineName, EngineFactory factory, Options options, Progress progress)
            throws Exception {
        Progress p = progress == null ? Progress.NONE : progress;
        List<LabelledTicket> all = new ArrayList<>(train);
        all.addAll(test);
        Taxonomy taxonomy = taxonomyOf(all);
        long t0 = System.nanoTime();
        TriageEngine engine = factory.create(train, taxonomy, p);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Scoring s = score(engine, test, taxonomy, p, true);
        double[] lat = s.latencies.clone();
        Arrays.sort(lat);
        double totalSec = 0;
        for (double l : lat) totalSec += l / 1000.0;
        Map<String, EvaluationReport.Baseline> baselines = new LinkedHashMap<>();
        if (options.baselines()) {
            Scoring maj = score(Baselines.majority(train, options.targetPrecision()), test, taxonomy, p, false);
            baselines.put("majority", new EvaluationReport.Baseline(maj.team, maj.priority));
            Scoring nb = score(Baselines.naiveBayes(train, options.targetPrecision()), test, taxonomy, p, false);
            baselines.put("naive_bayes", new EvaluationReport.Baseline(nb.team, nb.priority));
        }
        EvaluationReport.Unrelated unrelated = options.unrelated().isEmpty() ? null
                : unrelated(engine, options.unrelated(), options.unrelatedSource(), taxonomy, p);
        return new EvaluationReport(engineName, train.size(), test.size(), duplicatesRemoved, trainSeconds,
                percentile(lat, 0.50), percentile(lat, 0.95), totalSec > 0 ? test.size() / totalSec : 0,
                s.fallback, s.errors, s.coldStart, options.targetPrecision(), s.team, s.priority, baselines,
                unrelated, s.reasons);
    }

    private static EvaluationReport.Unrelated unrelated(TriageEngine engine, List<TicketText> tickets, String source,
                                                        Taxonomy taxonomy, Progress p) {
        TriageContext ctx = TriageContext.of(taxonomy);
        int confident = 0;
        double sum = 0;
        for (int i = 0; i < tickets.size(); i++) {
            if (i % 50 == 0) {
                p.checkCancelled();
                p.update(i, tickets.size(), "scoring unrelated tickets");
            }
            TriageSuggestion s = engine.suggest(tickets.get(i), ctx);
            if (s.confident()) confident++;
            sum += s.confidence();
        }
        return new EvaluationReport.Unrelated(source, tickets.size(), confident, sum / tickets.size());
    }

    private record Scoring(LabelMetrics team, LabelMetrics priority, double[] latencies, int fallback, int errors,
                           int coldStart, Map<String, Integer> reasons) {}

    /**
     * Why a suggestion fell back or failed, without the part naming what answered instead ("…; local model
     * used (…)"), so the same cause counts once however the fallback went.
     */
    static String reason(TriageSuggestion s) {
        String note = s.note() == null ? "" : s.note().strip();
        java.util.regex.Matcher m = USED.matcher(note);
        if (m.find()) note = note.substring(0, m.start());
        return note.isBlank() ? "(no reason given)" : note;
    }

    private static final java.util.regex.Pattern USED = java.util.regex.Pattern.compile("; (?:local model|\\S+ engine) used");

    private static Scoring score(TriageEngine engine, List<LabelledTicket> test, Taxonomy taxonomy, Progress p,
                                 boolean report) {
        TriageContext ctx = TriageContext.of(taxonomy);
        List<LabelMetrics.Scored> teams = new ArrayList<>();
        List<LabelMetrics.Scored> prios = new ArrayList<>();
        double[] lat = new double[test.size()];
        int fallback = 0, errors = 0, cold = 0;
        Map<String, Integer> reasons = new java.util.HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            if (i % 50 == 0) {
                p.checkCancelled();
                if (report) p.update(i, test.size(), "scoring test tickets");
            }
            LabelledTicket t = test.get(i);
            long a = System.nanoTime();
            TriageSuggestion s = engine.suggest(t.text(), ctx);
            lat[i] = (System.nanoTime() - a) / 1e6;
            switch (s.status()) {
                case FALLBACK -> {
                    fallback++;
                    reasons.merge(reason(s), 1, Integer::sum);
                }
                case ERROR -> {
                    errors++;
                    reasons.merge(reason(s), 1, Integer::sum);
                }
                case COLD_START -> cold++;
                default -> { }
            }
            teams.add(new LabelMetrics.Scored(t.team(), s.teams(), s.confident()));
            if (t.priority() != null && !t.priority().isBlank()) {
                Boolean pc = engine instanceof PriorityConfidence pcf ? pcf.priorityConfident(s) : null;
                prios.add(new LabelMetrics.Scored(t.priority(), s.priorities(), pc));
            }
        }
        Map<String, Integer> byCount = new LinkedHashMap<>();
        reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> byCount.put(e.getKey(), e.getValue()));
        return new Scoring(LabelMetrics.compute(teams), prios.isEmpty() ? null : LabelMetrics.compute(prios), lat,
                fallback, errors, cold, byCount);
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
