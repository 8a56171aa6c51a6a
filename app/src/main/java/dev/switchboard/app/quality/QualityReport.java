package dev.switchboard.app.quality;

import dev.switchboard.inference.eval.LabelMetrics;
import dev.switchboard.inference.eval.ReportWriter;
import dev.switchboard.persistence.store.UnansweredSuggestions;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How good the suggestions were that dispatchers answered in a period: the first answer on each ticket
 * against what the ticket finally became (after transfers, the team that kept it).
 *
 * @param answered         tickets whose first answer to a suggestion falls in the period (and engine)
 * @param accepted         answers that took the suggestion as it was (Enter, bulk accept)
 * @param bulkAccepted     of those, bulk accepts nobody looked at
 * @param teamKept         answers that kept the suggested team (a priority change alone counts here)
 * @param transferredLater tickets transferred after the first answer
 * @param keptThenTransferred answers that kept the suggested team and were transferred later: wrong calls a
 *                         dispatcher trusted
 * @param transfers        transfers after the answers, in all (a ticket moved twice counts twice)
 * @param team             suggested teams against the final team (top-1, hit@3, calibration, confident precision
 *                         and coverage, per team, confusion: rows are final teams, columns suggested ones)
 * @param priority         suggested priorities against the final priority (tickets with one)
 * @param reliability      ten confidence bins of the suggested team
 * @param engines          answered suggestions by engine id
 * @param reasons          override reasons given, by code ("none" when the dispatcher gave none)
 * @param confusions       the most frequent wrong calls: suggested team, final team, count
 * @param medianMsAccepted median time from selecting the ticket to deciding, for accepts (null: none timed)
 * @param medianMsOverridden the same for overrides
 * @param weeks            per week (Monday, UTC) of the answer: count, team kept, top-1 right
 * @param unanswered       suggested tickets (of the engine) that nobody has answered yet, by their first suggestion
 *                         naming a team in the period: still waiting, closed without a decision (of them merged as
 *                         duplicates), or decided without answering the suggestion. With {@code answered} they
 *                         make the period's suggested tickets.
 */
public record QualityReport(Instant from, Instant to, String engine, long answered, long accepted, long bulkAccepted,
                            long teamKept, long transferredLater, long keptThenTransferred, long transfers, LabelMetrics team,
                            LabelMetrics priority, List<LabelMetrics.Bin> reliability, Map<String, Long> engines,
                            Map<String, Long> reasons, List<Confusion> confusions, Long medianMsAccepted,
                            Long medianMsOverridden, List<Week> weeks, UnansweredSuggestions unanswered) {

    public QualityReport {
        if (unanswered == null) unanswered = UnansweredSuggestions.NONE;
    }

    /**
     * A recurring wrong call: how many answered tickets were suggested {@code suggested} and kept by
     * {@code actual}, and (at most {@link QualityService#TICKETS_PER_CONFUSION} of) their ticket ids.
     */
    public record Confusion(String suggested, String actual, int count, List<Long> tickets) {
        public Confusion {
            tickets = tickets == null ? List.of() : List.copyOf(tickets);
        }
    }

    public record Week(LocalDate monday, long answered, long teamKept, long right) {}

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes the report as JSON ({@link #json}) to {@code file}, readable by the user only (0600; a folder it creates
     * 0700, where the file system has POSIX permissions), written whole: it is drawn from tickets and decisions, like
     * an export. {@code switchboard quality --report} and the Suggestion quality view's save both write it so.
     */
    public static void write(java.nio.file.Path file, QualityReport r) throws java.io.IOException {
        dev.switchboard.persistence.db.PrivateFiles.writeString(file, json(r));
    }

    /** The report as indented JSON ({@link #toMap()}). */
    public static String json(QualityReport r) {
        try {
            return JSON.writeValueAsString(r.toMap());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static double share(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    /** Tickets suggested in the period: those answered in it and those suggested in it that nobody answered. */
    public long suggested() {
        return answered + unanswered.total();
    }

    /** Share of the suggested tickets that a dispatcher answered (NaN when none was suggested). */
    public double answeredShare() {
        return share(answered, suggested());
    }

    /**
     * The answered share in words, for the window and the summary: "Answered 1,050 of 1,200 suggested tickets
     * (87.5%); not answered: 120 still waiting for a decision, 30 closed without a decision (12 of them merged as
     * duplicates)."
     */
    public String answeredSummary() {
        if (suggested() == 0) return "No ticket was suggested a team " + (from == null && to == null ? "yet." : "in this period.");
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Answered %,d of %,d suggested tickets (%s)", answered,
                suggested(), pct(answeredShare())));
        if (unanswered.total() == 0) return sb.append('.').toString();
        List<String> parts = new java.util.ArrayList<>();
        if (unanswered.waiting() > 0) parts.add(String.format(Locale.ROOT, "%,d still waiting for a decision", unanswered.waiting()));
        if (unanswered.closed() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d closed without a decision", unanswered.closed())
                    + (unanswered.merged() == 0 ? "" : String.format(Locale.ROOT, " (%,d of them merged as duplicates)", unanswered.merged())));
        }
        if (unanswered.decidedWithoutAnswer() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d decided without answering the suggestion", unanswered.decidedWithoutAnswer()));
        }
        return sb.append("; not answered: ").append(String.join(", ", parts)).append('.').toString();
    }

    /** Below this many answers the figures are noted as rough. */
    public static final int FEW_ANSWERS = 100;

    /**
     * With few answers the rates and the calibration error are mostly chance (14 answers: one answer moves a rate
     * by 7 points, a calibration point rests on one or two), yet they were shown as plainly as 10,000 answers'.
     * Says so, or "" with {@value #FEW_ANSWERS} or more (or none: then there are no figures).
     */
    public String fewAnswersNote() {
        if (answered == 0 || answered >= FEW_ANSWERS) return "";
        return String.format(Locale.ROOT, "Only %,d answered: one answer moves a rate by %.1f points and each calibration point "
                + "rests on a few, so read these figures as rough until there are about %d.", answered, 100.0 / answered, FEW_ANSWERS);
    }

    public double acceptanceRate() {
        return share(accepted, answered);
    }

    public double teamKeptRate() {
        return share(teamKept, answered);
    }

    public double transferredLaterRate() {
        return share(transferredLater, answered);
    }

    /**
     * Teams a ticket passed through on average from the first answer on (1 = it stayed with the team chosen
     * then): the UFTR study's "mean steps to resolve", counted from the routing history.
     */
    public double meanTeams() {
        return answered == 0 ? Double.NaN : 1 + (double) transfers / answered;
    }

    /** The report as JSON-ready maps, with {@code evaluate}'s metric keys for {@code team} and {@code priority}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from == null ? null : from.toString());
        m.put("to", to == null ? null : to.toString());
        m.put("engine", engine);
        m.put("answered", answered);
        Map<String, Object> suggestedTickets = new LinkedHashMap<>();
        suggestedTickets.put("total", suggested());
        suggestedTickets.put("answered", answered);
        suggestedTickets.put("answered_share", ReportWriter.nan(answeredShare()));
        suggestedTickets.put("waiting", unanswered.waiting());
        suggestedTickets.put("closed_without_decision", unanswered.closed());
        suggestedTickets.put("merged_duplicates", unanswered.merged());
        suggestedTickets.put("decided_without_answer", unanswered.decidedWithoutAnswer());
        m.put("suggested_tickets", suggestedTickets);
        m.put("accepted", accepted);
        m.put("bulk_accepted", bulkAccepted);
        m.put("acceptance_rate", ReportWriter.nan(acceptanceRate()));
        m.put("team_kept", teamKept);
        m.put("team_kept_rate", ReportWriter.nan(teamKeptRate()));
        m.put("transferred_later", transferredLater);
        m.put("transferred_later_rate", ReportWriter.nan(transferredLaterRate()));
        m.put("kept_then_transferred", keptThenTransferred);
        m.put("transfers", transfers);
        m.put("mean_teams_per_ticket", ReportWriter.nan(meanTeams()));
        m.put("team", ReportWriter.metrics(team));
        m.put("priority", ReportWriter.metrics(priority));
        m.put("reliability", reliability.stream().map(b -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("from", b.lo());
            r.put("to", b.hi());
            r.put("n", b.n());
            r.put("mean_confidence", ReportWriter.round(b.meanConfidence()));
            r.put("accuracy", ReportWriter.round(b.accuracy()));
            return r;
        }).toList());
        m.put("engines", engines);
        m.put("override_reasons", reasons);
        m.put("top_confusions", confusions.stream().map(c -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("suggested", c.suggested());
            r.put("final", c.actual());
            r.put("count", c.count());
            r.put("ticket_ids", c.tickets());
            return r;
        }).toList());
        m.put("median_ms_to_accept", medianMsAccepted);
        m.put("median_ms_to_override", medianMsOverridden);
        m.put("weeks", weeks.stream().map(w -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("week", w.monday().toString());
            r.put("answered", w.answered());
            r.put("team_kept", w.teamKept());
            r.put("right", w.right());
            return r;
        }).toList());
        return m;
    }

    /** A readable summary for the terminal. */
    public void printText(PrintWriter out) {
        out.printf(Locale.ROOT, "Suggestion quality %s%s: %,d answered suggestions%n", period(),
                engine == null ? "" : " (engine " + engine + ")", answered);
        if (suggested() > 0) out.println("  " + answeredSummary());
        if (!fewAnswersNote().isEmpty()) out.println("  " + fewAnswersNote());
        if (answered == 0) {
            out.println("No dispatcher has answered a suggestion in this period yet.");
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "  accepted as suggested   %s (%,d; %,d of them bulk accepts)%n", pct(acceptanceRate()), accepted,
                bulkAccepted);
        out.printf(Locale.ROOT, "  suggested team kept     %s (%,d)%n", pct(teamKeptRate()), teamKept);
        out.printf(Locale.ROOT, "  transferred later       %s (%,d; %,d after keeping the suggested team); %.2f teams per ticket%n",
                pct(transferredLaterRate()), transferredLater, keptThenTransferred, meanTeams());
        out.printf(Locale.ROOT, "                          top-1    hit@3  macroF1      ECE  confident  conf.precision%n");
        row(out, "team vs final team", team);
        if (priority.n() > 0) row(out, "priority vs final", priority);
        if (!confusions.isEmpty()) {
            out.println("  most frequent wrong suggestions (suggested → final team):");
            for (Confusion c : confusions) out.printf(Locale.ROOT, "    %,5d  %s → %s%n", c.count(), c.suggested(), c.actual());
        }
        if (!reasons.isEmpty()) {
            out.println("  override reasons: " + String.join("; ", reasons.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue())).toList()));
        }
        if (medianMsAccepted != null || medianMsOverridden != null) {
            out.printf(Locale.ROOT, "  median time to decide: accept %s, override %s%n", seconds(medianMsAccepted),
                    seconds(medianMsOverridden));
        }
        out.flush();
    }

    private static void row(PrintWriter out, String name, LabelMetrics m) {
        out.printf(Locale.ROOT, "  %-22s %7.3f  %7.3f  %7.3f  %7.3f  %9s  %14s%n", name, m.accuracy(), m.hitAt3(), m.macroF1(),
                m.ece(), pct(m.thresholdCoverage()), pct(m.thresholdPrecision()));
    }

    /** "since 2026-11-01", "2026-11-01 – 2026-11-22" or "all time". */
    public String period() {
        if (from == null && to == null) return "all time";
        if (to == null) return "since " + from.toString().substring(0, 10);
        if (from == null) return "before " + to.toString().substring(0, 10);
        return from.toString().substring(0, 10) + " – " + to.toString().substring(0, 10);
    }

    public static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String seconds(Long ms) {
        return ms == null ? "–" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
