package dev.switchboard.app.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Services;
import dev.switchboard.app.Workspace;
import dev.switchboard.app.importer.ImportDialogModel.Field;
import dev.switchboard.app.importer.ImportDialogModel.State;
import dev.switchboard.app.settings.Settings;
import dev.switchboard.app.triage.TriageService;
import dev.switchboard.app.ui.Background;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
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

/** File › Import on a real database: guesses, preview, import, summary, cancel. */
@ExtendWith(ApplicationExtension.class)
class ImportDialogTest {

    @TempDir static Path dir;
    Stage owner;
    Services services;
    Background background;

    @Start
    void start(Stage stage) {
        Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("i" + System.nanoTime()));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN, Wi-Fi", 0), new TaxonomyRow("Desktop", "Laptops", 0)),
                List.of(new TaxonomyRow("P1", "", 1), new TaxonomyRow("P2", "", 2), new TaxonomyRow("P3", "", 3))).join();
        services = new Services(ws, new Settings(dir.resolve("settings-" + System.nanoTime() + ".properties")));
        background = new Background();
        owner = stage;
        stage.setScene(new Scene(new StackPane(), 300, 200));
        stage.show();
    }

    @AfterEach
    void close() {
        background.close();
        services.close();
    }

    private static void waitFor(int seconds, Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private ImportDialog open(Path file) throws Exception {
        ImportDialog d = fx(() -> {
            ImportDialog x = ImportDialog.forFile(owner, services, background, file);
            x.stage().show();
            return x;
        });
        waitFor(20, () -> d.model().stateProperty().get() != State.LOADING);
        return d;
    }

    /** A ServiceNow-style export with a UTF-8 BOM. */
    private static Path csvWithBom(Path file) throws Exception {
        String csv = """
                Number,Short description,Description,Caller,Opened,Assignment group,Priority
                INC001,VPN drops,The VPN tunnel drops every few minutes,ann@example.com,2024-03-01T09:00:00Z,Network,P2
                INC002,Laptop screen flickers,"Display flickers, on battery only",bob@example.com,2024-03-01T10:00:00Z,Desktop,P3
                INC003,Wi-Fi slow in room B,Calls drop on the wireless network,cy@example.com,2024-03-02T08:30:00Z,Network,P3
                INC004,Printer jams,Tray 2 jams on every page,dan@example.com,2024-03-03T11:00:00Z,,
                INC005,,Cannot log in since this morning,eve@example.com,2024-03-04T12:00:00Z,,
                """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.write(csv.getBytes(StandardCharsets.UTF_8));
        Files.write(file, out.toByteArray());
        return file;
    }

    @Test
    void guessesTheMappingPreviewsImportsAndSummarises(FxRobot robot) throws Exception {
        ImportDialog d = open(csvWithBom(dir.resolve("incidents-" + System.nanoTime() + ".csv")));
        ImportDialogModel m = d.model();
        assertThat(fx(() -> m.stateProperty().get())).isEqualTo(State.MAPPING);
        assertThat(fx(() -> m.column(Field.SUBJECT).get())).isEqualTo("Short description");
        assertThat(fx(() -> List.copyOf(m.body()))).containsExactly("Description");
        assertThat(fx(() -> m.column(Field.ID).get())).isEqualTo("Number"); // the BOM is not part of the name
        assertThat(fx(() -> m.column(Field.REQUESTER).get())).isEqualTo("Caller");
        assertThat(fx(() -> m.column(Field.CREATED).get())).isEqualTo("Opened");
        assertThat(fx(() -> m.column(Field.TEAM).get())).isEqualTo("Assignment group");
        assertThat(fx(() -> m.column(Field.PRIORITY).get())).isEqualTo("Priority");
        assertThat(fx(() -> m.validationProperty().get())).isEmpty();

        // The preview shows rows as they would be imported: an empty subject comes from the body.
        List<ImportDialogModel.PreviewRow> preview = fx(() -> List.copyOf(m.preview()));
        assertThat(preview).hasSize(5);
        assertThat(preview.get(1).body()).isEqualTo("Display flickers, on battery only");
        assertThat(preview.get(0).team()).isEqualTo("Network");
        assertThat(preview.get(4).subject()).isEqualTo("Cannot log in since this morning");

        // Unmapping subject and body is refused with a clear message.
        robot.interact(() -> {
            m.column(Field.SUBJECT).set(null);
            m.body().clear();
        });
        assertThat(fx(() -> m.validationProperty().get())).contains("subject");
        assertThat(robot.lookup("#import-start").queryButton().isDisabled()).isTrue();
        robot.interact(() -> {
            m.column(Field.SUBJECT).set("Short description");
            m.body().setAll("Description");
        });

        // Enter starts the import (the default button); click into the dialog first for keyboard focus.
        robot.clickOn("#import-preview");
        robot.type(KeyCode.ENTER);
        waitFor(60, () -> m.stateProperty().get() == State.DONE);
        String summary = robot.lookup("#import-summary").queryLabeled().getText();
        assertThat(summary).startsWith("Done: 5 new ticket(s), 0 already present, 0 rejected, from 5 row(s)").contains("tickets/s");

        List<QueueRow> rows = services.workspace().store().queue();
        assertThat(rows).extracting(QueueRow::subject)
                .contains("VPN drops", "Laptop screen flickers", "Wi-Fi slow in room B", "Printer jams", "Cannot log in since this morning");
        assertThat(rows).filteredOn(r -> r.externalId().equals("INC001")).singleElement()
                .satisfies(r -> assertThat(r.team()).isEqualTo("Network"));

        // Esc closes a finished dialog.
        robot.type(KeyCode.ESCAPE);
        waitFor(10, () -> !d.stage().isShowing());

        // The mapping is remembered for the same columns, and a second import adds nothing.
        ImportDialog again = open(csvWithBom(dir.resolve("incidents-again-" + System.nanoTime() + ".csv")));
        assertThat(fx(() -> again.model().column(Field.TEAM).get())).isEqualTo("Assignment group");
        robot.interact(() -> again.model().start());
        waitFor(60, () -> again.model().stateProperty().get() == State.DONE);
        assertThat(fx(() -> again.model().summaryProperty().get())).startsWith("Done: 0 new ticket(s), 5 already present");
        robot.interact(() -> again.stage().close());
    }

    @Test
    void focusStartsOnTheSubjectPickerOnceTheFileIsRead(FxRobot robot) throws Exception {
        ImportDialog d = open(csvWithBom(dir.resolve("focus-" + System.nanoTime() + ".csv")));
        javafx.scene.control.ComboBox<?> subject = robot.lookup("#import-subject").queryAs(javafx.scene.control.ComboBox.class);
        // the pickers were still disabled (the file loading) when the dialog asked for focus: it went to the preview
        waitFor(5, () -> d.stage().getScene().getFocusOwner() == subject);
        robot.interact(() -> d.stage().close());
    }

    @Test
    void whileTheFileIsReadThePreviewSaysSoInsteadOfNoRows(FxRobot robot) throws Exception {
        Path file = csvWithBom(dir.resolve("reading-" + System.nanoTime() + ".csv"));
        String[] placeholder = fx(() -> {
            ImportDialog x = ImportDialog.forFile(owner, services, background, file); // reads in the background
            javafx.scene.control.TableView<?> t = (javafx.scene.control.TableView<?>) x.stage().getScene().lookup("#import-preview");
            String during = ((javafx.scene.control.Labeled) t.getPlaceholder()).getText();
            x.stage().close();
            return new String[] {during};
        });
        assertThat(placeholder[0]).startsWith("Reading reading-").doesNotContain("No rows");
    }

    @Test
    void theBodyColumnPickerOpensAndChecksFromTheKeyboard(FxRobot robot) throws Exception {
        ImportDialog d = open(csvWithBom(dir.resolve("keys-" + System.nanoTime() + ".csv")));
        ImportDialogModel m = d.model();
        assertThat(fx(() -> List.copyOf(m.body()))).containsExactly("Description");
        org.controlsfx.control.CheckComboBox<?> body = robot.lookup("#import-body").queryAs(org.controlsfx.control.CheckComboBox.class);
        javafx.scene.control.ComboBox<?> inner = fx(() -> (javafx.scene.control.ComboBox<?>) body.getChildrenUnmodifiable().stream()
                .filter(n -> n instanceof javafx.scene.control.ComboBox<?>).findFirst().orElseThrow());
        robot.interact(() -> d.stage().requestFocus());
        // as a plain column picker opens
        javafx.scene.control.ComboBox<?> subject = robot.lookup("#import-subject").queryAs(javafx.scene.control.ComboBox.class);
        robot.interact(subject::requestFocus);
        waitFor(5, subject::isFocused);
        robot.type(KeyCode.SPACE);
        waitFor(5, subject::isShowing);
        robot.type(KeyCode.ESCAPE);
        waitFor(5, () -> !subject.isShowing());

        robot.interact(body::requestFocus);
        waitFor(5, body::isFocused);

        robot.type(KeyCode.F4);
        waitFor(5, inner::isShowing);
        robot.type(KeyCode.ESCAPE); // closes the list, not the dialog
        waitFor(5, () -> !inner.isShowing());
        assertThat(d.stage().isShowing()).isTrue();

        robot.press(KeyCode.ALT, KeyCode.DOWN).release(KeyCode.DOWN, KeyCode.ALT);
        waitFor(5, inner::isShowing);
        robot.type(KeyCode.ESCAPE);
        waitFor(5, () -> !inner.isShowing());

        // Space opens it; in the list, arrows move and Space checks a column
        robot.type(KeyCode.SPACE);
        waitFor(5, inner::isShowing);
        robot.type(KeyCode.HOME);
        robot.type(KeyCode.SPACE); // "Number", the first column
        waitFor(5, () -> m.body().contains("Number"));
        assertThat(fx(() -> List.copyOf(m.body()))).containsExactly("Number", "Description");
        robot.type(KeyCode.ESCAPE);
        waitFor(5, () -> !inner.isShowing());
        robot.interact(() -> d.stage().close());
    }

    @Test
    void cancellingStopsBetweenBatchesAndSaysWhatWasSaved(FxRobot robot) throws Exception {
        StringBuilder csv = new StringBuilder("subject,description\n");
        for (int i = 0; i < 2000; i++) csv.append("Ticket ").append(i).append(",Body of ticket ").append(i).append('\n');
        Path file = Files.writeString(dir.resolve("many-" + System.nanoTime() + ".csv"), csv);
        ImportDialog d = open(file);
        ImportDialogModel m = d.model();

        // Hold the store's single writer so the import waits with two batches in flight.
        CountDownLatch release = new CountDownLatch(1);
        var blocker = services.workspace().store().write(s -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        robot.clickOn("#import-start");
        waitFor(30, () -> m.countsProperty().get().startsWith("Rows read: 1,000"));
        robot.clickOn("#import-cancel"); // "Cancel import"
        assertThat(fx(() -> m.isCancelling())).isTrue();
        release.countDown();
        blocker.join();
        waitFor(60, () -> m.stateProperty().get() == State.DONE);

        String summary = fx(() -> m.summaryProperty().get());
        assertThat(summary).startsWith("Import stopped; 1,000 tickets were saved").doesNotContain("Done");
        assertThat(services.workspace().store().queue()).hasSize(1000);
        assertThat(fx(() -> m.report().complete())).isFalse();
        robot.type(KeyCode.ESCAPE);
        waitFor(10, () -> !d.stage().isShowing());
    }

    /** The status bar as MainWindow wires it; the first training progress stands for Ctrl+Shift+K pressed. */
    private void cancelTrainingOnceItRuns() {
        services.triage().setListener(new TriageService.Listener() {
            @Override public void progress(String message, long done, long total) {
                background.progress(message, done, total);
            }

            @Override public void training(String message, double fraction) {
                background.progressShare(message, fraction);
                services.triage().cancelTraining();
            }
        });
    }

    @Test
    void cancellingTheRetrainAfterAnImportSaysSoAndClearsTheProgress(FxRobot robot) throws Exception {
        cancelTrainingOnceItRuns();
        ImportDialog d = open(csvWithBom(dir.resolve("labelled-" + System.nanoTime() + ".csv")));
        robot.interact(() -> d.model().start());
        waitFor(60, () -> d.model().stateProperty().get() == State.DONE);
        waitFor(60, () -> background.messageProperty().get().toLowerCase(java.util.Locale.ROOT).matches(".*(cancel|fail|retrained).*"));
        assertThat(fx(() -> background.messageProperty().get())).isEqualTo("Training cancelled; the previous model keeps suggesting");
        assertThat(fx(() -> background.progressProperty().get())).isZero();
        robot.interact(() -> d.stage().close());
    }

    @Test
    void onlyNewDecidedHistoryStartsARetrain(FxRobot robot) throws Exception {
        List<String> status = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        services.triage().setListener((message, done, total) -> status.add(message));
        // Two open tickets (Latin-1), the team column mapped but empty in both rows.
        Path open = Files.write(dir.resolve("open-" + System.nanoTime() + ".csv"), """
                Number,Short description,Description,Assignment group
                INC101,Drucker im Büro defekt,Café-Drucker druckt nur Müll,
                INC102,Kein Zugriff auf Laufwerk,Fehlermeldung beim Öffnen,
                """.getBytes(StandardCharsets.ISO_8859_1));
        ImportDialog d = open(open);
        assertThat(fx(() -> d.model().column(Field.TEAM).get())).isEqualTo("Assignment group");
        robot.interact(() -> d.model().start());
        waitFor(60, () -> d.model().stateProperty().get() == State.DONE);
        assertThat(fx(() -> d.model().report().created())).isEqualTo(2);
        services.triage().awaitIdle();
        assertThat(services.triage().fullTrainings()).as("full trains after importing open tickets").isZero();
        assertThat(status).noneMatch(m -> m.contains("decided tickets") || m.contains("Training"));
        robot.interact(() -> d.stage().close());

        // Rows with a team are decided history: the model retrains on them.
        ImportDialog labelled = open(csvWithBom(dir.resolve("history-" + System.nanoTime() + ".csv")));
        robot.interact(() -> labelled.model().start());
        waitFor(60, () -> labelled.model().stateProperty().get() == State.DONE);
        assertThat(fx(() -> labelled.model().report().decided())).isEqualTo(3);
        waitFor(60, () -> services.triage().fullTrainings() == 1);
        robot.interact(() -> labelled.stage().close());
    }

    @Test
    void aHugeCellIsPreviewedByItsStartAndImportedWhole(FxRobot robot) throws Exception {
        String log = "ERROR disk quota exceeded on /var/log; ".repeat(100_000); // 3.9 MB in one cell
        Path file = dir.resolve("onecell-" + System.nanoTime() + ".csv");
        Files.writeString(file, "Short description,Description\nBackup failed,\"" + log + "\"\n");
        ImportDialog d = open(file);
        ImportDialogModel m = d.model();
        List<ImportDialogModel.PreviewRow> preview = fx(() -> List.copyOf(m.preview()));
        // the preview lays out the cell's start, not 3.9 MB of text on the FX thread
        assertThat(preview).singleElement().satisfies(p -> {
            assertThat(p.body()).startsWith(log.substring(0, 500)).endsWith(" …");
            assertThat(p.body().length()).isLessThanOrEqualTo(ImportDialogModel.PREVIEW_CHARS + 2);
        });
        robot.interact(() -> m.column(Field.SUBJECT).set("Description")); // a remap previews again, just as short
        assertThat(fx(() -> m.preview().get(0).subject().length())).isLessThanOrEqualTo(ImportDialogModel.PREVIEW_CHARS + 2);
    }

    @Test
    void aHeaderOnlyFileSaysItHasNoTicketsAsAnErrorNotDone(FxRobot robot) throws Exception {
        Path file = dir.resolve("header-only-" + System.nanoTime() + ".csv");
        Files.writeString(file, "Number,Short description,Description,Caller\n");
        ImportDialog d = open(file);
        ImportDialogModel m = d.model();
        assertThat(fx(() -> m.stateProperty().get())).isEqualTo(State.MAPPING);
        robot.clickOn("#import-preview");
        robot.type(KeyCode.ENTER);
        waitFor(30, () -> m.stateProperty().get() != State.RUNNING && m.stateProperty().get() != State.MAPPING);
        // before: "Done: 0 new ticket(s), 0 already present, 0 rejected, from 0 row(s)", while the CLI exits 2
        assertThat(fx(() -> m.stateProperty().get())).isEqualTo(State.FAILED);
        javafx.scene.control.Label summary = robot.lookup("#import-summary").queryAs(javafx.scene.control.Label.class);
        assertThat(summary.getText()).isEqualTo("Nothing was imported: " + file.getFileName() + " has no tickets (no data rows after the header).");
        assertThat(summary.getStyleClass()).as("shown as an error").contains("danger");
        assertThat(robot.lookup("#import-cancel").queryButton().getText()).isEqualTo("Close");
        robot.type(KeyCode.ESCAPE);
        waitFor(10, () -> !d.stage().isShowing());
    }

    @Test
    void aMissingFileImportsNothingAndSaysWhy(FxRobot robot) throws Exception {
        ImportDialog d = open(dir.resolve("does-not-exist.csv"));
        assertThat(fx(() -> d.model().stateProperty().get())).isEqualTo(State.FAILED);
        assertThat(fx(() -> d.model().summaryProperty().get())).startsWith("Nothing was imported:").contains("no such file");
        robot.interact(() -> d.stage().close());
    }

    @Test
    void guessesCommonExportHeaders() {
        Map<Field, List<String>> g = ImportDialogModel.guess(List.of("key", "summary", "details", "reporter", "created_at", "queue", "severity"));
        assertThat(g).containsEntry(Field.SUBJECT, List.of("summary")).containsEntry(Field.BODY, List.of("details"))
                .containsEntry(Field.ID, List.of("key")).containsEntry(Field.REQUESTER, List.of("reporter"))
                .containsEntry(Field.CREATED, List.of("created_at")).containsEntry(Field.TEAM, List.of("queue"))
                .containsEntry(Field.PRIORITY, List.of("severity"));
        Map<Field, List<String>> sn = ImportDialogModel.guess(List.of("caller_id", "short_description", "description", "assignment_group",
                "opened_at", "urgency", "number"));
        assertThat(sn).containsEntry(Field.REQUESTER, List.of("caller_id")).containsEntry(Field.ID, List.of("number"))
                .containsEntry(Field.SUBJECT, List.of("short_description")).containsEntry(Field.BODY, List.of("description"))
                .containsEntry(Field.TEAM, List.of("assignment_group")).containsEntry(Field.CREATED, List.of("opened_at"))
                .containsEntry(Field.PRIORITY, List.of("urgency"));
    }
}
