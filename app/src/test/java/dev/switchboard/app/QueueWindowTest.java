package dev.switchboard.app;

import static dev.switchboard.app.TriageWindowFixture.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ui.Background;
import dev.switchboard.app.ui.Theme;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
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

@ExtendWith(ApplicationExtension.class)
class QueueWindowTest {

    @TempDir static Path dir;
    Workspace ws;
    MainWindow window;

    @Start
    void start(Stage stage) {
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("w" + System.nanoTime()));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "", 0), new TaxonomyRow("Desktop", "", 0)),
                List.of(new TaxonomyRow("P1", "", 1), new TaxonomyRow("P2", "", 2))).join();
        ws.store().saveTickets(List.of(
                ticket("a", "VPN keeps dropping", "Network"),
                ticket("b", "Laptop screen flickers", "Desktop"),
                ticket("c", "Wi-Fi slow on floor 3", null)), "test").join();
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

    private static NewTicket ticket(String id, String subject, String team) {
        return new NewTicket("test", id, subject, "Details about " + subject, "pat@example.com", Instant.now(), team, null);
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        TriageWindowFixture.waitFor(10, condition);
    }

    @Test
    void onA1024PixelScreenTheDetailPaneKeepsItsWidthAndDoesNotScrollSideways(FxRobot robot) throws Exception {
        robot.interact(() -> {
            javafx.stage.Window w = window.scene().getWindow();
            w.setWidth(1024);
            w.setHeight(700);
        });
        waitFor(() -> !table(robot).getItems().isEmpty());
        robot.interact(() -> table(robot).getSelectionModel().select(0));
        javafx.scene.control.ScrollPane detail = robot.lookup("#detail").queryAs(javafx.scene.control.ScrollPane.class);
        waitFor(() -> detail.getContent() != null && detail.getWidth() > 0);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(detail.getWidth()).isGreaterThanOrEqualTo(dev.switchboard.app.ticket.TicketDetailView.MIN_WIDTH);
        // no horizontal scroll bar: the content fits the pane's width
        assertThat(robot.from(detail).lookup(".scroll-bar").queryAllAs(javafx.scene.control.ScrollBar.class))
                .filteredOn(b -> b.getOrientation() == javafx.geometry.Orientation.HORIZONTAL)
                .allMatch(b -> !b.isVisible());
        assertThat(table(robot).getWidth()).isGreaterThan(500);
        // every column of the queue fits in it (Requester and Status were cut off on the right)
        double columns = table(robot).getColumns().stream().mapToDouble(javafx.scene.control.TableColumn::getWidth).sum();
        assertThat(columns).as("width of all columns").isLessThanOrEqualTo(table(robot).getWidth());

        // the suggestion card's long team names wrap instead of being cut ("Email & Collaborat…")
        long id = table(robot).getSelectionModel().getSelectedItem().id();
        ws.store().saveSuggestion(id, new dev.switchboard.persistence.store.SuggestionData("local", "m", "OK",
                "Database & Infrastructure Operations", "P2", 0.62, false,
                "Database & Infrastructure Operations=0.62;Email & Collaboration=0.30;Identity & Access Management=0.08",
                "P2=0.7", "", "", "", 1)).join();
        waitFor(() -> robot.lookup(".team-row").queryAll().size() == 3);
        WaitForAsyncUtils.waitForFxEvents();
        for (javafx.scene.Node row : robot.lookup(".team-row").queryAll()) {
            Label name = (Label) ((javafx.scene.layout.HBox) row).getChildren().get(0);
            javafx.scene.text.Text shown = (javafx.scene.text.Text) name.lookup(".text");
            assertThat(shown.getText().replace("\n", " ").replaceAll("\\s+", " ").strip()).as("team name as drawn")
                    .isEqualTo(name.getText());
        }
    }

    @Test
    void onAScreenSmallerThanTheWindowItOpensInsideTheScreenWithMenuAndStatusBarVisible(FxRobot robot) throws Exception {
        var usable = new javafx.geometry.Rectangle2D(0, 0, 1024, 700);
        MainWindow small = new MainWindow(new Theme(), new Background());
        Stage[] stage = new Stage[1];
        try {
            robot.interact(() -> {
                stage[0] = new Stage();
                stage[0].setScene(small.scene());
                MainWindow.fitTo(stage[0], usable);
                stage[0].show();
            });
            WaitForAsyncUtils.waitForFxEvents();
            Stage st = stage[0];
            assertThat(st.getX()).isGreaterThanOrEqualTo(0);
            assertThat(st.getY()).isGreaterThanOrEqualTo(0);
            assertThat(st.getX() + st.getWidth()).isLessThanOrEqualTo(1024);
            assertThat(st.getY() + st.getHeight()).isLessThanOrEqualTo(700);
            // the status bar, where "saved" and progress appear, is on the screen
            javafx.scene.Node bar = small.scene().lookup("#status-bar");
            javafx.geometry.Bounds b = bar.localToScreen(bar.getBoundsInLocal());
            assertThat(b.getMaxY()).isLessThanOrEqualTo(700);
            assertThat(b.getHeight()).isGreaterThan(0);
        } finally {
            robot.interact(() -> {
                if (stage[0] != null) stage[0].close();
                small.close();
            });
            small.background().close();
        }
    }

    @Test
    void aTicketSavedElsewhereAppearsWithinASecondWithoutRefresh(FxRobot robot) throws Exception {
        robot.interact(() -> window.queue().statusProperty().set("All"));
        waitFor(() -> table(robot).getItems().size() == 3);
        long saved = System.nanoTime();
        ws.store().saveTickets(List.of(ticket("d", "Printer out of toner", null)), "intake").join();
        WaitForAsyncUtils.waitFor(1, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> table(robot).getItems().stream().anyMatch(r -> r.subject().equals("Printer out of toner"))).get());
        assertThat((System.nanoTime() - saved) / 1_000_000).isLessThan(1000);
        assertThat(robot.lookup("#counts").queryAs(Label.class).getText()).startsWith("4 tickets");
    }

    @Test
    void aTicketWrittenByAnotherStoreOnTheSameDatabaseIsPickedUpByThePoll(FxRobot robot) throws Exception {
        robot.interact(() -> window.queue().statusProperty().set("All"));
        waitFor(() -> table(robot).getItems().size() == 3);
        // A second store on the same file stands in for another process (a CLI import): no notification reaches the window.
        try (Workspace other = Workspace.open(ws.database().displayUrl())) {
            other.store().saveTickets(List.of(ticket("e", "Projector in room 4 flickers", null)), "cli").join();
        }
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> table(robot).getItems().stream().anyMatch(r -> r.subject().equals("Projector in room 4 flickers"))).get());
    }

    /** Another process changes a ticket's subject, stamping the change at {@code at}. */
    private void changeElsewhere(String oldSubject, String newSubject, Instant at) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(ws.database().url(), "sa", "");
             var ps = c.prepareStatement("update ticket set subject = ?, updated_at = ? where subject = ?")) {
            ps.setString(1, newSubject);
            ps.setTimestamp(2, java.sql.Timestamp.from(at));
            ps.setString(3, oldSubject);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void aChangeStampedBeforeOneAlreadyShownStillReachesTheQueueOnce(FxRobot robot) throws Exception {
        // Two dispatchers save at once and the earlier-stamped write commits last, or a colleague's
        // workstation clock lags: the change carries an older time than the newest one this window saw.
        java.util.List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        ws.store().addListener(heard::addAll);
        robot.interact(() -> window.queue().statusProperty().set("All"));
        waitFor(() -> table(robot).getItems().size() == 3);
        Instant now = Instant.now();
        changeElsewhere("VPN keeps dropping", "VPN keeps dropping (site B)", now.plusSeconds(2));
        waitFor(() -> table(robot).getItems().stream().anyMatch(r -> r.subject().equals("VPN keeps dropping (site B)")));
        changeElsewhere("Wi-Fi slow on floor 3", "Wi-Fi slow on floor 3 and 4", now);
        waitFor(() -> table(robot).getItems().stream().anyMatch(r -> r.subject().equals("Wi-Fi slow on floor 3 and 4")));
        long wifi = table(robot).getItems().stream().filter(r -> r.subject().startsWith("Wi-Fi")).findFirst().orElseThrow().id();
        Thread.sleep(2500); // more polls inside the look-back: the row is not applied or announced again
        assertThat(heard.stream().filter(id -> id == wifi).count()).isEqualTo(1);
        assertThat(heard).hasSize(2);
    }

    @Test
    void aTicketFromAnotherProcessIsAnnouncedSoTheServicesSuggestForIt(FxRobot robot) throws Exception {
        // the triage and duplicate services listen to the store; without the announcement they would only
        // ever hear of this process's own writes, and a CLI import's tickets would wait for a restart
        java.util.Set<Long> heard = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ws.store().addListener(heard::addAll);
        waitFor(() -> table(robot).getItems().size() == 1);
        long id;
        try (Workspace other = Workspace.open(ws.database().displayUrl())) {
            id = other.store().saveTickets(List.of(ticket("f", "Scanner on floor 2 offline", null)), "cli").join()
                    .createdIds().get(0);
        }
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> heard.contains(id));
        assertThat(heard).containsExactly(id);
    }

    @Test
    void aLiveUpdateOfTheSelectedTicketKeepsTheSelection(FxRobot robot) throws Exception {
        waitFor(() -> table(robot).getItems().size() == 1);
        robot.interact(() -> table(robot).getSelectionModel().select(0));
        long id = table(robot).getSelectionModel().getSelectedItem().id();
        ws.store().saveSuggestion(id, new dev.switchboard.persistence.store.SuggestionData("local", "m", "OK", "Network", "P2",
                0.8, false, "Network=0.8", "P2=0.7", "", "", "", 1)).join();
        waitFor(() -> "Network".equals(table(robot).getItems().get(0).suggestedTeam()));
        assertThat(table(robot).getSelectionModel().getSelectedItem().id()).isEqualTo(id);
        assertThat(table(robot).getSelectionModel().getSelectedItem().suggestedTeam()).isEqualTo("Network");
    }

    @Test
    void aLiveUpdateOfTheSelectedTicketNeverBlanksTheDetailPane(FxRobot robot) throws Exception {
        waitFor(() -> table(robot).getItems().size() == 1);
        robot.interact(() -> table(robot).getSelectionModel().select(0));
        QueueRow row = table(robot).getSelectionModel().getSelectedItem();
        Label title = robot.lookup("#detail-title").queryAs(Label.class);
        waitFor(() -> title.getText().equals(row.subject()));
        List<String> titles = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<QueueRow> selections = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> {
            title.textProperty().addListener((o, a, b) -> titles.add(b));
            window.queueView().currentProperty().addListener((o, a, b) -> selections.add(b));
        });
        ws.store().saveSuggestion(row.id(), new dev.switchboard.persistence.store.SuggestionData("local", "m", "OK", "Network", "P2",
                0.8, false, "Network=0.8", "P2=0.7", "", "", "", 1)).join();
        waitFor(() -> "Network".equals(table(robot).getItems().get(0).suggestedTeam()));
        // the pane has reloaded the ticket with its new suggestion: any blanking would have come before
        waitFor(() -> robot.lookup("#suggestion-verdict").tryQueryAs(Label.class)
                .map(l -> l.getText().startsWith("⚠ Needs a human")).orElse(false));
        WaitForAsyncUtils.waitForFxEvents();
        // the pane shows the ticket throughout: no "Select a ticket", no dimmed empty pane while it reloads
        assertThat(titles).doesNotContain("Select a ticket");
        assertThat(selections).doesNotContainNull();
        assertThat(title.getText()).isEqualTo(row.subject());
    }

    @Test
    void aSuggestedTeamWithItsConfidenceIsReadableInFullAtTheDefaultWindowSize(FxRobot robot) throws Exception {
        waitFor(() -> table(robot).getItems().size() == 1);
        long id = table(robot).getItems().get(0).id();
        ws.store().saveSuggestion(id, new dev.switchboard.persistence.store.SuggestionData("local", "m", "OK",
                "Email & Collaboration", "P2", 0.999, true, "Email & Collaboration=0.999", "P2=0.7", "", "", "", 1)).join();
        waitFor(() -> "Email & Collaboration".equals(table(robot).getItems().get(0).suggestedTeam()));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.TableCell<?, ?> cell = robot.lookup(".table-cell").match(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                && c.getTableColumn() != null && "col-team".equals(c.getTableColumn().getId())
                && c.getText() != null && c.getText().contains("Email")).query();
        // what is drawn, after any ellipsis the cell applies for lack of room
        String drawn = robot.from(cell).lookup((java.util.function.Predicate<javafx.scene.Node>) n -> n instanceof javafx.scene.text.Text
                        && n.getParent() == cell)
                .queryAs(javafx.scene.text.Text.class).getText();
        assertThat(drawn).isEqualTo("→ Email & Collaboration");
        assertThat(robot.from(cell).lookup(".suggested-confident").match(n -> n instanceof Label).queryAs(Label.class).getText()).isEqualTo("≥99%");
    }

    @Test
    void theAgeOfATicketFromYearsAgoIsReadableInFull(FxRobot robot) throws Exception {
        Instant now = Instant.now();
        assertThat(dev.switchboard.app.queue.QueueView.age(now.minus(java.time.Duration.ofDays(1894)), now)).isEqualTo("5y");
        assertThat(dev.switchboard.app.queue.QueueView.age(now.minus(java.time.Duration.ofDays(150)), now)).isEqualTo("21w");
        assertThat(dev.switchboard.app.queue.QueueView.age(now.minus(java.time.Duration.ofDays(99)), now)).isEqualTo("99d");
        ws.store().saveTickets(List.of(new NewTicket("test", "old", "Build breaks on Debian", "Old report", "dev@example.com",
                now.minus(java.time.Duration.ofDays(1894)), null, null)), "test").join();
        waitFor(() -> table(robot).getItems().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.TableCell<?, ?> cell = robot.lookup(".table-cell").match(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                && c.getTableColumn() != null && "col-age".equals(c.getTableColumn().getId()) && c.getTableRow() != null
                && c.getTableRow().getItem() instanceof QueueRow r && r.subject().equals("Build breaks on Debian")).query();
        // what is drawn, after any ellipsis the cell applies for lack of room
        String drawn = robot.from(cell).lookup((java.util.function.Predicate<javafx.scene.Node>) n -> n instanceof javafx.scene.text.Text
                        && n.getParent() == cell).queryAs(javafx.scene.text.Text.class).getText();
        assertThat(drawn).isEqualTo("5y");
    }

    @Test
    void aTicketPostedToTheIntakeShowsUpWithinASecond(FxRobot robot) throws Exception {
        var intake = new dev.switchboard.app.intake.IntakeServer(ws.store(), "test-token-0123456789").start(0);
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + intake.port() + "/api/tickets"))
                    .header("Authorization", "Bearer test-token-0123456789").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"subject\":\"Badge reader broken at gate B\",\"body\":\"Nobody can get in\",\"requester\":\"guard@example.com\"}"))
                    .build();
            var resp = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).isEqualTo(201);
            long t0 = System.nanoTime();
            WaitForAsyncUtils.waitFor(1, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                    () -> table(robot).getItems().stream().anyMatch(r -> r.subject().equals("Badge reader broken at gate B"))).get());
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        } finally {
            intake.stop();
        }
    }

    @Test
    void filtersNarrowTheQueue(FxRobot robot) throws Exception {
        // default filter shows open tickets only: the two history rows are resolved
        waitFor(() -> table(robot).getItems().size() == 1);
        robot.interact(() -> window.queue().statusProperty().set("All"));
        waitFor(() -> table(robot).getItems().size() == 3);

        robot.clickOn("#search").write("laptop");
        waitFor(() -> table(robot).getItems().size() == 1);
        assertThat(table(robot).getItems().get(0).subject()).isEqualTo("Laptop screen flickers");

        robot.interact(() -> window.queue().searchProperty().set(""));
        @SuppressWarnings("unchecked")
        ComboBox<String> team = robot.lookup("#teamFilter").queryAs(ComboBox.class);
        robot.interact(() -> team.setValue("Network"));
        waitFor(() -> table(robot).getItems().size() == 1);
        assertThat(table(robot).getItems().get(0).team()).isEqualTo("Network");
    }

    @Test
    void keyboardMovesThroughTheQueueAndTheDetailFollows(FxRobot robot) throws Exception {
        robot.interact(() -> window.queue().statusProperty().set("All"));
        waitFor(() -> table(robot).getItems().size() == 3);
        robot.clickOn("#queue");
        robot.type(KeyCode.J);
        waitFor(() -> table(robot).getSelectionModel().getSelectedIndex() >= 0);
        int first = table(robot).getSelectionModel().getSelectedIndex();
        robot.type(KeyCode.J);
        waitFor(() -> table(robot).getSelectionModel().getSelectedIndex() == first + 1);
        QueueRow selected = table(robot).getSelectionModel().getSelectedItem();
        waitFor(() -> robot.lookup("#detail-title").queryAs(Label.class).getText().equals(selected.subject()));
        robot.type(KeyCode.K);
        waitFor(() -> table(robot).getSelectionModel().getSelectedIndex() == first);

        robot.type(KeyCode.SLASH);
        waitFor(() -> robot.lookup("#search").query().isFocused());
        robot.write("jk"); // typed into the search box, not taken as navigation keys
        assertThat(robot.lookup("#search").queryAs(javafx.scene.control.TextField.class).getText()).isEqualTo("jk");

        // Down goes from the search box into what it found, the first match selected
        robot.interact(() -> table(robot).getSelectionModel().clearSelection());
        robot.interact(() -> robot.lookup("#search").queryAs(javafx.scene.control.TextField.class).clear());
        robot.write("laptop");
        robot.type(KeyCode.DOWN);
        waitFor(() -> table(robot).isFocused() && table(robot).getItems().size() == 1
                && table(robot).getSelectionModel().getSelectedItem() != null
                && table(robot).getSelectionModel().getSelectedItem().subject().equals("Laptop screen flickers"));
    }
}
