package dev.switchboard.app;

import dev.switchboard.persistence.store.QueueRow;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * Runs inside a window started by {@code switchboard bench-window}: once the queue is interactive,
 * times sort, filter and scroll on the FX thread (each followed by a layout pass), prints a report
 * and exits.
 */
public final class WindowBenchmark {
    public static final String PROPERTY = "switchboard.bench.window";

    private WindowBenchmark() {}

    static void installIfRequested() {
        if (Boolean.getBoolean(PROPERTY)) StartupProbe.onInteractive(WindowBenchmark::run);
    }

    private static void run(MainWindow w) {
        var marks = StartupProbe.marks();
        TableView<QueueRow> table = w.queueView().table();
        var q = w.queue();
        List<String> lines = new ArrayList<>();
        q.statusProperty().set("All");
        int rows = table.getItems().size();
        TableColumn<QueueRow, ?> subject = table.getColumns().stream().filter(c -> c.getText().equals("Subject")).findFirst().orElseThrow();
        lines.add(time("sort by subject", () -> table.getSortOrder().setAll(List.of(subject)), table));
        lines.add(time("sort descending", () -> subject.setSortType(TableColumn.SortType.DESCENDING), table));
        lines.add(time("filter text 'printer'", () -> q.searchProperty().set("printer"), table)
                + String.format(" (%,d rows)", table.getItems().size()));
        lines.add(time("clear filter", () -> q.searchProperty().set(""), table));
        lines.add(time("scroll to last row", () -> table.scrollTo(rows - 1), table));
        lines.add(time("scroll to first row", () -> table.scrollTo(0), table));
        lines.add(keypressToNext(w, table));
        lines.addAll(viewModelAlone(new ArrayList<>(table.getItems())));
        System.out.println("Switchboard window benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
        System.out.printf("  tickets in queue           %,d%n", rows);
        marks.forEach((k, v) -> System.out.printf("  %-26s %,6d ms after JVM start%n", k, v));
        lines.forEach(System.out::println);
        System.out.flush();
        Platform.exit();
        System.exit(0);
    }

    /** J pressed → next ticket selected, detail requested and the table laid out; p50/p95 over 200 presses. */
    private static String keypressToNext(MainWindow w, TableView<QueueRow> table) {
        table.requestFocus();
        table.getSelectionModel().clearAndSelect(0);
        var scene = w.scene();
        long[] ns = new long[200];
        for (int i = 0; i < ns.length; i++) {
            long t0 = System.nanoTime();
            javafx.event.Event.fireEvent(table, new javafx.scene.input.KeyEvent(javafx.scene.input.KeyEvent.KEY_PRESSED, "j", "j",
                    javafx.scene.input.KeyCode.J, false, false, false, false));
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            ns[i] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(ns);
        return String.format("  %-26s p50 %,.1f ms, p95 %,.1f ms (200 presses, selection now row %d)", "keypress J to next ticket",
                ns[100] / 1e6, ns[189] / 1e6, table.getSelectionModel().getSelectedIndex());
    }

    /**
     * The same sort and filter on a detached view model holding the same rows (no table attached), best of
     * three: what the queue's own code costs, as against the table's layout of the rows it is handed.
     */
    private static List<String> viewModelAlone(List<QueueRow> all) {
        var m = new dev.switchboard.app.queue.QueueViewModel();
        m.statusProperty().set("All");
        m.setAll(all);
        java.util.Comparator<QueueRow> bySubject = java.util.Comparator.comparing(QueueRow::subject,
                java.util.Comparator.nullsFirst(String::compareTo));
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (int round = 0; round < 3; round++) {
            m.sort(null);
            long t0 = System.nanoTime();
            m.sort(bySubject);
            long t1 = System.nanoTime();
            m.searchProperty().set("printer");
            long t2 = System.nanoTime();
            m.searchProperty().set("");
            long t3 = System.nanoTime();
            best[0] = Math.min(best[0], (t1 - t0) / 1e6);
            best[1] = Math.min(best[1], (t2 - t1) / 1e6);
            best[2] = Math.min(best[2], (t3 - t2) / 1e6);
        }
        return List.of("  view model alone (no table, best of 3):",
                String.format("  %-26s %,8.1f ms", "  sort by subject", best[0]),
                String.format("  %-26s %,8.1f ms", "  filter text 'printer'", best[1]),
                String.format("  %-26s %,8.1f ms", "  clear filter", best[2]));
    }

    private static String time(String what, Runnable action, TableView<?> table) {
        long t0 = System.nanoTime();
        action.run();
        table.layout();
        long ns = System.nanoTime() - t0;
        return String.format("  %-26s %,8.1f ms", what, ns / 1e6);
    }
}
