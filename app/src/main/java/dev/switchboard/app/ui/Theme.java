package dev.switchboard.app.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * Light and dark AtlantaFX themes. Follows the desktop's colour scheme when it can read it (GNOME's
 * {@code color-scheme} setting; JavaFX 21 has no platform preference API), otherwise light.
 */
public final class Theme {

    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark", false);

    public Theme() {
        dark.addListener((obs, was, isDark) -> apply());
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public void toggle() {
        dark.set(!dark.get());
    }

    public void apply() {
        Application.setUserAgentStylesheet(dark.get() ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }

    /** Asks the desktop whether it prefers dark; call off the FX thread (runs a process). */
    /** Styles a dialog's scene like its owner window's (the app's stylesheets) plus the dialogs' own stylesheet. */
    public static void styleDialog(javafx.scene.Scene scene, javafx.stage.Window owner) {
        if (owner != null && owner.getScene() != null) scene.getStylesheets().addAll(owner.getScene().getStylesheets());
        var css = Theme.class.getResource("/dev/switchboard/ui/dialogs.css");
        if (css != null && !scene.getStylesheets().contains(css.toExternalForm())) scene.getStylesheets().add(css.toExternalForm());
    }

    public static boolean osPrefersDark() {
        String env = System.getenv("SWITCHBOARD_THEME");
        if (env != null) return env.equalsIgnoreCase("dark");
        try {
            Process p = new ProcessBuilder("gsettings", "get", "org.gnome.desktop.interface", "color-scheme")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line = r.readLine();
                return line != null && line.contains("dark");
            }
        } catch (Exception e) {
            return false;
        }
    }
}
