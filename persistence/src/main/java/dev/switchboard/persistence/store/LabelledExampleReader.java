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
     * @param withText false reads no subject/body/requester (a cheap counting pass)
     * @return rows handed to the handler
     */
    public long forEach(ExportQuery q, boolean withText, RowHandler handler) {
        String sql = sql(q, withText);
        long n = 0;
        long after = Long.MIN_VALUE;
        try (Connection c = connections.open(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(PAGE);
            while (true) {
                int p = 1;
                if (q.asOfDecision() != null) ps.setLong(p++, q.asOfDecision());
                if (q.asOfDecision() != null) ps.setLong(p++, q.asOfDecision());
                ps.setLong(p++, after);
                if (q.createdFrom() != null) ps.setObject(p++, OffsetDateTime.ofInstant(q.createdFrom(), ZoneOffset.UTC));
                if (q.createdTo() != null) ps.setObject(p++, OffsetDateTime.ofInstant(q.createdTo(), ZoneOffset.UTC));
                for (String t : sortedTeams(q)) ps.setString(p++, t);
                for (DecisionKind k : sortedKinds(q)) ps.setString(p++, k.name());
                int inPage = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inPage++;
                        LabelledExample row = row(rs, withText);
                        after = row.ticketId();
                        n++;
                        if (!handler.accept(row)) return n;
                    }
                }
                if (inPage < PAGE) return n;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading decided tickets failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static List<String> sortedTeams(ExportQuery q) {
        return q.teams().stream().sorted().toList();
    }

    private static List<DecisionKind> sortedKinds(ExportQuery q) {
        return q.kinds().stream().sorted().toList();
    }

    private static String sql(ExportQuery q, boolean withText) {
        String labelling = ExportQuery.LABELLING_KINDS.stream().map(k -> "'" + k.name() + "'").sorted()
                .collect(Collectors.joining(","));
        String asOf = q.asOfDecision() == null ? "" : " and d2.id <= ?";
        String undoneAsOf = q.asOfDecision() == null ? "" : " and u.id <= ?";
        StringBuilder sb = new StringBuilder();
        sb.append("select t.id, t.external_id, ")
                .append(withText ? "t.subject, t.body, t.requester, " : "null, null, null, ")
                .append("""
                        t.created_at, d.id, d.kind, tm.name, p.name, d.reason_code, d.note, d.dispatcher, d.decided_at,
                        d.reviewed, s.engine, s.model, s.team_name, s.priority_name, s.confidence, s.rationale
                        from ticket t
                        join decision d on d.id = (select max(d2.id) from decision d2 where d2.ticket_id = t.id
                        """)
                .append("  and d2.kind in (").append(labelling).append(")").append(asOf)
                .append("  and not exists (select 1 from decision u where u.compensates_id = d2.id").append(undoneAsOf).append("))\n")
                .append("""
                        join team tm on tm.id = d.team_id
                        left join priority_level p on p.id = d.priority_id
                        left join suggestion s on s.id = d.suggestion_id
                        where t.id > ?
                        """);
        // the placeholders must follow the order binding uses: subquery first, then the where clause
        if (q.createdFrom() != null) sb.append(" and t.created_at >= ?");
        if (q.createdTo() != null) sb.append(" and t.created_at < ?");
        if (!q.teams().isEmpty()) {
            sb.append(" and tm.name in (").append(q.teams().stream().map(x -> "?").collect(Collectors.joining(","))).append(")");
        }
        sb.append(" and d.kind in (").append(q.kinds().stream().map(x -> "?").collect(Collectors.joining(","))).append(")");
        sb.append(" order by t.id fetch first ").append(PAGE).append(" rows only");
        return sb.toString();
    }

    private static LabelledExample row(ResultSet rs, boolean withText) throws SQLException {
        double conf = rs.getDouble(20);
        Double confidence = rs.wasNull() ? null : conf;
        return new LabelledExample(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                instant(rs, 6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), instant(rs, 14), rs.getBoolean(15), rs.getString(16),
                rs.getString(17), rs.getString(18), rs.getString(19), confidence, rs.getString(21));
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp ts = rs.getTimestamp(col);
        return ts == null ? null : ts.toInstant();
    }
}
