package dev.switchboard.app.ui;

import javafx.scene.control.TextFormatter;
import javafx.scene.control.TextInputControl;

/** Caps what a text field takes at the size of the column it is stored in, so a save never fails on length. */
public final class TextLimit {

    private TextLimit() {}

    /** Typing or pasting past {@code max} characters keeps the first {@code max} of the result. */
    public static <T extends TextInputControl> T cap(T field, int max) {
        field.setTextFormatter(new TextFormatter<String>(change -> {
            int length = change.getControlNewText().length();
            if (length <= max || !change.isContentChange()) return change;
            int excess = length - max;
            String added = change.getText();
            if (excess > added.length()) return null; // the field already held too much: refuse to grow it
            change.setText(added.substring(0, added.length() - excess));
            int caret = change.getRangeStart() + change.getText().length();
            change.setCaretPosition(caret);
            change.setAnchor(caret);
            return change;
        }));
        return field;
    }
}
