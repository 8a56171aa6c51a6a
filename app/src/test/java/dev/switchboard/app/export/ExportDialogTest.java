package dev.switchboard.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Workspace;
import dev.switchboard.app.ui.Background;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
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

/** The team lead's export dialog on a real database: preview shows redactions, Export writes the files. */
@ExtendWith(ApplicationExtension.class)
class ExportDialogTest {

    @TempDir static Path dir;
    static final dev.switchboard.inference.llm.PromptBuilder.Template CUSTOM = new dev.switchboard.inference.llm.PromptBuilder.Template(
            dev.switchboard.inference.llm.PromptBuilder.DEFAULT_SYSTEM_TEMPLATE,
            "Route this ticket for our service desk.\n{{ticket}}");
    Workspace ws;
    Background bg;
    Stage owner;
    ExportDialog dialog;

    @Start
    void start(Stage stage) {
        owner = stage;
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("x" + System.nanoTime()));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN", 0), new TaxonomyRow("Desktop", "Laptops", 0)),
                List.of(new TaxonomyRow("P2", "", 2))).join();
        ws.store().saveTickets(List.of(
                new NewTicket("t", "1", "VPN down", "received from: jane.doe@gmail.com\nVPN is down", "Jane Doe", Instant.now(), "Network", "P2"),
                new NewTicket("t", "2", "Laptop slow", "call me at +49 151 2345 6789", "Max", Instant.now(), "Desktop", "P2")),
                "test").join();
        bg = new Background();
        stage.setScene(new Scene(new StackPane(new Label("main")), 300, 200));
        stage.show();
    }

    @AfterEach
    void close() {
        bg.close();
        ws.close();
    }

    @Test
    void theDialogFollowsTheDarkThemeAndTakesTheWindowsStylesheetsLikeTheOtherDialogs(FxRobot robot) throws Exception {
        String app = getClass().getResource("/dev/switchboard/ui/switchboard.css").toExternalForm();
        String dialogs = getClass().getResource("/dev/switchboard/ui/dialogs.css").toExternalForm();
        dev.switchboard.app.ui.Theme theme = new dev.switchboard.app.ui.Theme();
        try {
            robot.interact(() -> {
                owner.getScene().getStylesheets().add(app);
                theme.darkProperty().set(true);
                dialog = ExportDialog.show(owner, ws, bg, CUSTOM);
            });
            WaitForAsyncUtils.waitForFxEvents();
            Scene scene = dialog.preview.getScene();
            // before: the one dialog without the window's and the dialogs' stylesheets (Theme.styleDialog)
            assertThat(scene.getStylesheets()).contains(app, dialogs);
            javafx.scene.layout.Region root = (javafx.scene.layout.Region) scene.getRoot();
            javafx.scene.paint.Color bgColour = WaitForAsyncUtils.asyncFx(() -> {
                root.applyCss();
                var fills = root.getBackground() == null ? List.<javafx.scene.layout.BackgroundFill>of() : root.getBackground().getFills();
                return fills.isEmpty() ? (javafx.scene.paint.Color) scene.getFill() : (javafx.scene.paint.Color) fills.get(0).getFill();
            }).get(10, TimeUnit.SECONDS);
            assertThat(bgColour.getBrightness()).as("dark background").isLessThan(0.3);
            Label anyLabel = robot.lookup("Format").queryAs(Label.class);
            assertThat(((javafx.scene.paint.Color) anyLabel.getTextFill()).getBrightness()).as("light text").isGreaterThan(0.7);
        } finally {
            robot.interact(() -> {
                theme.darkProperty().set(false);
                if (dialog != null) dialog.stage().close();
            });
        }
    }

    @Test
    void previewShowsRedactionsAndExportWritesCompleteFiles(FxRobot robot) throws Exception {
        Path out = dir.resolve("out" + System.nanoTime());
        robot.interact(() -> {
            dialog = ExportDialog.show(owner, ws, bg, CUSTOM);
            dialog.outDir.setText(out.toString());
        });
        robot.clickOn(dialog.previewButton);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> dialog.preview.getItems().size() == 2).get());
        assertThat(dialog.preview.getItems()).anySatisfy(r -> {
            assertThat(r.before()).contains("jane.doe@gmail.com");
            assertThat(r.after()).doesNotContain("jane.doe@gmail.com").contains("[EMAIL]");
        });
        robot.clickOn(dialog.exportButton);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> Files.exists(out.resolve("manifest.json")));
        Path data = out.resolve("dataset.jsonl");
        List<String> lines = Files.readAllLines(data);
        assertThat(lines).hasSize(2);
        ObjectMapper om = new ObjectMapper();
        for (String line : lines) {
            JsonNode msgs = om.readTree(line).path("messages");
            assertThat(msgs).hasSize(3);
            assertThat(msgs.get(2).path("role").asText()).isEqualTo("assistant");
            assertThat(om.readTree(msgs.get(2).path("content").asText()).path("team").asText()).isIn("Network", "Desktop");
        }
        assertThat(Files.readString(data)).doesNotContain("jane.doe@gmail.com").doesNotContain("2345 6789")
                .contains("Route this ticket for our service desk");
        // the prompt template the engine uses (handed in from Settings › Prompt), named in the manifest
        assertThat(om.readTree(out.resolve("manifest.json").toFile()).at("/prompt/template").asText()).isEqualTo("custom");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> !dialog.status.getText().isBlank() && !dialog.status.getText().startsWith("Counting")).get());
        robot.interact(() -> dialog.stage().close());
    }

    @Test
    void onA1024By700ScreenTheButtonsAndTheWholeResultStayInView(FxRobot robot) throws Exception {
        Path out = dir.resolve("small" + System.nanoTime());
        robot.interact(() -> {
            dialog = ExportDialog.show(owner, ws, bg, CUSTOM);
            dialog.outDir.setText(out.toString());
            // what a 1024×700 screen leaves for the dialog (the window was 760 pixels tall)
            dialog.stage().setWidth(984);
            dialog.stage().setHeight(640);
        });
        robot.clickOn(dialog.exportButton);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> dialog.status.getText().contains("Manifest:")).get());
        WaitForAsyncUtils.waitForFxEvents();
        double sceneHeight = dialog.stage().getScene().getHeight();
        assertThat(sceneHeight).isLessThanOrEqualTo(640);
        for (javafx.scene.Node n : List.of(dialog.exportButton, dialog.closeButton, dialog.status)) {
            javafx.geometry.Bounds b = WaitForAsyncUtils.asyncFx(() -> n.localToScene(n.getLayoutBounds())).get();
            assertThat(b.getMaxY()).as("bottom of " + n).isLessThanOrEqualTo(sceneHeight);
        }
        // every line of the result (the files written, the manifest) is shown, not cut to its first line
        double needed = WaitForAsyncUtils.asyncFx(() -> dialog.status.prefHeight(dialog.status.getWidth())).get();
        assertThat(dialog.status.getHeight()).isGreaterThanOrEqualTo(needed - 1);
        assertThat(dialog.status.getText()).contains(out.resolve("dataset.jsonl").toString());
        robot.interact(() -> dialog.stage().close());
    }

    @Test
    void theKeyboardFocusStaysOnTheButtonsThatWerePressed(FxRobot robot) throws Exception {
        robot.interact(() -> {
            dialog = ExportDialog.show(owner, ws, bg, CUSTOM);
            dialog.outDir.setText(dir.resolve("focus" + System.nanoTime()).toString());
        });
        javafx.scene.Scene scene = dialog.stage().getScene();
        // Space on Preview: the focus stays there (it moved to Export, so the next Space started an export)
        robot.interact(dialog.previewButton::requestFocus);
        robot.type(javafx.scene.input.KeyCode.SPACE);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> dialog.preview.getItems().size() == 2).get());
        assertThat(WaitForAsyncUtils.asyncFx(scene::getFocusOwner).get()).isSameAs(dialog.previewButton);
        // an export starting from the Export button: the focus goes to Cancel, not to Close (whose Space threw the
        // running export away), and back to Export when it ends
        robot.interact(() -> {
            dialog.exportButton.requestFocus();
            dialog.setRunning(true);
        });
        assertThat(WaitForAsyncUtils.asyncFx(scene::getFocusOwner).get()).isSameAs(dialog.cancelButton);
        robot.interact(() -> dialog.setRunning(false));
        assertThat(WaitForAsyncUtils.asyncFx(scene::getFocusOwner).get()).isSameAs(dialog.exportButton);
        robot.interact(() -> dialog.stage().close());
    }

    @Test
    void aFolderThatIsAFileIsNamedWithWhatIsWrong(FxRobot robot) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder" + System.nanoTime()), "x");
        robot.interact(() -> {
            dialog = ExportDialog.show(owner, ws, bg, CUSTOM);
            dialog.outDir.setText(file.toString());
        });
        robot.clickOn(dialog.exportButton);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> dialog.status.getText().startsWith("Export failed")).get());
        // it said "Export failed: /…/not-a-folder…", the bare path, and nothing about what was wrong with it
        assertThat(dialog.status.getText()).startsWith("Export failed: " + file + ": ").isNotEqualTo("Export failed: " + file);
        robot.interact(() -> dialog.stage().close());
    }

    @Test
    void escClosesTheDialogButNotWhileAnExportRuns(FxRobot robot) throws Exception {
        robot.interact(() -> dialog = ExportDialog.show(owner, ws, bg, CUSTOM));
        robot.clickOn(dialog.outDir); // keyboard focus in the dialog, in a text field
        // while an export runs (its Cancel button enabled) Esc does not close: Cancel stops the export
        robot.interact(() -> dialog.cancelButton.setDisable(false));
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(dialog.stage().isShowing()).isTrue();
        robot.interact(() -> dialog.cancelButton.setDisable(true));
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> !dialog.stage().isShowing()).get());
    }
}
