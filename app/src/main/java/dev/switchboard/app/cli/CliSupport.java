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

    /**
     * The most useful one-line message of an exception chain. A file system error says what went wrong, not
     * only the path ("/proc/x: permission denied", where the exception's own message is just "/proc/x").
     */
    public static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof java.io.UncheckedIOException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.nio.file.FileSystemException fs) return fileProblem(fs);
        }
        // another process holds the workspace's file or was handing it over: one sentence, not H2's or Hibernate's
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof dev.switchboard.persistence.db.WorkspaceBusyException busy) return busy.getMessage();
        }
        if (dev.switchboard.persistence.db.Handover.isHandover(t)) {
            return "The workspace database stopped answering during this command because another Switchboard window or "
                    + "command was closing and handing it over: run the command again.";
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m);
    }

    private static String fileProblem(java.nio.file.FileSystemException fs) {
        String what = fs instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : fs instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                : fs instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                : fs instanceof java.nio.file.NotDirectoryException ? "not a folder"
                : fs instanceof java.nio.file.DirectoryNotEmptyException ? "folder not empty"
                : fs.getReason() != null && !fs.getReason().isBlank() ? fs.getReason()
                : fs.getClass().getSimpleName();
        String file = fs.getFile();
        String other = fs.getOtherFile();
        return (file == null ? "" : file + ": ") + what + (other == null ? "" : " (" + other + ")");
    }
}
