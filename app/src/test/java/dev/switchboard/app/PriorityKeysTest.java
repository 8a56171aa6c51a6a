package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.settings.Settings;
import dev.switchboard.app.ui.Background;
import dev.switchboard.app.ui.Theme;
import dev.switchboard.persistence.store.DecisionRecord;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Keys 1–4 on a workspace whose priority levels are not named P1–P4 (levels an import defined, "1 - Critical"…):
 * they set the first to fourth level; a key past the last level says so and stays on the ticket.
 */
@ExtendWith(ApplicationExtension.class)
class PriorityKeysTest {

    @TempDir static Path dir;
    Services services;
    MainWindow window;

    @Start
    void start(Stage stage) {
        Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("p" + System.nanoTime()));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN, Wi-Fi", 0), new TaxonomyRow("Desktop", "Laptops, printers", 0)),
                List.of(new TaxonomyRow("1 - Critical", "", 100), new TaxonomyRow("2 - High", "", 200),
                        new TaxonomyRow("3 - Moderate", "", 300))).join();
        String[][] history = {
                {"Network", "VPN disconnects every few minutes"}, {"Network", "Wi-Fi access point down"},
                {"Network", "Cannot reach intranet over VPN"}, {"Desktop", "Laptop screen flickers"},
                {"Desktop", "Printer jams on every page"}, {"Desktop", "Laptop battery drains fast"}};
        List<NewTicket> t = new ArrayList<>();
        for (int i = 0; i < history.length; i++) {
            t.add(new NewTicket("hist", "h" + i, history[i][1], history[i][1], "u" + i, Instant.now().minusSeconds(9000 - i),
                    history[i][0], i % 2 == 0 ? "2 - High" : "3 - Moderate"));
        }
        t.add(new NewTicket("new", "n1", "VPN tunnel keeps dropping", "VPN disconnects from home", "ann", Instant.now().minusSeconds(300), null, null));
        t.add(new NewTicket("new", "n2", "Printer paper jam", "Printer on floor 3 jams", "cy", Instant.now().minusSeconds(100), null, null));
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

    private QueueRow row(FxRobot robot, String subject) throws Exception {
        return onFx(() -> table(robot).getItems().stream().filter(r -> r.subject().equals(subject)).findFirst().orElseThrow());
    }

    @Test
    void keysSetTheWorkspacesOwnLevelsByRank(FxRobot robot) throws Exception {
        waitFor(90, () -> table(robot).getItems().size() == 2
                && table(robot).getItems().stream().allMatch(r -> r.suggestedTeam() != null));
        List<String> messages = new CopyOnWriteArrayList<>();
        robot.interact(() -> window.background().messageProperty().addListener((o, a, b) -> messages.add(b)));

        robot.interact(() -> table(robot).getSelectionModel().clearAndSelect(0));
        long first = onFx(() -> table(robot).getSelectionModel().getSelectedItem().id());
        robot.clickOn("#search");
        robot.type(KeyCode.ESCAPE); // focus on the queue

        // 4: the workspace has three levels; nothing is recorded and the ticket stays selected
        robot.type(KeyCode.DIGIT4);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> table(robot).getSelectionModel().getSelectedItem().id())).isEqualTo(first);
        assertThat(services.ledger().decisions(first)).isEmpty();
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("3 priority levels").contains("1 - Critical"));

        // 1: the first level by rank
        robot.type(KeyCode.DIGIT1);
        waitFor(10, () -> services.ledger().decisions(first).size() == 1);
        assertThat(services.ledger().decisions(first)).singleElement()
                .satisfies(d -> assertThat(d.priority()).isEqualTo("1 - Critical"));
        assertThat(messages).noneSatisfy(m -> assertThat(m).contains("unknown priority"));
        String subject = onFx(() -> table(robot).getItems().stream().filter(r -> r.id() == first).findFirst().orElseThrow().subject());
        waitFor(10, () -> "1 - Critical".equals(row(robot, subject).priority()));
        assertThat(services.ledger().decisions(first)).extracting(DecisionRecord::kind).doesNotContain("UNDONE");
    }
}
