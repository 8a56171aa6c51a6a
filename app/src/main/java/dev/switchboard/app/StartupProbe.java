package dev.switchboard.app;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Milestones of a window start, in milliseconds since the JVM started. Off unless a benchmark
 * installs a listener for the moment the queue is interactive.
 */
public final class StartupProbe {
    private static final Map<String, Long> marks = new LinkedHashMap<>();
    private static volatile Consumer<MainWindow> onInteractive;

    private StartupProbe() {}

    public static synchronized void mark(String name) {
        marks.putIfAbsent(name, System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    public static synchronized Map<String, Long> marks() {
        return new LinkedHashMap<>(marks);
    }

    public static void onInteractive(Consumer<MainWindow> listener) {
        onInteractive = listener;
    }

    static void interactive(MainWindow w) {
        mark("queue interactive");
        Consumer<MainWindow> l = onInteractive;
        if (l != null) l.accept(w);
    }
}
