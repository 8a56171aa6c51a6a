package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.quality.QualityReport;
import dev.switchboard.app.quality.QualityService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-quality", mixinStandardHelpOptions = true,
        description = "Times the suggestion-quality report on a scratch ledger of N answered suggestions (created once, reused).")
public final class BenchQualityCommand implements Callable<Integer> {

    @Option(names = "--answers", defaultValue = "100000", description = "Answered suggestions in the scratch ledger (default ${DEFAULT-VALUE}).")
    int answers;
    @Option(names = "--runs", defaultValue = "3", description = "Timed runs (default ${DEFAULT-VALUE}).") int runs;
    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Database to use (default: a file under /tmp that is reused).")
    String db;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    static final String[] TEAMS = {"Network", "Desktop", "Identity", "Database", "Email", "Facilities", "Security", "Apps"};

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String url = db != null ? db : "jdbc:h2:file:" + Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("switchboard-bench-quality-" + answers).resolve("db");
        try (Workspace ws = Workspace.open(url)) {
            long have;
            try (Connection c = ws.database().jdbc(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from suggestion")) {
                rs.next();
                have = rs.getLong(1);
            }
            if (have < answers) {
                out.printf("Filling %s with %,d answered suggestions…%n", url, answers - have);
                out.flush();
                long t0 = System.nanoTime();
                fill(ws, answers - have);
                out.printf("  filled in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
            QualityService svc = QualityService.of(ws);
            QualityReport r = null;
            for (int i = 0; i < runs; i++) {
                System.gc();
                long t0 = System.nanoTime();
                r = svc.compute(null, null, null, null);
                out.printf("run %d: report over %,d answered suggestions in %.2f s%n", i + 1, r.answered(), (System.nanoTime() - t0) / 1e9);
                out.flush();
            }
            System.gc();
            var mem = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            out.printf("heap in use after a collection %,d MB (max %,d MB)%n", mem.getUsed() >> 20, Runtime.getRuntime().maxMemory() >> 20);
            out.printf("top-1 %.3f, acceptance %s, transferred later %s (synthetic: calibrated suggestions, 10 %% transferred)%n",
                    r.team().accuracy(), QualityReport.pct(r.acceptanceRate()), QualityReport.pct(r.transferredLaterRate()));
            out.println(r.answeredSummary());
            out.flush();
        }
        return 0;
    }

    /**
     * Synthetic answered tickets over the last 80 days, by JDBC batches: a calibrated suggestion (at
     * confidence p right with probability p; top three listed), an accept or an override with a reason, and
     * for one ticket in ten a transfer afterwards.
     */
    static void fill(Workspace ws, long n) throws SQLException {
        ws.store().saveTaxonomy(java.util.Arrays.stream(TEAMS).map(t -> new dev.switchboard.persistence.store.TaxonomyRow(t, "", 0)).toList(),
                java.util.List.of(new dev.switchboard.persistence.store.TaxonomyRow("P3", "", 3))).join();
        try (Connection c = ws.database().jdbc()) {
            c.setAutoCommit(false);
            long[] team = new long[TEAMS.length];
            for (int i = 0; i < TEAMS.length; i++) team[i] = id(c, "select id from team where name = '" + TEAMS[i] + "'");
            long prio = id(c, "select id from priority_level where name = 'P3'");
            long tStart = id(c, "select coalesce(max(id), 0) from ticket");
            long sStart = id(c, "select coalesce(max(id), 0) from suggestion");
            Random rnd = new Random(5);
            Instant t0 = Instant.now().minusSeconds(60L * 60 * 24 * 80);
            long step = Math.max(1, 60L * 60 * 24 * 80 / n); // answers spread over the last 80 days
            try (PreparedStatement ti = c.prepareStatement("insert into ticket (id, source, external_id, content_hash, subject, body, "
                    + "requester, created_at, updated_at, status, team_id, priority_id, set_by, version) values "
                    + "(?, 'bench', ?, ?, 'subject', 'body', 'someone', ?, ?, 'TRIAGED', ?, ?, 'HUMAN', 0)");
                 PreparedStatement si = c.prepareStatement("insert into suggestion (id, ticket_id, engine, model, status, team_name, "
                         + "priority_name, confidence, confident, top_teams, top_priorities, rationale, evidence_ids, note, latency_ms, "
                         + "created_at) values (?, ?, 'local', 'bench', 'OK', ?, 'P3', ?, ?, ?, 'P3=1.0000', '', '', '', 9, ?)");
                 PreparedStatement di = c.prepareStatement("insert into decision (ticket_id, suggestion_id, kind, team_id, priority_id, "
                         + "dispatcher, decided_at, ms_to_decide, status, prev_status, reviewed, reason_code) "
                         + "values (?, ?, ?, ?, ?, 'bench', ?, ?, ?, ?, true, ?)")) {
                for (long k = 1; k <= n; k++) {
                    long tid = tStart + k;
                    long sid = sStart + k;
                    int truth = Math.min(TEAMS.length - 1, (int) Math.floor(-Math.log(1 - rnd.nextDouble()) * 2.2));
                    // calibrated: a suggestion at confidence p names the right team with probability p
                    double p = 0.3 + 0.7 * Math.sqrt(rnd.nextDouble());
                    int suggested = rnd.nextDouble() < p ? truth : (truth + 1 + rnd.nextInt(TEAMS.length - 1)) % TEAMS.length;
                    boolean accepted = suggested == truth || rnd.nextDouble() < 0.2;
                    int chosen = accepted ? suggested : truth;
                    boolean transfer = rnd.nextDouble() < 0.1;
                    int fin = transfer ? (chosen + 1) % TEAMS.length : chosen;
                    OffsetDateTime at = OffsetDateTime.ofInstant(t0.plusSeconds(k * step), ZoneOffset.UTC);
                    ti.setLong(1, tid);
                    ti.setString(2, "q" + tid);
                    ti.setString(3, Long.toHexString(tid));
                    ti.setObject(4, at);
                    ti.setObject(5, at);
                    ti.setLong(6, team[fin]);
                    ti.setLong(7, prio);
                    ti.addBatch();
                    si.setLong(1, sid);
                    si.setLong(2, tid);
                    si.setString(3, TEAMS[suggested]);
                    si.setDouble(4, p);
                    si.setBoolean(5, p > 0.9);
                    si.setString(6, String.format(java.util.Locale.ROOT, "%s=%.4f;%s=%.4f;%s=%.4f", TEAMS[suggested], p,
                            TEAMS[(suggested + 1) % TEAMS.length], (1 - p) / 2, TEAMS[(suggested + 2) % TEAMS.length], (1 - p) / 4));
                    si.setObject(7, at);
                    si.addBatch();
                    decision(di, tid, sid, accepted ? "ACCEPTED" : "OVERRIDDEN", team[chosen], prio, at.plusMinutes(2), "TRIAGED", "NEW",
                            accepted ? null : REASONS[rnd.nextInt(REASONS.length)], accepted ? 2000 + rnd.nextInt(6000) : 6000 + rnd.nextInt(20000));
                    if (transfer) {
                        decision(di, tid, null, "TRANSFERRED", team[fin], prio, at.plusHours(3), "TRANSFERRED", "TRIAGED", null, 9000);
                    }
                    if (k % 1000 == 0 || k == n) {
                        ti.executeBatch();
                        si.executeBatch();
                        di.executeBatch();
                        c.commit();
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("alter table ticket alter column id restart with " + (tStart + n + 1));
                st.execute("alter table suggestion alter column id restart with " + (sStart + n + 1));
            }
            c.commit();
        }
    }

    private static final String[] REASONS = {"wrong-team", "wrong-team", "wrong-team", "missing-information", "other"};

    private static void decision(PreparedStatement di, long ticket, Long suggestion, String kind, long team, long prio,
                                 OffsetDateTime at, String status, String prevStatus, String reason, long ms) throws SQLException {
        di.setLong(1, ticket);
        if (suggestion == null) di.setNull(2, java.sql.Types.BIGINT);
        else di.setLong(2, suggestion);
        di.setString(3, kind);
        di.setLong(4, team);
        di.setLong(5, prio);
        di.setObject(6, at);
        di.setLong(7, ms);
        di.setString(8, status);
        di.setString(9, prevStatus);
        di.setString(10, reason);
        di.addBatch();
    }

    private static long id(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
