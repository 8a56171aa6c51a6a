package dev.switchboard.app.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every demo start begins from the sample; a demo another window shows is joined, not wiped. */
class DemoWorkspaceTest {

    @TempDir Path dir;

    @AfterEach
    void release() throws Exception {
        DemoWorkspace.release();
    }

    @Test
    void aSecondDemoStartsFromTheSampleAgainInsteadOfAddingToTheFirst() throws Exception {
        SampleWorkspace sample = SampleWorkspace.create();
        String url = Database.h2FileUrl(dir.resolve(DemoWorkspace.NAME));

        assertThat(DemoWorkspace.prepare(dir)).isEqualTo(DemoWorkspace.Outcome.FRESH);
        long first;
        try (Workspace ws = Workspace.open(url)) {
            sample.install(ws.store()).join();
            first = ws.store().stats().tickets();
            // the replay's arrivals and a crash's leftovers (H2's own lock file)
            try (DemoReplay replay = sample.replay(ws.store(), java.time.Duration.ZERO).start()) {
                assertThat(replay.awaitFinished(java.time.Duration.ofSeconds(60))).isTrue();
            }
            assertThat(ws.store().stats().tickets()).isGreaterThan(first);
        }
        Files.writeString(dir.resolve(DemoWorkspace.NAME + ".lock.db"), "stale");
        DemoWorkspace.release(); // the first demo window closes

        assertThat(DemoWorkspace.prepare(dir)).isEqualTo(DemoWorkspace.Outcome.FRESH);
        assertThat(dir.resolve(DemoWorkspace.NAME + ".lock.db")).doesNotExist();
        try (Workspace ws = Workspace.open(url)) {
            sample.install(ws.store()).join();
            assertThat(ws.store().stats().tickets()).isEqualTo(first);
        }
    }

    @Test
    void aDemoStillShownElsewhereIsJoinedAndKept() throws Exception {
        assertThat(DemoWorkspace.prepare(dir)).isEqualTo(DemoWorkspace.Outcome.FRESH);
        Path db = dir.resolve(DemoWorkspace.NAME + ".mv.db");
        Files.writeString(db, "in use");

        assertThat(DemoWorkspace.prepare(dir)).isEqualTo(DemoWorkspace.Outcome.JOINED);
        assertThat(db).hasContent("in use");
    }
}
