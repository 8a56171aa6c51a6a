package dev.switchboard.app.sample;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * The demo's own workspace directory. Each {@code --demo} start begins from the sample again: the replay
 * adds a hundred arrivals per start, so a reused demo database would show ever more copies of the same
 * tickets and ever larger duplicate groups. A demo that another window is still showing is joined
 * instead of replaced: the first demo window holds an operating-system lock on {@value #WINDOW_LOCK}
 * for as long as it runs, which the system releases when the process ends however it ends, so a
 * crashed demo never blocks the next fresh start (a lock file left behind by H2 itself could).
 *
 * <p>The directory also holds the demo's own settings, intake token and saved local model, which a fresh
 * start removes with the database (the demo starts with the defaults: local model, intake off). Its egress
 * ledger ({@code egress.csv}, what was sent to an LLM from the demo) is kept: a record of what left the
 * machine is not the demo's to forget.
 */
public final class DemoWorkspace {

    /** File name of the demo database, without H2's extension. */
    public static final String NAME = "switchboard";
    static final String WINDOW_LOCK = "demo-window.lock";

    private static FileChannel channel; // held open with its lock for the life of the demo window
    private static FileLock lock;

    private DemoWorkspace() {
    }

    /** What {@link #prepare} did. */
    public enum Outcome { FRESH, JOINED }

    /**
     * Empties {@code dir} (the demo's directory: its files, not sub-directories, nor the egress ledger)
     * and holds the demo lock, unless another demo window holds it.
     *
     * @throws IOException when the directory or an old demo file cannot be touched (nothing is opened)
     */
    public static synchronized Outcome prepare(Path dir) throws IOException {
        dev.switchboard.persistence.db.PrivateFiles.createDirectories(dir);
        Path lockFile = dir.resolve(WINDOW_LOCK);
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // this process already shows the demo
        }
        if (l == null) {
            ch.close();
            return Outcome.JOINED;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (Files.isDirectory(p) || kept(p.getFileName().toString())) continue;
                Files.delete(p);
            }
        } catch (IOException e) {
            l.release();
            ch.close();
            throw e;
        }
        channel = ch;
        lock = l;
        return Outcome.FRESH;
    }

    /** Files a fresh start leaves: the lock, and the egress ledger (with the older logs it set aside). */
    private static boolean kept(String name) {
        return name.equals(WINDOW_LOCK) || name.equals(dev.switchboard.app.settings.EgressLedger.LOG_FILE)
                || name.startsWith("egress-before-") && name.endsWith(".csv");
    }

    /** Gives up the demo lock (the process ending does the same). */
    public static synchronized void release() throws IOException {
        if (lock != null) lock.release();
        if (channel != null) channel.close();
        lock = null;
        channel = null;
    }
}
