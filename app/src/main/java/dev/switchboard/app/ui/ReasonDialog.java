package dev.switchboard.app.ui;

import dev.switchboard.persistence.entity.Decision;
import java.util.Optional;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Optional reason for overriding a suggestion; keys 1–4 pick, Enter confirms, Esc skips. */
public final class ReasonDialog {
    public static final String[] CODES = {"wrong-team", "wrong-priority", "missing-information", "other"};
    private static final String[] LABELS = {"1  Wrong team", "2  Wrong priority", "3  Missing information", "4  Other"};

    private ReasonDialog() {}

    public record Reason(String code, String note) {}

    /** The label a dispatcher picked for a recorded reason code ("Wrong team"); an unknown code as it is. */
    public static String label(String code) {
        for (int i = 0; i < CODES.length; i++) if (CODES[i].equals(code)) return LABELS[i].substring(3);
        return code;
    }

    public static Optional<Reason> ask(Window owner) {
        return ask(owner, "Why override?", "Why override the suggestion? (optional — Esc skips)");
    }

    /** The same, for a re-route: the ticket leaves the team it was given. */
    public static Optional<Reason> askReroute(Window owner) {
        return ask(owner, "Why re-route?", "Why does the ticket leave its team? (optional — Esc skips)");
    }

    private static Optional<Reason> ask(Window owner, String title, String header) {
        Dialog<Reason> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(title);
        d.setHeaderText(header);
        ToggleGroup g = new ToggleGroup();
        VBox box = new VBox(6);
        RadioButton[] buttons = new RadioButton[CODES.length];
        for (int i = 0; i < CODES.length; i++) {
            buttons[i] = new RadioButton(LABELS[i]);
            buttons[i].setToggleGroup(g);
            buttons[i].setUserData(CODES[i]);
            box.getChildren().add(buttons[i]);
        }
        TextField note = new TextField();
        note.setId("reason-note");
        note.setPromptText("Note (optional, up to " + Decision.MAX_NOTE + " characters)");
        TextLimit.cap(note, Decision.MAX_NOTE);
        box.getChildren().addAll(new Label("Note"), note);
        d.getDialogPane().setContent(box);
        ButtonType skip = new ButtonType("Skip", ButtonBar.ButtonData.CANCEL_CLOSE);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, skip);
        d.getDialogPane().addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (note.isFocused()) return;
            KeyCode k = e.getCode();
            if (k.isDigitKey()) {
                int i = k.getCode() - KeyCode.DIGIT1.getCode();
                if (i >= 0 && i < buttons.length) {
                    buttons[i].setSelected(true);
                    e.consume();
                }
            }
        });
        d.setResultConverter(b -> {
            if (b != ButtonType.OK) return null;
            String code = g.getSelectedToggle() == null ? null : (String) g.getSelectedToggle().getUserData();
            String n = note.getText() == null || note.getText().isBlank() ? null : note.getText().strip();
            return code == null && n == null ? null : new Reason(code == null ? "other" : code, n);
        });
        return d.showAndWait();
    }
}
