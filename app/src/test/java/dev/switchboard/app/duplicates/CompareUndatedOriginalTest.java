package dev.switchboard.app.duplicates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.ui.Background;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.NewTicket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Two reports of one problem imported without a creation time: the compare view links the later-imported one as
 * the duplicate of the first, whichever of the two D was pressed on (it took the view's own ticket as the later one).
 */
@ExtendWith(ApplicationExtension.class)
class CompareUndatedOriginalTest {

    @TempDir static Path dir;
    Workspace ws;
    DuplicateService dups;
    Background bg;
    Stage stage;
    long first;
    long second;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("u" + System.nanoTime()));
        List<Long> ids = ws.store().saveTickets(List.of(
                new NewTicket("itsm", "u1", "VPN drops every 10 minutes", "The VPN client disconnects every ten minutes from home",
                        "ann", null, null, null),
                new NewTicket("itsm", "u2", "VPN keeps disconnecting", "My VPN disconnects all the time when working from home",
                        "bob", null, null, null)), "import").join().createdIds();
        first = ids.get(0);
        second = ids.get(1);
        dups = new DuplicateService(ws.store(), new LocalModel());
        dups.start().join();
        dups.awaitIdle();
        bg = new Background();
        stage.setScene(new Scene(new StackPane(new Label("queue")), 400, 300));
        stage.show();
    }

    @AfterEach
    void close() {
        bg.close();
        dups.close();
        ws.close();
    }

    /** Opens the compare view on {@code ticket}, presses L there and returns the status line it leaves. */
    private String linkFrom(FxRobot robot, long ticket) throws Exception {
        int before = dups.links().history(first, second).size();
        robot.interact(() -> CompareDialog.show(stage, dups, ws.store(), bg, "dana", ticket));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#dup-score").tryQuery().isPresent()
                && robot.lookup(".shared-term").queryAll().size() > 0);
        robot.clickOn("#dup-score"); // Monocle: give the compare window keyboard focus
        robot.type(KeyCode.L);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dups.links().history(first, second).size() > before);
        String said = bg.messageProperty().get();
        robot.interact(() -> ((Stage) robot.lookup("#dup-score").query().getScene().getWindow()).close());
        return said;
    }

    private DuplicateLinks.Link latest() {
        List<DuplicateLinks.Link> h = dups.links().history(first, second);
        return h.get(h.size() - 1);
    }

    @Test
    void theFirstImportedIsTheOriginalWhicheverTicketDWasPressedOn(FxRobot robot) throws Exception {
        assertThat(ws.store().withoutKnownCreation(List.of(first, second))).containsExactlyInAnyOrder(first, second);
        assertThat(dups.plausibleCandidates(first, 5)).extracting(c -> c.id()).contains(Long.toString(second));

        String fromFirst = linkFrom(robot, first);
        assertThat(fromFirst).contains("Linked #" + second + " as duplicate of #" + first);
        assertThat(latest().state()).isEqualTo("CONFIRMED");
        assertThat(latest().ticketId()).isEqualTo(second);
        assertThat(latest().originalId()).isEqualTo(first);

        dups.undo(second, first, "dana").join();

        String fromSecond = linkFrom(robot, second);
        assertThat(fromSecond).as("D pressed on the other ticket of the pair").contains("Linked #" + second + " as duplicate of #" + first);
        assertThat(latest().state()).isEqualTo("CONFIRMED");
        assertThat(latest().ticketId()).isEqualTo(second);
        assertThat(latest().originalId()).isEqualTo(first);
    }

    @Test
    void theOriginalOfAPairIsTheEarlierCreatedOrWithoutATimeTheFirstImported() {
        Instant t = Instant.parse("2026-01-01T10:00:00Z");
        assertThat(CompareDialog.original(7, t, 3, t.plusSeconds(60))).isEqualTo(7);
        assertThat(CompareDialog.original(3, t.plusSeconds(60), 7, t)).isEqualTo(7);
        // one or both without a creation time, or both at once: the lower id, from either side
        for (Instant[] p : new Instant[][] {{null, null}, {t, null}, {null, t}, {t, t}}) {
            assertThat(CompareDialog.original(7, p[0], 3, p[1])).isEqualTo(3);
            assertThat(CompareDialog.original(3, p[1], 7, p[0])).isEqualTo(3);
        }
    }
}
