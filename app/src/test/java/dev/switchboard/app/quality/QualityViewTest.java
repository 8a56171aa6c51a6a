package dev.switchboard.app.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.ui.Background;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

/** The team lead's quality view on a real ledger: the figures, the wrong calls, the engine filter, keyboard only. */
@ExtendWith(ApplicationExtension.class)
class QualityViewTest {

    @TempDir static Path dir;
    Workspace ws;
    Background bg;
    Stage owner;
    QualityView view;

    @Start
    void start(Stage stage) {
        owner = stage;
        ws = QualityFixture.create(dir);
        bg = new Background();
        stage.setScene(new Scene(new StackPane(new Label("main")), 300, 200));
        stage.show();
    }

    @AfterEach
    void close() {
        bg.close();
        ws.close();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
    }

    private String tile(FxRobot robot, String id) {
        return robot.lookup("#tile-" + id).queryAs(Label.class).getText();
    }

    /** The node's bounds in its scene. */
    private static javafx.geometry.Bounds inScene(javafx.scene.Node n) throws Exception {
        return fx(() -> n.localToScene(n.getLayoutBounds()));
    }

    @Test
    void onA1024By700ScreenEveryFigureCanBeReached(FxRobot robot) throws Exception {
        robot.interact(() -> {
            view = QualityView.show(owner, ws, bg);
            view.stage().setWidth(984); // what a 1024×700 screen leaves for it
            view.stage().setHeight(640);
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> view.report() != null));
        WaitForAsyncUtils.waitForFxEvents();
        double noteTop = inScene(robot.lookup("#quality-note").query()).getMinY();
        // a table given the focus is shown above the note (it ran under it, out of the window)
        for (javafx.scene.control.TableView<?> t : java.util.List.of(view.teams, view.weeks)) {
            robot.interact(t::requestFocus);
            WaitForAsyncUtils.waitForFxEvents();
            javafx.geometry.Bounds b = inScene(t);
            assertThat(b.getMinY() + 80).as("header and first rows of " + t.getId()).isLessThanOrEqualTo(noteTop);
        }
        // the override reasons and times to decide, below the tables, scroll into view
        javafx.scene.Node scroll = fx(() -> {
            for (javafx.scene.Node n = view.reasons; n != null; n = n.getParent()) {
                if (n instanceof javafx.scene.control.ScrollPane) return n;
            }
            return null;
        });
        assertThat(scroll).as("the figures scroll").isNotNull();
        robot.interact(() -> ((javafx.scene.control.ScrollPane) scroll).setVvalue(1));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(inScene(view.reasons).getMaxY()).isLessThanOrEqualTo(noteTop);
        assertThat(inScene(view.reasons).getMinY()).isGreaterThanOrEqualTo(inScene(scroll).getMinY());
        robot.interact(() -> view.stage().close());
    }

    @Test
    void showsTheFiguresAndFiltersByEngineFromTheKeyboard(FxRobot robot) throws Exception {
        robot.interact(() -> view = QualityView.show(owner, ws, bg));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> view.report() != null));
        assertThat(tile(robot, "answered")).isEqualTo("6");
        // the line above the figures: how many of the suggested tickets those six are, and what became of the rest
        Label share = robot.lookup("#quality-answered-share").queryAs(Label.class);
        assertThat(fx(share::isVisible)).isTrue();
        assertThat(fx(share::getText)).isEqualTo("Answered 6 of 11 suggested tickets (54.5%); not answered: 3 still waiting for "
                + "a decision, 2 closed without a decision (1 of them merged as duplicates). "
                // six answers: the figures are chance, and the view says so instead of showing them as plainly as thousands
                + "Only 6 answered: one answer moves a rate by 16.7 points and each calibration point rests on a few, so read "
                + "these figures as rough until there are about 100.");
        assertThat(tile(robot, "accepted")).isEqualTo("66.7%");
        assertThat(tile(robot, "kept")).isEqualTo("83.3%");
        assertThat(tile(robot, "top1")).isEqualTo("66.7%");
        assertThat(tile(robot, "hit3")).isEqualTo("100.0%");
        assertThat(tile(robot, "confident")).isEqualTo("66.7%");
        assertThat(fx(() -> view.confusions.getItems().size())).isEqualTo(2);
        assertThat(fx(() -> view.teams.getItems().size())).isEqualTo(3);
        assertThat(fx(() -> view.chart.getData().get(1).getData().size())).isEqualTo(5);
        assertThat(fx(() -> view.reasons.getText())).contains("Wrong team 1").contains("Wrong priority 1").doesNotContain("wrong-team").contains("accept 2.0 s");

        // Enter on a wrong call hands its tickets to the queue
        java.util.List<Object> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> {
            view.setOnShowTickets((label, ids) -> {
                shown.add(label);
                shown.add(ids);
            });
            view.confusions.requestFocus();
            view.confusions.getSelectionModel().select(1);
        });
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> shown.size() == 2);
        assertThat(shown.get(0)).isEqualTo("suggested Network, kept by Desktop");
        assertThat(shown.get(1)).isEqualTo(fx(() -> view.report().confusions().get(1).tickets())).asList().hasSize(1);

        // Alt+E focuses the engine box (its mnemonic); Down picks "local"
        QualityReport before = fx(() -> view.report());
        robot.press(KeyCode.ALT, KeyCode.E).release(KeyCode.E, KeyCode.ALT);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> view.engine.isFocused()));
        robot.type(KeyCode.DOWN);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> view.report() != before));
        assertThat(fx(() -> view.engine.getValue())).isEqualTo("local");
        assertThat(tile(robot, "answered")).isEqualTo("5");
        assertThat(fx(share::getText)).startsWith("Answered 5 of 9 suggested tickets (55.6%)");
        assertThat(fx(() -> view.status.getText())).contains("of engine local");

        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> !view.stage().isShowing()));
    }

    @Test
    void anEmptyPeriodSaysSoInsteadOfShowingZeros(FxRobot robot) throws Exception {
        Workspace empty = Workspace.open("jdbc:h2:file:" + dir.resolve("empty" + System.nanoTime()));
        try {
            robot.interact(() -> view = QualityView.show(owner, empty, bg));
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> view.report() != null));
            assertThat(fx(() -> view.tiles.getChildren().isEmpty())).isTrue();
            assertThat(fx(() -> view.status.getText())).contains("No dispatcher has answered a suggestion in this period");
            assertThat(fx(() -> view.answeredShare.isVisible())).isFalse(); // nothing suggested: no "0 of 0"
            robot.interact(() -> view.stage().close());
        } finally {
            empty.close();
        }
    }
}
