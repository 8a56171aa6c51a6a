package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.export.ExportFormat;
import dev.switchboard.app.export.ExportOptions;
import dev.switchboard.app.export.ExportResult;
import dev.switchboard.app.export.ExportService;
import dev.switchboard.app.export.ScratchData;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Export throughput: fills a scratch database once (reused), then times one export. */
@Command(name = "bench-export", mixinStandardHelpOptions = true,
        description = "Time a dataset export of N decisions (a scratch database under /tmp is generated once and reused).")
public final class BenchExportCommand implements Callable<Integer> {

    @Option(names = "--decisions", defaultValue = "100000", description = "Decisions in the scratch ledger (default ${DEFAULT-VALUE}).")
    long decisions;
    @Option(names = "--format", defaultValue = "openai-jsonl", description = "Format (default ${DEFAULT-VALUE}).") String format;
    @Option(names = "--no-redact", description = "Skip redaction.") boolean noRedact;
    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Database to use (default: a file under /tmp that is reused).")
    String db;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String url = db != null ? db : "jdbc:h2:file:" + tmp.resolve("switchboard-bench-export-" + decisions).resolve("db");
        Path outDir = Files.createTempDirectory(tmp, "switchboard-export-");
        try (Workspace ws = Workspace.open(url)) {
            long have = ws.store().stats().decisions();
            if (have < decisions) {
                out.printf("Filling %s with %,d decisions…%n", url, decisions - have);
                out.flush();
                long t0 = System.nanoTime();
                long added = ScratchData.fill(ws.database(), decisions);
                out.printf("  %,d decisions in %.1f s%n", added, (System.nanoTime() - t0) / 1e9);
            }
            long ledger = ws.store().stats().decisions();
            ExportOptions o = ExportOptions.defaults(ExportFormat.parse(format), outDir).withRedaction(!noRedact, java.util.List.of());
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            ExportResult r = ExportService.of(ws).run(o, ExportService.Progress.NONE, () -> false);
            double s = (System.nanoTime() - t0) / 1e9;
            long bytes = r.files().stream().mapToLong(ExportResult.FileInfo::bytes).sum();
            out.printf("ledger decisions  %,d%n", ledger);
            out.printf("format            %s (redaction %s)%n", o.format().id(), o.redact() ? "on" : "off");
            out.printf("rows              %,d%n", r.written());
            out.printf("seconds           %.2f%n", s);
            out.printf("rows/s            %,.0f%n", r.written() / s);
            out.printf("process CPU       %.2f s on %d cores (load average now %.1f)%n", (os.getProcessCpuTime() - cpu0) / 1e9,
                    Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage());
            out.printf("file size         %,d bytes (%.1f MB)%n", bytes, bytes / 1e6);
            out.printf("redactions        %s%n", r.redactions());
            out.printf("max heap          %,d MB%n", Runtime.getRuntime().maxMemory() >> 20);
            out.printf("output            %s%n", outDir);
            out.flush();
        }
        return 0;
    }
}
