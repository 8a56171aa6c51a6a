package dev.switchboard.app.settings;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;

/** A two-column label/control grid for the settings tabs. */
class SettingsForm extends GridPane {

    private int row;

    SettingsForm() {
        getStyleClass().add("sb-form");
        setHgap(10);
        setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(150);
        ColumnConstraints controls = new ColumnConstraints();
        controls.setHgrow(Priority.ALWAYS);
        controls.setFillWidth(true);
        getColumnConstraints().addAll(labels, controls);
    }

    /** A labelled control; the label is its accessible name. */
    <T extends Node> T add(String label, T control) {
        Label l = new Label(label);
        l.setLabelFor(control);
        if (control.getAccessibleText() == null) control.setAccessibleText(label.replace(":", ""));
        add(l, 0, row);
        add(control, 1, row);
        row++;
        return control;
    }

    /** A control spanning both columns. */
    <T extends Node> T full(T node) {
        add(node, 0, row, 2, 1);
        row++;
        return node;
    }

    Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("sb-section");
        return full(l);
    }

    Label note(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("sb-note");
        l.setWrapText(true);
        // as tall as its wrapped lines: a grid row would otherwise give it one line and cut the rest to "…"
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return full(l);
    }
}
