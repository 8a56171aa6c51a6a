package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.export.ExportArgs;
import dev.switchboard.app.quality.QualityReport;
import dev.switchboard.app.quality.QualityService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "quality", mixinStandardHelpOptions = true,
        description = {"How good the suggestions dispatchers answered were: acceptance, top-1 and hit@3 against the team "
                + "that finally kept the ticket, calibration, confident precision, wrong calls, override reasons.",
                "Each ticket counts once, with the first suggestion a dispatcher answered. Dates are when it was answered (UTC); --to is inclusive.",
                "Also how many suggested tickets nobody has answered (still waiting, closed without a decision), dated by their first "
                        + "suggestion, and the share answered (JSON: suggested_tickets)."})
public final class QualityCommand implements Callable<Integer> {

    @Mixin DbOption db;
    @Option(names = "--days", paramLabel = "N", description = "The last N days (instead of --from / --to).") Integer days;
    @Option(names = "--from", paramLabel = "DATE", description = "Answered on or after this date (YYYY-MM-DD or ISO instant).") String from;
    @Option(names = "--to", paramLabel = "DATE", description = "Answered on or before this date.") String to;
    @Option(names = "--engine", paramLabel = "ID", description = "Only suggestions of this engine: local or llm.") String engine;
    @Option(names = "--report", paramLabel = "FILE.json", description = "Also write the report as JSON.") Path report;
    @Option(names = "--json", description = "Print JSON instead of the summary.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Engine ids recorded with suggestions. */
    static final java.util.List<String> ENGINES = java.util.List.of("local", dev.switchboard.inference.llm.LlmEngine.ID);

    /** The engine id for {@code --engine} (any case), null for none; an unknown name is refused, not reported as "no answers". */
    static String engine(String name) {
        if (name == null || name.isBlank()) return null;
        String id = name.strip().toLowerCase(java.util.Locale.ROOT);
        if (!ENGINES.contains(id)) {
            throw new IllegalArgumentException("unknown engine '" + name.strip() + "' (" + String.join(" or ", ENGINES) + ")");
        }
        return id;
    }

    @Override
    public Integer call() throws Exception {
        if (days != null && (from != null || to != null)) throw new IllegalArgumentException("use --days or --from / --to, not both");
        if (days != null && days <= 0) throw new IllegalArgumentException("--days must be at least 1");
        Instant f = days != null ? Instant.now().minus(Duration.ofDays(days)) : from == null ? null : ExportArgs.start(from);
        Instant t = to == null ? null : ExportArgs.endExclusive(to);
        if (f != null && t != null && !f.isBefore(t)) throw new IllegalArgumentException("the period is empty: --from is after --to");
        String e = engine(engine);
        QualityReport r;
        try (Workspace ws = db.openExisting()) {
            r = QualityService.of(ws).compute(f, t, e, null);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(QualityReport.json(r));
        else r.printText(out);
        if (report != null) {
            // ticket-derived, like an export: the user's only (0600; a folder it creates 0700), written whole
            QualityReport.write(report, r);
            if (!json) out.println("report written to " + report);
        }
        out.flush();
        return 0;
    }
}
