package dev.switchboard.app;

import static dev.switchboard.app.TriageWindowFixture.onFx;
import static dev.switchboard.app.TriageWindowFixture.table;
import static dev.switchboard.app.TriageWindowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.triage.SuggestionCodec;
import dev.switchboard.persistence.entity.Decision;
import dev.switchboard.persistence.store.DecisionRecord;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/** Drives triage from the keyboard end to end on the real window, model and database. */
@ExtendWith(ApplicationExtension.class)
class KeyboardTriageTest {

    @TempDir static Path dir;
    TriageWindowFixture fixture;
    Services services;
    MainWindow window;

    @Start
    void start(Stage stage) {
        List<NewTicket> t = TriageWindowFixture.history("P3", "P2");
        t.add(new NewTicket("new", "n1", "VPN tunnel keeps dropping", "VPN disconnects from home", "ann", Instant.now().minusSeconds(300), null, null));
        t.add(new NewTicket("new", "n2", "Forgot password, locked out", "Please reset my password", "bob", Instant.now().minusSeconds(200), null, null));
        t.add(new NewTicket("new", "n3", "Printer paper jam", "Printer on floor 3 jams", "cy", Instant.now().minusSeconds(100), null, null));
        fixture = TriageWindowFixture.show(stage, dir, "k",
                List.of(new TaxonomyRow("P1", "", 1), new TaxonomyRow("P2", "", 2), new TaxonomyRow("P3", "", 3),
                        new TaxonomyRow("P4", "", 4)), t);
        services = fixture.services;
        window = fixture.window;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private QueueRow row(FxRobot robot, String subject) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> table(robot).getItems().stream()
                    .filter(r -> r.subject().equals(subject)).findFirst().orElseThrow()).get();
        } catch (Exception e) {
            throw new AssertionError("no row '" + subject + "'", e);
        }
    }

    private List<DecisionRecord> ledger(long id) {
        return services.ledger().decisions(id);
    }

    private void select(FxRobot robot, String subject) {
        robot.interact(() -> table(robot).getSelectionModel().clearAndSelect(table(robot).getItems().indexOf(row(robot, subject))));
        robot.clickOn("#search");
        robot.type(KeyCode.ESCAPE); // focus back on the queue, as a dispatcher would
    }

    @Test
    void acceptOverrideWithReasonUndoAndBulkAcceptFromTheKeyboard(FxRobot robot) throws Exception {
        // Suggestions arrive in the background for the three new tickets.
        waitFor(90, () -> table(robot).getItems().size() == 3
                && table(robot).getItems().stream().allMatch(r -> r.suggestedTeam() != null));
        assertThat(row(robot, "VPN tunnel keeps dropping").suggestedTeam()).isEqualTo("Network");

        // Enter accepts; the next ticket is selected at once.
        select(robot, "VPN tunnel keeps dropping");
        int before = onFx(() -> table(robot).getSelectionModel().getSelectedIndex());
        robot.type(KeyCode.ENTER);
        assertThat(onFx(() -> table(robot).getSelectionModel().getSelectedIndex())).isEqualTo(before + 1);
        long vpn = row(robot, "VPN tunnel keeps dropping").id();
        waitFor(10, () -> "Network".equals(row(robot, "VPN tunnel keeps dropping").team()));
        assertThat(ledger(vpn)).extracting(DecisionRecord::kind).containsExactly("ACCEPTED");
        assertThat(ledger(vpn).get(0).suggestionId()).isNotNull();

        // T, type-ahead "desk", Enter; reason 1 (wrong team), Enter.
        select(robot, "Forgot password, locked out");
        long pw = row(robot, "Forgot password, locked out").id();
        robot.type(KeyCode.T);
        waitFor(10, () -> robot.lookup("#team-filter").tryQuery().isPresent());
        robot.clickOn("#team-filter"); // robot.write types into the window last clicked, not the focused one
        robot.write("desk");
        robot.type(KeyCode.ENTER);
        waitFor(10, () -> robot.lookup("#reason-note").tryQuery().isPresent());
        robot.clickOn(".dialog-pane .header-panel");
        robot.type(KeyCode.DIGIT1);
        // a pasted e-mail thread: the note field stops at what the ledger keeps, so the override still saves
        javafx.scene.control.TextField note = robot.lookup("#reason-note").queryAs(javafx.scene.control.TextField.class);
        String thread = "user says the reset link expired twice. ".repeat(100);
        robot.interact(() -> note.replaceSelection(thread));
        String typed = onFx(() -> note.getText());
        assertThat(typed).isEqualTo(thread.substring(0, Decision.MAX_NOTE));
        robot.type(KeyCode.ENTER);
        waitFor(10, () -> "Desktop".equals(row(robot, "Forgot password, locked out").team()));
        DecisionRecord override = ledger(pw).get(0);
        assertThat(override.kind()).isEqualTo("OVERRIDDEN");
        assertThat(override.reasonCode()).isEqualTo("wrong-team");
        assertThat(override.note()).isEqualTo(thread.substring(0, Decision.MAX_NOTE).strip());
        assertThat(override.dispatcher()).isEqualTo(System.getProperty("user.name"));

        // Z undoes it by appending a compensating decision, and goes back to the ticket.
        assertThat(onFx(() -> table(robot).getSelectionModel().getSelectedItem().id())).isNotEqualTo(pw);
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> window.background().messageProperty().addListener((o, a, b) -> messages.add(b)));
        robot.type(KeyCode.Z);
        waitFor(10, () -> row(robot, "Forgot password, locked out").team() == null);
        assertThat(ledger(pw)).extracting(DecisionRecord::kind).containsExactly("OVERRIDDEN", "UNDONE");
        // the status bar names what was taken back
        waitFor(10, () -> messages.contains("Undid override of #" + pw + " (Desktop) · saved"));
        waitFor(10, () -> table(robot).getSelectionModel().getSelectedItem().id() == pw);

        // Bulk accept everything visible above 90 % — or, with several rows selected, those rows.
        robot.interact(() -> table(robot).getSelectionModel().selectAll());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(10, () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        javafx.scene.control.DialogPane confirm = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        assertThat(confirm.getHeaderText()).isEqualTo("Accept 2 suggestion(s)");
        robot.clickOn(confirm.lookupButton(javafx.scene.control.ButtonType.OK));
        try {
            waitFor(10, () -> table(robot).getItems().stream().allMatch(r -> r.team() != null));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("bulk accept not applied; dialogs: " + robot.lookup(".dialog-pane").queryAllAs(
                    javafx.scene.control.DialogPane.class).stream().map(d -> d.getHeaderText() + ": " + d.getContentText()).toList()
                    + ", status: " + window.background().messageProperty().get(), e);
        }
        long printer = row(robot, "Printer paper jam").id();
        assertThat(ledger(printer)).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("BULK_ACCEPTED");
            assertThat(d.reviewed()).isFalse();
        });
        robot.type(KeyCode.Z);
        waitFor(10, () -> row(robot, "Printer paper jam").team() == null && row(robot, "Forgot password, locked out").team() == null);
        waitFor(10, () -> messages.contains("Undid bulk accept of 2 tickets · saved"));
        assertThat(row(robot, "VPN tunnel keeps dropping").team()).isEqualTo("Network");

        // Ctrl+Shift+S: the team lead's figures count what stands — the one accept; undone answers are gone.
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.S).release(KeyCode.S, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(20, () -> robot.lookup("#tile-answered").tryQuery().isPresent());
        assertThat(robot.lookup("#tile-answered").queryAs(javafx.scene.control.Label.class).getText()).isEqualTo("1");
        assertThat(robot.lookup("#tile-accepted").queryAs(javafx.scene.control.Label.class).getText()).isEqualTo("100.0%");
        // pressed again (from the queue): the same window comes forward, not a second one
        robot.interact(() -> window.scene().getWindow().requestFocus());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.S).release(KeyCode.S, KeyCode.SHIFT, KeyCode.CONTROL);
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents(); // the command has run (it opens windows after its key event)
        assertThat(robot.listWindows()).filteredOn(w -> w instanceof javafx.stage.Stage st && "Suggestion quality".equals(st.getTitle()))
                .hasSize(1);
        robot.interact(() -> javafx.stage.Window.getWindows().stream().filter(w -> w instanceof javafx.stage.Stage st
                && "Suggestion quality".equals(st.getTitle())).findFirst().orElseThrow().requestFocus());
        robot.type(KeyCode.ESCAPE);
        waitFor(5, () -> robot.lookup("#tile-answered").tryQuery().isEmpty());
    }

    @Test
    void snoozeTakesTheTicketOutOfTheOpenQueueUntilThenAndUndoBringsItBackSelected(FxRobot robot) throws Exception {
        waitFor(30, () -> table(robot).getItems().size() == 3);
        select(robot, "Printer paper jam");
        long printer = row(robot, "Printer paper jam").id();
        Instant pressed = Instant.now();
        robot.type(KeyCode.S);
        // out of the open queue (it waits four hours), the rest stays
        waitFor(10, () -> table(robot).getItems().stream().noneMatch(r -> r.id() == printer));
        assertThat(onFx(() -> table(robot).getItems().stream().map(QueueRow::subject).toList()))
                .containsExactly("VPN tunnel keeps dropping", "Forgot password, locked out");
        assertThat(ledger(printer)).extracting(DecisionRecord::kind).containsExactly("SNOOZED");

        // Status › Snoozed shows it, with the time it comes back
        robot.interact(() -> window.queue().statusProperty().set("SNOOZED"));
        waitFor(10, () -> table(robot).getItems().size() == 1);
        QueueRow snoozed = onFx(() -> table(robot).getItems().get(0));
        assertThat(snoozed.id()).isEqualTo(printer);
        assertThat(snoozed.snoozedUntil()).isBetween(pressed.plus(java.time.Duration.ofHours(4)).minusSeconds(1),
                Instant.now().plus(java.time.Duration.ofHours(4)));
        robot.interact(() -> window.queue().statusProperty().set(dev.switchboard.app.queue.QueueViewModel.STATUS_OPEN));
        waitFor(10, () -> table(robot).getItems().size() == 2);

        // Z: back in the queue, and selected to be decided
        robot.clickOn("#search");
        robot.type(KeyCode.ESCAPE);
        robot.type(KeyCode.Z);
        waitFor(10, () -> table(robot).getSelectionModel().getSelectedItem() != null
                && table(robot).getSelectionModel().getSelectedItem().id() == printer);
        assertThat(row(robot, "Printer paper jam").status()).isEqualTo("NEW");
        assertThat(ledger(printer)).extracting(DecisionRecord::kind).containsExactly("SNOOZED", "UNDONE");
    }

    @Test
    void theLocalModelRetrainsFromTheKeyboardAndAFinishedTrainingCannotBeCancelled(FxRobot robot) throws Exception {
        waitFor(90, () -> services.triage().isReady() && !services.triage().isTraining());
        int before = services.triage().fullTrainings();
        robot.clickOn("#search");
        robot.type(KeyCode.ESCAPE);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L).release(KeyCode.L, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(90, () -> window.background().messageProperty().get().startsWith("Local model retrained on "));
        assertThat(services.triage().fullTrainings()).isEqualTo(before + 1);
        assertThat(window.background().messageProperty().get()).isEqualTo("Local model retrained on " + TriageWindowFixture.HISTORY.length + " decided tickets");
        assertThat(window.background().progressProperty().get()).as("progress bar cleared").isZero();
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.K).release(KeyCode.K, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(10, () -> "No training is running".equals(window.background().messageProperty().get()));
    }

    @Test
    void anUndoneOverrideNoLongerDrivesTheTicketsOwnSuggestion(FxRobot robot) throws Exception {
        waitFor(90, () -> row(robot, "Forgot password, locked out").suggestedTeam() != null);
        services.triage().awaitIdle(); // no suggestion is being saved for it: the version read below is current
        QueueRow r = services.workspace().store().rows(List.of(row(robot, "Forgot password, locked out").id())).get(0);
        assertThat(r.suggestedTeam()).isEqualTo("Identity");
        DecisionRecord override = services.ledger().decide(dev.switchboard.persistence.store.DecisionRequest.of(r.id(), r.version(),
                dev.switchboard.persistence.entity.DecisionKind.OVERRIDDEN, "Desktop", null, r.suggestionId(), "dana")).join();
        services.triage().learn(override).join();
        // Z: the undo's change is suggested for before the model has forgotten the label (the order the window can hit)
        DecisionRecord undone = services.ledger().undo(override.id(), "dana").join();
        services.triage().awaitIdle(); // its suggestion names Desktop with the ticket itself as evidence
        services.triage().learn(undone).join();
        services.triage().awaitIdle();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> SuggestionCodec.decodeEvidence(services.workspace().store()
                .detail(r.id()).orElseThrow().suggestion().evidenceIds()).stream().noneMatch(e -> e.ticketId() == r.id()));
        assertThat(services.workspace().store().detail(r.id()).orElseThrow().suggestion().team()).isEqualTo("Identity");
        waitFor(10, () -> "Identity".equals(row(robot, "Forgot password, locked out").suggestedTeam()));

        // the same undo made on another workstation (team mode): the poll reports the ticket changed elsewhere
        QueueRow now = services.workspace().store().rows(List.of(r.id())).get(0);
        DecisionRecord again = services.ledger().decide(dev.switchboard.persistence.store.DecisionRequest.of(now.id(), now.version(),
                dev.switchboard.persistence.entity.DecisionKind.OVERRIDDEN, "Desktop", null, now.suggestionId(), "erin")).join();
        services.triage().learn(again).join();
        services.ledger().undo(again.id(), "erin").join();
        services.triage().awaitIdle();
        services.triage().ticketsChangedElsewhere(List.of(r.id()));
        services.triage().awaitIdle();
        assertThat(services.localModel().learnedText(Long.toString(r.id()))).as("the undone label is forgotten").isEmpty();
        // the window's own poll may find the same change first; either way a fresh suggestion follows within seconds
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> SuggestionCodec.decodeEvidence(services.workspace().store()
                .detail(r.id()).orElseThrow().suggestion().evidenceIds()).stream().noneMatch(e -> e.ticketId() == r.id()));
    }

    @Test
    void reRouteSuggestsOnlyTeamsThatHaveNotHadTheTicketAndRecordsTheTransfer(FxRobot robot) throws Exception {
        waitFor(90, () -> table(robot).getItems().stream().allMatch(r -> r.suggestedTeam() != null));
        select(robot, "VPN tunnel keeps dropping");
        robot.type(KeyCode.ENTER);
        long vpn = row(robot, "VPN tunnel keeps dropping").id();
        waitFor(10, () -> "Network".equals(row(robot, "VPN tunnel keeps dropping").team()));

        select(robot, "VPN tunnel keeps dropping");
        robot.type(KeyCode.R);
        waitFor(30, () -> robot.lookup("#team-list").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        javafx.scene.control.ListView<String> list = robot.lookup("#team-list").queryAs(javafx.scene.control.ListView.class);
        assertThat(list.getItems()).doesNotContain("Network").contains("Desktop", "Identity");
        robot.clickOn("#team-filter");
        robot.write("desk");
        robot.type(KeyCode.ENTER);
        waitFor(10, () -> robot.lookup("#reason-note").tryQuery().isPresent());
        robot.clickOn(".dialog-pane .header-panel");
        robot.type(KeyCode.ESCAPE); // reason is optional
        waitFor(10, () -> "Desktop".equals(row(robot, "VPN tunnel keeps dropping").team()));
        assertThat(ledger(vpn)).extracting(DecisionRecord::kind).containsExactly("ACCEPTED", "TRANSFERRED");
        assertThat(services.ledger().routingChain(vpn)).containsExactly("Network", "Desktop");
        assertThat(row(robot, "VPN tunnel keeps dropping").status()).isEqualTo("TRANSFERRED");
        // Enter on the transferred ticket does not put it back with the team its old suggestion named
        select(robot, "VPN tunnel keeps dropping");
        robot.type(KeyCode.ENTER);
        waitFor(10, () -> window.background().messageProperty().get().contains("already with Desktop"));
        assertThat(ledger(vpn)).extracting(DecisionRecord::kind).containsExactly("ACCEPTED", "TRANSFERRED");
        assertThat(row(robot, "VPN tunnel keeps dropping").team()).isEqualTo("Desktop");
        assertThat(robot.lookup("#suggestion-verdict").queryAs(javafx.scene.control.Label.class).getText())
                .startsWith("Decided: with Desktop");
        // a later re-route suggestion leaves out both teams that already had it
        var next = services.triage().suggestForTransfer(vpn);
        assertThat(next.teams()).extracting(p -> p.label()).doesNotContain("Network", "Desktop");
    }

    @Test
    void aDecisionTeachesTheModelWithinASecond(FxRobot robot) throws Exception {
        waitFor(90, () -> services.triage().isReady());
        var text = dev.switchboard.inference.TicketText.of("probe", "Printer paper jam", "Printer on floor 3 jams");
        var ctx = dev.switchboard.inference.TriageContext.of(services.triage().taxonomy());
        assertThat(services.localModel().suggest(text, ctx).topTeam()).isEqualTo("Desktop");
        // A dispatcher says printer jams on floor 3 belong to Network; the very next suggestion moves.
        waitFor(90, () -> row(robot, "Printer paper jam").suggestedTeam() != null);
        QueueRow r = row(robot, "Printer paper jam");
        long t0 = System.nanoTime();
        DecisionRecord rec = services.ledger().decide(dev.switchboard.persistence.store.DecisionRequest.of(r.id(), r.version(),
                dev.switchboard.persistence.entity.DecisionKind.OVERRIDDEN, "Network", "P2", r.suggestionId(), "dana")).join();
        services.triage().learn(rec).join();
        double before = 0;
        var after = services.localModel().suggest(text, ctx);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        assertThat(after.teams().stream().filter(p -> p.label().equals("Network")).findFirst().orElseThrow().probability())
                .isGreaterThan(before);
        assertThat(after.evidence()).anySatisfy(e -> assertThat(e.ticketId()).isEqualTo(Long.toString(r.id())));
    }

    @Test
    void aBurstOfSimilarArrivalsRaisesTheBannerItsClickAndGShowTheGroup(FxRobot robot) throws Exception {
        waitFor(90, () -> services.duplicates().isReady());
        String[][] phishing = {
                {"Phishing mail received", "Got a suspicious phishing email asking for my password"},
                {"Phishing email with password link", "Suspicious mail wants my password, phishing?"},
                {"Received phishing mail", "Phishing email asking me to enter my password"},
                {"Suspicious phishing message", "A phishing mail asks for the password again"}};
        List<NewTicket> burst = new ArrayList<>();
        for (int i = 0; i < phishing.length; i++) {
            burst.add(new NewTicket("new", "p" + i, phishing[i][0], phishing[i][1], "p" + i, Instant.now(), null, null));
        }
        services.workspace().store().saveTickets(burst, "test").join();
        services.duplicates().awaitIdle();

        javafx.scene.control.Labeled banner = robot.lookup("#burst-banner").queryAs(javafx.scene.control.Labeled.class);
        waitFor(20, banner::isVisible);
        assertThat(banner.getText()).containsPattern("[4-7] similar tickets in the last 30 minutes").contains("possible major incident");
        assertThat(table(robot).getItems()).hasSize(7);
        robot.clickOn(banner);
        waitFor(10, () -> table(robot).getItems().stream().allMatch(r -> r.subject().toLowerCase().contains("phishing")));
        assertThat(table(robot).getItems()).hasSize(4);

        select(robot, "Received phishing mail");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.X).release(KeyCode.X, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(10, () -> table(robot).getItems().size() == 7);

        // from the keyboard: Shift+Tab from the search field reaches the banner, Enter shows the group
        robot.clickOn("#search");
        robot.press(KeyCode.SHIFT, KeyCode.TAB).release(KeyCode.TAB, KeyCode.SHIFT);
        waitFor(5, banner::isFocused);
        robot.type(KeyCode.ENTER);
        waitFor(10, () -> table(robot).getItems().size() == 4);
        assertThat(table(robot).getItems()).allMatch(r -> r.subject().toLowerCase().contains("phishing"));
        robot.interact(() -> table(robot).requestFocus());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.X).release(KeyCode.X, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(10, () -> table(robot).getItems().size() == 7);

        select(robot, "Received phishing mail");
        robot.type(KeyCode.G);
        waitFor(10, () -> table(robot).getItems().size() < 7);
        assertThat(table(robot).getItems()).extracting(QueueRow::subject).contains("Received phishing mail")
                .allMatch(subject -> subject.toLowerCase().contains("phishing")).hasSizeGreaterThan(1);
        assertThat(window.background().messageProperty().get()).startsWith("Duplicate group of #");
    }

    @Test
    void twoBurstsAtOnceRaiseABannerEachAndEachShowsItsOwnTickets(FxRobot robot) throws Exception {
        waitFor(90, () -> services.duplicates().isReady());
        String[][] reports = {
                {"Phishing mail received", "Got a suspicious phishing email asking for my password"},
                {"Phishing email with password link", "Suspicious mail wants my password, phishing?"},
                {"Received phishing mail", "Phishing email asking me to enter my password"},
                {"Suspicious phishing message", "A phishing mail asks for the password again"},
                {"Printer on floor 5 jams", "The floor 5 printer jams on every page, tray 2"},
                {"Floor 5 printer paper jam", "Printer on floor 5 keeps jamming paper in tray 2"},
                {"Paper jam printer floor 5", "Floor 5 printer jams each page from tray 2"},
                {"Printer floor 5 jamming again", "Printer at floor 5 jams paper on every print, tray 2"},
                {"Floor 5 printer jams paper", "Every page jams in the floor 5 printer, tray 2"}};
        List<NewTicket> arrivals = new ArrayList<>();
        for (int i = 0; i < reports.length; i++) {
            arrivals.add(new NewTicket("new", "b" + i, reports[i][0], reports[i][1], "b" + i, Instant.now(), null, null));
        }
        services.workspace().store().saveTickets(arrivals, "test").join();
        services.duplicates().awaitIdle();

        javafx.scene.control.Labeled first = robot.lookup("#burst-banner").queryAs(javafx.scene.control.Labeled.class);
        javafx.scene.control.Labeled second = robot.lookup("#burst-banner-2").queryAs(javafx.scene.control.Labeled.class);
        waitFor(20, () -> first.isVisible() && second.isVisible());
        assertThat(first.getText()).contains("possible major incident");
        assertThat(second.getText()).contains("possible major incident");

        // each banner shows its own incident's tickets, the larger (printer) one first
        robot.clickOn(first);
        waitFor(10, () -> table(robot).getItems().size() < 12);
        assertThat(table(robot).getItems()).extracting(QueueRow::subject).allMatch(x -> x.toLowerCase().contains("printer"));
        robot.interact(() -> table(robot).requestFocus());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.X).release(KeyCode.X, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(10, () -> table(robot).getItems().size() == 12);
        robot.clickOn(second);
        waitFor(10, () -> table(robot).getItems().size() < 12);
        assertThat(table(robot).getItems()).extracting(QueueRow::subject).hasSizeGreaterThanOrEqualTo(4)
                .allMatch(x -> x.toLowerCase().contains("phishing"));
    }

    @Test
    void aMergeGivenInTheCompareViewIsUndoneByZInTheQueueAfterTheViewIsClosed(FxRobot robot) throws Exception {
        waitFor(90, () -> services.duplicates().isReady());
        services.workspace().store().saveTickets(List.of(
                new NewTicket("new", "m1", "Phishing mail received", "Got a suspicious phishing email asking for my password",
                        "m1", Instant.now().minusSeconds(60), null, null),
                new NewTicket("new", "m2", "Received phishing mail", "Phishing email asking me to enter my password",
                        "m2", Instant.now(), null, null)), "test").join();
        services.duplicates().awaitIdle();
        waitFor(20, () -> table(robot).getItems().size() == 5);
        long first = row(robot, "Phishing mail received").id();
        long later = row(robot, "Received phishing mail").id();
        waitFor(20, () -> !services.duplicates().links().pending(later).isEmpty());

        // an earlier triage action, which the queue's Z must not take back instead
        select(robot, "VPN tunnel keeps dropping");
        long vpn = row(robot, "VPN tunnel keeps dropping").id();
        waitFor(90, () -> row(robot, "VPN tunnel keeps dropping").suggestedTeam() != null);
        robot.type(KeyCode.ENTER);
        waitFor(10, () -> row(robot, "VPN tunnel keeps dropping").team() != null);

        select(robot, "Received phishing mail");
        robot.type(KeyCode.D);
        waitFor(20, () -> robot.lookup("#dup-merge").tryQuery().isPresent() && robot.lookup(".shared-term").tryQuery().isPresent());
        robot.clickOn("#dup-score"); // Monocle: give the compare window keyboard focus
        robot.type(KeyCode.M);
        waitFor(10, () -> "CLOSED".equals(services.workspace().store().rows(List.of(later)).get(0).status()));
        robot.type(KeyCode.ESCAPE);
        waitFor(10, () -> robot.lookup("#dup-merge").tryQuery().isEmpty());
        // the merged report left the open queue; the dispatcher is on another ticket, not on none
        waitFor(10, () -> table(robot).getItems().stream().noneMatch(r -> r.id() == later));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> table(robot).getSelectionModel().getSelectedItem())).isNotNull()
                .extracting(QueueRow::id).isNotEqualTo(later);

        robot.clickOn("#search");
        robot.type(KeyCode.ESCAPE);
        robot.type(KeyCode.Z);
        // the merge is taken back: the report is open again and its pair awaits a verdict; the accept stands
        waitFor(10, () -> !"CLOSED".equals(services.workspace().store().rows(List.of(later)).get(0).status()));
        assertThat(services.duplicates().links().history(later, first)).extracting(DuplicateLinks.Link::state)
                .endsWith("MERGED", "UNDONE");
        assertThat(ledger(vpn)).extracting(DecisionRecord::kind).containsExactly("ACCEPTED");
        // the next Z takes back the accept
        robot.type(KeyCode.Z);
        waitFor(10, () -> row(robot, "VPN tunnel keeps dropping").team() == null);
    }

    @Test
    void clearFiltersWorksWhileTypingInTheSearchField(FxRobot robot) throws Exception {
        waitFor(30, () -> table(robot).getItems().size() == 3);
        robot.clickOn("#search");
        robot.write("vpn");
        waitFor(10, () -> table(robot).getItems().size() == 1);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.X).release(KeyCode.X, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(10, () -> table(robot).getItems().size() == 3);
        assertThat(robot.lookup("#search").queryAs(javafx.scene.control.TextField.class).getText()).isEmpty();
        // plain keys still type into the field instead of running commands
        robot.write("jg");
        assertThat(robot.lookup("#search").queryAs(javafx.scene.control.TextField.class).getText()).isEqualTo("jg");
    }

    @Test
    void aShortcutWithModifiersRunsItsCommandOnceFromTheQueueAndFromTheSearchField(FxRobot robot) throws Exception {
        waitFor(30, () -> table(robot).getItems().size() == 3);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        robot.interact(() -> window.on(dev.switchboard.app.ui.Command.RESOLVE, runs::incrementAndGet));
        select(robot, "Printer paper jam");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.R).release(KeyCode.R, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(runs).as("menu accelerator and key filter must not both fire").hasValue(1);
        robot.clickOn("#search");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.R).release(KeyCode.R, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(runs).hasValue(2);
    }

    /** The window that has keyboard focus and its focus owner, for a failure message. */
    private static String focus() throws Exception {
        return onFx(() -> javafx.stage.Window.getWindows().stream().filter(javafx.stage.Window::isFocused)
                .map(w -> w.getClass().getSimpleName() + " → " + (w.getScene() == null ? null : w.getScene().getFocusOwner()))
                .toList().toString());
    }

    private void waitForFocus(javafx.scene.Node n) throws Exception {
        try {
            waitFor(5, n::isFocused);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(n + " never got focus; focused: " + focus(), e);
        }
    }

    @Test
    void theTeamPickerOpensWithTheFilterFocusedSoTypingAndArrowsPickTheTeam(FxRobot robot) throws Exception {
        waitFor(90, () -> table(robot).getItems().stream().allMatch(r -> r.suggestedTeam() != null));
        assertThat(row(robot, "Forgot password, locked out").suggestedTeam()).isEqualTo("Identity");

        // T, type "desk", Enter: the typed team, not the suggested one (no click into the picker)
        select(robot, "Forgot password, locked out");
        long pw = row(robot, "Forgot password, locked out").id();
        robot.type(KeyCode.T);
        waitFor(10, () -> robot.lookup("#team-filter").tryQuery().isPresent());
        waitForFocus(robot.lookup("#team-filter").query());
        // keys as pressed, into the focused window (robot.write would type into the window last clicked)
        robot.type(KeyCode.D, KeyCode.E, KeyCode.S, KeyCode.K);
        waitFor(5, () -> "desk".equals(robot.lookup("#team-filter").queryAs(javafx.scene.control.TextField.class).getText()));
        robot.type(KeyCode.ENTER);
        waitFor(10, () -> robot.lookup("#reason-note").tryQuery().isPresent());
        robot.clickOn(".dialog-pane .header-panel");
        robot.type(KeyCode.ESCAPE); // the reason is optional
        waitFor(10, () -> ledger(pw).size() == 1);
        assertThat(ledger(pw).get(0).kind()).isEqualTo("OVERRIDDEN");
        assertThat(ledger(pw).get(0).team()).isEqualTo("Desktop");

        // T, Down, Enter: the team after the preselected one (Desktop, Identity, Network)
        select(robot, "Printer paper jam");
        long printer = row(robot, "Printer paper jam").id();
        assertThat(row(robot, "Printer paper jam").suggestedTeam()).isEqualTo("Desktop");
        robot.type(KeyCode.T);
        waitFor(10, () -> robot.lookup("#team-list").tryQuery().isPresent());
        waitForFocus(robot.lookup("#team-filter").query());
        robot.type(KeyCode.DOWN);
        @SuppressWarnings("unchecked")
        javafx.scene.control.ListView<String> list = robot.lookup("#team-list").queryAs(javafx.scene.control.ListView.class);
        waitFor(5, () -> "Identity".equals(list.getSelectionModel().getSelectedItem()));
        robot.type(KeyCode.ENTER);
        waitFor(10, () -> robot.lookup("#reason-note").tryQuery().isPresent());
        robot.clickOn(".dialog-pane .header-panel");
        robot.type(KeyCode.ESCAPE);
        waitFor(10, () -> ledger(printer).size() == 1);
        assertThat(ledger(printer).get(0).team()).isEqualTo("Identity");
    }

    @Test
    void singleKeyShortcutsLeaveTheKeysAFocusedPickerOrLinkUsesToIt(FxRobot robot) throws Exception {
        waitFor(90, () -> table(robot).getItems().stream().allMatch(r -> r.suggestedTeam() != null));
        select(robot, "VPN tunnel keeps dropping");
        long vpn = row(robot, "VPN tunnel keeps dropping").id();

        // 1 on the priority filter and Enter on the status filter are the pickers' keys: no priority, no accept
        javafx.scene.Node prio = robot.lookup("#priorityFilter").query();
        robot.interact(prio::requestFocus);
        waitForFocus(prio);
        robot.type(KeyCode.DIGIT1);
        javafx.scene.Node status = robot.lookup("#statusFilter").query();
        robot.interact(status::requestFocus);
        waitForFocus(status);
        robot.type(KeyCode.ENTER);
        robot.type(KeyCode.ESCAPE); // Enter may have opened the status list

        // from the queue the same keys are shortcuts again: 3 sets the priority; it is the ticket's only decision
        select(robot, "VPN tunnel keeps dropping");
        robot.type(KeyCode.DIGIT3);
        waitFor(10, () -> ledger(vpn).size() >= 1);
        assertThat(ledger(vpn)).singleElement().satisfies(d -> assertThat(d.priority()).isEqualTo("P3"));

        // Enter on an evidence link in the detail pane opens that ticket instead of accepting the shown one
        select(robot, "Printer paper jam");
        long printer = row(robot, "Printer paper jam").id();
        waitFor(20, () -> robot.lookup("#detail-title").queryAs(javafx.scene.control.Label.class).getText().contains("Printer paper jam")
                && robot.lookup(".evidence-link").tryQuery().filter(javafx.scene.Node::isVisible).isPresent());
        javafx.scene.control.Hyperlink link = robot.lookup(".evidence-link").queryAs(javafx.scene.control.Hyperlink.class);
        long evidence = Long.parseLong(link.getText().substring(1, link.getText().indexOf(' ')));
        robot.interact(link::requestFocus);
        waitForFocus(link);
        robot.type(KeyCode.ENTER);
        waitFor(10, () -> table(robot).getSelectionModel().getSelectedItem() != null
                && table(robot).getSelectionModel().getSelectedItem().id() == evidence);
        assertThat(ledger(printer)).isEmpty();
        // the opened ticket alone: the one it was opened from stays no part of a selection (Ctrl+Shift+A would take both)
        assertThat(onFx(() -> table(robot).getSelectionModel().getSelectedItems().size())).isEqualTo(1);

        // the queue has the focus then, also once the pane shows the opened ticket (the link is gone with the
        // card it was on): K (or J) moves on; before, focus fell to the search field and the key was typed into it
        waitFor(20, () -> robot.lookup("#detail-title").queryAs(javafx.scene.control.Label.class).getText()
                .equals(services.workspace().store().detail(evidence).orElseThrow().row().subject()));
        WaitForAsyncUtils.waitForFxEvents();
        waitForFocus(table(robot));
        int at = onFx(() -> table(robot).getSelectionModel().getSelectedIndex());
        robot.type(at > 0 ? KeyCode.K : KeyCode.J);
        waitFor(5, () -> table(robot).getSelectionModel().getSelectedIndex() == (at > 0 ? at - 1 : at + 1));
        assertThat(robot.lookup("#search").queryAs(javafx.scene.control.TextField.class).getText()).isEmpty();
    }

    @Test
    void theShortcutListShowsEveryDescriptionInFull(FxRobot robot) throws Exception {
        waitFor(30, () -> table(robot).getItems().size() == 3);
        robot.clickOn("#search");
        robot.type(KeyCode.ESCAPE);
        robot.press(KeyCode.SHIFT, KeyCode.SLASH).release(KeyCode.SLASH, KeyCode.SHIFT);
        waitFor(10, () -> robot.lookup("#shortcut-" + dev.switchboard.app.ui.Command.BULK_ACCEPT.id().replace('.', '-')).tryQuery()
                .map(n -> n.getScene().getWindow().isShowing() && n.getLayoutBounds().getWidth() > 0).orElse(false));
        WaitForAsyncUtils.waitForFxEvents();
        for (dev.switchboard.app.ui.Command c : dev.switchboard.app.ui.Command.values()) {
            javafx.scene.control.Label l = robot.lookup("#shortcut-" + c.id().replace('.', '-')).queryAs(javafx.scene.control.Label.class);
            // the text the label draws: cut with an ellipsis when its column is too narrow
            String drawn = onFx(() -> ((javafx.scene.text.Text) l.lookup(".text")).getText());
            assertThat(drawn).as(c.name()).isEqualTo(c.label());
            var window = onFx(() -> l.getScene().getWindow());
            double right = onFx(() -> l.localToScene(l.getLayoutBounds()).getMaxX());
            assertThat(right).as(c.name() + " inside the dialog").isLessThanOrEqualTo(window.getWidth());
        }
        robot.type(KeyCode.ESCAPE);
    }
}
