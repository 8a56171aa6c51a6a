package dev.switchboard.inference.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Writes an {@link EvaluationReport} as JSON (stable snake_case keys) or as a readable text table. */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    public static Map<String, Object> toMap(EvaluationReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", r.engine());
        m.put("n_train", r.nTrain());
        m.put("n_test", r.nTest());
        m.put("duplicates_removed", r.duplicatesRemoved());
        m.put("train_seconds", round(r.trainSeconds()));
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", round(r.latencyP50Ms()));
        lat.put("p95", round(r.latencyP95Ms()));
        m.put("latency_ms", lat);
        m.put("throughput_per_s", round(r.throughputPerSecond()));
        m.put("fallback", r.fallback());
        m.put("errors", r.errors());
        m.put("cold_start", r.coldStart());
        if (!r.fallbackReasons().isEmpty()) m.put("fallback_reasons", r.fallbackReasons());
        m.put("target_precision", r.targetPrecision());
        m.put("team", metrics(r.team()));
        if (r.priority() != null) m.put("priority", metrics(r.priority()));
        if (!r.baselines().isEmpty()) {
            Map<String, Object> b = new LinkedHashMap<>();
            r.baselines().forEach((name, bl) -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("team", metrics(bl.team()));
                if (bl.priority() != null) x.put("priority", metrics(bl.priority()));
                b.put(name, x);
            });
            m.put("baselines", b);
        }
        if (r.unrelated() != null) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("source", r.unrelated().source());
            u.put("tickets", r.unrelated().tickets());
            u.put("confident", r.unrelated().confident());
            u.put("confident_share", round(r.unrelated().confidentShare()));
            u.put("mean_top_probability", round(r.unrelated().meanConfidence()));
            m.put("unrelated", u);
        }
        return m;
    }

    /** A label set's metrics as the JSON reports write them (the keys of {@code evaluate}'s report). */
    public static Map<String, Object> metrics(LabelMetrics lm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", lm.n());
        m.put("accuracy", round(lm.accuracy()));
        m.put("hit_at_3", round(lm.hitAt3()));
        m.put("macro_f1", round(lm.macroF1()));
        m.put("ece", round(lm.ece()));
        m.put("threshold_precision", nan(lm.thresholdPrecision()));
        m.put("threshold_coverage", nan(lm.thresholdCoverage()));
        Map<String, Object> per = new LinkedHashMap<>();
        lm.perClass().forEach((k, v) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("precision", round(v.precision()));
            c.put("recall", round(v.recall()));
            c.put("support", v.support());
            per.put(k, c);
        });
        m.put("per_class", per);
        m.put("confusion", lm.confusion());
        return m;
    }

    public static Object nan(double v) {
        return Double.isNaN(v) ? null : round(v);
    }

    public static double round(double v) {
        return Math.round(v * 10000.0) / 10000.0;
    }

    public static void writeJson(EvaluationReport r, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        JSON.writeValue(file.toFile(), toMap(r));
    }

    public static String json(EvaluationReport r) {
        try {
            return JSON.writeValueAsString(toMap(r));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Readable summary: headline metrics, baselines, latency, and the per-class table (top 15 by support). */
    public static void printText(EvaluationReport r, PrintWriter out) {
        out.printf(Locale.ROOT, "engine %s: %d train / %d test tickets (%d exact duplicates removed)%n",
                r.engine(), r.nTrain(), r.nTest(), r.duplicatesRemoved());
        out.printf(Locale.ROOT, "train %.1f s; suggestion latency p50 %.1f ms, p95 %.1f ms; %.1f tickets/s%n",
                r.trainSeconds(), r.latencyP50Ms(), r.latencyP95Ms(), r.throughputPerSecond());
        if (r.fallback() + r.errors() + r.coldStart() > 0) {
            out.printf(Locale.ROOT, "fallback %d, errors %d, cold start %d%n", r.fallback(), r.errors(), r.coldStart());
            int shown = 0;
            for (var e : r.fallbackReasons().entrySet()) {
                if (shown++ == 5) {
                    out.printf(Locale.ROOT, "  … %d other reason(s) (all in the report's fallback_reasons)%n", r.fallbackReasons().size() - 5);
                    break;
                }
                out.printf(Locale.ROOT, "  %,d× %s%n", e.getValue(), e.getKey());
            }
            if (r.allFellBack()) {
                out.printf(Locale.ROOT, "WARNING: every test ticket fell back: the figures below are the fallback's, not engine %s's%n",
                        r.engine());
            }
        }
        out.println();
        out.printf(Locale.ROOT, "%-22s %8s %8s %8s %8s %10s %10s%n", "", "top-1", "hit@3", "macroF1", "ECE",
                "thr.prec", "coverage");
        row(out, "team", r.team());
        if (r.priority() != null) row(out, "priority", r.priority());
        r.baselines().forEach((name, b) -> {
            row(out, name + " team", b.team());
            if (b.priority() != null) row(out, name + " priority", b.priority());
        });
        out.printf(Locale.ROOT, "(thresholds for %.2f precision chosen on training data only)%n", r.targetPrecision());
        if (r.unrelated() != null) {
            EvaluationReport.Unrelated u = r.unrelated();
            out.printf(Locale.ROOT, "unrelated tickets (%s): %d scored, %d confident (%.1f %%, each a wrong blind "
                    + "accept), mean top probability %.3f%n", u.source(), u.tickets(), u.confident(),
                    100 * u.confidentShare(), u.meanConfidence());
        }
        out.println();
        out.printf(Locale.ROOT, "%-20s %9s %9s %8s%n", "team", "precision", "recall", "support");
        r.team().perClass().entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue().support(), a.getValue().support()))
                .limit(15)
                .forEach(e -> out.printf(Locale.ROOT, "%-20s %9.3f %9.3f %8d%n", e.getKey(), e.getValue().precision(),
                        e.getValue().recall(), e.getValue().support()));
        if (r.team().perClass().size() > 15) out.printf("(%d more in the JSON report)%n", r.team().perClass().size() - 15);
        out.flush();
    }

    private static void row(PrintWriter out, String name, LabelMetrics m) {
        out.printf(Locale.ROOT, "%-22s %8.3f %8.3f %8.3f %8.3f %10s %10s%n", name, m.accuracy(), m.hitAt3(), m.macroF1(),
                m.ece(), fmt(m.thresholdPrecision()), fmt(m.thresholdCoverage()));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
