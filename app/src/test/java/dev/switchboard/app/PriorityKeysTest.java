package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.settings.Settings;
import dev.switchboard.app.ui.Background;
import dev.switchboard.app.ui.Theme;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
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
 * Keys 1–4 in a workspace whose priority levels are not the sample's P1–P4 (an import defined "Blocker",
 * "Critical", "Major"): each key sets that rank's level, a key beyond the levels says so and stays put.
 */
@ExtendWith(ApplicationExtension.class)
class PriorityKeysTest {

    @TempDir static Path dir;
    Services services;
    MainWindow window;

    @Start
    void start(Stage stage) {
        Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("p" + System.nanoTime()));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN, Wi-Fi, switches", 0),
                        new TaxonomyRow("Desktop", "Laptops, printers, peripherals", 0),
                        new TaxonomyRow("Identity", "Accounts, passwords, access", 0)),
                List.of(new TaxonomyRow("Blocker", "", 1), new TaxonomyRow("Critical", "", 2), new TaxonomyRow("Major", "", 3))).join();
        List<NewTicket> t = new ArrayList<>();
        String[][] history = KeyboardTriageTest.HISTORY;
        for (int i = 0; i < history.length; i++) {
            t.add(new NewTicket("hist", "h" + i, history[i][1], history[i][2], "u" + i, Instant.now().minusSeconds(9000 - i),
                    history[i][0], i % 2 == 0 ? "Major" : "Critical"));
        }
        t.add(new NewTicket("new", "n1", "VPN tunnel keeps dropping", "VPN disconnects from home", "ann", Instant.now().minusSeconds(300), null, null));
        t.add(new NewTicket("new", "n2", "Forgot password, locked out", "Please reset my password", "bob", Instant.now().minusSeconds(200), null, null));
        ws.store().saveTickets(t, "test").join();
        services = new Services(ws, new Settings(dir.resolve("settings-" + System.nanoTime() + ".properties")));
        window = new MainWindow(new Theme(), new Background());
        stage.setScene(window.scene());
        stage.show();
        window.attach(services);
    }

    @AfterEach
    void close() {
        window.close();
        window.background().close();
        services.close();
    }

    @SuppressWarnings("unchecked")
    private TableView<QueueRow> table(FxRobot robot) {
        return (TableView<QueueRow>) robot.lookup("#queue").queryAs(TableView.class);
    }

    private static void waitFor(int seconds, Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get();
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
