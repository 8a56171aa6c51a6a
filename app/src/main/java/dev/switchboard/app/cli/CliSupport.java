package dev.switchboard.app.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers shared by commands. */
public final class CliSupport {
    private CliSupport() {}

    /**
     * True once the JVM has begun to shut down (Ctrl-C, SIGTERM): what fails then (a database closed under a
     * running query, "open in exclusive mode") is a consequence of the interruption, not an error to report.
     */
    public static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** The most useful one-line message of an exception chain. */
    public static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        String m = t.getMessage();
        if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m);
    }
}
