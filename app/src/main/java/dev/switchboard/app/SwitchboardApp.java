package dev.switchboard.app;

import dev.switchboard.app.ui.Background;
import dev.switchboard.app.ui.Theme;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The JavaFX application and composition root of the window. The window shows at once; the
 * database (Flyway + Hibernate, ~2 s) opens on a background thread and is attached when ready.
 */
public final class SwitchboardApp extends Application {

    private Background background;
    private MainWindow window;
    private volatile Services services;
    private final dev.switchboard.app.sample.SampleWorkspace sample = dev.switchboard.app.sample.SampleWorkspace.create();
    private dev.switchboard.app.sample.DemoReplay replay;

    static void launchWindow(String[] args) {
        Application.launch(SwitchboardApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        WindowLaunch launch = WindowLaunch.of(args);
        boolean demo = launch.demo();

        WindowBenchmark.installIfRequested();
        Theme theme = new Theme();
        theme.apply();
        background = new Background();
        window = new MainWindow(theme, background);
        stage.setTitle(demo ? "Switchboard — demo workspace" : "Switchboard");
        stage.setScene(window.scene());
        MainWindow.fitTo(stage, javafx.stage.Screen.getPrimary().getVisualBounds());
        stage.show();
        StartupProbe.mark("first frame");
        window.queueView().table().requestFocus();

        background.execute(() -> {
            if (Theme.osPrefersDark()) Platform.runLater(() -> theme.darkProperty().set(true));
        });
        boolean[] joined = {false};
        background.run("Opening database…", () -> {
            // the demo opens with its own settings, never the real workspace's (intake, LLM engine, egress ledger)
            WindowLaunch.Opened opened = launch.open(sample);
            joined[0] = opened.joined();
            services = opened.services();
            return services;
        }, svc -> {
            stage.setTitle(stage.getTitle() + " — " + svc.workspace().database().displayUrl());
            window.attach(svc);
            if (demo && joined[0]) {
                background.status("Demo: joined the demo workspace open in another window (its replay brings the arrivals)");
            } else if (demo) {
                replay = sample.replay(svc.workspace().store(), java.time.Duration.ofMillis(2500)).start();
                background.status("Demo, started from the sample: a new ticket arrives every 2.5 s (" + replay.total() + " in all)");
            } else {
                offerSampleOnFirstRun(svc);
            }
        }, e -> window.showError("Could not open the database", e));
    }

    /**
     * An empty workspace on first run: offer the sample tickets (clearly marked as such) or start empty. Recorded as
     * offered only once answered ({@link FirstRunOffer}).
     */
    private void offerSampleOnFirstRun(Services svc) {
        background.run(null, () -> svc.workspace().store().stats().tickets(), n -> {
            if (!FirstRunOffer.due(svc.settings(), n)) return;
            var load = new javafx.scene.control.ButtonType("Load sample tickets", javafx.scene.control.ButtonBar.ButtonData.YES);
            var empty = new javafx.scene.control.ButtonType("Start empty", javafx.scene.control.ButtonBar.ButtonData.NO);
            var answer = FirstRunOffer.ask(svc.settings(), () -> {
                var a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                        "Your workspace is empty. Load ~300 sample tickets over 8 teams to try Switchboard? "
                                + "They are marked as source \"sample\". To try it without touching this workspace, run ./switchboard --demo.",
                        load, empty);
                a.setHeaderText("Welcome to Switchboard");
                javafx.stage.Window owner = window.scene().getWindow();
                a.initOwner(owner);
                var pressed = a.showAndWait();
                // the main window closed (the app quitting) while the offer was up: no answer (Esc is "Start empty")
                if (pressed.isEmpty() || owner == null || !owner.isShowing() || stopping) return java.util.Optional.empty();
                return java.util.Optional.of(pressed.get() == load ? FirstRunOffer.Answer.LOAD : FirstRunOffer.Answer.EMPTY);
            }, background::execute);
            if (answer.orElse(null) == FirstRunOffer.Answer.LOAD) {
                background.run("Loading sample tickets…", () -> sample.installWithOpenTickets(svc.workspace().store()).join(),
                        r -> svc.triage().retrain(), e -> window.showError("Could not load the sample", e));
            }
        }, e -> { });
    }

    /** Set once the application stops: an offer still shown then was not answered. */
    private volatile boolean stopping;

    @Override
    public void stop() {
        stopping = true;
        if (replay != null) replay.stop();
        if (window != null) window.close();
        // Ctrl+Q exits with the window still up: hide every window before the database closes (its compaction
        // may take seconds after a large import), so nothing frozen stays on screen
        for (javafx.stage.Window w : new java.util.ArrayList<>(javafx.stage.Window.getWindows())) w.hide();
        if (background != null) background.close();
        if (services != null) {
            dev.switchboard.app.settings.IntakeControl.shutdown(services);
            services.close();
        }
    }
}
