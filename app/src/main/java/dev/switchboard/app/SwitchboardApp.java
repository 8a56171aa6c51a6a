package dev.switchboard.app;

import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: composition root of the window. */
public final class SwitchboardApp extends Application {

    static void launchWindow(String[] args) {
        Application.launch(SwitchboardApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        stage.setTitle("Switchboard");
        stage.show();
    }
}
