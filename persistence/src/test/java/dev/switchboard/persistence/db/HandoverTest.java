package dev.switchboard.persistence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.DecisionLedger;
import dev.switchboard.persistence.store.DecisionRequest;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TicketStore;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one H2 file (AUTO_SERVER): when the one that owns the file goes away, the other keeps working
 * (it waits for the file and takes it over), and a decision made meanwhile is stored. A real second JVM owns the file.
 */
class HandoverTest {

    @TempDir
    Path dir;

    private static Process startOwner(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                HandoverOwner.class.getName()));
        cmd.addAll(List.of(args));
        Process owner = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line;
        do {
            line = readLine(owner);
        } while (line != null && !line.equals("OPEN"));
        assertThat(line).as("the owner opened the database").isEqualTo("OPEN");
        return owner;
    }

    /** One line of the child's output (unbuffered: a reader per call must not swallow the next line). */
    private static String readLine(Process p) throws Exception {
        var b = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = p.getInputStream().read()) >= 0 && c != '\n') b.write(c);
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8).strip();
    }

    private static void tell(Process p, String line) throws Exception {
        var w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        w.write(line + "\n");
        w.flush();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theOtherWindowKeepsReadingAndSavingWhenTheOwnerOfTheFileGoesAway() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("shared"));
        Process owner = startOwner(url);
        List<Boolean> reconnecting = new CopyOnWriteArrayList<>();
        try (Database db = Database.open(url); TicketStore store = new TicketStore(db)) {
            db.handover().addListener(reconnecting::add);
            long open = store.saveTickets(List.of(new NewTicket("test", "t-1", "VPN down", "", "bob", Instant.now(), null, null)),
                    "tester").join().createdIds().get(0);
            assertThat(store.changeMarker().maxId()).isEqualTo(open); // served by the owner

            // the owner window is closed: its server stops at once, the file is released 4 s later
            tell(owner, "close 4000");
            assertThat(readLine(owner)).isEqualTo("STOPPED");
            long t0 = System.nanoTime();

            // the queue's poll and a dispatcher's decision, at once: neither fails, the decision is stored
            assertThat(store.changeMarker().maxId()).isEqualTo(open);
            long version = store.rows(List.of(open)).get(0).version();
            new DecisionLedger(store).decide(DecisionRequest.of(open, version, DecisionKind.OVERRIDDEN, "Network", null,
                    null, "dana")).join();
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(store.rows(List.of(open))).singleElement().satisfies(r -> assertThat(r.team()).isEqualTo("Network"));
            assertThat(new DecisionLedger(store).decisions(open)).singleElement()
                    .satisfies(d -> assertThat(d.dispatcher()).isEqualTo("dana"));
            assertThat(reconnecting).as("the window was told it was reconnecting, then that it was back")
                    .containsExactly(true, false);
            assertThat(db.handover().reconnecting()).isFalse();
            assertThat(ms).as("waited for the owner's close, then took the file over").isBetween(3_000L, 15_000L);
        } finally {
            owner.destroyForcibly();
        }
        // the file was taken over, not lost: it opens with both tickets
        try (Database db = Database.open(url); TicketStore store = new TicketStore(db)) {
            assertThat(store.stats().tickets()).isEqualTo(2);
            assertThat(store.stats().decisions()).isEqualTo(2); // the owner's labelled ticket's and dana's
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theProcessThatTookTheFileOverKeepsItOpenSoTheOthersAreNotHandedAroundAgain() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("kept"));
        Path lock = dir.resolve("kept.lock.db");
        Process owner = startOwner(url);
        try (Database db = Database.open(url); TicketStore store = new TicketStore(db)) {
            tell(owner, "close 1000");
            assertThat(readLine(owner)).isEqualTo("STOPPED");
            store.changeMarker(); // the queue's poll: waits, then opens the file itself
            assertThat(owner.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String server = serverOf(lock);
            assertThat(server).as("this process serves the file now").isNotNull();
            for (int i = 0; i < 3; i++) {
                Thread.sleep(400);
                store.changeMarker();
                // closed with its last connection, the file would be reopened (another server) each poll, and each
                // close would make every other process wait for its compaction
                assertThat(serverOf(lock)).isEqualTo(server);
            }
        } finally {
            owner.destroyForcibly();
        }
    }

    private static String serverOf(Path lock) throws Exception {
        if (!java.nio.file.Files.exists(lock)) return null;
        var p = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(lock)) {
            p.load(in);
        }
        return p.getProperty("server");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLongReadGoesOnAfterTheHandOverWithoutMissingOrRepeatingATicket() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("long"));
        Process owner = startOwner(url);
        try (Database db = Database.open(url); TicketStore store = new TicketStore(db)) {
            List<NewTicket> many = new java.util.ArrayList<>();
            for (int i = 0; i < 2500; i++) many.add(new NewTicket("test", "m-" + i, "Ticket " + i, "", "bob", Instant.now(), null, null));
            store.saveTickets(many, "tester").join();
            // indexing for duplicates reads every ticket, 1,000 per fetch; the owner closes after the first few
            List<Long> seen = new java.util.ArrayList<>();
            store.forEachTicketText((id, subject, body, created, open) -> {
                seen.add(id);
                if (seen.size() == 10) {
                    try {
                        tell(owner, "close 3000");
                        assertThat(readLine(owner)).isEqualTo("STOPPED");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            assertThat(seen).hasSize(2501).doesNotHaveDuplicates().isSorted();
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFileHeldByAProgramThatDoesNotShareItFailsWithOneSentenceAfterTheWait() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("held"));
        Database.open(url).close(); // created and migrated
        String before = System.getProperty(Handover.WAIT_PROPERTY);
        System.setProperty(Handover.WAIT_PROPERTY, "1500");
        // another program (no AUTO_SERVER: it does not serve the file) has it open
        Process held = startOwner(url, "exclusive");
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Database.open(url))
                    .isInstanceOf(WorkspaceBusyException.class)
                    .hasMessageStartingWith("The workspace database " + dir.resolve("held").toAbsolutePath() + ".mv.db is in use by another program")
                    .hasMessageEndingWith("close that program, then try again.")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "org.", "Exception", "[900"));
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1500);
        } finally {
            held.destroyForcibly();
            if (before == null) System.clearProperty(Handover.WAIT_PROPERTY);
            else System.setProperty(Handover.WAIT_PROPERTY, before);
        }
    }
}
