package dev.switchboard.app.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers shared by commands. */
public final class CliSupport {
    private CliSupport() {}

    /** The most useful one-line message of an exception chain. */
    public static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        String m = t.getMessage();
        if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m);
    }
}
