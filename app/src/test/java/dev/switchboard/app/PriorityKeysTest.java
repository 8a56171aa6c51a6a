package dev.switchboard.app;

import static dev.switchboard.app.TriageWindowFixture.onFx;
import static dev.switchboard.app.TriageWindowFixture.table;
import static dev.switchboard.app.TriageWindowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Keys 1–4 in a workspace whose priority levels are not the sample's P1–P4 (an import defined "Blocker",
 * "Critical", "Major"): each key sets that rank's level, a key beyond the levels says so and stays put.
 */
@ExtendWith(ApplicationExtension.class)
class PriorityKeysTest {

    @TempDir static Path dir;
    TriageWindowFixture fixture;
    Services services;
    MainWindow window;

    @Start
    void start(Stage stage) {
        List<NewTicket> t = TriageWindowFixture.history("Major", "Critical");
        t.add(new NewTicket("new", "n1", "VPN tunnel keeps dropping", "VPN disconnects from home", "ann", Instant.now().minusSeconds(300), null, null));
        t.add(new NewTicket("new", "n2", "Forgot password, locked out", "Please reset my password", "bob", Instant.now().minusSeconds(200), null, null));
        fixture = TriageWindowFixture.show(stage, dir, "p",
                List.of(new TaxonomyRow("Blocker", "", 1), new TaxonomyRow("Critical", "", 2), new TaxonomyRow("Major", "", 3)), t);
        services = fixture.services;
        window = fixture.window;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private long select(FxRobot robot, String subject) throws Exception {
        long id = onFx(() -> table(robot).getItems().stream().filter(r -> r.subject().equals(subject)).findFirst().orElseThrow().id());
        robot.interact(() -> table(robot).getSelectionModel().clearAndSelect(
                table(robot).getItems().stream().map(QueueRow::id).toList().indexOf(id)));
        robot.clickOn("#search");
        robot.type(KeyCode.ESCAPE); // focus back on the queue, as a dispatcher would
        return id;
    }

    @Test
    void eachKeySetsThatRanksLevelAndAKeyBeyondTheLevelsSaysSoAndStaysOnTheTicket(FxRobot robot) throws Exception {
        waitFor(90, () -> table(robot).getItems().size() == 2
                && table(robot).getItems().stream().allMatch(r -> r.suggestedTeam() != null));

        long vpn = select(robot, "VPN tunnel keeps dropping");
        robot.type(KeyCode.DIGIT4);
        waitFor(10, () -> window.background().messageProperty().get().startsWith("No priority level 4"));
        assertThat(window.background().messageProperty().get()).contains("Blocker, Critical, Major");
        // before: "P4" was sent, refused with an error dialog, and the selection had moved to the next ticket
        assertThat(onFx(() -> table(robot).getSelectionModel().getSelectedItem().id())).isEqualTo(vpn);
        assertThat(services.ledger().decisions(vpn)).isEmpty();

        robot.type(KeyCode.DIGIT2);
        waitFor(10, () -> services.ledger().decisions(vpn).size() == 1);
        assertThat(services.ledger().decisions(vpn).get(0).priority()).isEqualTo("Critical");
    }
}
