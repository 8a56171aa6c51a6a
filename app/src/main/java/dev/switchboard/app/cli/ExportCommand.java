package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.export.Balance;
import dev.switchboard.app.export.ExportArgs;
import dev.switchboard.app.export.ExportFormat;
import dev.switchboard.app.export.ExportOptions;
import dev.switchboard.app.export.ExportResult;
import dev.switchboard.app.export.ExportService;
import dev.switchboard.app.settings.EngineConfig;
import dev.switchboard.app.settings.Settings;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.ExportQuery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export decided tickets as a labelled dataset for fine-tuning (OpenAI chat JSONL, instruction JSONL or CSV).",
                "A manifest.json beside it has counts, filters, what was dropped, redaction counts and the SHA-256 of each file.",
                "The label is the final human decision: after transfers the team that kept the ticket; undone decisions do not count.",
                "Dates are ticket creation dates (UTC); --to is inclusive."})
public final class ExportCommand implements Callable<Integer> {

    @Mixin DbOption db;
    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "openai-jsonl, instruction-jsonl or csv.") String format;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write into (created if missing).") Path out;
    @Option(names = "--from", paramLabel = "DATE", description = "Tickets created on or after this date (YYYY-MM-DD or ISO instant).") String from;
    @Option(names = "--to", paramLabel = "DATE", description = "Tickets created up to and including this date.") String to;
    @Option(names = "--teams", split = ",", paramLabel = "TEAM", description = "Only these final teams (comma-separated).") List<String> teams;
    @Option(names = "--kinds", split = ",", paramLabel = "KIND",
            description = "Final decision kinds to keep: accepted, overridden, transferred, imported, bulk_accepted (default: all).")
    List<String> kinds;
    @Option(names = "--include-unreviewed", description = "Also export bulk-accepted suggestions nobody reviewed (left out by default).")
    boolean includeUnreviewed;
    @Option(names = "--balance", paramLabel = "SPEC",
            description = "max-per-team=N,min-per-team=M[,small=drop|report]: cap large teams, drop (or only report) small ones.")
    String balance;
    @Option(names = "--split", paramLabel = "SPEC",
            description = "random:RATIO (stratified by team, seeded) or time:DATE (train before DATE, validation from DATE on).")
    String split;
    @Option(names = "--seed", defaultValue = "42", description = "Seed for balancing and the random split (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--no-redact", negatable = false, description = "Write text as stored (PII redaction is on by default).")
    boolean noRedact;
    @Option(names = "--redact-pattern", paramLabel = "REGEX", description = "Extra pattern to redact as [CUSTOM] (repeatable).")
    List<String> patterns = new ArrayList<>();
    @Option(names = "--force", description = "Replace existing export files in DIR (only once the new ones are complete).")
    boolean force;
    @Option(names = "--quiet", description = "No progress lines.") boolean quiet;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    /** Where the settings come from (the prompt template the LLM engine uses); tests point it at a file of their own. */
    java.util.function.Supplier<Settings> settings = Settings::load;

    /** Builds the options (also used by tests and the benchmark). */
    public ExportOptions options() {
        Set<DecisionKind> k = EnumSet.noneOf(DecisionKind.class);
        if (kinds != null) {
            for (String s : kinds) {
                String name = s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
                if (name.isEmpty()) continue;
                try {
                    k.add(DecisionKind.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown kind '" + s + "' (accepted, overridden, transferred, imported, bulk_accepted)");
                }
            }
        }
        Set<String> t = new LinkedHashSet<>();
        if (teams != null) for (String s : teams) if (!s.isBlank()) t.add(s.strip());
        java.time.Instant f = from == null ? null : ExportArgs.start(from);
        java.time.Instant e = to == null ? null : ExportArgs.endExclusive(to);
        if (f != null && e != null && !f.isBefore(e)) throw new IllegalArgumentException("the period is empty: --from is after --to");
        // --no-redact writes the text as stored: a pattern given with it would not be applied, yet the manifest would
        // name it as if it had been (a lead who wanted only their own pattern redacted would ship the text unredacted)
        if (noRedact && !patterns.isEmpty()) {
            throw new IllegalArgumentException("--redact-pattern has no effect with --no-redact (the text is written as stored); "
                    + "leave out --no-redact to redact personal data and the pattern");
        }
        ExportQuery q = new ExportQuery(f, e, t, k, null);
        return new ExportOptions(ExportFormat.parse(format), out, q, includeUnreviewed, Balance.parse(balance),
                ExportArgs.split(split), !noRedact, patterns, seed, force,
                EngineConfig.load(settings.get()).template()); // the template the LLM engine uses (Settings › Prompt)
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ExportOptions opts = options();
        // Ctrl-C: say so, instead of whatever the closing database makes the running query report
        Thread notice = new Thread(() -> {
            err.println("Export cancelled.");
            err.flush();
        }, "switchboard-export-cancelled");
        Runtime.getRuntime().addShutdownHook(notice);
        try (Workspace ws = db.openExisting()) {
            ExportService svc = ExportService.of(ws);
            if (!opts.query().teams().isEmpty()) {
                List<String> known = svc.teamNames();
                for (String team : opts.query().teams()) {
                    if (!known.contains(team)) throw new IllegalArgumentException("unknown team '" + team + "' (known: " + String.join(", ", known) + ")");
                }
            }
            long[] lastPrint = {0};
            ExportResult r = svc.run(opts, (phase, done, total) -> {
                if (quiet) return;
                long now = System.nanoTime();
                if (now - lastPrint[0] < 1_000_000_000L && done != total) return;
                lastPrint[0] = now;
                o.printf("%s… %,d%s%n", phase, done, total >= 0 ? String.format(" / %,d", total) : "");
                o.flush();
            }, () -> false);
            o.println(r.summary());
            o.flush();
        } catch (Exception e) {
            if (CliSupport.shuttingDown()) return 130; // interrupted: the notice above is the message
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(notice);
            } catch (IllegalStateException shuttingDown) {
                // the notice is printed
            }
        }
        return 0;
    }
}
