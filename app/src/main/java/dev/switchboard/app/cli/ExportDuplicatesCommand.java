package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.export.DuplicatePairsExport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export-duplicates", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export the dispatchers' duplicate verdicts as labelled pairs (CSV or JSONL).",
                "One row per pair whose latest verdict is linked, merged (label duplicate) or dismissed (label not_duplicate), with who decided, when, the score",
                "and both tickets' text. Pending pairs and undone verdicts are left out. PII is redacted unless --no-redact."})
public final class ExportDuplicatesCommand implements Callable<Integer> {

    @Mixin DbOption db;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write (.csv or .jsonl).") Path out;
    @Option(names = "--format", paramLabel = "FORMAT", description = "csv or jsonl (default: from the file name, else csv).") String format;
    @Option(names = "--no-redact", negatable = false, description = "Write text as stored (PII redaction is on by default).")
    boolean noRedact;
    @Option(names = "--force", description = "Replace FILE if it exists (only once the new one is complete).") boolean force;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DuplicatePairsExport.Format f;
        String name = format != null ? format : out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl") ? "jsonl" : "csv";
        try {
            f = DuplicatePairsExport.Format.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("Unknown format '" + format + "': use csv or jsonl.");
            return 2;
        }
        try (Workspace ws = db.openExisting()) {
            DuplicatePairsExport.Result r = new DuplicatePairsExport(ws.store()).write(out, f, !noRedact, force, null);
            spec.commandLine().getOut().printf("Wrote %,d pairs (%,d duplicate, %,d not duplicate) to %s%s%s%n", r.pairs(), r.duplicates(),
                    r.notDuplicates(), r.file(), noRedact ? " (not redacted)" : " (PII redacted)",
                    r.skippedMissing() > 0 ? "; " + r.skippedMissing() + " pair(s) skipped: a ticket is missing" : "");
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }
}
