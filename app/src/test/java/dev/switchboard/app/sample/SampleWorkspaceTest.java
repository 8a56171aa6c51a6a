package dev.switchboard.app.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleWorkspaceTest {

    @TempDir Path dir;

    @Test
    void generatedSampleIsDeterministicAndVaried() {
        SampleWorkspace a = SampleWorkspace.create();
        SampleWorkspace b = SampleWorkspace.create();
        assertThat(a.history()).isEqualTo(b.history());
        assertThat(a.replayTickets()).isEqualTo(b.replayTickets());
        assertThat(a.history()).hasSize(200);
        assertThat(a.replayTickets()).hasSize(100);
        Set<String> teams = SampleWorkspace.TEAMS.stream().map(TaxonomyRow::name).collect(Collectors.toSet());
        assertThat(a.history()).extracting(SampleTicket::team).allMatch(teams::contains);
        assertThat(a.history().stream().map(SampleTicket::team).distinct().count()).isEqualTo(8);
        assertThat(a.history().stream().map(SampleTicket::priority).distinct().sorted().toList()).containsExactly("P1", "P2", "P3", "P4");
        assertThat(a.history().stream().map(SampleTicket::subject).distinct().count()).isGreaterThan(60);
        assertThat(a.history()).anyMatch(t -> t.body().matches("(?s).*(ich|Seit|keine).*"));   // some German
        assertThat(a.history().stream().filter(t -> t.subject().toLowerCase().contains("vpn")).count()).isGreaterThanOrEqualTo(6);
        assertThat(a.history()).extracting(SampleTicket::key).doesNotHaveDuplicates();
    }

    @Test
    void theFirstRunOfferLoadsHistoryAndOpenTicketsToTriage() throws Exception {
        try (Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("first"))) {
            SampleWorkspace sample = SampleWorkspace.create();
            // "Load ~300 sample tickets … to try Switchboard": it loaded the 200 decided ones only, the queue stayed empty
            SampleWorkspace.InstallResult r = sample.installWithOpenTickets(ws.store()).get(30, TimeUnit.SECONDS);
            assertThat(r.created()).isEqualTo(300);
            assertThat(ws.store().stats().decided()).isEqualTo(200);
            List<QueueRow> open = ws.store().queue().stream().filter(q -> q.team() == null).toList();
            assertThat(open).hasSize(100);
            assertThat(open).extracting(QueueRow::subject).contains(sample.replayTickets().get(0).subject());
            SampleWorkspace.InstallResult again = sample.installWithOpenTickets(ws.store()).get(30, TimeUnit.SECONDS);
            assertThat(again.created()).isZero();
            assertThat(ws.store().stats().tickets()).isEqualTo(300);
        }
    }

    @Test
    void installIsIdempotentAndReplayAddsUnlabelledTickets() throws Exception {
        try (Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"))) {
            SampleWorkspace sample = SampleWorkspace.create();
            SampleWorkspace.InstallResult first = sample.install(ws.store()).get(30, TimeUnit.SECONDS);
            assertThat(first.created()).isEqualTo(200);
            SampleWorkspace.InstallResult second = sample.install(ws.store()).get(30, TimeUnit.SECONDS);
            assertThat(second.created()).isZero();
            assertThat(second.alreadyPresent()).isEqualTo(200);
            assertThat(ws.store().stats().tickets()).isEqualTo(200);
            assertThat(ws.store().stats().decided()).isEqualTo(200);
            assertThat(ws.store().teams()).hasSize(8);
            assertThat(ws.store().priorities()).extracting(TaxonomyRow::name).containsExactly("P1", "P2", "P3", "P4");

            List<SampleTicket> three = sample.replayTickets().subList(0, 3);
            CountDownLatch arrived = new CountDownLatch(3);
            DemoReplay replay = new DemoReplay(ws.store(), three, Duration.ofMillis(20)).onTicket(id -> arrived.countDown());
            replay.start();
            assertThat(arrived.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(replay.awaitFinished(Duration.ofSeconds(10))).isTrue();
            assertThat(replay.replayed()).isEqualTo(3);
            List<QueueRow> demo = ws.store().queue().stream().filter(q -> q.source().equals("demo")).toList();
            assertThat(demo).hasSize(3);
            assertThat(demo).extracting(QueueRow::team).containsOnlyNulls();
            assertThat(demo).extracting(QueueRow::subject).containsExactlyElementsOf(three.stream().map(SampleTicket::subject).toList());

            DemoReplay slow = sample.replay(ws.store(), Duration.ofHours(1)).start();
            slow.stop();
            assertThat(slow.awaitFinished(Duration.ofSeconds(5))).isTrue();
            assertThat(slow.isRunning()).isFalse();
            assertThat(slow.replayed()).isZero();
        }
    }
}
