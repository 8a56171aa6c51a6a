package dev.switchboard.app.quality;

import dev.switchboard.app.triage.SuggestionCodec;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.eval.LabelMetrics;
import dev.switchboard.persistence.store.SuggestionOutcome;
import dev.switchboard.persistence.store.SuggestionOutcomeReader;
import dev.switchboard.persistence.store.UnansweredSuggestions;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Builds the {@link QualityReport} from the ledger in one streaming pass over the answered suggestions.
 * Per answer it keeps the final labels and the top three suggested ones (label names shared), about
 * 150 bytes, and one long when the answer was timed. One more query counts the suggested tickets nobody
 * answered.
 */
public final class QualityService {

    /** Wrong calls listed in the report. */
    static final int TOP_CONFUSIONS = 10;
    /** Ticket ids kept per wrong call (to show them in the queue). */
    public static final int TICKETS_PER_CONFUSION = 500;

    private final SuggestionOutcomeReader reader;

    public QualityService(SuggestionOutcomeReader reader) {
        this.reader = reader;
    }

    public static QualityService of(dev.switchboard.app.Workspace ws) {
        return new QualityService(new SuggestionOutcomeReader(ws.database()::jdbc));
    }

    /**
     * @param from      answers recorded at or after this instant (null: no bound); for tickets nobody answered,
     *                  their first suggestion naming a team
     * @param to        answers (first suggestions) recorded before this instant (null: no bound)
     * @param engine    only suggestions of this engine id ("local", "llm"); null: all
     * @param cancelled polled between rows; true throws {@link CancellationException}
     */
    public QualityReport compute(Instant from, Instant to, String engine, BooleanSupplier cancelled) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the period is empty: " + from + " is not before " + to);
        }
        List<LabelMetrics.Scored> teams = new ArrayList<>();
        List<LabelMetrics.Scored> priorities = new ArrayList<>();
        Map<String, String> names = new java.util.HashMap<>();
        Map<String, List<Long>> wrong = new java.util.HashMap<>(); // "suggested\0final" -> first ticket ids
        Map<String, Long> engines = new TreeMap<>();
        Map<String, Long> reasons = new TreeMap<>();
        Map<LocalDate, long[]> weeks = new TreeMap<>();
        LongList msAccepted = new LongList();
        LongList msOverridden = new LongList();
        long[] c = new long[7]; // answered, accepted, bulk, team kept, transferred later, kept then transferred, transfers
        reader.forEach(from, to, o -> {
            if (cancelled != null && cancelled.getAsBoolean()) throw new CancellationException("cancelled");
            if (engine != null && !engine.equals(o.engine())) return true;
            c[0]++;
            engines.merge(o.engine(), 1L, Long::sum);
            if (o.accepted()) c[1]++;
            if ("BULK_ACCEPTED".equals(o.kind())) c[2]++;
            if (o.teamKept()) c[3]++;
            if (o.transfers() > 0) c[4]++;
            if (o.transfers() > 0 && o.teamKept()) c[5]++;
            c[6] += o.transfers();
            if (!o.accepted()) reasons.merge(o.reasonCode() == null || o.reasonCode().isBlank() ? "none" : o.reasonCode(), 1L, Long::sum);
            if (o.msToDecide() != null && o.reviewed()) (o.accepted() ? msAccepted : msOverridden).add(o.msToDecide());
            boolean right = o.finalTeam() != null && o.finalTeam().equals(o.suggestedTeam());
            if (!right && o.finalTeam() != null && o.suggestedTeam() != null) {
                List<Long> ids = wrong.computeIfAbsent(o.suggestedTeam() + "\u0000" + o.finalTeam(), k -> new ArrayList<>());
                if (ids.size() < TICKETS_PER_CONFUSION) ids.add(o.ticketId());
            }
            long[] w = weeks.computeIfAbsent(o.decidedAt().atZone(ZoneOffset.UTC).toLocalDate()
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), k -> new long[3]);
            w[0]++;
            if (o.teamKept()) w[1]++;
            if (right) w[2]++;
            if (o.finalTeam() != null) {
                teams.add(new LabelMetrics.Scored(names.computeIfAbsent(o.finalTeam(), k -> k), ranked(o.topTeams(), o.suggestedTeam(), o.confidence(), names),
                        o.confident()));
            }
            if (o.finalPriority() != null && o.suggestedPriority() != null) {
                priorities.add(new LabelMetrics.Scored(names.computeIfAbsent(o.finalPriority(), k -> k), ranked(o.topPriorities(), o.suggestedPriority(), Double.NaN, names),
                        null));
            }
            return true;
        });
        LabelMetrics team = LabelMetrics.compute(teams);
        List<QualityReport.Confusion> confusions = new ArrayList<>();
        team.confusion().forEach((actual, row) -> row.forEach((suggested, n) -> {
            if (!suggested.equals(actual)) {
                confusions.add(new QualityReport.Confusion(suggested, actual, n, wrong.get(suggested + "\u0000" + actual)));
            }
        }));
        confusions.sort(Comparator.comparingInt(QualityReport.Confusion::count).reversed()
                .thenComparing(QualityReport.Confusion::suggested).thenComparing(QualityReport.Confusion::actual));
        List<QualityReport.Week> weekList = new ArrayList<>();
        weeks.forEach((d, w) -> weekList.add(new QualityReport.Week(d, w[0], w[1], w[2])));
        if (cancelled != null && cancelled.getAsBoolean()) throw new CancellationException("cancelled");
        UnansweredSuggestions unanswered = reader.unanswered(from, to, engine);
        return new QualityReport(from, to, engine, c[0], c[1], c[2], c[3], c[4], c[5], c[6], team,
                LabelMetrics.compute(priorities), LabelMetrics.reliability(teams, 10), engines, reasons,
                List.copyOf(confusions.subList(0, Math.min(TOP_CONFUSIONS, confusions.size()))), msAccepted.median(),
                msOverridden.median(), weekList, unanswered);
    }

    /**
     * The first three of the stored ranked list (all hit@3 and calibration read), label names shared; when
     * the list is empty (an old or damaged row), the top label alone.
     */
    private static List<Prediction> ranked(String stored, String top, double confidence, Map<String, String> names) {
        List<Prediction> ps = SuggestionCodec.decodePredictions(stored);
        if (ps.isEmpty() && top != null) ps = List.of(new Prediction(top, Double.isNaN(confidence) ? 1.0 : confidence));
        Prediction[] out = new Prediction[Math.min(3, ps.size())];
        for (int i = 0; i < out.length; i++) {
            Prediction p = ps.get(i);
            out[i] = new Prediction(names.computeIfAbsent(p.label(), k -> k), p.probability());
        }
        return List.of(out);
    }

    /** A growable list of longs (one per timed answer) with a median. */
    private static final class LongList {
        private long[] a = new long[64];
        private int n;

        void add(long v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        Long median() {
            if (n == 0) return null;
            long[] s = java.util.Arrays.copyOf(a, n);
            java.util.Arrays.sort(s);
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }
    }
}
