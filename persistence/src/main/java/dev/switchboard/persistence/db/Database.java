package dev.switchboard.persistence.db;

import dev.switchboard.persistence.entity.Decision;
import dev.switchboard.persistence.entity.DuplicateLink;
import dev.switchboard.persistence.entity.PriorityLevel;
import dev.switchboard.persistence.entity.RoutingStep;
import dev.switchboard.persistence.entity.Suggestion;
import dev.switchboard.persistence.entity.Team;
import dev.switchboard.persistence.entity.Ticket;
import dev.switchboard.persistence.entity.TicketEmbedding;
import dev.switchboard.persistence.entity.TicketUpdate;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Properties;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.cfg.Configuration;

/**
 * Opens the database named by a JDBC URL (H2 file by default, PostgreSQL for team mode), migrates it
 * with Flyway and builds the Hibernate session factory, which validates the mapping against the schema.
 *
 * <p>H2 URLs get {@code WRITE_DELAY=0} so that a commit is on disk when the caller is told it is saved
 * (H2's default delay of 500 ms can lose acknowledged work if the process is killed).
 *
 * <p>H2 file URLs also get {@code AUTO_SERVER=TRUE}, so the command line and the window can share a file:
 * the first process to open it serves it to the others over TCP. That server listens on the loopback
 * address only ({@code h2.bindAddress}, set here before H2 reads it; H2 reads it once, when its
 * {@code SysProperties} class loads) and the data directory and database files are private to the
 * user (0700 / 0600 where the file system has POSIX permissions): the lock file holds the server's key.
 */
public final class Database implements AutoCloseable {

    /** System property H2 (2.x) reads for the address its TCP servers, AUTO_SERVER's included, listen on. */
    static final String H2_BIND_ADDRESS = "h2.bindAddress";

    static {
        // Every process opens its database through this class (window and command line alike), and this
        // runs before the first H2 class is touched here. An explicit -Dh2.bindAddress is respected.
        if (System.getProperty(H2_BIND_ADDRESS) == null) {
            System.setProperty(H2_BIND_ADDRESS, InetAddress.getLoopbackAddress().getHostAddress());
        }
    }

    private static final System.Logger LOG = System.getLogger("switchboard.db");

    private final String url;
    private final String user;
    private final String password;
    private final SessionFactory sessionFactory;
    private volatile boolean closed;
    /** Waits out another process handing the shared file over (see {@link Handover}). */
    private final Handover handover;

    private Database(String url, String user, String password, SessionFactory sf) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.sessionFactory = sf;
        this.handover = new Handover(url);
    }

    /** The hand-over of a shared H2 file: whether this process waits for it now, and listeners. */
    public Handover handover() {
        return handover;
    }

    /** Default location: {@code $XDG_DATA_HOME/switchboard} or {@code ~/.local/share/switchboard}. */
    public static Path defaultDataDir() {
        String override = System.getenv("SWITCHBOARD_HOME");
        if (override != null && !override.isBlank()) return Path.of(override);
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("switchboard");
    }

    public static String defaultUrl() {
        return h2FileUrl(defaultDataDir().resolve("switchboard"));
    }

    /** JDBC URL of an H2 file database at {@code fileWithoutExtension} (".mv.db" is added by H2). */
    public static String h2FileUrl(Path fileWithoutExtension) {
        return "jdbc:h2:file:" + fileWithoutExtension.toAbsolutePath();
    }

    /** How long closing an H2 file database may spend giving back the space of replaced pages. */
    static final int MAX_COMPACT_MS = 10_000;

    /** Adds the settings Switchboard relies on to an H2 URL; other URLs pass through. */
    public static String effectiveUrl(String url) {
        if (!url.startsWith("jdbc:h2:")) return url;
        String u = url;
        String upper = u.toUpperCase();
        if (!upper.contains("WRITE_DELAY=")) u += ";WRITE_DELAY=0";
        if (!upper.contains("AUTO_SERVER=") && upper.startsWith("JDBC:H2:FILE:")) u += ";AUTO_SERVER=TRUE";
        // H2 keeps pages a commit replaced for 45 s before their space is reused, so a fast bulk import leaves the
        // file mostly empty space (50,000 short tickets: 264 MB); closing compacts for at most 200 ms by default.
        // Allowing 10 s at the close (after the window is gone, or at the end of a CLI import) gives it back: 28 MB.
        if (!upper.contains("MAX_COMPACT_TIME=") && upper.startsWith("JDBC:H2:FILE:")) u += ";MAX_COMPACT_TIME=" + MAX_COMPACT_MS;
        return u;
    }

    /** Migrates only (fast: no Hibernate); returns the number of migrations applied. */
    public static int migrate(String url, String user, String password) {
        String eff = effectiveUrl(url);
        requireLoopbackAutoServer(eff);
        ensureParentDir(eff);
        // SQL schema per database (H2 and PostgreSQL differ in one column type); Java migrations shared
        String schema = eff.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
        int n = Flyway.configure().dataSource(eff, user, password)
                .locations("classpath:db/migration", "classpath:db/schema/" + schema)
                .load().migrate().migrationsExecuted;
        restrictH2Files(eff);
        return n;
    }

    public static Database open(String url) {
        return open(url, System.getenv().getOrDefault("SWITCHBOARD_DB_USER", "sa"),
                System.getenv().getOrDefault("SWITCHBOARD_DB_PASSWORD", ""));
    }

    /**
     * Opens the database; while another process is handing a shared H2 file over, waits for it (see
     * {@link Handover}) and fails with {@link WorkspaceBusyException} if it is not handed over in time.
     */
    public static Database open(String url, String user, String password) {
        String eff = effectiveUrl(url);
        try {
            return Handover.runOpening(eff, () -> openNow(url, user, password));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e); // not thrown by openNow: it throws unchecked
        }
    }

    private static Database openNow(String url, String user, String password) {
        migrate(url, user, password);
        String eff = effectiveUrl(url);
        Properties p = new Properties();
        p.put("hibernate.connection.url", eff);
        p.put("hibernate.connection.username", user);
        p.put("hibernate.connection.password", password);
        p.put("hibernate.hbm2ddl.auto", "validate");
        p.put("hibernate.jdbc.batch_size", "200");
        p.put("hibernate.order_inserts", "true");
        p.put("hibernate.show_sql", "false");
        p.put("hibernate.connection.pool_size", "8");
        p.put("hibernate.jdbc.time_zone", "UTC");
        Configuration cfg = new Configuration().addProperties(p);
        for (Class<?> c : new Class<?>[] {Team.class, PriorityLevel.class, Ticket.class, TicketUpdate.class,
                Suggestion.class, Decision.class, RoutingStep.class, DuplicateLink.class, TicketEmbedding.class}) {
            cfg.addAnnotatedClass(c);
        }
        SessionFactory sf = cfg.buildSessionFactory();
        restrictH2Files(eff); // the lock file is written anew each time the file is opened
        return new Database(eff, user, password, sf);
    }

    /**
     * Refuses to open an H2 file with AUTO_SERVER when H2 was loaded before this class could set its bind
     * address (its server would listen on every interface). Cannot happen when H2 is only reached through
     * this class.
     */
    private static void requireLoopbackAutoServer(String url) {
        if (!url.toUpperCase().contains(";AUTO_SERVER=TRUE")) return;
        String bound = org.h2.engine.SysProperties.BIND_ADDRESS;
        if (bound == null || bound.isEmpty()) {
            throw new IllegalStateException("H2 was initialised before Switchboard set " + H2_BIND_ADDRESS
                    + "; refusing to start a database server on every network interface (start the JVM with -D"
                    + H2_BIND_ADDRESS + "=127.0.0.1)");
        }
    }

    /**
     * For an H2 file URL whose database file ({@code .mv.db}) does not exist: that file's path; null when it
     * exists or the URL is not an H2 file URL (in-memory, a server, PostgreSQL). Commands that only read use
     * it to refuse a mistyped {@code --db} instead of creating an empty database there.
     */
    public static Path missingH2File(String url) {
        Path base = h2FileBase(url);
        if (base == null) return null;
        Path file = base.resolveSibling(base.getFileName() + ".mv.db");
        return Files.exists(file) ? null : file;
    }

    /** The H2 database file path of a file URL, without extension; null for other URLs. */
    private static Path h2FileBase(String url) {
        if (!url.startsWith("jdbc:h2:file:")) return null;
        String path = url.substring("jdbc:h2:file:".length());
        int semi = path.indexOf(';');
        if (semi >= 0) path = path.substring(0, semi);
        if (path.startsWith("~")) path = System.getProperty("user.home") + path.substring(1); // as H2 reads it
        return Path.of(path).toAbsolutePath().normalize();
    }

    private static void ensureParentDir(String url) {
        ensureParentDir(url, defaultDataDir());
    }

    static void ensureParentDir(String url, Path dataDir) {
        Path base = h2FileBase(url);
        Path parent = base == null ? null : base.getParent();
        if (parent == null) return;
        try {
            PrivateFiles.createDirectories(parent);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + parent + ": " + e.getMessage(), e);
        }
        // A data directory made by an older version (or by a tool that wrote before the database opened) is
        // made private too; a directory of the user's own choosing (--db) keeps its permissions.
        Path data = dataDir.toAbsolutePath().normalize();
        if (parent.startsWith(data)) {
            for (Path d = parent; d != null && d.startsWith(data); d = d.getParent()) PrivateFiles.restrictToOwner(d, true);
        }
    }

    /** Makes the H2 files of a file URL (data, lock with the server key, trace) readable by the user only. */
    private static void restrictH2Files(String url) {
        Path base = h2FileBase(url);
        if (base == null) return;
        for (String ext : new String[] {".mv.db", ".lock.db", ".trace.db"}) {
            Path f = base.resolveSibling(base.getFileName() + ext);
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) PrivateFiles.restrictToOwner(f, false);
        }
    }

    public String url() {
        return url;
    }

    /** URL without credentials or settings, for display. */
    public String displayUrl() {
        int semi = url.indexOf(';');
        return semi < 0 ? url : url.substring(0, semi);
    }

    public SessionFactory sessionFactory() {
        return sessionFactory;
    }

    /** Runs work in one transaction and commits it; rolls back and rethrows on failure. */
    public <T> T inTransaction(Function<Session, T> work) {
        return repeatable(started -> sessionFactory.fromTransaction(s -> {
            if (handover.applies()) s.doWork(Database::requireLive);
            started[0] = true;
            return work.apply(s);
        }));
    }

    public <T> T stateless(Function<StatelessSession, T> work) {
        return repeatable(started -> sessionFactory.fromStatelessTransaction(s -> {
            if (handover.applies()) s.doWork(Database::requireLive);
            started[0] = true;
            return work.apply(s);
        }));
    }

    /**
     * Runs a transaction, again if it failed before its work started because another process was handing the
     * file over; one that failed that way during its work is reported as possibly not stored (never repeated: it
     * may have been committed).
     */
    private <T> T repeatable(Function<boolean[], T> tx) {
        try {
            return handover.run(() -> {
                boolean[] started = {false};
                try {
                    return tx.apply(started);
                } catch (RuntimeException e) {
                    if (started[0] && Handover.isHandover(e) && !(e instanceof WorkspaceBusyException)) {
                        throw Handover.interrupted(handover.name(), e);
                    }
                    throw e;
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e); // the transaction throws unchecked exceptions only
        }
    }

    /**
     * Runs a read that may be done again as a whole (it only returns what it read): if another process hands the
     * shared file over while it runs (even halfway through a long result), it is done again once the file answers.
     */
    public <T> T read(java.util.function.Supplier<T> work) {
        try {
            return handover.run(work::get);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e); // not thrown: work throws unchecked exceptions only
        }
    }

    /**
     * A pooled connection whose owner's server has gone fails here, before the transaction's work runs (a round
     * trip: H2's {@code isValid} answers from the client's own state and said yes for a server already gone).
     */
    private static void requireLive(Connection c) throws SQLException {
        // a session in this process (it owns the file) has no server to lose: no round trip for it
        if (c.isWrapperFor(org.h2.jdbc.JdbcConnection.class) && embedded(c)) return;
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("select 1");
        }
    }

    /** How often a shared database's clock is read again (drift, a corrected workstation clock). */
    static final long CLOCK_CHECK_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

    private volatile long clockOffsetMillis;
    private volatile java.time.Clock localClock = java.time.Clock.systemUTC();
    private volatile long clockCheckedAt = System.nanoTime() - CLOCK_CHECK_NANOS - 1;

    /** True when the database runs on this machine (an H2 file or in-memory database): one clock. */
    private static boolean sharesThisMachinesClock(String url) {
        // a second process on an H2 file (AUTO_SERVER) reaches it over TCP, but on this machine
        return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    }

    /**
     * The time to record: the database server's clock. In team mode several workstations write to one
     * database, and their own clocks may disagree by seconds; timestamps written by one and compared by
     * another (what changed since the last poll, which comments precede a decision) must come from one
     * clock. The offset to the server is measured on first use and every ten minutes (a single query,
     * halfway through which the server's time is taken); an embedded H2 database shares this machine's
     * clock, so there it is this machine's time.
     */
    public Instant now() {
        if (sharesThisMachinesClock(url)) return localClock.instant();
        long t = System.nanoTime();
        if (t - clockCheckedAt > CLOCK_CHECK_NANOS) {
            clockCheckedAt = t;
            try {
                clockOffsetMillis = measureClockOffsetMillis();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING,
                        "could not read the database clock (keeping the last offset): " + e.getMessage());
            }
        }
        return localClock.instant().plusMillis(clockOffsetMillis);
    }

    /**
     * Where this machine's time is read (the system clock; a test sets a skewed one to stand in for a
     * workstation whose clock is off). Measures the offset to a shared database again at the next
     * {@link #now()}.
     */
    public void useLocalClock(java.time.Clock clock) {
        localClock = clock;
        clockCheckedAt = System.nanoTime() - CLOCK_CHECK_NANOS - 1;
    }

    /** Server time minus this machine's time, in milliseconds. */
    private long measureClockOffsetMillis() throws SQLException {
        try (Connection c = jdbc(); java.sql.Statement st = c.createStatement()) {
            long before = localClock.millis();
            try (java.sql.ResultSet rs = st.executeQuery("select current_timestamp")) {
                long after = localClock.millis();
                rs.next();
                long server = rs.getTimestamp(1).toInstant().toEpochMilli();
                return server - (before + after) / 2;
            }
        }
    }

    /** A plain JDBC connection for fast bulk reads (the caller closes it). */
    public Connection jdbc() throws SQLException {
        // After close, a new connection would silently reopen the file (and keep it open).
        if (closed) throw new SQLException("the database is closed");
        return keepOpenIfOwner(handover.run(() -> DriverManager.getConnection(url, user, password)));
    }

    private final Object keeperLock = new Object();
    /** Guarded by keeperLock: a session of this process on a shared H2 file it took over from another process. */
    private Connection keeper;

    /**
     * When this process has just taken a shared H2 file over from another (this connection opened it: the other
     * closed), keeps it open until {@link #close()} with a session of its own. Otherwise H2 closed the file again
     * with that connection, its server stopped and its compaction held the file for seconds, and every other
     * process waited once more: seen as the workspace passing from process to process for a minute after a
     * window was closed. (The process that opens the file first keeps it open through Hibernate's pool.)
     */
    private Connection keepOpenIfOwner(Connection c) {
        if (!handover.applies()) return c;
        try {
            if (!embedded(c)) return c;
            synchronized (keeperLock) {
                if (closed || (keeper != null && !keeper.isClosed() && embedded(keeper))) return c;
                Connection old = keeper;
                keeper = DriverManager.getConnection(url, user, password);
                if (old != null) {
                    try {
                        old.close();
                    } catch (SQLException ignored) {
                        // a session of the previous owner's server, already gone
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not keep the workspace open: " + e.getMessage());
        }
        return c;
    }

    /** True for a session of an H2 file opened in this process (not one served by another process). */
    private static boolean embedded(Connection c) throws SQLException {
        return c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal;
    }

    @Override
    public void close() {
        closed = true;
        sessionFactory.close();
        synchronized (keeperLock) {
            if (keeper != null) {
                try {
                    keeper.close(); // the last session: H2 closes (and compacts) the file here
                } catch (SQLException ignored) {
                    // already gone with its server
                }
                keeper = null;
            }
        }
    }
}
