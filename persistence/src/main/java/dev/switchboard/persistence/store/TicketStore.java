package dev.switchboard.persistence.store;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.entity.Decision;
import dev.switchboard.persistence.entity.DuplicateLink;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.entity.PriorityLevel;
import dev.switchboard.persistence.entity.Suggestion;
import dev.switchboard.persistence.entity.Team;
import dev.switchboard.persistence.entity.Ticket;
import dev.switchboard.persistence.entity.TicketEmbedding;
import dev.switchboard.persistence.entity.TicketStatus;
import dev.switchboard.persistence.entity.TicketUpdate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.Session;

/**
 * The ticket store. Every write goes through one named background writer thread and completes a
 * future once committed (and, with {@link Database}'s H2 settings, on disk). Reads may run on any
 * background thread. Never call {@code join()} on the returned futures from the JavaFX thread.
 */
public final class TicketStore implements AutoCloseable {

    public static final String SET_BY_HUMAN = "HUMAN";
    public static final String SET_BY_HISTORY = "HISTORY";

    private final Database db;
    private final ExecutorService writer;
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();

    public TicketStore(Database db) {
        this.db = db;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "switchboard-db-writer");
            t.setDaemon(true);
            return t;
        });
    }

    public Database database() {
        return db;
    }

    public void addListener(StoreListener l) {
        listeners.add(l);
    }

    public void removeListener(StoreListener l) {
        listeners.remove(l);
    }

    /** Runs a write on the writer thread in one transaction. */
    public <T> CompletableFuture<T> write(Function<Session, T> work) {
        return CompletableFuture.supplyAsync(() -> db.inTransaction(work), writer);
    }

    /**
     * Tells the listeners about tickets another process created or changed (a CLI import into the same
     * file, a separate intake, another dispatcher on a shared database), found by a poll: suggestions and
     * duplicate checks follow them as they follow this process's own writes. Called on the caller's thread.
     */
    public void announceChanged(Collection<Long> ids) {
        tell(ids, true);
    }

    void fireChanged(Collection<Long> ids) {
        tell(ids, false);
    }

    private void tell(Collection<Long> ids, boolean elsewhere) {
        if (ids.isEmpty()) return;
        for (StoreListener l : listeners) {
            try {
                if (elsewhere) l.ticketsChangedElsewhere(ids);
                else l.ticketsChanged(ids);
            } catch (RuntimeException e) {
                System.getLogger("switchboard.store").log(System.Logger.Level.WARNING, "listener failed", e);
            }
        }
    }

    public static String contentHash(String subject, String body, String requester) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : new String[] {subject, body, requester}) {
                md.update((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- taxonomy

    /** Creates or updates teams and priority levels by name (nothing is deleted). */
    public CompletableFuture<Void> saveTaxonomy(List<TaxonomyRow> teams, List<TaxonomyRow> priorities) {
        return saveTaxonomy(teams, priorities, Map.of());
    }

    /** As {@link #saveTaxonomy(List, List)}; new priority levels get their SLA target (minutes) from {@code slaMinutes}. */
    public CompletableFuture<Void> saveTaxonomy(List<TaxonomyRow> teams, List<TaxonomyRow> priorities,
                                                Map<String, Integer> slaMinutes) {
        return this.<Void>write(s -> {
            Map<String, Team> existing = teamsByName(s);
            for (TaxonomyRow t : teams) {
                Team team = existing.get(t.name());
                if (team == null) s.persist(new Team(t.name(), t.description()));
                else if (t.description() != null && !t.description().isBlank()) team.setDescription(t.description());
            }
            Map<String, PriorityLevel> prios = prioritiesByName(s);
            for (TaxonomyRow p : priorities) {
                if (!prios.containsKey(p.name())) s.persist(new PriorityLevel(p.name(), p.rank(), p.description(), slaMinutes.get(p.name())));
            }
            return null;
        });
    }

    public List<TaxonomyRow> teams() {
        return db.inTransaction(s -> s.createSelectionQuery("from Team where active = true order by name", Team.class)
                .getResultList().stream().map(t -> new TaxonomyRow(t.getName(), t.getDescription(), 0)).toList());
    }

    public List<TaxonomyRow> priorities() {
        return db.inTransaction(s -> s.createSelectionQuery("from PriorityLevel order by rank", PriorityLevel.class)
                .getResultList().stream().map(p -> new TaxonomyRow(p.getName(), p.getCriteria(), p.getRank())).toList());
    }

    private static Map<String, Team> teamsByName(Session s) {
        return s.createSelectionQuery("from Team", Team.class).getResultList().stream()
                .collect(Collectors.toMap(Team::getName, t -> t));
    }

    private static Map<String, PriorityLevel> prioritiesByName(Session s) {
        return s.createSelectionQuery("from PriorityLevel", PriorityLevel.class).getResultList().stream()
                .collect(Collectors.toMap(PriorityLevel::getName, p -> p));
    }

    // ---------------------------------------------------------------- tickets

    /**
     * Stores tickets; ones whose (source, external id) is already stored are skipped, so re-importing
     * a file adds nothing. Labelled tickets become decided history (team created if new, an IMPORTED
     * decision appended). Durable when the future completes.
     */
    public CompletableFuture<ImportBatchResult> saveTickets(List<NewTicket> batch, String actor) {
        return write(s -> {
            Map<String, Set<String>> ids = new HashMap<>();
            for (NewTicket t : batch) {
                if (t.externalId() != null) ids.computeIfAbsent(t.source(), k -> new HashSet<>()).add(t.externalId());
            }
            Set<String> present = new HashSet<>();
            // One point lookup per id on the (source, external_id) unique index. "source = ? and external_id
            // in (...)" made H2 use only the source prefix of that index and scan every ticket of the source
            // per batch, so imports slowed down quadratically with the size of the store.
            s.doWork(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "select 1 from ticket where source = ? and external_id = ?")) {
                    for (var e : ids.entrySet()) {
                        for (String x : e.getValue()) {
                            ps.setString(1, e.getKey());
                            ps.setString(2, x);
                            try (ResultSet rs = ps.executeQuery()) {
                                if (rs.next()) present.add(e.getKey() + '\u0000' + x);
                            }
                        }
                    }
                }
                // a row an earlier build stored under its legacy id (same creation time): already present
                try (PreparedStatement ps = c.prepareStatement(
                        "select created_at from ticket where source = ? and external_id = ?")) {
                    for (NewTicket t : batch) {
                        if (t.legacyExternalId() == null || t.externalId() == null || t.createdAt() == null) continue;
                        ps.setString(1, t.source());
                        ps.setString(2, t.legacyExternalId());
                        try (ResultSet rs = ps.executeQuery()) {
                            // the stored time may be rounded to the column's precision
                            if (rs.next() && Math.abs(java.time.Duration.between(t.createdAt(), rs.getTimestamp(1).toInstant())
                                    .toNanos()) < 1_000_000) {
                                present.add(t.source() + '\u0000' + t.externalId());
                            }
                        }
                    }
                }
            });
            Map<String, Team> teams = teamsByName(s);
            Map<String, PriorityLevel> prios = prioritiesByName(s);
            List<NewTicket> toInsert = new ArrayList<>(batch.size());
            int skipped = 0;
            for (NewTicket t : batch) {
                if (t.externalId() != null && !present.add(t.source() + '\u0000' + t.externalId())) {
                    skipped++;
                    continue;
                }
                toInsert.add(t);
                if (t.team() != null && !t.team().isBlank()) {
                    teams.computeIfAbsent(t.team().strip(), n -> {
                        Team nt = new Team(n, "");
                        s.persist(nt);
                        return nt;
                    });
                }
            }
            s.flush(); // new teams get their ids before the plain JDBC inserts refer to them
            Instant now = db.now();
            List<Long> decided = new ArrayList<>();
            List<Long> created = s.doReturningWork(c -> insertTickets(c, toInsert, teams, prios, actor, now, decided));
            return new ImportBatchResult(created, skipped, List.copyOf(decided));
        }).thenApply(r -> {
            fireChanged(r.createdIds());
            return r;
        });
    }

    private static final String INSERT_TICKET = "insert into ticket (source, external_id, content_hash, subject, body,"
            + " requester, created_at, updated_at, status, team_id, priority_id, set_by, created_known, version)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";
    private static final String INSERT_IMPORTED_DECISION = "insert into decision (ticket_id, kind, team_id, priority_id,"
            + " dispatcher, decided_at, status, prev_status, reviewed) values (?, ?, ?, ?, ?, ?, ?, ?, true)";
    /** Rows per JDBC batch (bounds driver memory for large bodies). */
    private static final int JDBC_BATCH = 500;

    /**
     * Inserts tickets (and an IMPORTED decision for each labelled one) with JDBC batches on the
     * session's connection, inside the session's transaction. Returns the new ids in input order; adds
     * those of labelled tickets (stored as decided history) to {@code decided}.
     * Same rows as persisting {@link Ticket} and {@link Decision} entities one by one, without the
     * per-row identity round trips and entity bookkeeping.
     */
    private static List<Long> insertTickets(Connection c, List<NewTicket> rows, Map<String, Team> teams,
                                            Map<String, PriorityLevel> prios, String actor, Instant now,
                                            List<Long> decided) throws SQLException {
        List<Long> created = new ArrayList<>(rows.size());
        try (PreparedStatement ti = c.prepareStatement(INSERT_TICKET, new String[] {"id"});
             PreparedStatement di = c.prepareStatement(INSERT_IMPORTED_DECISION)) {
            for (int from = 0; from < rows.size(); from += JDBC_BATCH) {
                List<NewTicket> chunk = rows.subList(from, Math.min(rows.size(), from + JDBC_BATCH));
                Team[] chunkTeams = new Team[chunk.size()];
                PriorityLevel[] chunkPrios = new PriorityLevel[chunk.size()];
                java.time.OffsetDateTime[] chunkAt = new java.time.OffsetDateTime[chunk.size()];
                for (int i = 0; i < chunk.size(); i++) {
                    NewTicket t = chunk.get(i);
                    java.time.OffsetDateTime at = java.time.OffsetDateTime.ofInstant(
                            t.createdAt() == null ? now : t.createdAt(), java.time.ZoneOffset.UTC);
                    Team team = t.team() == null || t.team().isBlank() ? null : teams.get(t.team().strip());
                    PriorityLevel prio = team == null || t.priority() == null || t.priority().isBlank()
                            ? null : prios.get(t.priority().strip());
                    chunkTeams[i] = team;
                    chunkPrios[i] = prio;
                    chunkAt[i] = at;
                    ti.setString(1, t.source());
                    ti.setString(2, t.externalId());
                    ti.setString(3, contentHash(t.subject(), t.body(), t.requester()));
                    ti.setString(4, t.subject());
                    ti.setString(5, t.body());
                    ti.setString(6, t.requester());
                    ti.setObject(7, at);
                    // changed now (the database's clock), whatever the source says it was created: a source
                    // time ahead of the clock would otherwise lift every queue's "changed since" mark past
                    // the changes colleagues make meanwhile
                    ti.setObject(8, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
                    ti.setString(9, (team != null ? TicketStatus.RESOLVED : TicketStatus.NEW).name());
                    setLongOrNull(ti, 10, team == null ? null : team.getId());
                    setLongOrNull(ti, 11, prio == null ? null : prio.getId());
                    ti.setString(12, team != null ? SET_BY_HISTORY : null);
                    ti.setBoolean(13, t.createdAt() != null);
                    ti.addBatch();
                }
                ti.executeBatch();
                long[] ids = new long[chunk.size()];
                int n = 0;
                try (ResultSet keys = ti.getGeneratedKeys()) {
                    while (keys.next() && n < ids.length) ids[n++] = keys.getLong(1);
                }
                if (n != ids.length) throw new SQLException("expected " + ids.length + " generated ticket ids, got " + n);
                boolean decisions = false;
                for (int i = 0; i < chunk.size(); i++) {
                    created.add(ids[i]);
                    if (chunkTeams[i] == null) continue;
                    decided.add(ids[i]);
                    di.setLong(1, ids[i]);
                    di.setString(2, DecisionKind.IMPORTED.name());
                    di.setLong(3, chunkTeams[i].getId());
                    setLongOrNull(di, 4, chunkPrios[i] == null ? null : chunkPrios[i].getId());
                    di.setString(5, actor);
                    di.setObject(6, chunkAt[i]);
                    di.setString(7, TicketStatus.RESOLVED.name());
                    di.setString(8, TicketStatus.NEW.name());
                    di.addBatch();
                    decisions = true;
                }
                if (decisions) di.executeBatch();
            }
        }
        return created;
    }

    private static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) ps.setNull(index, java.sql.Types.BIGINT);
        else ps.setLong(index, value);
    }

    public CompletableFuture<Void> addUpdate(long ticketId, String author, String body) {
        return this.<Void>write(s -> {
            Ticket t = s.find(Ticket.class, ticketId);
            if (t == null) throw new IllegalArgumentException("no ticket " + ticketId);
            Instant now = db.now();
            s.persist(new TicketUpdate(t, author, body, now));
            t.setUpdatedAt(now);
            return null;
        }).thenApply(v -> {
            fireChanged(List.of(ticketId));
            return v;
        });
    }

    /** Records a suggestion and makes it the ticket's latest. */
    public CompletableFuture<Long> saveSuggestion(long ticketId, SuggestionData d) {
        return write(s -> {
            Ticket t = s.find(Ticket.class, ticketId);
            if (t == null) throw new IllegalArgumentException("no ticket " + ticketId);
            Suggestion sg = new Suggestion(t, d.engine(), d.model(), d.status(), d.team(), d.priority(),
                    d.confidence(), d.confident(), d.topTeams(), d.topPriorities(), d.rationale(), d.evidenceIds(),
                    d.note(), d.latencyMs(), db.now());
            s.persist(sg);
            // A suggestion is not a change a dispatcher made: do not bump the ticket's version for it.
            s.createMutationQuery("update Ticket set latestSuggestion = :s where id = :id")
                    .setParameter("s", sg).setParameter("id", ticketId).executeUpdate();
            return sg.getId();
        }).thenApply(id -> {
            fireChanged(List.of(ticketId));
            return id;
        });
    }

    /** Sets status (a lifecycle step) without a decision; checks the version the caller saw. */
    public CompletableFuture<Void> setStatus(long ticketId, long expectedVersion, TicketStatus status) {
        return this.<Void>write(s -> {
            Ticket t = s.find(Ticket.class, ticketId);
            if (t == null) throw new IllegalArgumentException("no ticket " + ticketId);
            if (t.getVersion() != expectedVersion) {
                throw new jakarta.persistence.OptimisticLockException("ticket " + ticketId
                        + " was changed by someone else (version " + t.getVersion() + ", you saw " + expectedVersion + ")");
            }
            t.setStatus(status);
            t.setUpdatedAt(db.now());
            return null;
        }).thenApply(v -> {
            fireChanged(List.of(ticketId));
            return v;
        });
    }

    // ---------------------------------------------------------------- reads

    /**
     * Queue rows; {@code {dups}} becomes the number of duplicate pairs awaiting a verdict (latest state
     * SUGGESTED or UNDONE) and {@code {dupJoin}} whatever that needs.
     */
    private static final String QUEUE_TEMPLATE = """
            select t.id, t.external_id, t.source, t.subject, t.requester, t.created_at, t.updated_at, t.status,
                   tm.name, p.name, t.set_by, s.team_name, s.priority_name, s.confidence, s.confident,
                   {dups}, t.version, s.created_at, s.id, t.snoozed_until
            from ticket t
            left join team tm on tm.id = t.team_id
            left join priority_level p on p.id = t.priority_id
            left join suggestion s on s.id = t.suggestion_id
            {dupJoin}""";

    /**
     * Queue rows without their duplicate counts (filled in from {@link #pendingDuplicateCounts}): a grouped
     * derived table joined to the ticket is re-evaluated per ticket by H2 (its join condition pushed into it),
     * which took minutes for 25,000 links.
     */
    private static final String PLAIN_ROWS_SQL = QUEUE_TEMPLATE.replace("{dups}", "0").replace("{dupJoin}", "");

    /**
     * A pair row that is the pair's latest and awaits a verdict (alias l), neither ticket merged into another one
     * ({@link DuplicateLinks#awaitsVerdict}).
     */
    private static final String PENDING_LATEST = """
            l.state in ('SUGGESTED', 'UNDONE')
            and not exists (select 1 from duplicate_link n where n.ticket_id = l.ticket_id and n.original_id = l.original_id and n.id > l.id)
            and not exists (select 1 from duplicate_link n where n.ticket_id = l.original_id and n.original_id = l.ticket_id and n.id > l.id)
            and not exists (select 1 from ticket m where m.id = l.ticket_id and m.duplicate_of is not null)
            and not exists (select 1 from ticket m where m.id = l.original_id and m.duplicate_of is not null)""";

    /** A few rows (live refresh): per-row index lookups instead of a pass over every link. */
    private static final String FEW_ROWS_SQL = QUEUE_TEMPLATE.replace("{dups}",
            "(select count(*) from duplicate_link l where l.ticket_id = t.id and " + PENDING_LATEST + ")"
                    + " + (select count(*) from duplicate_link l where l.original_id = t.id and " + PENDING_LATEST + ")")
            .replace("{dupJoin}", "");

    /**
     * Every ticket as a queue row (plain JDBC: fast enough for 50,000 rows at start-up): one pass over the
     * tickets and one over the duplicate pairs, each linear.
     */
    public List<QueueRow> queue() {
        Map<Long, Integer> pending = pendingDuplicateCounts();
        return withDuplicateCounts(queryRows(PLAIN_ROWS_SQL + " order by t.id", ps -> { }), pending);
    }

    /** Above this many tickets {@link #rows} counts duplicate pairs in one pass instead of per ticket. */
    public static final int FEW_ROWS = 200;

    /** Queue rows for the given tickets, e.g. after a change notification. */
    public List<QueueRow> rows(Collection<Long> ids) {
        if (ids.isEmpty()) return List.of();
        boolean few = ids.size() <= FEW_ROWS;
        List<QueueRow> out = new ArrayList<>();
        List<Long> list = new ArrayList<>(ids);
        for (int i = 0; i < list.size(); i += 500) {
            List<Long> chunk = list.subList(i, Math.min(list.size(), i + 500));
            String in = chunk.stream().map(x -> "?").collect(Collectors.joining(","));
            out.addAll(queryRows((few ? FEW_ROWS_SQL : PLAIN_ROWS_SQL) + " where t.id in (" + in + ") order by t.id", ps -> {
                for (int j = 0; j < chunk.size(); j++) ps.setLong(j + 1, chunk.get(j));
            }));
        }
        if (few) return out;
        out.sort(java.util.Comparator.comparingLong(QueueRow::id));
        return withDuplicateCounts(out, pendingDuplicateCounts());
    }

    /**
     * Per ticket, the number of its duplicate pairs awaiting a verdict (the pair's latest row SUGGESTED or
     * UNDONE, the pair unordered, neither ticket merged into another one): one pass over duplicate_link
     * ({@link DuplicateLinks#current}).
     */
    Map<Long, Integer> pendingDuplicateCounts() {
        Map<Long, Integer> counts = new HashMap<>();
        DuplicateLinks links = new DuplicateLinks(this);
        java.util.Set<Long> merged = links.mergedTickets();
        for (DuplicateLinks.Link l : links.current()) {
            if (!DuplicateLinks.awaitsVerdict(l, merged)) continue;
            counts.merge(l.ticketId(), 1, Integer::sum);
            counts.merge(l.originalId(), 1, Integer::sum);
        }
        return counts;
    }

    private static List<QueueRow> withDuplicateCounts(List<QueueRow> rows, Map<Long, Integer> pending) {
        if (pending.isEmpty()) return rows;
        List<QueueRow> out = new ArrayList<>(rows.size());
        for (QueueRow r : rows) {
            Integer n = pending.get(r.id());
            out.add(n == null ? r : r.withDuplicates(n));
        }
        return out;
    }

    /**
     * The newest ticket id and update time: a cheap check (two index lookups) whether another
     * process changed anything since the last look.
     */
    public ChangeMarker changeMarker() {
        return db.read(() -> {
            try (Connection c = db.jdbc(); var st = c.createStatement();
                 ResultSet rs = st.executeQuery("select coalesce(max(id), 0), max(updated_at),"
                         + " (select coalesce(max(l.id), 0) from duplicate_link l) from ticket")) {
                rs.next();
                return new ChangeMarker(rs.getLong(1), instant(rs, 2), rs.getLong(3));
            } catch (SQLException e) {
                throw new IllegalStateException("reading the change marker failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Newest ticket id, newest update time and newest duplicate-pair row in the store (a pair suggested or
     * decided elsewhere changes both tickets' badges but neither ticket's update time).
     */
    public record ChangeMarker(long maxId, Instant maxUpdated, long maxLinkId) {}

    /** The time to record (the database's clock in team mode, see {@link Database#now()}). */
    public Instant now() {
        return db.now();
    }

    /**
     * Duplicate-pair rows with an id above {@code afterId}, oldest first: {id, ticket, original} each
     * (a pair suggested or decided changes both tickets' badges but neither ticket's update time).
     */
    public List<long[]> pairRowsAfter(long afterId) {
        return db.read(() -> {
            try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(
                    "select id, ticket_id, original_id from duplicate_link where id > ? order by id")) {
                ps.setLong(1, afterId);
                List<long[]> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException("reading duplicate pairs failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Rows created or changed after the given marker (id / updated time), for cross-process refresh: the ids
     * from two index range scans (id, updated_at), then {@link #rows}. (One query with "id in (select … union
     * select …)" was re-evaluated per row by H2: 166 s for 10,000 new tickets.)
     */
    public List<QueueRow> rowsSince(long afterId, Instant updatedAfter) {
        return db.read(() -> {
            java.util.TreeSet<Long> ids = new java.util.TreeSet<>();
            try (Connection c = db.jdbc();
                 PreparedStatement byId = c.prepareStatement("select id from ticket where id > ?");
                 PreparedStatement byTime = c.prepareStatement("select id from ticket where updated_at > ?")) {
                byId.setLong(1, afterId);
                byTime.setTimestamp(1, Timestamp.from(updatedAfter));
                for (PreparedStatement ps : List.of(byId, byTime)) {
                    ps.setFetchSize(5000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) ids.add(rs.getLong(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("reading changed tickets failed: " + e.getMessage(), e);
            }
            return rows(ids);
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<QueueRow> queryRows(String sql, Binder binder) {
        return db.read(() -> {
            try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                ps.setFetchSize(2000);
                List<QueueRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new QueueRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                instant(rs, 6), instant(rs, 7), rs.getString(8), rs.getString(9), rs.getString(10),
                                rs.getString(11), rs.getString(12), rs.getString(13), rs.getDouble(14), rs.getBoolean(15),
                                rs.getInt(16), rs.getLong(17), instant(rs, 18), (Long) rs.getObject(19, Long.class), instant(rs, 20)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException("reading the queue failed: " + e.getMessage(), e);
            }
        });
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp ts = rs.getTimestamp(col);
        return ts == null ? null : ts.toInstant();
    }

    public Optional<TicketDetail> detail(long id) {
        return detail(id, true);
    }

    /**
     * The ticket as {@link #detail} reads it, without its duplicate pairs (an empty list): for the
     * services that read a ticket's text on every change (suggestions, duplicate checks, examples).
     */
    public Optional<TicketDetail> detailWithoutPairs(long id) {
        return detail(id, false);
    }

    private Optional<TicketDetail> detail(long id, boolean withPairs) {
        List<QueueRow> rows = rows(List.of(id));
        if (rows.isEmpty()) return Optional.empty();
        return Optional.of(db.inTransaction(s -> {
            Ticket t = s.find(Ticket.class, id);
            List<TicketUpdate> rawUpdates = s.createSelectionQuery(
                            "from TicketUpdate where ticket.id = :id order by createdAt, id", TicketUpdate.class)
                    .setParameter("id", id).getResultList();
            java.util.Set<Long> undoneMerges = rawUpdates.stream().anyMatch(u -> u.getMergeLinkId() != null)
                    ? undoneMergeUpdates(s, id) : java.util.Set.of();
            List<TicketDetail.Update> updates = rawUpdates.stream()
                    .map(u -> new TicketDetail.Update(u.getAuthor(), u.getBody(), u.getCreatedAt(),
                            undoneMerges.contains(u.getId()))).toList();
            Suggestion sg = t.getLatestSuggestion();
            TicketDetail.SuggestionView sv = sg == null ? null : new TicketDetail.SuggestionView(sg.getId(), sg.getEngine(),
                    sg.getModel(), sg.getStatus(), sg.getTeamName(), sg.getPriorityName(), sg.getConfidence(),
                    sg.isConfident(), sg.getTopTeams(), sg.getTopPriorities(), sg.getRationale(), sg.getEvidenceIds(),
                    sg.getNote(), sg.getCreatedAt());
            List<TicketDetail.RoutingView> routing = s.createSelectionQuery(
                            "select r from RoutingStep r left join fetch r.fromTeam join fetch r.toTeam left join r.decision d"
                                    + " where r.ticket.id = :id and " + dev.switchboard.persistence.entity.RoutingStep.IN_EFFECT
                                    + " order by r.movedAt, r.id",
                            dev.switchboard.persistence.entity.RoutingStep.class)
                    .setParameter("id", id).setParameter("undone", DecisionKind.UNDONE).getResultList().stream()
                    .map(r -> new TicketDetail.RoutingView(r.getFromTeam() == null ? null : r.getFromTeam().getName(),
                            r.getToTeam().getName(), r.getMovedAt())).toList();
            return new TicketDetail(rows.get(0), t.getBody(), updates, sv, routing, withPairs ? duplicates(s, id) : List.of(),
                    t.getDuplicateOf() == null ? null : t.getDuplicateOf().getId());
        }));
    }

    /** Ids of the ticket's updates that a merge brought in which was undone later ({@link DuplicateLinks#MERGE_NOT_UNDONE}). */
    private static java.util.Set<Long> undoneMergeUpdates(org.hibernate.Session s, long ticketId) {
        List<?> ids = s.createNativeQuery("select u.id from ticket_update u where u.ticket_id = :id and u.merge_link_id is not null"
                        + " and not " + DuplicateLinks.MERGE_NOT_UNDONE, Object.class)
                .setParameter("id", ticketId).getResultList();
        java.util.Set<Long> out = new java.util.HashSet<>();
        for (Object o : ids) out.add(((Number) o).longValue());
        return out;
    }

    /** The ticket's duplicate pairs at their latest state (dismissed ones left out): awaiting a verdict first, best first. */
    private static List<TicketDetail.DuplicateView> duplicates(Session s, long id) {
        // one indexed query per side (an "or" across the two columns scans the whole table on H2)
        List<DuplicateLink> rows = new ArrayList<>();
        for (String side : new String[] {"ticket", "original"}) {
            rows.addAll(s.createSelectionQuery("from DuplicateLink l join fetch l.ticket join fetch l.original "
                    + "where l." + side + ".id = :id", DuplicateLink.class).setParameter("id", id).getResultList());
        }
        rows.sort(java.util.Comparator.comparing(DuplicateLink::getId));
        // the latest row of each pair, whichever way round it was recorded; the first row (the suggestion)
        // keeps the pair's direction and score for a pair awaiting a verdict again after an undo
        Map<Long, DuplicateLink> first = new HashMap<>();
        Map<Long, DuplicateLink> latest = new java.util.LinkedHashMap<>();
        for (var l : rows) {
            long other = l.getTicket().getId() == id ? l.getOriginal().getId() : l.getTicket().getId();
            first.putIfAbsent(other, l);
            latest.put(other, l);
        }
        List<TicketDetail.DuplicateView> out = new ArrayList<>();
        for (var e : latest.entrySet()) {
            var l = e.getValue();
            if (l.getState() == DuplicateLink.State.DISMISSED) continue;
            boolean pending = l.getState() == DuplicateLink.State.SUGGESTED || l.getState() == DuplicateLink.State.UNDONE;
            var shape = pending ? first.get(e.getKey()) : l;
            boolean otherIsOriginal = shape.getTicket().getId() == id;
            Ticket other = otherIsOriginal ? shape.getOriginal() : shape.getTicket();
            Ticket self = otherIsOriginal ? shape.getTicket() : shape.getOriginal();
            out.add(new TicketDetail.DuplicateView(e.getKey(), other.getSubject(), other.getStatus().name(), otherIsOriginal,
                    pending ? shape.getScore() : l.getScore(), l.getState().name(), l.getActor(), l.getCreatedAt(),
                    other.getDuplicateOf() == null ? null : other.getDuplicateOf().getId(), self.getDuplicateOf() != null));
        }
        out.sort(TicketDetail.DuplicateView.ORDER);
        return out;
    }

    /**
     * Texts of all tickets (id, subject, body), e.g. to index them for duplicates. The creation time is null for a
     * ticket imported without one (its stored created_at is only the import time).
     */
    public void forEachTicketText(TextConsumer consumer) {
        // a long read: if another process hands the shared file over meanwhile, it goes on after the last ticket read
        long[] last = {Long.MIN_VALUE};
        db.read(() -> {
            try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(
                    "select id, subject, body, case when created_known then created_at end, status from ticket"
                            + " where id > ? order by id")) {
                ps.setLong(1, last[0]);
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                                TicketStatus.valueOf(rs.getString(5)).isOpen());
                        last[0] = rs.getLong(1);
                    }
                }
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("reading tickets failed: " + e.getMessage(), e);
            }
        });
    }

    /** Of the given tickets, those imported without a creation time (their created_at is the import time). */
    public Set<Long> withoutKnownCreation(Collection<Long> ids) {
        return idsWhere("not created_known", ids);
    }

    /** Of the given tickets, those merged into another as its duplicate (closed; their text is an update there). */
    public Set<Long> mergedAmong(Collection<Long> ids) {
        return idsWhere("duplicate_of is not null", ids);
    }

    /**
     * Of the given tickets, those in a pair with an undone verdict (either side): after an undone merge their texts
     * changed back. Any undone verdict counts (the row does not say what it undid); relearning the others is harmless.
     */
    public Set<Long> inUndoneMergeAmong(Collection<Long> ids) {
        return idsWhere("(exists (select 1 from duplicate_link l where l.ticket_id = ticket.id and l.state = 'UNDONE')"
                + " or exists (select 1 from duplicate_link l where l.original_id = ticket.id and l.state = 'UNDONE'))", ids);
    }

    /** Of the given tickets, those matching a fixed condition on {@code ticket}; 500 ids per query. */
    private Set<Long> idsWhere(String condition, Collection<Long> ids) {
        return db.read(() -> {
            Set<Long> out = new HashSet<>();
            if (ids.isEmpty()) return out;
            List<Long> list = new ArrayList<>(ids);
            try (Connection c = db.jdbc()) {
                for (int i = 0; i < list.size(); i += 500) {
                    List<Long> chunk = list.subList(i, Math.min(list.size(), i + 500));
                    String in = chunk.stream().map(x -> "?").collect(Collectors.joining(","));
                    try (PreparedStatement ps = c.prepareStatement("select id from ticket where " + condition + " and id in (" + in + ")")) {
                        for (int j = 0; j < chunk.size(); j++) ps.setLong(j + 1, chunk.get(j));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) out.add(rs.getLong(1));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("reading tickets failed: " + e.getMessage(), e);
            }
            return out;
        });
    }

    @FunctionalInterface
    public interface TextConsumer {
        void accept(long id, String subject, String body, Instant createdAt, boolean open);
    }

    /**
     * Tickets whose current team was set by a human or imported history: the training set, in id order. Each
     * comes with the updates recorded up to the decision that set its label (all of them when it has none),
     * oldest first: its newest decision of a kind that {@linkplain DecisionKind#decidesTeam() decides its team}
     * which no undo compensates ({@link DecisionLedger#labelDecision}; after an undo, the decision it restored),
     * the same cut-off as the dataset export's ({@link LabelledExampleReader}). That is its text as the
     * dispatcher saw it when deciding. Updates added later (a comment after the decision, a duplicate merged
     * into it, also one made before a later decision that was undone) only count once the ticket is decided
     * again; the update of a merge that was undone later never counts ({@link DuplicateLinks#MERGE_NOT_UNDONE}),
     * as in the export. A ticket merged into another as its duplicate is no example of its own (its text is an update
     * of the original there), as in the export. Each carries its requester (where that requester's tickets went is a routing signal of its own).
     * Two queries however long the history.
     */
    public List<LabelledRow> labelledHistory() {
        return db.read(() -> {
            String deciding = java.util.Arrays.stream(DecisionKind.values()).filter(DecisionKind::decidesTeam)
                    .map(k -> "'" + k.name() + "'").collect(Collectors.joining(", "));
            String sql = """
                    select t.id, t.subject, t.body, tm.name, p.name,
                           (select max(d.decided_at) from decision d where d.ticket_id = t.id),
                           coalesce((select d.reviewed from decision d where d.id =
                                     (select max(d2.id) from decision d2 where d2.ticket_id = t.id)), true),
                           (select d.decided_at from decision d where d.id =
                                     (select max(d2.id) from decision d2 where d2.ticket_id = t.id and d2.kind in (%s)
                                      and d2.id not in (select u.compensates_id from decision u
                                                        where u.compensates_id is not null))),
                           t.requester
                    from ticket t join team tm on tm.id = t.team_id
                    left join priority_level p on p.id = t.priority_id
                    where t.set_by is not null and t.duplicate_of is null
                    order by t.id
                    """.formatted(deciding);
            String updatesSql = """
                    select u.ticket_id, u.body, u.created_at from ticket_update u join ticket t on t.id = u.ticket_id
                    where t.set_by is not null and t.team_id is not null and %s
                    order by u.ticket_id, u.created_at, u.id
                    """.formatted(DuplicateLinks.MERGE_NOT_UNDONE); // an undone merge's text is not the ticket's
            record Row(long id, String subject, String body, String team, String priority, Instant decidedAt,
                       boolean reviewed, Instant textAt, String requester) {}
            try (Connection c = db.jdbc()) {
                List<Row> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setFetchSize(1000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                    rs.getString(5), instant(rs, 6), rs.getBoolean(7), instant(rs, 8), rs.getString(9)));
                        }
                    }
                }
                Map<Long, Instant> textAt = new HashMap<>(rows.size() * 2);
                for (Row r : rows) textAt.put(r.id(), r.textAt());
                // read after the tickets: an update added meanwhile is later than every decision read above
                Map<Long, List<String>> updates = new HashMap<>();
                try (PreparedStatement ps = c.prepareStatement(updatesSql)) {
                    ps.setFetchSize(1000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long id = rs.getLong(1);
                            if (!textAt.containsKey(id)) continue; // decided meanwhile: not in this history
                            Instant at = textAt.get(id);
                            Instant created = instant(rs, 3);
                            if (at != null && created != null && created.isAfter(at)) continue;
                            updates.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(2));
                        }
                    }
                }
                List<LabelledRow> out = new ArrayList<>(rows.size());
                for (Row r : rows) {
                    out.add(new LabelledRow(r.id(), r.subject(), r.body(), updates.getOrDefault(r.id(), List.of()), r.team(),
                            r.priority(), r.decidedAt(), r.reviewed(), r.requester()));
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException("reading labelled history failed: " + e.getMessage(), e);
            }
        });
    }

    // ---------------------------------------------------------------- embeddings

    public Map<Long, float[]> embeddings(String modelId) {
        return db.read(() -> {
            Map<Long, float[]> out = new HashMap<>();
            try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(
                    "select ticket_id, vector from ticket_embedding where model_id = ?")) {
                ps.setString(1, modelId);
                ps.setFetchSize(2000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getLong(1), TicketEmbedding.toFloats(rs.getBytes(2)));
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException("reading embeddings failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * The vectors stored under {@code modelId} for the given tickets whose recorded text fingerprint is the
     * one given (see {@link #saveEmbeddings(String, Map, Map)}): a vector of another text of the ticket, or
     * of an unrecorded one, is left out.
     */
    public Map<Long, float[]> embeddings(String modelId, Map<Long, String> textHashes) {
        return db.read(() -> {
            Map<Long, float[]> out = new HashMap<>();
            if (textHashes.isEmpty()) return out;
            try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(
                    "select ticket_id, text_hash, vector from ticket_embedding where model_id = ?")) {
                ps.setString(1, modelId);
                ps.setFetchSize(2000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        String hash = rs.getString(2);
                        if (hash != null && hash.equals(textHashes.get(id))) out.put(id, TicketEmbedding.toFloats(rs.getBytes(3)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException("reading embeddings failed: " + e.getMessage(), e);
            }
        });
    }

    public CompletableFuture<Void> saveEmbeddings(String modelId, Map<Long, float[]> vectors) {
        return saveEmbeddings(modelId, vectors, Map.of());
    }

    /**
     * Stores vectors under {@code modelId}, replacing the ones stored for the same tickets, each with the
     * fingerprint of the text it was computed from when {@code textHashes} has one (at most 64 characters).
     */
    public CompletableFuture<Void> saveEmbeddings(String modelId, Map<Long, float[]> vectors, Map<Long, String> textHashes) {
        return this.<Void>write(s -> {
            Instant now = db.now();
            for (var e : vectors.entrySet()) {
                TicketEmbedding existing = s.find(TicketEmbedding.class, new TicketEmbedding.Key(e.getKey(), modelId));
                if (existing != null) s.remove(existing);
                s.flush();
                s.persist(new TicketEmbedding(e.getKey(), modelId, e.getValue(), textHashes.get(e.getKey()), now));
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- stats

    public StoreStats stats() {
        return db.read(() -> {
            try (Connection c = db.jdbc(); var st = c.createStatement()) {
                long[] v = new long[7];
                String[] q = {
                        "select count(*) from ticket",
                        "select count(*) from ticket where status not in ('RESOLVED','CLOSED')",
                        "select count(*) from ticket where set_by is not null",
                        "select count(*) from team where active = true",
                        "select count(*) from decision",
                        "select count(*) from suggestion",
                        "select count(*) from duplicate_link where state in ('SUGGESTED','CONFIRMED','MERGED')"};
                for (int i = 0; i < q.length; i++) {
                    try (ResultSet rs = st.executeQuery(q[i])) {
                        rs.next();
                        v[i] = rs.getLong(1);
                    }
                }
                return new StoreStats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], db.displayUrl());
            } catch (SQLException e) {
                throw new IllegalStateException("reading counts failed: " + e.getMessage(), e);
            }
        });
    }

    /** Waits for queued writes, then stops the writer. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
