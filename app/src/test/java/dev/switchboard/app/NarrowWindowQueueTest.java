package dev.switchboard.app;

import static dev.switchboard.app.TriageWindowFixture.table;
import static dev.switchboard.app.TriageWindowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ui.Background;
import dev.switchboard.app.ui.Theme;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.SuggestionData;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The queue on a 1024-pixel screen: the subject, what a dispatcher reads first, has room; team and confidence still read. */
@ExtendWith(ApplicationExtension.class)
class NarrowWindowQueueTest {

    static final String SUBJECT = "SSO login loop in Power BI";
    static final String LONG_SUBJECT = "Printer on the third floor jams on every page since the firmware update last night";

    @TempDir static Path dir;
    Workspace ws;
    MainWindow window;

    @Start
    void start(Stage stage) {
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("w" + System.nanoTime()));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Identity & Access", "", 0), new TaxonomyRow("Endpoint & Hardware", "", 0)),
                List.of(new TaxonomyRow("P3", "", 3))).join();
        ws.store().saveTickets(List.of(
                new NewTicket("test", "a", SUBJECT, "Loops back to the login page", "carla.dubois@example.com", Instant.now(), null, null),
                new NewTicket("test", "b", LONG_SUBJECT, "Jams", "juergen.ng@example.com", Instant.now(), null, null)), "test").join();
        window = new MainWindow(new Theme(), new Background());
        stage.setScene(window.scene());
        stage.show();
        window.attach(ws);
    }

    @AfterEach
    void close() {
        window.close();
        window.background().close();
        ws.close();
    }

    private TableColumn<QueueRow, ?> column(FxRobot robot, String id) {
        return table(robot).getColumns().stream().filter(c -> id.equals(c.getId())).findFirst().orElseThrow();
    }

    private void resize(FxRobot robot, double w, double h) {
        robot.interact(() -> {
            javafx.stage.Window win = window.scene().getWindow();
            win.setWidth(w);
            win.setHeight(h);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The visible cells of a column, by row. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<TableCell<?, ?>> cells(FxRobot robot, String columnId) {
        TableColumn<QueueRow, ?> col = column(robot, columnId);
        List<TableCell<?, ?>> out = new java.util.ArrayList<>();
        for (TableCell c : robot.from(table(robot)).lookup(".table-cell").queryAllAs(TableCell.class)) {
            if (c.getTableColumn() == col && !c.isEmpty() && c.isVisible()) out.add(c);
        }
        return out;
    }

    private static String drawn(TableCell<?, ?> cell) {
        // the cell's own text, not its graphic's
        return cell.getChildrenUnmodifiable().stream().filter(n -> n instanceof javafx.scene.text.Text)
                .map(n -> ((javafx.scene.text.Text) n).getText()).findFirst().orElse("");
    }

    private void suggest(FxRobot robot, String team) throws Exception {
        waitFor(10, () -> table(robot).getItems().size() == 2);
        for (QueueRow r : table(robot).getItems()) {
            ws.store().saveSuggestion(r.id(), new SuggestionData("local", "m", "OK", team, "P3", 0.995, true,
                    team + "=0.995", "P3=0.9", "", "", "", 1)).join();
        }
        waitFor(10, () -> table(robot).getItems().stream().allMatch(r -> team.equals(r.suggestedTeam())));
    }

    @Test
    void at1024PixelsTheSubjectReadsInFullAndTheTeamKeepsItsConfidence(FxRobot robot) throws Exception {
        suggest(robot, "Identity & Access");
        resize(robot, 1024, 700);
        robot.interact(() -> table(robot).getSelectionModel().select(0));
        robot.clickOn(table(robot)); // keyboard into the queue
        robot.type(javafx.scene.input.KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();

        double subjectWidth = column(robot, "col-subject").getWidth();
        double teamWidth = column(robot, "col-team").getWidth();
        assertThat(subjectWidth).as("Subject column at 1024 px (was ~110)").isGreaterThanOrEqualTo(190);
        assertThat(subjectWidth).as("Subject wider than Team").isGreaterThan(teamWidth);
        // every column still fits: nothing is cut off on the right
        double columns = table(robot).getColumns().stream().mapToDouble(TableColumn::getWidth).sum();
        assertThat(columns).isLessThanOrEqualTo(table(robot).getWidth());

        // the short subject is drawn whole, not "SSO login lo…"
        assertThat(cells(robot, "col-subject")).extracting(NarrowWindowQueueTest::drawn).contains(SUBJECT);
        // the long one is cut, and its tooltip has all of it
        TableCell<?, ?> longCell = cells(robot, "col-subject").stream().filter(c -> LONG_SUBJECT.equals(c.getItem())).findFirst().orElseThrow();
        assertThat(longCell.getTooltip()).isNotNull();
        assertThat(longCell.getTooltip().getText()).isEqualTo(LONG_SUBJECT);

        // the team cell: the confidence is drawn whole, the team's name starts legibly, the tooltip names it whole
        for (TableCell<?, ?> team : cells(robot, "col-team")) {
            Label pct = (Label) team.getGraphic();
            assertThat(pct).isNotNull();
            assertThat(((javafx.scene.text.Text) pct.lookup(".text")).getText()).isEqualTo("≥99%");
            assertThat(drawn(team)).startsWith("→ Identity");
            assertThat(team.getTooltip().getText()).isEqualTo("Suggested: Identity & Access, ≥99%");
        }

        // the detail pane keeps its minimum width
        assertThat(robot.lookup("#detail").queryAs(javafx.scene.layout.Region.class).getWidth())
                .isGreaterThanOrEqualTo(dev.switchboard.app.ticket.TicketDetailView.MIN_WIDTH);
    }

    @Test
    void atTheDefault1280PixelsTheSubjectGetsMoreAndTheLongestTeamStillReadsInFull(FxRobot robot) throws Exception {
        // (the headless test screen is 1280 x 800; 1400 and 1920 were checked by eye)
        suggest(robot, "Email & Collaboration");
        resize(robot, 1024, 700);
        double narrow = column(robot, "col-subject").getWidth();
        resize(robot, 1280, 800);
        assertThat(column(robot, "col-subject").getWidth()).as("Subject at 1280 px").isGreaterThan(narrow);
        for (TableCell<?, ?> team : cells(robot, "col-team")) {
            assertThat(drawn(team)).isEqualTo("→ Email & Collaboration");
        }
    }
}
