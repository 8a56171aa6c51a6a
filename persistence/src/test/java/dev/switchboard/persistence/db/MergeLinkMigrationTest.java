package dev.switchboard.persistence.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.store.DuplicateLinks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V4 links each merge's "Merged duplicate #N" update to its MERGED row, also for merges recorded before the
 * column existed, so an undone merge's text can be left out of what readers take as the ticket's text.
 */
class MergeLinkMigrationTest {

    @TempDir Path dir;

    @Test
    void updatesWrittenByEarlierMergesAreLinkedToTheirMergeAndOthersAreNot() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("old")); // Database first: it sets H2's bind address
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration", "classpath:db/schema/h2")
                .target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            String t = "'2024-02-06 09:00:00+00'";
            for (int id = 1; id <= 3; id++) {
                st.execute("insert into ticket (id, source, external_id, content_hash, subject, body, created_at, updated_at,"
                        + " status, version) values (" + id + ", 't', '" + id + "', 'h" + id + "', 's" + id + "', 'b', " + t + ", "
                        + t + ", 'NEW', 0)");
            }
            // #2 merged into #1 and undone; #3 merged into #1 and kept; a dispatcher's own comment that looks alike
            st.execute("insert into duplicate_link (id, ticket_id, original_id, score, state, actor, created_at) values"
                    + " (10, 2, 1, 0.9, 'MERGED', 'dana', '2024-02-06 10:00:00+00'),"
                    + " (11, 2, 1, 0, 'UNDONE', 'dana', '2024-02-06 10:05:00+00'),"
                    + " (12, 3, 1, 0.8, 'MERGED', 'dana', '2024-02-06 11:00:00+00')");
            st.execute("insert into ticket_update (id, ticket_id, author, body, created_at) values"
                    + " (20, 1, 'dana', 'Merged duplicate #2 from ann: s2', '2024-02-06 10:00:00+00'),"
                    + " (21, 1, 'dana', 'Merged duplicate #3 from bob: s3', '2024-02-06 11:00:00+00'),"
                    + " (22, 1, 'eve', 'Merged duplicate #3 from bob: s3', '2024-02-06 12:00:00+00'),"
                    + " (23, 1, 'eve', 'a comment', '2024-02-06 10:00:00+00')");
        }
        try (Database db = Database.open(url); Connection c = db.jdbc(); Statement st = c.createStatement()) {
            Map<Long, Long> links = new HashMap<>();
            try (ResultSet rs = st.executeQuery("select id, merge_link_id from ticket_update order by id")) {
                while (rs.next()) links.put(rs.getLong(1), rs.getObject(2) == null ? null : rs.getLong(2));
            }
            assertThat(links).containsEntry(20L, 10L).containsEntry(21L, 12L).containsEntry(22L, null).containsEntry(23L, null);
            try (ResultSet rs = st.executeQuery("select id from ticket_update u where " + DuplicateLinks.MERGE_NOT_UNDONE + " order by id")) {
                java.util.List<Long> kept = new java.util.ArrayList<>();
                while (rs.next()) kept.add(rs.getLong(1));
                assertThat(kept).as("the undone merge's text is left out, nothing else").containsExactly(21L, 22L, 23L);
            }
        }
    }
}
