package dev.switchboard.app.ui;

import javafx.scene.Node;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TreeTableView;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

/**
 * Which keys a focused control keeps for itself, so a single-key shortcut (Enter, T, 1–4, J…) never
 * takes them: an editable text field keeps every key; a picker (combo box, choice box, date picker,
 * spinner, slider) or a list or table other than the queue keeps every single key, since it opens,
 * selects or moves with them; a button, link or check box keeps Enter and Space, which press it.
 * Everywhere else — the queue table, the window background, the detail pane and its read-only text —
 * single-key shortcuts act.
 */
public final class KeyOwner {
    private KeyOwner() {}

    /**
     * True when {@code focus} uses this key itself. {@code home} is the control the single-key
     * shortcuts belong to (the queue table): it never keeps a shortcut's key.
     */
    public static boolean keeps(Node focus, KeyEvent e, Node home) {
        if (focus == null || focus == home) return false;
        if (focus instanceof TextInputControl t) return t.isEditable();
        if (focus instanceof ComboBoxBase<?> || focus instanceof ChoiceBox<?> || focus instanceof Spinner<?>
                || focus instanceof Slider || focus instanceof ListView<?> || focus instanceof TableView<?>
                || focus instanceof TreeView<?> || focus instanceof TreeTableView<?> || focus instanceof TabPane) {
            return true;
        }
        if (focus instanceof ButtonBase) return e.getCode() == KeyCode.ENTER || e.getCode() == KeyCode.SPACE;
        return false;
    }
}
