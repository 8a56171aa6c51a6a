package dev.switchboard.app.export;

import dev.switchboard.persistence.store.LabelledExampleReader;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one export in its own JVM (args = JDBC URL, output folder) and, once it is writing, prints
 * {@code WRITING} and waits there for ever: the parent then stops this JVM as Ctrl-C would.
 */
public final class ExportInterruptChild {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        ExportService svc = new ExportService(new LabelledExampleReader(() -> DriverManager.getConnection(url, "sa", "")));
        ExportOptions o = ExportOptions.defaults(ExportFormat.CSV, Path.of(args[1]))
                .withRedaction(false, java.util.List.of()).withSplit(Split.parse("random:0.1"));
        CountDownLatch never = new CountDownLatch(1);
        svc.run(o, (phase, done, total) -> {
            if (!phase.equals("writing") || done == 0) return;
            System.out.println("WRITING");
            System.out.flush();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, () -> false);
        System.out.println("FINISHED"); // never: the parent stops this JVM first
    }
}
