package dev.switchboard.persistence.db;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Rides out the hand-over of an H2 file that several Switchboard processes share ({@code AUTO_SERVER}).
 *
 * <p>The first process to open the file owns it and serves it to the others over TCP. When the owner closes (a
 * window is closed, a command ends), H2 stops its server first and releases the file only after the close's
 * compaction ({@link Database#MAX_COMPACT_MS}) and the exit: for up to some seconds every other process is refused
 * ("Connection is broken", "Database may be already in use", "Lock file recently modified", "Another process was
 * faster") until one of them opens the file itself and serves it in turn. Measured with two windows on 11,700
 * tickets: the second window's reads and suggestions failed for 21 s after the first was closed, and each command
 * run meanwhile took the file over and, closing, broke the window's connections again.
 *
 * <p>Work that fails that way before it reached the database is done again, with short pauses, for up to
 * {@link #waitMillis()}; listeners hear when this process starts and stops waiting (the window shows
 * "Reconnecting…"). A transaction is repeated only if its work had not yet run: one broken during its work may or
 * may not have been committed, so it fails with {@link WorkspaceBusyException}, whose message says so. Other
 * databases (PostgreSQL, in-memory H2) fail at once, as before.
 */
public final class Handover {

    private static final System.Logger LOG = System.getLogger("switchboard.db");

    /** System property: how long to wait for a hand-over (ms); tests shorten it. */
    public static final String WAIT_PROPERTY = "switchboard.db.handoverWaitMs";

    /**
     * How long work waits for the file by default: the owner's close (its compaction up to 10 s, then the exit;
     * 21 s on a loaded two-core machine) and a command that took the file over meanwhile and closes in turn.
     */
    static final long DEFAULT_WAIT_MS = 60_000;

    /** H2 error codes of a file being handed over (or held by a process that does not serve it). */
    private static final List<Integer> CODES = List.of(
            90067, // CONNECTION_BROKEN_1: the owner's server is gone
            90020, // DATABASE_ALREADY_OPEN_1: the file is locked and no server is named in the lock file (yet)
            8000,  // ERROR_OPENING_DATABASE_1: "Lock file recently modified", "Another process was faster"
            90098, // DATABASE_IS_CLOSED: the owner closed under a running statement
            90121, // DATABASE_CALLED_AT_SHUTDOWN
            90135  // DATABASE_IS_IN_EXCLUSIVE_MODE
    );

    /** Work that may throw a JDBC exception. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private final boolean applies;
    private final String displayName;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private int waiting; // guarded by this: calls waiting now

    Handover(String url) {
        this.applies = appliesTo(url);
        this.displayName = displayName(url);
    }

    /** True for an H2 file shared with other processes (AUTO_SERVER), the only kind that is handed over. */
    static boolean appliesTo(String url) {
        String u = url.toUpperCase(java.util.Locale.ROOT);
        return u.startsWith("JDBC:H2:FILE:") && u.contains(";AUTO_SERVER=TRUE");
    }

    private static String displayName(String url) {
        int semi = url.indexOf(';');
        String u = semi < 0 ? url : url.substring(0, semi);
        return u.startsWith("jdbc:h2:file:") ? u.substring("jdbc:h2:file:".length()) + ".mv.db" : u;
    }

    /** How long work waits for a hand-over ({@value #WAIT_PROPERTY}, default {@value #DEFAULT_WAIT_MS} ms). */
    static long waitMillis() {
        return Math.max(0, Long.getLong(WAIT_PROPERTY, DEFAULT_WAIT_MS));
    }

    /**
     * Tells {@code listener} {@code true} when work of this process starts waiting for the file to be handed over
     * and {@code false} when the file answers again (on the thread that waited).
     */
    public void addListener(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Boolean> listener) {
        listeners.remove(listener);
    }

    /** True while some work of this process waits for the file. */
    public synchronized boolean reconnecting() {
        return waiting > 0;
    }

    /** True if {@code e} (or a cause) is H2 refusing a file that is being handed over or held elsewhere. */
    public static boolean isHandover(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WorkspaceBusyException) return true;
            if (t instanceof SQLException s && CODES.contains(s.getErrorCode())) return true;
            // IO_EXCEPTION_1 over the owner's server: the connection was dropped halfway through a result
            if (t instanceof SQLException s && s.getErrorCode() == 90028 && dropped(s)) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    private static boolean dropped(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof java.net.SocketException) return true;
            if (t.getCause() == t) break;
        }
        String m = e.getMessage();
        return m != null && (m.contains("java.io.EOFException") || m.contains("java.net.SocketException"));
    }

    /** Runs work that can safely be done again (it had not reached the database when it failed). */
    public <T> T run(Work<T> work) throws SQLException {
        return run(applies, displayName, work, this);
    }

    /** As {@link #run(Work)} for work before a {@link Database} exists (opening it); no listeners. */
    static <T> T runOpening(String url, Work<T> work) throws SQLException {
        return run(appliesTo(url), displayName(url), work, null);
    }

    private static <T> T run(boolean applies, String name, Work<T> work, Handover h) throws SQLException {
        if (!applies) return work.run();
        long start = System.nanoTime();
        long deadline = start + waitMillis() * 1_000_000L;
        long pause = 50;
        boolean waited = false;
        try {
            while (true) {
                try {
                    T result = work.run();
                    if (waited) LOG.log(System.Logger.Level.INFO, "the workspace answers again after "
                            + (System.nanoTime() - start) / 1_000_000 + " ms");
                    return result;
                } catch (SQLException | RuntimeException e) {
                    if (!isHandover(e) || e instanceof WorkspaceBusyException) throw e;
                    if (System.nanoTime() - deadline >= 0) throw busy(name, e);
                    if (!waited) {
                        waited = true;
                        LOG.log(System.Logger.Level.INFO, "the workspace is being handed over between Switchboard "
                                + "processes; waiting (" + firstLine(e) + ")");
                        if (h != null) h.waiting(+1);
                        if ("JavaFX Application Thread".equals(Thread.currentThread().getName())) {
                            // the window would freeze while this waits: a read that belongs on a background thread
                            LOG.log(System.Logger.Level.WARNING, "the window's thread waits for the workspace",
                                    new IllegalStateException("database work on the JavaFX thread"));
                        }
                    }
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new WorkspaceBusyException("Interrupted while waiting for " + name
                            + ", which another Switchboard process is handing over.", ie);
                }
                pause = Math.min(500, pause * 2);
            }
        } finally {
            if (waited && h != null) h.waiting(-1);
        }
    }

    private void waiting(int delta) {
        boolean changed;
        synchronized (this) {
            int before = waiting;
            waiting += delta;
            changed = (before == 0) != (waiting == 0);
        }
        if (!changed) return;
        boolean now = reconnecting();
        for (Consumer<Boolean> l : listeners) {
            try {
                l.accept(now);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "hand-over listener failed", e);
            }
        }
    }

    /** The one-sentence failure after waiting in vain. */
    static WorkspaceBusyException busy(String name, Throwable cause) {
        long s = Math.round(waitMillis() / 1000.0);
        boolean foreign = false;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && e.getErrorCode() == 90020) foreign = true;
        }
        String msg = foreign
                ? "The workspace database " + name + " is in use by another program that does not share it (waited "
                        + s + " s): close that program, then try again."
                : "The workspace database " + name + " is held by another Switchboard window or command that did not "
                        + "hand it over within " + s + " s: wait until it has closed, then try again.";
        return new WorkspaceBusyException(msg, cause);
    }

    /** Work that failed while it was running: it may or may not have been stored. */
    static WorkspaceBusyException interrupted(String name, Throwable cause) {
        return new WorkspaceBusyException("The workspace database " + name + " was being handed over between "
                + "Switchboard processes while this was being saved, so it may not have been stored: check it and do it again.",
                cause);
    }

    /** True for a shared H2 file; false for the databases that are never handed over. */
    boolean applies() {
        return applies;
    }

    String name() {
        return displayName;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m);
    }
}
