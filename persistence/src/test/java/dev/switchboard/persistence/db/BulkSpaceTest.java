package dev.switchboard.persistence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TicketStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import's replaced index pages are given back while it runs (the file stayed at ~5 KB per ticket until the
 * close before: 50,000 short tickets, 254 MB, 24.5 MB once closed).
 */
class BulkSpaceTest {

    @TempDir Path dir;

    /** Shorter than the import's 2 s, so that even a machine that writes 20,000 rows in a second is measured alike. */
    static final int RETENTION_MS = 500;
    static final int BATCHES = 40;
    static final int ROWS = 500;
    /** Each batch takes at least this long: the import spans several retention times on any machine. */
    static final long PACE_NANOS = 60_000_000L;

    /** Like the importer's ids of a file without an id column: a SHA-256, so each lands at a random index page. */
    static List<NewTicket> batch(int b) throws Exception {
        var md = java.security.MessageDigest.getInstance("SHA-256");
        List<NewTicket> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            int n = b * ROWS + i;
            String id = "sha256:" + HexFormat.of().formatHex(md.digest(("printer " + n).getBytes())) + "#1";
            rows.add(new NewTicket("import", id, "printer " + n + " broken",
                    "The printer on floor " + (n % 40) + " does not print since this morning.", null, null, null, null));
        }
        return rows;
    }

    static int retention(Database db) throws Exception {
        try (Connection c = db.jdbc()) {
            return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore()
                    .getRetentionTime();
        }
    }

    /** Bytes H2 wrote to the file since it was opened. */
    static long writtenBytes(Database db) throws Exception {
        try (Connection c = db.jdbc(); var rs = c.createStatement().executeQuery(
                "select setting_value from information_schema.settings where setting_name = 'info.FILE_WRITE_BYTES'")) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        }
    }

    @Test
    void anImportGivesBackReplacedPagesAsItGoesAndEndsWithACompactFile() throws Exception {
        Path file = dir.resolve("bulk.mv.db");
        long peak = 0;
        long afterImport;
        long written;
        try (Database db = Database.open(Database.h2FileUrl(dir.resolve("bulk")))) {
            TicketStore store = new TicketStore(db);
            int before = retention(db);
            long writtenBefore = writtenBytes(db);
            try (BulkSpace.Handle bulk = db.beginBulkWrite(RETENTION_MS)) {
                assertThat(bulk.active()).as("H2's engine reached (a later H2 may have changed it)").isTrue();
                assertThat(retention(db)).isEqualTo(RETENTION_MS);
                long t0 = System.nanoTime();
                for (int b = 0; b < BATCHES; b++) {
                    assertThat(store.saveTickets(batch(b), "test", bulk).join().createdIds()).hasSize(ROWS);
                    peak = Math.max(peak, Files.size(file));
                    long wait = t0 + (b + 1) * PACE_NANOS - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                written = writtenBytes(db) - writtenBefore;
            }
            db.awaitBulkWrites();
            afterImport = Files.size(file);
            assertThat(retention(db)).as("retention time restored").isEqualTo(before);
            store.close();
        }
        long closed = Files.size(file);
        // measured (40 batches of 500): peak 21-26 MB while 37-40 MB were written; without giving back, 29 of 29 MB;
        // with the unused content-hash index back (V7 dropped it), 42-44 MB
        assertThat(peak).as("peak %,d bytes while %,d were written: space reused while importing", peak, written)
                .isLessThan(written * 4 / 5);
        assertThat(peak).as("peak %,d bytes for %,d short tickets", peak, BATCHES * ROWS).isLessThan(35L << 20);
        // the final pass leaves nothing for the close to do (measured: equal, 8 MB; without it 29 MB, 11 MB once closed)
        assertThat(afterImport).as("%,d bytes after the import, %,d once closed", afterImport, closed)
                .isLessThan(closed + closed / 4);
    }

    @Test
    void aProcessThatKeepsRunningGivesBackWhatItsSingleWritesReplaced() throws Exception {
        // each single-ticket commit (intake, a decision, a suggestion) left ~25 KB of replaced pages that nothing gave
        // back until the close: 4,000 of them grew the file to ~100 MB
        Path file = dir.resolve("trickle.mv.db");
        int n = 4_000;
        long peak = 0;
        try (Database db = Database.open(Database.h2FileUrl(dir.resolve("trickle")))) {
            db.housekeeping(RETENTION_MS, 50);
            TicketStore store = new TicketStore(db);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                store.saveTickets(List.of(new NewTicket("intake", "ext-" + i, "printer " + i + " broken",
                        "The printer on floor " + (i % 40) + " does not print.", null, null, null, null)), "intake").join();
                if (i % 100 == 99) {
                    peak = Math.max(peak, Files.size(file));
                    // at most 1,000 commits a second, so that the writes span many retention times on any machine
                    long wait = t0 + (i + 1) * 1_000_000L - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            assertThat(retention(db)).as("lowered while the process runs").isEqualTo(RETENTION_MS);
            assertThat(store.stats().tickets()).isEqualTo(n);
            store.close();
        }
        long closed = Files.size(file);
        System.out.printf("trickle: peak %,d bytes for %,d single-ticket commits (%,d once closed)%n", peak, n, closed);
        assertThat(peak).as("peak %,d bytes for %,d single-ticket commits (%,d once closed)", peak, n, closed)
                .isLessThan(30L << 20);
        try (Database db = Database.open(Database.h2FileUrl(dir.resolve("trickle")))) {
            assertThat(retention(db)).as("the owner's retention time from the start").isEqualTo(BulkSpace.IDLE_RETENTION_MS);
            assertThat(new TicketStore(db).stats().tickets()).isEqualTo(n);
        }
    }

    @Test
    void overlappingBulkWritesRestoreTheRetentionTimeWhenTheLastEnds() throws Exception {
        try (Database db = Database.open(Database.h2FileUrl(dir.resolve("overlap")))) {
            int before = retention(db);
            BulkSpace.Handle first = db.beginBulkWrite(RETENTION_MS);
            BulkSpace.Handle second = db.beginBulkWrite(RETENTION_MS);
            first.close();
            assertThat(second.active()).isTrue();
            assertThat(retention(db)).isEqualTo(RETENTION_MS);
            first.close(); // twice: counted once
            assertThat(retention(db)).isEqualTo(RETENTION_MS);
            second.close();
            assertThat(second.active()).isFalse();
            assertThat(retention(db)).isEqualTo(before);
        }
    }

    @Test
    void neverARetentionTimeOfZero() {
        try (Database db = Database.open(Database.h2FileUrl(dir.resolve("zero")))) {
            assertThatThrownBy(() -> db.beginBulkWrite(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
