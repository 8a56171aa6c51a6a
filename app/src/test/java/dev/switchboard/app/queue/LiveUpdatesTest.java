package dev.switchboard.app.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.StoreListener;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/** The queue's poll for other processes' changes: what it hears, and that it goes quiet again. */
class LiveUpdatesTest {

    @TempDir Path dir;

    @BeforeAll
    static void fx() throws Exception {
        // the live updates apply rows on the FX thread; started the TestFX way (headless, as the UI tests
        // expect it), whichever test class of the JVM comes first
        org.testfx.api.FxToolkit.registerPrimaryStage();
    }

    private static Workspace open(Path file) {
        Workspace ws = Workspace.open("jdbc:h2:file:" + file);
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "", 0)), List.of(new TaxonomyRow("P1", "", 1))).join();
        ws.store().saveTickets(List.of(new NewTicket("t", "a", "VPN down", "b", "r", Instant.now(), null, null),
                new NewTicket("t", "b", "Wi-Fi slow", "b", "r", Instant.now(), null, null)), "t").join();
        return ws;
    }

    /** Changes other processes made, as the poll announces them. */
    private static List<Long> elsewhere(Workspace ws) {
        List<Long> heard = new CopyOnWriteArrayList<>();
        ws.store().addListener(new StoreListener() {
            @Override public void ticketsChanged(Collection<Long> ids) { }
            @Override public void ticketsChangedElsewhere(Collection<Long> ids) {
                heard.addAll(ids);
            }
        });
        return heard;
    }

    /** How often the changed-rows query ran (H2's statement statistics). */
    private static long polls(String url) throws Exception {
        try (var c = DriverManager.getConnection(url, "sa", ""); var st = c.createStatement();
             var rs = st.executeQuery("select coalesce(sum(execution_count), 0) from information_schema.query_statistics"
                     + " where sql_statement = 'select id from ticket where updated_at > ?'"
                     + " and sql_statement not like '%query_statistics%'")) { // not this query itself
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void countQueries(String url) throws Exception {
        try (var c = DriverManager.getConnection(url, "sa", ""); var st = c.createStatement()) {
            st.execute("set query_statistics true");
        }
    }

    /**
     * Waits out the look-back after the last change, then checks that no changed-rows query runs for
     * three seconds more ("nothing happens" can only be seen by waiting); returns how many ran.
     */
    private static long pollsUntilQuiet(String url) throws Exception {
        Thread.sleep(LiveUpdates.LOOKBACK.toMillis() + 2500);
        long settled = polls(url);
        Thread.sleep(3000);
        assertThat(polls(url)).as("quiet once the look-back has passed").isEqualTo(settled);
        return settled;
    }

    @Test
    void afterAChangeThePollLooksBackForAWhileThenGoesQuiet() throws Exception {
        try (Workspace ws = open(dir.resolve("q"))) {
            String url = ws.database().url();
            countQueries(url);
            List<Long> heard = elsewhere(ws);
            try (LiveUpdates live = new LiveUpdates(ws.store(), rows -> { })) {
                live.start(ws.store().queue());
                Thread.sleep(2500);
                assertThat(polls(url)).as("nothing changed: no changed-rows query").isZero();
                try (Workspace other = Workspace.open(ws.database().displayUrl())) {
                    long a = other.store().queue().get(0).id();
                    other.store().addUpdate(a, "bob", "still down").join();
                }
                WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !heard.isEmpty());
                assertThat(pollsUntilQuiet(url)).as("polled a few times within the look-back").isBetween(2L, 12L);
                assertThat(heard).hasSize(1);
            }
        }
    }

    @Test
    void aTicketDatedInTheFutureDoesNotHideTheChangesColleaguesMakeNow() throws Exception {
        try (Workspace ws = open(dir.resolve("f"))) {
            List<Long> heard = elsewhere(ws);
            try (LiveUpdates live = new LiveUpdates(ws.store(), rows -> { })) {
                live.start(ws.store().queue());
                long a;
                try (Workspace other = Workspace.open(ws.database().displayUrl())) {
                    // an import whose source times are two hours ahead (a time-zone mix-up)
                    long z = other.store().saveTickets(List.of(new NewTicket("t", "z", "From the future", "b", "r",
                            Instant.now().plusSeconds(7200), null, null)), "cli").join().createdIds().get(0);
                    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> heard.contains(z));
                    a = other.store().queue().stream().filter(r -> r.subject().equals("VPN down")).findFirst().orElseThrow().id();
                    other.store().addUpdate(a, "bob", "a colleague's comment").join();
                }
                WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> heard.contains(a));
            }
        }
    }

    @Test
    void aDuplicatePairRecordedElsewhereRefreshesBothBadges() throws Exception {
        try (Workspace ws = open(dir.resolve("l"))) {
            java.util.Map<Long, Integer> badges = new java.util.concurrent.ConcurrentHashMap<>();
            List<Long> heard = elsewhere(ws);
            try (LiveUpdates live = new LiveUpdates(ws.store(), rows -> rows.forEach(r -> badges.put(r.id(), r.duplicates())))) {
                live.start(ws.store().queue());
                long a;
                long b;
                try (Workspace other = Workspace.open(ws.database().displayUrl())) {
                    var rows = other.store().queue();
                    a = rows.get(0).id();
                    b = rows.get(1).id();
                    // another dispatcher's duplicate check flags the pair; neither ticket's update time changes
                    new dev.switchboard.persistence.store.DuplicateLinks(other.store()).suggest(b, List.of(new long[] {a}), List.of(0.9))
                            .join();
                }
                WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> Integer.valueOf(1).equals(badges.get(a))
                        && Integer.valueOf(1).equals(badges.get(b)));
                assertThat(heard).as("a badge refresh is not a change the services act on").isEmpty();
            }
        }
    }

    @Test
    void aRowStampedAheadOfTheClockIsShownOnceAndThePollStillGoesQuiet() throws Exception {
        try (Workspace ws = open(dir.resolve("a"))) {
            String url = ws.database().url();
            countQueries(url);
            List<Long> heard = elsewhere(ws);
            try (LiveUpdates live = new LiveUpdates(ws.store(), rows -> { })) {
                live.start(ws.store().queue());
                long a = ws.store().queue().get(0).id();
                // an older version, or a hand-made fix, stamped a change two hours ahead
                try (var c = DriverManager.getConnection(url, "sa", "");
                     var ps = c.prepareStatement("update ticket set subject = 'VPN down (2)', updated_at = ? where id = ?")) {
                    ps.setTimestamp(1, java.sql.Timestamp.from(Instant.now().plusSeconds(7200)));
                    ps.setLong(2, a);
                    ps.executeUpdate();
                }
                WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> heard.contains(a));
                pollsUntilQuiet(url);
                assertThat(heard).containsExactly(a);
            }
        }
    }
}
