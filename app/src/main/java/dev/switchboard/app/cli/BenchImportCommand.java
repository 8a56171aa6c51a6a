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
                + "(database open + migration excluded and reported separately), and the database file's size: its peak while "
                + "importing (sampled every 20 ms) and once closed. The temporary database is deleted.")
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
            FileSizeSampler sizes = new FileSizeSampler(dir.resolve("bench.mv.db"));
            try {
                long t0 = System.nanoTime();
                ImportReport r;
                long tOpen;
                long importPeak;
                long cpu0;
                long cpu1;
                try (Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("bench"))) {
                    tOpen = System.nanoTime();
                    cpu0 = processCpuNanos();
                    r = new TicketImporter(ws.store()).batchSize(batch).run(file, mapping.toMapping(), null);
                    importPeak = sizes.peakSoFar();
                    cpu1 = processCpuNanos();
                } catch (ImportException e) {
                    err.println("switchboard bench-import: " + e.getMessage());
                    return 2;
                } finally {
                    sizes.stop();
                }
                long t1 = System.nanoTime();
                double secs = r.elapsed().toNanos() / 1e9;
                out.printf(Locale.ROOT, "run %d: %,d rows read, %,d created, %,d rejected in %.2f s = %,.0f tickets/s"
                                + " (open+migrate %.2f s, close %.2f s, batch %d; process CPU while importing %.2f s)%s%n",
                        i, r.rowsRead(), r.created(), r.rejected(), secs, r.ticketsPerSecond(),
                        (tOpen - t0) / 1e9, (t1 - tOpen) / 1e9 - secs, batch, (cpu1 - cpu0) / 1e9, r.complete() ? "" : " INCOMPLETE");
                long closed = Files.size(dir.resolve("bench.mv.db"));
                out.printf(Locale.ROOT, "       database file: peak %.1f MB while importing (%.1f× its size once closed), %.1f MB once closed%n",
                        importPeak / 1048576.0, closed == 0 ? 0.0 : (double) importPeak / closed, closed / 1048576.0);
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

    /** CPU time of this process so far (all threads), or 0 where the JVM does not tell. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /** Samples a file's size every 20 ms on a daemon thread and keeps the largest. */
    static final class FileSizeSampler {
        private final Path file;
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        private final Thread thread;
        private volatile boolean stopped;

        FileSizeSampler(Path file) {
            this.file = file;
            thread = new Thread(() -> {
                while (!stopped) {
                    sample();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-file-size");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            try {
                peak.accumulateAndGet(Files.size(file), Math::max);
            } catch (IOException e) {
                // not created yet, or deleted
            }
        }

        /** The largest size seen so far (sampled once more now). */
        long peakSoFar() {
            sample();
            return peak.get();
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }
    }
}
