package dev.switchboard.persistence.db;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * Gives back the space of replaced pages of an embedded H2 file while tickets are written in bulk (an import), so
 * that the file stays near the size of its data instead of growing with everything the import wrote.
 *
 * <p>Why it grew: each commit writes the pages it changed to a new chunk of the file. The unique index on the
 * external id takes each new key at a random place (for a file without an id column the id is a SHA-256 of the
 * content; so did the content-hash index, dropped by V7), so a batch of 500 rows rewrote some 500 leaf pages of it;
 * their old copies are garbage, but a chunk's space is reused only once none of its pages is live, and every chunk
 * also holds pages that stay live (the new rows). Only compaction, which copies the live pages of sparse chunks
 * elsewhere, frees such chunks. H2 compacts in its background writer thread, which {@code WRITE_DELAY=0}
 * ({@link Database}) stops, and never touches a chunk younger than the retention time (45 s): nothing was freed
 * before the close (50,000 short tickets: 254 MB; a million: 17 GB, which 10 s of compaction at the close left).
 *
 * <p>While a bulk write is open ({@link #begin}):
 * <ul>
 *   <li>the retention time is {@link #BULK_RETENTION_MS}. H2 assumes that what it wrote longer ago than that is on
 *       disk before it overwrites a chunk (its default relies on the operating system's write-back), so the file is
 *       forced to disk {@link #SYNCS_PER_RETENTION} times per retention time. Never 0: that is known to corrupt
 *       files (h2database#2752, #4083).</li>
 *   <li>after each committed batch ({@link Handle#afterBatch}, on the store's writer thread, before the batch's
 *       future completes) up to {@link #COMPACT_BYTES} of live pages are moved out of chunks older than that while
 *       live pages fill less than {@link #COMPACT_FILL} % of the chunks.</li>
 * </ul>
 * When an import of at least {@link #TIDY_MIN_BATCHES} batches ends, a final pass follows on a thread of its own
 * once its last chunks are older than the retention time ({@link Database#close} waits for it): if the live data
 * is at most {@link #TIDY_BYTES}, its pages are moved out of every sparse chunk and the chunks packed to the start of
 * the file, which then needs nothing of the close. Without that the close's compaction went round in circles for
 * its 10 s: H2 counts the chunks it emptied in one round as used in the next, so it kept rewriting full chunks, and
 * left the file larger (50,000 tickets: 26-34 MB instead of 21 MB). Larger databases are left to it, as before.
 *
 * <p>Between bulk writes, the process that owns the file keeps house the same way ({@link #startHousekeeping}): every
 * {@link #HOUSEKEEPING_PERIOD_MS} it moves up to {@link #IDLE_COMPACT_BYTES} of live pages out of sparse chunks older
 * than the retention time, which is {@link #IDLE_RETENTION_MS} while it runs (H2's 45 s default is restored at the
 * close), and forces the file to disk {@link #SYNCS_PER_RETENTION} times per retention time while anything is
 * written. Without it nothing was given back until the close however long the window ran: each single-ticket
 * commit (intake, a decision, a stored suggestion) left some 25 KB of replaced pages, so 20,000 of them grew the file
 * to 500 MB (12 MB once closed); now a file of 12,000 such commits at 200 a second peaks at 21 MB instead of 253 MB
 * ({@code switchboard bench-writes}). Above about 1,000 commits a second it falls behind (40,000 as fast as they go:
 * 239 MB), still a quarter of before. A client process (another one owns the file) checks again every
 * {@link #OWNER_RECHECK_MS}, since it owns the file once the other one has closed it.
 *
 * <p>Nothing is done for a database another process serves (this process is then its client and cannot reach the
 * file), nor for PostgreSQL or in-memory databases: there the handle does nothing ({@link Handle#active()}). This
 * reaches into H2's engine ({@code SessionLocal}, {@code MVStore}: public classes, not its JDBC API); should a later
 * H2 change them, imports run as before, a warning is logged and {@code BulkSpaceTest} fails.
 */
public final class BulkSpace {

    private static final System.Logger LOG = System.getLogger("switchboard.db");

    /** Retention time while importing (ms). */
    static final int BULK_RETENTION_MS = 2_000;
    /** The file is forced to disk at least this many times per retention time while importing. */
    static final int SYNCS_PER_RETENTION = 4;
    /** Compact after a batch only while live pages fill less than this share (%) of the chunks. */
    static final int COMPACT_FILL = 50;
    /** Live bytes moved after one batch at most. */
    static final int COMPACT_BYTES = 4 << 20;
    /** Imports shorter than this (batches) end without the final pass: they leave little garbage. */
    static final int TIDY_MIN_BATCHES = 20;
    /** The final pass is made when the live data is at most this (a larger database is left to the close). */
    static final int TIDY_BYTES = 64 << 20;
    /** Live bytes the final pass moves per commit. */
    static final int TIDY_PORTION = 8 << 20;
    /** Rounds of the final pass at most, a retention time apart, until live pages fill {@link #TIDY_FILL} %. */
    static final int TIDY_ROUNDS = 2;
    /** The final pass stops compacting once live pages fill this share (%) of the chunks (H2's own target). */
    static final int TIDY_FILL = 90;

    /** Retention time of the owning process between bulk writes (ms); H2's own default is 45 s. */
    static final int IDLE_RETENTION_MS = BULK_RETENTION_MS;
    /** How often the owning process looks after the file between bulk writes. */
    static final long HOUSEKEEPING_PERIOD_MS = 500;
    /** Live bytes moved per housekeeping round at most. */
    static final int IDLE_COMPACT_BYTES = 64 << 20;
    /** A process that does not own the file checks this often whether it now does. */
    static final long OWNER_RECHECK_MS = 60_000;

    private final Database db;
    // housekeeping between bulk writes; all guarded by this
    private java.util.concurrent.ScheduledExecutorService keeper;
    private Connection keepConn;
    private MVStore keepStore;
    private int keepSavedRetention;
    private long keepSyncNanos;
    private long keepLastSync;
    private long keepSyncedWrites;
    private long nextOwnerCheck;
    private int open;            // guarded by this
    private Connection conn;     // guarded by this; the session through which the store is reached
    private MVStore store;       // guarded by this; null: nothing to do
    private int savedRetention;  // guarded by this
    private int batches;         // guarded by this
    private long lastSync;       // guarded by this
    private long syncNanos;      // guarded by this
    private Thread tidier;       // guarded by this; the final pass, waiting for its time or running

    BulkSpace(Database db) {
        this.db = db;
    }

    /** One bulk write; {@link #close} ends it. */
    public final class Handle implements AutoCloseable {
        private boolean closed;

        private Handle() { }

        /** True when this database's space is looked after (an embedded H2 file). */
        public boolean active() {
            synchronized (BulkSpace.this) {
                return store != null;
            }
        }

        /** After a batch is committed, on the writer thread: moves live pages out of sparse chunks. */
        public void afterBatch() {
            BulkSpace.this.afterBatch();
        }

        /** Ends this bulk write; the last one to end makes the final pass and restores the retention time. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            end();
        }
    }

    /** Starts a bulk write. Several may overlap: the first lowers the retention time, the last restores it. */
    public Handle begin() {
        return begin(BULK_RETENTION_MS);
    }

    /** As {@link #begin()} with another retention time (tests: one that a fast machine cannot outrun). */
    synchronized Handle begin(int retentionMs) {
        if (retentionMs < 500) throw new IllegalArgumentException("retention time " + retentionMs + " ms: 0 corrupts files");
        boolean first = open++ == 0;
        if (first && store != null) {
            tidier = null; // a final pass is pending: this import goes on with the lowered retention time
        } else if (first) {
            try {
                Connection c = db.jdbc();
                MVStore mv = storeOf(c);
                if (mv == null || !(mv.getFileStore() instanceof RandomAccessStore) || mv.isReadOnly()) {
                    c.close();
                } else {
                    conn = c;
                    store = mv;
                    savedRetention = mv.getRetentionTime();
                    int retention = Math.min(savedRetention, retentionMs);
                    mv.setRetentionTime(retention);
                    syncNanos = retention * 1_000_000L / SYNCS_PER_RETENTION;
                    batches = 0;
                    lastSync = System.nanoTime();
                }
            } catch (SQLException | RuntimeException | LinkageError e) {
                // e.g. a later H2 whose engine classes differ: the import runs, as before, without this
                LOG.log(System.Logger.Level.WARNING, "the database file's space is not given back during this import: " + e);
            }
        }
        return new Handle();
    }

    private synchronized void afterBatch() {
        MVStore mv = store;
        if (mv == null || mv.isClosed()) return;
        try {
            batches++;
            if (mv.compact(COMPACT_FILL, COMPACT_BYTES)) mv.commit();
            long now = System.nanoTime();
            if (now - lastSync >= syncNanos) {
                mv.sync();
                lastSync = now;
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "giving back the database file's space failed: " + e.getMessage());
        }
    }

    private synchronized void end() {
        if (--open > 0 || store == null) return;
        MVStore mv = store;
        try {
            if (mv.isClosed()) {
                release();
            } else if (batches < TIDY_MIN_BATCHES) {
                mv.sync();
                release();
            } else {
                mv.sync();
                // on its own thread: the import reports done and the writer thread stays free meanwhile
                long due = System.nanoTime() + mv.getRetentionTime() * 1_000_000L;
                tidier = Thread.ofPlatform().daemon().name("switchboard-db-tidy").unstarted(() -> tidyWhenDue(due));
                tidier.start();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "giving back the database file's space failed: " + e.getMessage());
            release();
        }
    }

    /** Restores the retention time and lets go of the store. */
    private void release() {
        MVStore mv = store;
        store = null;
        tidier = null;
        restoreRetention(mv, savedRetention, false);
        closeSession(conn);
        conn = null;
    }

    /** Sets a store's retention time back (0: leaves it), after forcing the file to disk if asked; logs a failure. */
    private static void restoreRetention(MVStore mv, int retentionMs, boolean sync) {
        try {
            if (mv == null || mv.isClosed()) return;
            if (sync) mv.sync();
            if (retentionMs > 0) mv.setRetentionTime(retentionMs);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not restore the retention time: " + e.getMessage());
        }
    }

    /** Closes one of our own idle sessions. */
    private static void closeSession(Connection c) {
        try {
            if (c != null) c.close();
        } catch (SQLException e) {
            // nothing was pending on it
        }
    }

    private void tidyWhenDue(long due) {
        for (long wait; (wait = due - System.nanoTime()) > 0; ) {
            try {
                Thread.sleep(wait / 1_000_000 + 1); // until what the import wrote last may be rewritten
            } catch (InterruptedException e) {
                break;
            }
        }
        synchronized (this) {
            if (tidier != Thread.currentThread()) return; // another import began meanwhile and took over
            try {
                if (!store.isClosed()) tidy(store);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "giving back the database file's space failed: " + e.getMessage());
            } finally {
                release();
            }
        }
    }

    /**
     * Waits for a pending final pass (at most the retention time, then the pass): the database's close, so that
     * H2's own compaction at the close finds a compact file.
     */
    void finish() {
        Thread t;
        synchronized (this) {
            t = tidier;
        }
        if (t == null) return;
        try {
            t.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The database closes: lets go of the store even while an import is still open (its remaining batches then
     * go without this).
     */
    synchronized void shutdown() {
        if (store != null) release();
        stopHousekeeping();
    }

    /** Waits for a pending final pass (tests, benchmarks). */
    public void awaitTidy() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = tidier;
        }
        if (t != null) t.join();
    }

    /**
     * The final pass: moves the live pages of sparse chunks, releases the emptied chunks and packs the rest to the
     * start of the file, which then shrinks; once more a retention time later if live pages still fill less than
     * {@link #TIDY_FILL} % of the chunks (else the close's compaction would go round in circles).
     */
    private void tidy(MVStore mv) throws InterruptedException {
        FileStore<?> fs = mv.getFileStore();
        long live = fs.size() * fs.getFillRate() / 100 * fs.getChunksFillRate() / 100;
        // with more live data than that the pass would take long and leave the close as much to do (its compaction
        // then takes up to MAX_COMPACT_TIME, as before)
        if (live > TIDY_BYTES) return;
        for (int round = 1; ; round++) {
            mv.sync(); // what is rewritten or overwritten now is on disk first
            // in portions, each committed apart, so that each finds room where the last one's chunks were: in one
            // go all live pages went to the end of the file, which first grew by that much (50,000 tickets: 17-21 MB
            // above the import's peak; in portions none; 20,000: 11 MB, in portions 5 MB)
            for (int portion = 0; portion < 2 * TIDY_BYTES / TIDY_PORTION && mv.compact(TIDY_FILL, TIDY_PORTION); portion++) {
                mv.commit();
                mv.executeFilestoreOperation(fs::dropUnusedChunks); // else the next portion (and the close) count them as used
            }
            ((RandomAccessStore) fs).compactMoveChunks(TIDY_FILL, TIDY_BYTES, mv);
            mv.commit();
            mv.executeFilestoreOperation(fs::dropUnusedChunks);
            // another round at once would find only this round's chunks, too young to be rewritten, and rewrite what
            // is left again: worse (10,000 tickets: 88 % of the chunks live after one round, 70 % after two)
            if (round == TIDY_ROUNDS || fs.getChunksFillRate() >= TIDY_FILL) break;
            Thread.sleep(mv.getRetentionTime());
        }
        mv.sync();
    }

    /** Starts looking after the file between bulk writes (an H2 file database; see the class comment). */
    void startHousekeeping() {
        startHousekeeping(IDLE_RETENTION_MS, HOUSEKEEPING_PERIOD_MS);
    }

    /** As {@link #startHousekeeping()} with another retention time and period (tests). */
    synchronized void startHousekeeping(int retentionMs, long periodMs) {
        if (retentionMs < 500) throw new IllegalArgumentException("retention time " + retentionMs + " ms: 0 corrupts files");
        stopHousekeeping();
        keepSyncNanos = retentionMs * 1_000_000L / SYNCS_PER_RETENTION;
        int retention = retentionMs;
        try {
            acquireKeeper(retentionMs); // at once: the retention time is set when the database is open
        } catch (SQLException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "the database file's space is not looked after: " + e);
            return;
        }
        keeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r ->
                Thread.ofPlatform().daemon().name("switchboard-db-housekeeping").unstarted(r));
        keeper.scheduleWithFixedDelay(() -> housekeep(retention), periodMs, periodMs,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** One round: compact sparse chunks, force the file to disk when it was written to (see the class comment). */
    private synchronized void housekeep(int retentionMs) {
        if (keeper == null) return;
        try {
            if (keepStore == null || keepStore.isClosed()) {
                releaseKeeper();
                long now = System.nanoTime();
                if (now - nextOwnerCheck < 0) return;
                try {
                    if (!acquireKeeper(retentionMs)) return;
                } catch (SQLException | RuntimeException e) {
                    return; // e.g. the owner is just handing the file over: again in a minute
                }
            }
            if (store != null) return; // a bulk write looks after the file meanwhile
            MVStore mv = keepStore;
            FileStore<?> fs = mv.getFileStore();
            if (fs.getChunksFillRate() < COMPACT_FILL && mv.compact(COMPACT_FILL, IDLE_COMPACT_BYTES)) {
                mv.commit();
                mv.executeFilestoreOperation(fs::dropUnusedChunks);
            }
            long now = System.nanoTime();
            long writes = fs.getWriteCount();
            if (writes != keepSyncedWrites && now - keepLastSync >= keepSyncNanos) {
                mv.sync();
                keepLastSync = now;
                keepSyncedWrites = writes;
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "looking after the database file's space failed; stopped: " + e);
            stopHousekeeping();
        }
    }

    /** Takes the file's store if this process owns the file; false (and a later check) if another one does. */
    private boolean acquireKeeper(int retentionMs) throws SQLException {
        nextOwnerCheck = System.nanoTime() + OWNER_RECHECK_MS * 1_000_000L;
        Connection c = db.jdbc();
        MVStore mv = storeOf(c);
        if (mv == null || !(mv.getFileStore() instanceof RandomAccessStore) || mv.isReadOnly()) {
            c.close(); // another process owns the file (or it cannot be written)
            return false;
        }
        keepConn = c;
        keepStore = mv;
        // while a bulk write is open, it has lowered the retention time: it restores this one when it ends
        keepSavedRetention = store != null ? savedRetention : mv.getRetentionTime();
        if (store == null) mv.setRetentionTime(Math.min(keepSavedRetention, retentionMs));
        else savedRetention = Math.min(keepSavedRetention, retentionMs);
        keepLastSync = System.nanoTime();
        keepSyncedWrites = mv.getFileStore().getWriteCount();
        return true;
    }

    /** Stops the housekeeping, restores H2's retention time and lets go of its session. */
    synchronized void stopHousekeeping() {
        if (keeper != null) keeper.shutdown(); // no interrupt: H2 closes a file channel interrupted in an I/O call
        keeper = null;
        releaseKeeper();
    }

    private void releaseKeeper() {
        MVStore mv = keepStore;
        keepStore = null;
        if (mv != null && store != null) savedRetention = keepSavedRetention; // the open bulk write restores it
        restoreRetention(mv, store == null ? keepSavedRetention : 0, true);
        closeSession(keepConn);
        keepConn = null;
    }

    /** The MVStore behind an embedded H2 connection; null for other connections. */
    private static MVStore storeOf(Connection c) throws SQLException {
        if (!c.isWrapperFor(JdbcConnection.class)) return null;
        Session s = c.unwrap(JdbcConnection.class).getSession();
        if (!(s instanceof SessionLocal local)) return null;
        org.h2.mvstore.db.Store st = local.getDatabase().getStore();
        return st == null ? null : st.getMvStore();
    }
}
