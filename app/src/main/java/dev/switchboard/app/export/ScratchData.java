package dev.switchboard.app.export;

import dev.switchboard.persistence.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Fills a database with synthetic decided tickets fast (plain JDBC batches, bypassing Hibernate), for
 * the export benchmark and the bounded-memory test. Every ticket gets an IMPORTED decision; every
 * other one also an OVERRIDDEN decision to another team (the final label), so the export has to pick
 * the latest decision. Texts carry e-mail addresses, phone numbers and IPs for the redactor to find.
 * Every third ticket has two updates: one two minutes after it was created (before an override, after
 * an import's decision) and one a day later (after every decision), so the export has to pick those
 * recorded up to the label decision.
 */
public final class ScratchData {
    private ScratchData() {}

    public static final String[] TEAMS = {"Network", "Desktop", "Identity", "Database", "Email", "Facilities", "Security", "Apps"};
    public static final String[] PRIORITIES = {"P1", "P2", "P3", "P4"};

    /** Adds tickets until the ledger has at least {@code decisions} decisions; returns decisions added. */
    public static long fill(Database db, long decisions) throws SQLException {
        try (Connection c = db.jdbc()) {
            c.setAutoCommit(false);
            Map<String, Long> teams = ids(c, "team", TEAMS, true);
            Map<String, Long> prios = ids(c, "priority_level", PRIORITIES, false);
            long have = count(c, "select count(*) from decision");
            long start = count(c, "select coalesce(max(id), 0) from ticket");
            Random rnd = new Random(11);
            String[] words = ("vpn outlook password reset printer laptop wifi slow error crash login account access server "
                    + "database backup disk network email sharepoint teams license install update certificate badge door").split(" ");
            Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
            long added = 0;
            // explicit ids so both tables can be batch-inserted; the identity is moved past them afterwards
            try (PreparedStatement ti = c.prepareStatement("insert into ticket (id, source, external_id, content_hash, subject, body, "
                    + "requester, created_at, updated_at, status, team_id, priority_id, set_by, version) values "
                    + "(?, 'scratch', ?, ?, ?, ?, ?, ?, ?, 'RESOLVED', ?, ?, 'HISTORY', 0)");
                 PreparedStatement di = c.prepareStatement("insert into decision (ticket_id, kind, team_id, priority_id, "
                         + "reason_code, dispatcher, decided_at, status, prev_team_id, prev_priority_id, prev_status, reviewed) "
                         + "values (?, ?, ?, ?, ?, 'scratch', ?, ?, ?, ?, ?, true)");
                 PreparedStatement ui = c.prepareStatement("insert into ticket_update (ticket_id, author, body, created_at) "
                         + "values (?, 'scratch', ?, ?)")) {
                long i = start;
                int inBatch = 0;
                while (have + added < decisions) {
                    i++;
                    StringBuilder subject = new StringBuilder();
                    for (int w = 0; w < 6; w++) subject.append(words[rnd.nextInt(words.length)]).append(' ');
                    String first = "user" + rnd.nextInt(5000);
                    String body = "received from: " + first + "@gmail.com\n\n" + subject + "since this morning. Call me on +44 20 7946 "
                            + String.format("%04d", rnd.nextInt(10000)) + " or check host 10.0." + rnd.nextInt(255) + "."
                            + rnd.nextInt(255) + ". Ticket body number " + i + " with some more words to make it realistic: "
                            + words[rnd.nextInt(words.length)] + " " + words[rnd.nextInt(words.length)] + ".";
                    // skewed team sizes so balancing has something to do
                    int team = Math.min(TEAMS.length - 1, (int) Math.floor(-Math.log(1 - rnd.nextDouble()) * 2.2));
                    String prio = PRIORITIES[rnd.nextInt(PRIORITIES.length)];
                    Instant at = t0.plusSeconds(i * 300);
                    OffsetDateTime odt = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
                    boolean override = i % 2 == 0;
                    long finalTeam = teams.get(TEAMS[team]);
                    long importedTeam = override ? teams.get(TEAMS[(team + 1) % TEAMS.length]) : finalTeam;
                    long id = i;
                    ti.setLong(1, id);
                    ti.setString(2, "s" + i);
                    ti.setString(3, Long.toHexString(i));
                    ti.setString(4, subject.toString().strip());
                    ti.setString(5, body);
                    ti.setString(6, first + "@gmail.com");
                    ti.setObject(7, odt);
                    ti.setObject(8, odt);
                    ti.setLong(9, finalTeam);
                    ti.setLong(10, prios.get(prio));
                    ti.addBatch();
                    decision(di, id, "IMPORTED", importedTeam, prios.get(prio), null, odt, null, null, "NEW");
                    added++;
                    if (override) {
                        decision(di, id, "OVERRIDDEN", finalTeam, prios.get(prio), "wrong_team", odt.plusMinutes(5),
                                importedTeam, prios.get(prio), "RESOLVED");
                        added++;
                    }
                    if (i % 3 == 0) { // not drawn from rnd: the tickets stay those of earlier benchmarks
                        update(ui, id, "Still broken, " + first + "@gmail.com asked again; call +44 20 7946 "
                                + String.format("%04d", i % 10000) + ".", odt.plusMinutes(2));
                        update(ui, id, "Fixed after a restart of " + words[(int) (i % words.length)] + ".", odt.plusDays(1));
                    }
                    if (++inBatch >= 1000) {
                        ti.executeBatch();
                        di.executeBatch();
                        ui.executeBatch();
                        c.commit();
                        inBatch = 0;
                    }
                }
                ti.executeBatch();
                di.executeBatch();
                ui.executeBatch();
                c.commit();
                try (Statement st = c.createStatement()) {
                    st.execute("alter table ticket alter column id restart with " + (i + 1));
                }
                c.commit();
            }
            return added;
        }
    }

    private static void decision(PreparedStatement di, long ticket, String kind, long team, long prio, String reason,
                                 OffsetDateTime at, Long prevTeam, Long prevPrio, String prevStatus) throws SQLException {
        di.setLong(1, ticket);
        di.setString(2, kind);
        di.setLong(3, team);
        di.setLong(4, prio);
        di.setString(5, reason);
        di.setObject(6, at);
        di.setString(7, "RESOLVED");
        if (prevTeam == null) di.setNull(8, java.sql.Types.BIGINT);
        else di.setLong(8, prevTeam);
        if (prevPrio == null) di.setNull(9, java.sql.Types.BIGINT);
        else di.setLong(9, prevPrio);
        di.setString(10, prevStatus);
        di.addBatch();
    }

    private static void update(PreparedStatement ui, long ticket, String body, OffsetDateTime at) throws SQLException {
        ui.setLong(1, ticket);
        ui.setString(2, body);
        ui.setObject(3, at);
        ui.addBatch();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> ids(Connection c, String table, String[] names, boolean team) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            try (PreparedStatement ps = c.prepareStatement("select id from " + table + " where name = ?")) {
                ps.setString(1, names[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(names[i], rs.getLong(1));
                        continue;
                    }
                }
            }
            String sql = team ? "insert into team (name, description, active, version) values (?, ?, true, 0)"
                    : "insert into priority_level (name, rank_order, criteria, version) values (?, " + (i + 1) + ", ?, 0)";
            try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, names[i]);
                ps.setString(2, team ? names[i] + " issues and requests" : "Impact level " + (i + 1));
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    out.put(names[i], rs.getLong(1));
                }
            }
        }
        c.commit();
        return out;
    }
}
