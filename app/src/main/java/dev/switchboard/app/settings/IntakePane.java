package dev.switchboard.app.settings;

import dev.switchboard.app.ui.Background;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;

/** Settings › Intake: start/stop the local HTTP intake, its URL, token (masked, copy) and a curl example. */
final class IntakePane extends SettingsForm {

    private final IntakeControl intake;
    private final Background background;
    private final CheckBox toggle = new CheckBox("Accept tickets over HTTP on this computer (127.0.0.1 only)");
    private final TextField port = new TextField();
    private final Label url = new Label();
    private final Label tokenFile = new Label();
    private final Label token = new Label();
    private final Label status = new Label();
    private final TextArea curl = new TextArea();
    private boolean updating;

    IntakePane(IntakeControl intake, Background background) {
        this.intake = intake;
        this.background = background;
        setPadding(new Insets(14));
        toggle.setId("intake-toggle");
        port.setId("intake-port");
        url.setId("intake-url");
        token.setId("intake-token");
        token.getStyleClass().add("sb-token");
        status.setId("intake-status");
        status.setWrapText(true);
        curl.setId("intake-curl");
        curl.setEditable(false);
        curl.setWrapText(true);
        curl.setPrefRowCount(5);
        curl.getStyleClass().add("sb-mono");
        port.setPrefColumnCount(6);
        port.setText(Integer.toString(intake.configuredPort()));
        port.setPromptText("8765");
        Button copy = new Button("Copy token");
        copy.setId("intake-copy");
        copy.setOnAction(e -> copyToken());

        section("Local HTTP intake");
        full(toggle);
        add("Port (0 = any free):", port);
        add("URL:", url);
        add("Token file:", tokenFile);
        HBox tokenRow = new HBox(10, token, copy);
        add("Token:", tokenRow);
        note("The token is never shown in full. Other programs on this computer send it as "
                + "\"Authorization: Bearer TOKEN\"; GET /api/health needs no token. The intake restarts with the app while it is on.");
        add("Example:", curl);
        full(status);

        toggle.selectedProperty().addListener((o, was, on) -> {
            if (!updating) switchTo(on);
        });
        refresh();
    }

    private void switchTo(boolean on) {
        Integer p = null;
        if (on) {
            try {
                p = Integer.parseInt(port.getText().strip());
                if (p < 0 || p > 65535) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                status.setText("Enter a port from 0 to 65535.");
                setToggle(false);
                return;
            }
        }
        Integer chosen = p;
        toggle.setDisable(true);
        status.setText(on ? "Starting…" : "Stopping…");
        background.run(null, () -> {
            if (on) intake.start(chosen);
            else intake.stop();
            return true;
        }, ok -> {
            toggle.setDisable(false);
            status.setText(on ? "Listening." : "Stopped.");
            refresh();
        }, e -> {
            toggle.setDisable(false);
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            status.setText((on ? "Could not start the intake: " : "Could not stop the intake: ") + msg
                    + (on && msg.toLowerCase(java.util.Locale.ROOT).contains("address already in use") ? " (choose another port, or 0)" : ""));
            refresh();
        });
    }

    private void setToggle(boolean v) {
        updating = true;
        toggle.setSelected(v);
        updating = false;
    }

    private void refresh() {
        boolean running = intake.isRunning();
        setToggle(running);
        port.setDisable(running);
        tokenFile.setText(intake.tokenFile().toString());
        String u = running ? intake.url() : null;
        url.setText(u == null ? "(not running)" : u);
        String t = running ? intake.token() : null;
        token.setText(t == null ? "(created when the intake first starts)" : IntakeControl.mask(t));
        String target = u == null ? "http://127.0.0.1:" + port.getText().strip() + "/api/tickets" : u;
        curl.setText("curl -s " + target.replace("/api/tickets", "/api/health") + "\n\n"
                + "curl -s -X POST " + target + " \\\n"
                + "  -H \"Authorization: Bearer $(cat '" + intake.tokenFile() + "')\" \\\n"
                + "  -H 'Content-Type: application/json' \\\n"
                + "  -d '{\"subject\": \"Printer jams\", \"body\": \"Tray 2 jams on every page\", \"requester\": \"ann@example.com\"}'");
    }

    private void copyToken() {
        String t = intake.token();
        if (t == null) {
            status.setText("No token yet: start the intake once.");
            return;
        }
        ClipboardContent c = new ClipboardContent();
        c.putString(t);
        Clipboard.getSystemClipboard().setContent(c);
        status.setText("Token copied to the clipboard.");
    }
}
