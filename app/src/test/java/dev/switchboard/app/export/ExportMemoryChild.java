package dev.switchboard.app.export;

import dev.switchboard.persistence.store.LabelledExampleReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.sql.DriverManager;

/** Runs one export in its own (small-heap) JVM: args = JDBC URL, output folder, format. Prints rows and peak heap. */
public final class ExportMemoryChild {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        ExportService svc = new ExportService(new LabelledExampleReader(() -> DriverManager.getConnection(url, "sa", "")));
        ExportOptions o = ExportOptions.defaults(ExportFormat.parse(args[2]), Path.of(args[1]))
                .withRedaction(false, java.util.List.of()).withSplit(Split.parse("random:0.1"));
        ExportResult r = svc.run(o, ExportService.Progress.NONE, () -> false);
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) peak += p.getPeakUsage().getUsed();
        }
        System.out.println("rows=" + r.written() + " peakHeapMB=" + (peak >> 20) + " maxHeapMB="
                + (Runtime.getRuntime().maxMemory() >> 20));
    }
}
