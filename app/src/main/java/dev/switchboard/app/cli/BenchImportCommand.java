package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.importer.ImportException;
import dev.switchboard.app.importer.ImportReport;
import dev.switchboard.app.importer.TicketImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench-import", mixinStandardHelpOptions = true,
        description = "Imports a file into a fresh temporary H2 database and prints rows, seconds and tickets/s end to end "
                + "(database open + migration excluded and reported separately). The temporary database is deleted.")
public final class BenchImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE") Path file;
    @Mixin ImportCommand.Mapping mapping;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "500", description = "Rows per transaction (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--runs", paramLabel = "N", defaultValue = "1", description = "Fresh database per run (default ${DEFAULT-VALUE}).")
    int runs;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!mapping.any()) {
            err.println("switchboard bench-import: give at least --subject COL or --body COL");
            return 2;
        }
        try {
            TicketImporter.columns(file);
        } catch (ImportException e) {
            err.println("switchboard bench-import: " + e.getMessage());
            return 2;
        }
        int code = 0;
        for (int i = 1; i <= runs; i++) {
            Path dir = Files.createTempDirectory("switchboard-bench");
            try {
                long t0 = System.nanoTime();
                ImportReport r;
                long tOpen;
                try (Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("bench"))) {
                    tOpen = System.nanoTime();
                    r = new TicketImporter(ws.store()).batchSize(batch).run(file, mapping.toMapping(), null);
                } catch (ImportException e) {
                    err.println("switchboard bench-import: " + e.getMessage());
                    return 2;
                }
                long t1 = System.nanoTime();
                double secs = r.elapsed().toNanos() / 1e9;
                out.printf(Locale.ROOT, "run %d: %,d rows read, %,d created, %,d rejected in %.2f s = %,.0f tickets/s"
                                + " (open+migrate %.2f s, close %.2f s, batch %d)%s%n",
                        i, r.rowsRead(), r.created(), r.rejected(), secs, r.ticketsPerSecond(),
                        (tOpen - t0) / 1e9, (t1 - tOpen) / 1e9 - secs, batch, r.complete() ? "" : " INCOMPLETE");
                out.flush();
                if (!r.complete()) code = 3;
            } finally {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return code;
    }
}
