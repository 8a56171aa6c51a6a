package dev.switchboard.persistence.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Streams {@link SuggestionOutcome}s for the suggestion-quality report with plain JDBC in constant
 * memory: keyset pages over the ledger ordered by (ticket, decision), the first answering decision of
 * each ticket handed to the caller and dropped. The same SQL runs on H2 and PostgreSQL.
 */
public final class SuggestionOutcomeReader {

    /** Receives one outcome; return false to stop reading. */
    @FunctionalInterface
    public interface Handler {
        boolean accept(SuggestionOutcome row);
    }

    static final int PAGE = 2000;

    private static final String SQL_TEMPLATE = """
            select d.ticket_id, d.id, d.kind, tm.name, p.name, d.reason_code, d.dispatcher, d.decided_at,
                   d.ms_to_decide, d.reviewed, s.engine, s.model, s.team_name, s.priority_name, s.confidence,
                   s.confident, s.top_teams, s.top_priorities, ft.name, fp.name,
                   (select count(*) from decision x where x.ticket_id = d.ticket_id and x.id > d.id
                        and x.kind = 'TRANSFERRED'
                        and not exists (select 1 from decision ux where ux.compensates_id = x.id))
            from decision d
            join suggestion s on s.id = d.suggestion_id
            join ticket t on t.id = d.ticket_id
            left join team tm on tm.id = d.team_id
            left join priority_level p on p.id = d.priority_id
            left join team ft on ft.id = t.team_id
            left join priority_level fp on fp.id = t.priority_id
            where d.kind in ('ACCEPTED', 'BULK_ACCEPTED', 'OVERRIDDEN')
              and (d.ticket_id > ? or (d.ticket_id = ? and d.id > ?))
              and not exists (select 1 from decision u where u.compensates_id = d.id)
            order by d.ticket_id, d.id
            fetch first %d rows only
            """;

    /**
     * Suggested tickets nobody answered, by the first suggestion that named a team: no answering decision
     * (the kinds and undo rule of {@link #forEach}) exists on the ticket. Period and engine clauses
     * are appended. One pass over the suggestions, each checked through the ticket indexes.
     */
    private static final String UNANSWERED_SQL = """
            select coalesce(sum(case when t.set_by is null and t.status not in ('RESOLVED', 'CLOSED') then 1 else 0 end), 0),
                   coalesce(sum(case when t.set_by is null and t.status in ('RESOLVED', 'CLOSED') then 1 else 0 end), 0),
                   coalesce(sum(case when t.set_by is null and t.status in ('RESOLVED', 'CLOSED')
                                      and t.duplicate_of is not null then 1 else 0 end), 0),
                   coalesce(sum(case when t.set_by is not null then 1 else 0 end), 0)
            from suggestion s
            join ticket t on t.id = s.ticket_id
            where s.team_name is not null
              and not exists (select 1 from suggestion e where e.ticket_id = s.ticket_id and e.team_name is not null
                                  and e.id < s.id{sameEngine})
              and not exists (select 1 from decision d where d.ticket_id = s.ticket_id and d.suggestion_id is not null
                                  and d.kind in ('ACCEPTED', 'BULK_ACCEPTED', 'OVERRIDDEN')
                                  and not exists (select 1 from decision u where u.compensates_id = d.id))
            """;

    private final LabelledExampleReader.ConnectionSource connections;
    private final int page;

    public SuggestionOutcomeReader(LabelledExampleReader.ConnectionSource connections) {
        this(connections, PAGE);
    }

    /** With a page size of its own (tests cross page boundaries with a few rows). */
    SuggestionOutcomeReader(LabelledExampleReader.ConnectionSource connections, int page) {
        this.connections = connections;
        this.page = page;
    }

    /**
     * Calls {@code handler} for the first answered suggestion of every ticket whose answer was recorded
     * in [{@code from}, {@code to}) (either may be null: unbounded), in ticket order.
     *
     * @return outcomes handed to the handler
     */
    public long forEach(Instant from, Instant to, Handler handler) {
        long n = 0;
        long afterTicket = Long.MIN_VALUE;
        long afterDecision = Long.MIN_VALUE;
        long lastTicket = Long.MIN_VALUE; // tickets whose first answer was seen: later ones are skipped
        try (Connection c = connections.open(); PreparedStatement ps = c.prepareStatement(SQL_TEMPLATE.formatted(page))) {
            ps.setFetchSize(page);
            while (true) {
                ps.setLong(1, afterTicket);
                ps.setLong(2, afterTicket);
                ps.setLong(3, afterDecision);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        afterTicket = rs.getLong(1);
                        afterDecision = rs.getLong(2);
                        if (afterTicket == lastTicket) continue;
                        lastTicket = afterTicket;
                        Instant at = instant(rs, 8);
                        // the window applies to the first answer: a later answer on the same ticket is not its first
                        if (from != null && at.isBefore(from) || to != null && !at.isBefore(to)) continue;
                        long ms = rs.getLong(9);
                        Long msToDecide = rs.wasNull() ? null : ms;
                        SuggestionOutcome o = new SuggestionOutcome(afterTicket, afterDecision, rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), at, msToDecide,
                                rs.getBoolean(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                                rs.getDouble(15), rs.getBoolean(16), rs.getString(17), rs.getString(18), rs.getString(19),
                                rs.getString(20), rs.getInt(21));
                        n++;
                        if (!handler.accept(o)) return n;
                    }
                }
                if (rows < page) return n;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading answered suggestions failed: " + e.getMessage(), e);
        }
    }

    /**
     * Counts the suggested tickets that no dispatcher has answered (as of now) whose first suggestion naming
     * a team was made in [{@code from}, {@code to}) (either may be null: unbounded), of engine {@code engine}
     * (null: any): the tickets {@link #forEach} does not hand over, by what became of them.
     */
    public UnansweredSuggestions unanswered(Instant from, Instant to, String engine) {
        // with an engine: the ticket's first suggestion of that engine (a ticket first suggested by the local
        // model and later by an LLM counts under the LLM too)
        StringBuilder sql = new StringBuilder(UNANSWERED_SQL.replace("{sameEngine}", engine == null ? "" : " and e.engine = s.engine"));
        if (from != null) sql.append("  and s.created_at >= ?\n");
        if (to != null) sql.append("  and s.created_at < ?\n");
        if (engine != null) sql.append("  and s.engine = ?\n");
        try (Connection c = connections.open(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 0;
            if (from != null) ps.setObject(++i, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            if (to != null) ps.setObject(++i, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            if (engine != null) ps.setString(++i, engine);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new UnansweredSuggestions(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting unanswered suggestions failed: " + e.getMessage(), e);
        }
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp ts = rs.getTimestamp(col);
        return ts == null ? null : ts.toInstant();
    }
}
