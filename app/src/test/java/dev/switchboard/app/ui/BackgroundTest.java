package dev.switchboard.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A confirmation in the status bar ("Snoozed #7 · saved") is not wiped within a second by background progress
 * ("Indexing tickets for duplicates…"): it stays for its hold, the progress bar moving meanwhile, and the latest
 * progress text follows.
 */
@ExtendWith(ApplicationExtension.class)
class BackgroundTest {

    @Start
    void start(Stage stage) {
        stage.show(); // the FX toolkit runs; the background needs no window of its own
    }

    @Test
    void aConfirmationStaysForItsHoldAndTheLatestProgressFollows(FxRobot robot) throws Exception {
        try (Background bg = new Background(Duration.ofMillis(1500))) {
            bg.progress("Indexing tickets for duplicates", 10, 100);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(bg.messageProperty().get()).isEqualTo("Indexing tickets for duplicates… 10 / 100");

            bg.status("Snoozed #7 until 14:00 · saved");
            bg.progress("Indexing tickets for duplicates", 20, 100);
            bg.progress("Indexing tickets for duplicates", 30, 100);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(bg.messageProperty().get()).isEqualTo("Snoozed #7 until 14:00 · saved");
            assertThat(bg.progressProperty().get()).as("the bar still moves").isEqualTo(0.3);

            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                    () -> bg.messageProperty().get().equals("Indexing tickets for duplicates… 30 / 100"));

            // after the hold, progress shows at once again; a new confirmation replaces the old one at once
            bg.progress("Indexing tickets for duplicates", 40, 100);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(bg.messageProperty().get()).isEqualTo("Indexing tickets for duplicates… 40 / 100");
            bg.status("Accepted #8 → Network · saved");
            bg.status("Accepted #9 → Network · saved");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(bg.messageProperty().get()).isEqualTo("Accepted #9 → Network · saved");

            // clearing the bar is no confirmation: progress shows at once after it
            bg.status("");
            bg.progress("Suggesting teams", 1, 4);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(bg.messageProperty().get()).isEqualTo("Suggesting teams… 1 / 4");
        }
    }

    /** The selected ticket loads while every thread of the shared pool is busy with long jobs (an import, a retrain). */
    @Test
    void aQuietReadIsNotQueuedBehindLongBackgroundJobs(FxRobot robot) throws Exception {
        try (Background bg = new Background()) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            int busy = Math.max(2, Runtime.getRuntime().availableProcessors()) + 2;
            for (int i = 0; i < busy; i++) {
                bg.execute(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            java.util.concurrent.atomic.AtomicReference<String> shown = new java.util.concurrent.atomic.AtomicReference<>();
            bg.quietly(() -> "ticket #7", shown::set, e -> { });
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> "ticket #7".equals(shown.get()));
            assertThat(release.getCount()).as("the long jobs are still running").isEqualTo(1);
            release.countDown();
        }
    }
}
