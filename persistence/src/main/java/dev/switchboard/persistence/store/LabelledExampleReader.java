package dev.switchboard.persistence.store;

import dev.switchboard.persistence.entity.DecisionKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Streams decided tickets for the dataset export with plain JDBC in constant memory: keyset pages of
 * {@value #PAGE} tickets ordered by id (works the same on H2 and PostgreSQL, holds no cursor or
 * server-side result across pages), each row handed to the caller and dropped.
 *
 * <p>The label is the final effective labelling decision: the newest decision of a labelling kind
 * (see {@link ExportQuery#LABELLING_KINDS}) that no UNDONE row compensates; its team and priority are
 * the state after that decision (an undo restores the previous decision's values, so the previous
 * decision becomes the final one). Tickets whose final team is not set are skipped.
 *
 * <p>Read with text, a row carries the ticket's updates recorded up to the label decision's
 * {@code decided_at} (the text the dispatcher decided on; later ones are left out, also those recorded
 * before a later decision that was undone), oldest first: the same rule as the local model's history
 * ({@link TicketStore#labelledHistory()}, {@link DecisionLedger#labelDecision}). The update a merge wrote
 * ("Merged duplicate #N …") is left out once that merge is undone ({@link DuplicateLinks#MERGE_NOT_UNDONE}), and
 * a ticket merged into another is no row of its own (its text is in the original's update).
 */
public final class LabelledExampleReader {

    /** A source of JDBC connections (e.g. {@code Database::jdbc}); the reader closes what it opens. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** Receives one row; return false to stop reading. */
    @FunctionalInterface
    public interface RowHandler {
        boolean accept(LabelledExample row) throws Exception;
    }

    static final int PAGE = 1000;

    private final ConnectionSource connections;

    public LabelledExampleReader(ConnectionSource connections) {
        this.connections = connections;
    }

    /** Teams (name, description) of the taxonomy, active ones, by name. */
    public List<TaxonomyRow> teams() {
        return taxonomy("select name, description, 0 from team where active = true order by name");
    }

    /** Priority levels (name, criteria, rank), most urgent first. */
    public List<TaxonomyRow> priorities() {
        return taxonomy("select name, criteria, rank_order from priority_level order by rank_order, name");
    }

    private List<TaxonomyRow> taxonomy(String sql) {
        try (Connection c = connections.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<TaxonomyRow> out = new ArrayList<>();
            while (rs.next()) out.add(new TaxonomyRow(rs.getString(1), rs.getString(2), rs.getInt(3)));
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the taxonomy failed: " + e.getMessage(), e);
        }
    }

    /** The newest decision id now: pass it to {@link ExportQuery#asOf} so several passes see the same ledger. */
    public long latestDecisionId() {
        try (Connection c = connections.open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select coalesce(max(id), 0) from decision")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the ledger failed: " + e.getMessage(), e);
        }
    }

    /**
     * Calls {@code handler} for every decided ticket matching {@code q}, in ticket id order.
     *
     * <p>Reads a page of tickets by id, then the labelling decisions of that id range in one indexed
     * range scan, and picks each ticket's final decision in Java (the newest one no UNDONE row
     * compensates). Same rows as a per-ticket "max(id) of the non-compensated labelling decisions"
     * subquery, which the database evaluated (twice) for every ticket. With text, the updates of the
     * page's exported tickets are read in one more range query; only one page's are held at a time.
     *
     * @param withText false reads no subject/body/requester and no updates (a cheap counting pass)
     * @return rows handed to the handler
     */
    public long forEach(ExportQuery q, boolean withText, RowHandler handler) {
        return forEach(q, withText, handler, id -> { });
    }

    /**
     * As {@link #forEach(ExportQuery, boolean, RowHandler)}; a ticket that would match but is merged into another
     * ({@code duplicate_of} set: closed, its text is an update of the original) is not handed out but given to
     * {@code mergedDuplicate} (its id), so it is neither a row of its own nor counted twice.
     */
    public long forEach(ExportQuery q, boolean withText, RowHandler handler, java.util.function.LongConsumer mergedDuplicate) {
        return forEach(q, withText, withText, handler, mergedDuplicate);
    }

    /**
     * As {@link #forEach(ExportQuery, boolean, RowHandler, java.util.function.LongConsumer)}; with {@code withText}
     * and not {@code withUpdates}, rows carry subject, body and requester but no updates (not read).
     */
    public long forEach(ExportQuery q, boolean withText, boolean withUpdates, RowHandler handler,
                        java.util.function.LongConsumer mergedDuplicate) {
        String ticketSql = ticketSql(q, withText);
        String decisionSql = decisionSql();
        long n = 0;
        long after = Long.MIN_VALUE;
        try (Connection c = connections.open();
             PreparedStatement tp = c.prepareStatement(ticketSql);
             PreparedStatement dp = c.prepareStatement(decisionSql);
             PreparedStatement cp = c.prepareStatement(COMPENSATED_SQL);
             PreparedStatement sp = c.prepareStatement(SUGGESTION_SQL);
             PreparedStatement up = c.prepareStatement(UPDATES_SQL)) {
            Map<Long, String> teamNames = names(c, "select id, name from team");
            Map<Long, String> priorityNames = names(c, "select id, name from priority_level");
            tp.setFetchSize(PAGE);
            dp.setFetchSize(PAGE);
            up.setFetchSize(PAGE);
            List<TicketRow> tickets = new ArrayList<>(PAGE);
            Map<Long, FinalDecision> finals = new HashMap<>();
            List<FinalDecision> candidates = new ArrayList<>();
            java.util.Set<Long> compensated = new java.util.HashSet<>();
            List<Pending> emit = new ArrayList<>(PAGE);
            Map<Long, List<String>> updates = new HashMap<>();
            while (true) {
                tickets.clear();
                finals.clear();
                int p = 1;
                tp.setLong(p++, after);
                if (q.createdFrom() != null) tp.setObject(p++, OffsetDateTime.ofInstant(q.createdFrom(), ZoneOffset.UTC));
                if (q.createdTo() != null) tp.setObject(p++, OffsetDateTime.ofInstant(q.createdTo(), ZoneOffset.UTC));
                try (ResultSet rs = tp.executeQuery()) {
                    while (rs.next()) {
                        tickets.add(new TicketRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), instant(rs, 6), longOrNull(rs, 7) != null));
                    }
                }
                if (tickets.isEmpty()) return n;
                long lo = tickets.get(0).id();
                long hi = tickets.get(tickets.size() - 1).id();
                // 1. the labelling decisions of the page's tickets, oldest first per ticket (ticket_id index range)
                dp.setLong(1, lo);
                dp.setLong(2, hi);
                long asOf = q.asOfDecision() == null ? Long.MAX_VALUE : q.asOfDecision();
                candidates.clear();
                long minId = Long.MAX_VALUE;
                long maxId = Long.MIN_VALUE;
                try (ResultSet rs = dp.executeQuery()) {
                    while (rs.next()) {
                        // the snapshot bound is checked here: in SQL ("d.id <= ?") it made H2 range-scan the primary key
                        FinalDecision d = finalDecision(rs);
                        if (d.id() > asOf) continue;
                        candidates.add(d);
                        minId = Math.min(minId, d.id());
                        maxId = Math.max(maxId, d.id());
                    }
                }
                // 2. which of them an UNDONE row (as of the snapshot) compensates (compensates_id index range)
                compensated.clear();
                if (!candidates.isEmpty()) {
                    cp.setLong(1, minId);
                    cp.setLong(2, maxId);
                    try (ResultSet rs = cp.executeQuery()) {
                        while (rs.next()) {
                            if (rs.getLong(2) <= asOf) compensated.add(rs.getLong(1));
                        }
                    }
                }
                // 3. per ticket the newest one not compensated
                for (FinalDecision d : candidates) {
                    if (!compensated.contains(d.id())) finals.put(d.ticketId(), d);
                }
                // 4. the rows to hand out (filters applied), before any text of their updates is read
                emit.clear();
                for (TicketRow t : tickets) {
                    FinalDecision d = finals.get(t.id());
                    if (d == null || d.teamId() == null) continue;
                    if (!q.kinds().contains(DecisionKind.valueOf(d.kind()))) continue;
                    String team = name(c, teamNames, "team", d.teamId());
                    if (team == null) continue;
                    if (!q.teams().isEmpty() && !q.teams().contains(team)) continue;
                    if (t.merged()) {
                        mergedDuplicate.accept(t.id());
                        continue;
                    }
                    emit.add(new Pending(t, d, team));
                }
                // 5. their updates up to the label decision, oldest first: one range query for the page
                updates.clear();
                if (withText && withUpdates && !emit.isEmpty()) {
                    Map<Long, Instant> decidedAt = new HashMap<>(emit.size() * 2);
                    for (Pending e : emit) decidedAt.put(e.ticket().id(), e.decision().decidedAt());
                    up.setLong(1, emit.get(0).ticket().id());
                    up.setLong(2, emit.get(emit.size() - 1).ticket().id());
                    try (ResultSet rs = up.executeQuery()) {
                        while (rs.next()) {
                            long id = rs.getLong(1);
                            if (!decidedAt.containsKey(id)) continue; // not exported (filtered out, undecided)
                            Instant at = decidedAt.get(id);
                            Instant created = instant(rs, 3);
                            // recorded after the decision: not what the dispatcher saw when deciding
                            if (at != null && created != null && created.isAfter(at)) continue;
                            updates.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(2));
                        }
                    }
                }
                for (Pending e : emit) {
                    TicketRow t = e.ticket();
                    FinalDecision d = e.decision();
                    String team = e.team();
                    String priority = d.priorityId() == null ? null : name(c, priorityNames, "priority_level", d.priorityId());
                    String engine = null, model = null, sTeam = null, sPriority = null, rationale = null;
                    Double confidence = null;
                    if (d.suggestionId() != null) {
                        sp.setLong(1, d.suggestionId());
                        try (ResultSet rs = sp.executeQuery()) {
                            if (rs.next()) {
                                engine = rs.getString(1);
                                model = rs.getString(2);
                                sTeam = rs.getString(3);
                                sPriority = rs.getString(4);
                                double conf = rs.getDouble(5);
                                confidence = rs.wasNull() ? null : conf;
                                rationale = rs.getString(6);
                            }
                        }
                    }
                    LabelledExample row = new LabelledExample(t.id(), t.externalId(), t.subject(), t.body(),
                            updates.getOrDefault(t.id(), List.of()), t.requester(), t.createdAt(), d.id(), d.kind(), team,
                            priority, d.reasonCode(), d.note(), d.dispatcher(), d.decidedAt(), d.reviewed(), engine, model,
                            sTeam, sPriority, confidence, rationale);
                    n++;
                    if (!handler.accept(row)) return n;
                }
                after = hi;
                if (tickets.size() < PAGE) return n;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading decided tickets failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private record TicketRow(long id, String externalId, String subject, String body, String requester, Instant createdAt,
                             boolean merged) {}

    private record Pending(TicketRow ticket, FinalDecision decision, String team) {}

    private record FinalDecision(long ticketId, long id, String kind, Long teamId, Long priorityId, String reasonCode,
                                 String note, String dispatcher, Instant decidedAt, boolean reviewed, Long suggestionId) {}

    private static FinalDecision finalDecision(ResultSet rs) throws SQLException {
        return new FinalDecision(rs.getLong(1), rs.getLong(2), rs.getString(3), longOrNull(rs, 4), longOrNull(rs, 5),
                rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9), rs.getBoolean(10), longOrNull(rs, 11));
    }

    private static Long longOrNull(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static final String COMPENSATED_SQL =
            "select compensates_id, id from decision where compensates_id between ? and ?";
    /** Updates of a ticket id range, oldest first per ticket (ticket_id index range), as the detail view orders them. */
    private static final String UPDATES_SQL = "select u.ticket_id, u.body, u.created_at from ticket_update u"
            + " where u.ticket_id between ? and ? and " + DuplicateLinks.MERGE_NOT_UNDONE // an undone merge's text is not the ticket's
            + " order by u.ticket_id, u.created_at, u.id";
    private static final String SUGGESTION_SQL =
            "select engine, model, team_name, priority_name, confidence, rationale from suggestion where id = ?";

    private static Map<Long, String> names(Connection c, String sql) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.put(rs.getLong(1), rs.getString(2));
        }
        return out;
    }

    /** The name for an id, from the map or (for a row created since the map was read) the database; null if none. */
    private static String name(Connection c, Map<Long, String> names, String table, long id) throws SQLException {
        String v = names.get(id);
        if (v != null || names.containsKey(id)) return v;
        try (PreparedStatement ps = c.prepareStatement("select name from " + table + " where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                v = rs.next() ? rs.getString(1) : null;
            }
        }
        if (v != null) names.put(id, v);
        return v;
    }

    private static String ticketSql(ExportQuery q, boolean withText) {
        StringBuilder sb = new StringBuilder("select t.id, t.external_id, ")
                .append(withText ? "t.subject, t.body, t.requester, " : "null, null, null, ")
                .append("t.created_at, t.duplicate_of from ticket t where t.id > ?");
        if (q.createdFrom() != null) sb.append(" and t.created_at >= ?");
        if (q.createdTo() != null) sb.append(" and t.created_at < ?");
        sb.append(" order by t.id fetch first ").append(PAGE).append(" rows only");
        return sb.toString();
    }

    /** Labelling decisions of a ticket id range, oldest first per ticket. */
    private static String decisionSql() {
        String labelling = ExportQuery.LABELLING_KINDS.stream().map(k -> "'" + k.name() + "'").sorted()
                .collect(Collectors.joining(","));
        return "select d.ticket_id, d.id, d.kind, d.team_id, d.priority_id, d.reason_code, d.note, d.dispatcher, d.decided_at,"
                + " d.reviewed, d.suggestion_id from decision d"
                + " where d.ticket_id between ? and ? and d.kind in (" + labelling + ")"
                + " order by d.ticket_id, d.id";
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp ts = rs.getTimestamp(col);
        return ts == null ? null : ts.toInstant();
    }
}
