package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.importer.ColumnMapping;
import dev.switchboard.app.importer.ImportException;
import dev.switchboard.app.importer.ImportListener;
import dev.switchboard.app.importer.ImportReport;
import dev.switchboard.app.importer.TicketImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports tickets from a CSV (comma, semicolon or tab separated, header row) or JSON Lines file.",
                "Rows with a team become labelled history; re-importing the same file adds nothing.",
                "Exit codes: 0 all rows imported (or already present), 3 some rows rejected or the file could not be "
                        + "read to its end, 2 nothing imported (no data rows, every row rejected, usage or file errors)."})
public final class ImportCommand implements Callable<Integer> {

    /** The column options shared by {@code import} and {@code bench-import} (mixin). */
    public static final class Mapping {
        @Option(names = "--subject", paramLabel = "COL", description = "Column with the subject (default: first line of the body).")
        String subject;
        @Option(names = "--body", paramLabel = "COL[,COL...]", split = ",",
                description = "Column(s) with the body; several are joined with a blank line.")
        List<String> body;
        @Option(names = "--id", paramLabel = "COL", description = "Column with a stable ticket id (default: content hash).")
        String id;
        @Option(names = "--requester", paramLabel = "COL", description = "Column naming who filed the ticket (e-mail or name).")
        String requester;
        @Option(names = "--created", paramLabel = "COL",
                description = "Column with the creation time (ISO-8601, yyyy-MM-dd HH:mm[:ss], date, epoch millis).")
        String created;
        @Option(names = "--team", paramLabel = "COL", description = "Column with the team: rows with one are labelled history.")
        String team;
        @Option(names = "--priority", paramLabel = "COL",
                description = "Column with the priority: kept on rows with a team; a workspace without levels takes them from those rows.")
        String priority;

        ColumnMapping toMapping() {
            return new ColumnMapping(subject, body, id, requester, created, team, priority);
        }

        boolean any() {
            return subject != null || (body != null && !body.isEmpty());
        }
    }

    @Parameters(index = "0", paramLabel = "FILE", description = "CSV or JSON Lines file.") Path file;
    @Mixin Mapping mapping;
    @Option(names = {"--list-columns", "--columns"}, description = "Only print the file's columns and a preview.") boolean listColumns;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "500", description = "Rows per transaction (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--quiet", description = "No progress line.") boolean quiet;
    @Mixin DbOption db;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (listColumns) return printColumns(file, out, err);
        ColumnMapping m;
        try {
            List<String> columns = TicketImporter.columns(file); // fail before opening the database
            if (!mapping.any()) {
                err.println("switchboard import: give at least --subject COL or --body COL; the file's columns: "
                        + TicketImporter.nameColumns(columns) + " (--columns shows a sample of each)");
                return 2;
            }
            m = mapping.toMapping();
        } catch (IllegalArgumentException | ImportException e) {
            err.println("switchboard import: " + e.getMessage());
            return 2;
        }
        try (Workspace ws = db.open()) {
            return runImport(new TicketImporter(ws.store()).batchSize(batch), file, m, quiet, out, err);
        }
    }

    static int printColumns(Path file, PrintWriter out, PrintWriter err) {
        try {
            List<String> cols = TicketImporter.columns(file);
            out.println("Columns of " + file.getFileName() + ":");
            var preview = dev.switchboard.inference.data.TableReader.preview(file, 1);
            for (String c : cols) {
                String sample = preview.isEmpty() ? "" : preview.get(0).get(c).replaceAll("\\s+", " ").strip();
                if (sample.length() > 60) sample = sample.substring(0, 59) + "…";
                out.printf("  %-30s %s%n", c, sample.isEmpty() ? "" : "e.g. " + sample);
            }
            out.flush();
            return 0;
        } catch (ImportException e) {
            err.println("switchboard import: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("switchboard import: " + file + ": " + e.getMessage());
            return 2;
        }
    }

    /** Runs one import with a progress line on {@code err} and the summary on {@code out}. */
    static int runImport(TicketImporter importer, Path file, ColumnMapping m, boolean quiet, PrintWriter out, PrintWriter err) {
        ProgressLine progress = new ProgressLine(err, quiet);
        ImportReport r;
        try {
            r = importer.run(file, m, progress);
        } catch (ImportException e) {
            progress.end();
            err.println("switchboard import: " + e.getMessage());
            return 2;
        }
        progress.end();
        printReport(r, out);
        if (r.created() + r.alreadyPresent() == 0) {
            err.println("switchboard import: nothing imported: " + (!r.complete() ? "the file could not be read (see the problems above)"
                    : r.rowsRead() == 0 ? file.getFileName() + " has no data rows"
                    : r.rejected() == r.rowsRead() ? "every row was rejected" : "no row was saved"));
            return 2;
        }
        if (r.rejected() > 0 || !r.complete()) return 3;
        return 0;
    }

    static void printReport(ImportReport r, PrintWriter out) {
        out.printf(Locale.ROOT, "%s%n", r.complete() ? "Import complete: " + r.file().getFileName()
                : (r.cancelled() ? "Import CANCELLED (incomplete): " : "Import INCOMPLETE: ") + r.file().getFileName());
        out.printf(Locale.ROOT, "  rows read        %,d%n", r.rowsRead());
        out.printf(Locale.ROOT, "  created          %,d%n", r.created());
        out.printf(Locale.ROOT, "  already present  %,d%n", r.alreadyPresent());
        out.printf(Locale.ROOT, "  rejected         %,d%n", r.rejected());
        if (r.bodiesCut() > 0) {
            out.printf(Locale.ROOT, "  bodies cut       %,d (to the %,d-character limit; see the warnings)%n", r.bodiesCut(),
                    dev.switchboard.persistence.entity.Ticket.MAX_BODY);
        }
        out.printf(Locale.ROOT, "  time             %.2f s (%,.0f tickets/s)%n", r.elapsed().toNanos() / 1e9, r.ticketsPerSecond());
        if (!r.problems().isEmpty()) {
            out.println("Problems" + (r.rejected() > r.problems().size() ? " (first " + r.problems().size() + ")" : "") + ":");
            r.problems().forEach(p -> out.println("  " + p));
        }
        if (r.warningCount() > 0) {
            out.println("Warnings" + (r.warningCount() > r.warnings().size() ? " (first " + r.warnings().size() + " of " + r.warningCount() + ")" : "") + ":");
            r.warnings().forEach(w -> out.println("  " + w));
        }
        if (!r.complete()) {
            out.println("Tickets committed before the import stopped were kept; run the same import again to add the rest (nothing is added twice).");
        }
        out.flush();
    }

    /**
     * A single updating progress line on stderr (carriage return), at most 5 updates a second; at the end
     * it shows the final counts and ends with a newline, so the summary starts on a line of its own.
     */
    static final class ProgressLine implements ImportListener {
        private final PrintWriter err;
        private final boolean quiet;
        private long lastNanos;
        private boolean shown;
        private int width;
        private Progress last;
        private final long start = System.nanoTime();

        ProgressLine(PrintWriter err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        @Override
        public void progress(Progress p) {
            if (quiet) return;
            last = p;
            long now = System.nanoTime();
            if (shown && now - lastNanos < 200_000_000L) return;
            lastNanos = now;
            print(p, now);
        }

        private void print(Progress p, long now) {
            double secs = (now - start) / 1e9;
            // "created or already present": the summary's words for what a committed row became
            String line = String.format(Locale.ROOT, "importing: %3.0f%%  %,d rows read, %,d created or already present  (%.0f rows/s)",
                    p.fraction() * 100, p.rowsRead(), p.saved(), secs > 0 ? p.rowsRead() / secs : 0);
            err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
            shown = true;
            err.flush();
        }

        /** Shows the last counts (a throttled update may have been skipped) and ends the line. */
        void end() {
            if (quiet || last == null) return;
            print(last, System.nanoTime());
            err.println();
            err.flush();
        }
    }
}
