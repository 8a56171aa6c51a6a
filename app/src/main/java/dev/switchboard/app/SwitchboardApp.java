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

    static void launchWindow(String[] args) {
        Application.launch(SwitchboardApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        String url = dbUrl(args);
        boolean demo = args.contains("--demo");

        WindowBenchmark.installIfRequested();
        Theme theme = new Theme();
        theme.apply();
        background = new Background();
        window = new MainWindow(theme, background);
        stage.setTitle(demo ? "Switchboard — demo workspace" : "Switchboard");
        stage.setScene(window.scene());
        stage.show();
        StartupProbe.mark("first frame");
        window.queueView().table().requestFocus();

        background.execute(() -> {
            if (Theme.osPrefersDark()) Platform.runLater(() -> theme.darkProperty().set(true));
        });
        background.run("Opening database…", () -> {
            Workspace ws = Workspace.open(url);
            StartupProbe.mark("database open");
            services = new Services(ws, dev.switchboard.app.settings.Settings.load());
            return services;
        }, svc -> {
            stage.setTitle(stage.getTitle() + " — " + svc.workspace().database().displayUrl());
            window.attach(svc);
        }, e -> window.showError("Could not open the database", e));
    }

    static String dbUrl(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--db") && i + 1 < args.size()) return args.get(i + 1);
            if (args.get(i).startsWith("--db=")) return args.get(i).substring(5);
        }
        return null;
    }

    @Override
    public void stop() {
        if (window != null) window.close();
        if (background != null) background.close();
        if (services != null) services.close();
    }
}
