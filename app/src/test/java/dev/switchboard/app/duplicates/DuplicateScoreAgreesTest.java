package dev.switchboard.app.duplicates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ticket.TicketDetailView;
import dev.switchboard.app.ui.Background;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
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
 * The yellow "probable duplicate" box and the compare view (D) give one pair the same score, also after the
 * pair's text changed since it was flagged (the box showed the flagged score, the compare view the current one).
 */
@ExtendWith(ApplicationExtension.class)
class DuplicateScoreAgreesTest {

    @TempDir static Path dir;
    VpnReports reports;
    Background bg;
    Stage stage;
    TicketDetailView view;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        reports = VpnReports.open(dir.resolve("s" + System.nanoTime()));
        bg = new Background();
        view = new TicketDetailView(id -> { });
        stage.setScene(new Scene(view, 600, 700));
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> robot.listWindows().stream().filter(w -> w != stage && w instanceof Stage)
                .map(w -> (Stage) w).toList().forEach(Stage::close));
        bg.close();
        reports.close();
    }

    /** The percentage the detail pane's duplicate box shows for the pair, as drawn. */
    private String paneScore(FxRobot robot, long ticket) {
        var d = reports.dups().detail(ticket).orElseThrow();
        robot.interact(() -> view.show(d));
        VBox box = robot.lookup("#detail-duplicates").queryAs(VBox.class);
        String text = box.getChildren().get(1).getAccessibleText();
        var m = java.util.regex.Pattern.compile("· (\\d+)%").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1) + "%";
    }

    /** The percentage the compare view opened on {@code ticket} (D) shows. */
    private String compareScore(FxRobot robot, long ticket) throws Exception {
        robot.interact(() -> CompareDialog.show(stage, reports.dups(), reports.ws().store(), bg, "dana", ticket));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#dup-score").tryQuery().isPresent());
        String text = robot.lookup("#dup-score").queryAs(Label.class).getText();
        robot.interact(() -> ((Stage) robot.lookup("#dup-score").query().getScene().getWindow()).close());
        var m = java.util.regex.Pattern.compile("duplicate probability (\\d+)%").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1) + "%";
    }

    @Test
    void theDetailPaneAndTheCompareViewShowOneScoreForAPairWhoseTextChangedSinceItWasFlagged(FxRobot robot) throws Exception {
        var ws = reports.ws();
        long dup = reports.duplicate();
        long orig = reports.original();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !ws.store().detail(dup).orElseThrow().duplicates().isEmpty());
        double flagged = ws.store().detail(dup).orElseThrow().duplicates().get(0).score();

        // the requester adds to the report: the pair is scored on the new text from now on
        ws.store().addUpdate(dup, "bob", "Update: it is not only the VPN. Outlook shows a certificate warning, the printer "
                + "on floor 3 is out of toner and my second monitor flickers since the docking station firmware update.").join();
        reports.dups().awaitIdle();
        double now = reports.dups().pair(dup, orig).probability();
        assertThat(Math.round(now * 100)).as("the score moved since the pair was flagged").isNotEqualTo(Math.round(flagged * 100));

        String compare = compareScore(robot, dup);
        assertThat(paneScore(robot, dup)).as("the later report's pane, as D shows it").isEqualTo(compare)
                .isEqualTo(Math.round(now * 100) + "%");
        // and from the other side of the pair
        assertThat(paneScore(robot, orig)).as("the original's pane").isEqualTo(compareScore(robot, orig));
    }
}
