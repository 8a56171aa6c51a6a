package dev.switchboard.app.ui;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.collections.FXCollections;
import javafx.collections.transformation.FilteredList;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Type-ahead team chooser: type a few letters, arrows to move, Enter to choose, Esc to cancel. */
public final class TeamPicker {
    private TeamPicker() {}

    public static Optional<String> choose(Window owner, String title, List<String> teams, String preselect, String hint) {
        Dialog<String> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(title);
        d.setHeaderText(title);
        TextField filter = new TextField();
        filter.setId("team-filter");
        filter.setPromptText("Type to filter teams");
        // in reading order (GRP_2 before GRP_10), whatever order the taxonomy was stored in
        FilteredList<String> items = new FilteredList<>(FXCollections.observableArrayList(
                teams.stream().sorted(NaturalOrder.INSTANCE).toList()));
        ListView<String> list = new ListView<>(items);
        list.setId("team-list");
        list.setPrefHeight(260);
        filter.textProperty().addListener((o, a, b) -> {
            String q = b.toLowerCase(Locale.ROOT);
            items.setPredicate(t -> t.toLowerCase(Locale.ROOT).contains(q));
            list.getSelectionModel().selectFirst();
        });
        if (preselect != null && teams.contains(preselect)) list.getSelectionModel().select(preselect);
        else list.getSelectionModel().selectFirst();
        filter.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DOWN) {
                list.getSelectionModel().selectNext();
                list.scrollTo(Math.max(0, list.getSelectionModel().getSelectedIndex() - 2));
                e.consume();
            } else if (e.getCode() == KeyCode.UP) {
                list.getSelectionModel().selectPrevious();
                list.scrollTo(Math.max(0, list.getSelectionModel().getSelectedIndex() - 2));
                e.consume();
            }
        });
        // Enter in the filter picks the highlighted team (the default button does the rest). Letters typed
        // while the list has focus go to the filter, so type-ahead works wherever focus is.
        list.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            String ch = e.getCharacter();
            if (ch.isEmpty() || Character.isISOControl(ch.charAt(0)) || ch.equals(" ") || e.isControlDown() || e.isMetaDown()) return;
            filter.requestFocus();
            filter.appendText(ch);
            e.consume();
        });
        VBox box = new VBox(8, filter, list);
        if (hint != null && !hint.isBlank()) {
            Label h = new Label(hint);
            h.getStyleClass().add("text-muted");
            h.setWrapText(true);
            box.getChildren().add(0, h);
        }
        d.getDialogPane().setContent(box);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResultConverter(b -> b == ButtonType.OK ? list.getSelectionModel().getSelectedItem() : null);
        // The dialog gives its default button (OK) focus once it is shown, after this handler: without taking
        // focus back then, typed letters went nowhere, Space pressed OK and Enter accepted the preselected team.
        d.setOnShown(e -> {
            filter.requestFocus();
            javafx.application.Platform.runLater(filter::requestFocus);
            list.scrollTo(Math.max(0, list.getSelectionModel().getSelectedIndex() - 2)); // the chosen team in view
        });
        return d.showAndWait();
    }
}
