package dev.switchboard.app.importer;

import dev.switchboard.app.Services;
import dev.switchboard.app.importer.ImportDialogModel.Field;
import dev.switchboard.app.importer.ImportDialogModel.PreviewRow;
import dev.switchboard.app.importer.ImportDialogModel.State;
import dev.switchboard.app.ui.Background;
import java.io.File;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.controlsfx.control.CheckComboBox;

/**
 * File › Import: choose a CSV or JSON Lines file, map its columns to ticket fields (guessed from the
 * names, or the mapping used last time for the same columns), check the preview, import with progress
 * and cancel, read the summary. Enter starts; Esc cancels a running import or closes.
 */
public final class ImportDialog {

    static final String NONE = "— none —";

    private final ImportDialogModel model;
    private final Stage stage = new Stage();
    private final Map<Field, ComboBox<String>> combos = new EnumMap<>(Field.class);
    private final CheckComboBox<String> bodyBox = new CheckComboBox<>();
    private final Button start = new Button("Import");
    private final Button cancel = new Button("Cancel");
    private boolean syncingBody;

    /** Opens a file chooser, then the mapping dialog for the chosen file. Call on the FX thread. */
    public static void show(Window owner, Services services, Background background) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Import tickets");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Tickets (CSV, JSON Lines)", "*.csv", "*.jsonl", "*.ndjson", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        String last = services.settings().get("import.lastDir", null);
        if (last != null && new File(last).isDirectory()) fc.setInitialDirectory(new File(last));
        File f = fc.showOpenDialog(owner);
        if (f == null) return;
        services.settings().set("import.lastDir", f.getParent());
        forFile(owner, services, background, f.toPath()).stage.show();
    }

    /** The dialog for a known file, not yet shown (tests skip the file chooser with this). */
    static ImportDialog forFile(Window owner, Services services, Background background, Path file) {
        ImportDialog d = new ImportDialog(owner, new ImportDialogModel(file, services, background));
        d.model.load();
        return d;
    }

    Stage stage() {
        return stage;
    }

    ImportDialogModel model() {
        return model;
    }

    private ImportDialog(Window owner, ImportDialogModel model) {
        this.model = model;
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        stage.setTitle("Import " + model.file().getFileName());

        Label title = new Label("Import " + model.file().getFileName());
        title.getStyleClass().add("title-4");
        Label hint = new Label("Map the file's columns to ticket fields. Rows with a team are imported as decided history "
                + "(the local model learns from them); rows without one wait in the queue.");
        hint.getStyleClass().add("text-muted");
        hint.setWrapText(true);

        GridPane grid = new GridPane();
        grid.getStyleClass().add("sb-form");
        grid.setHgap(10);
        grid.setVgap(6);
        grid.getColumnConstraints().addAll(new ColumnConstraints(), new ColumnConstraints(160, 240, Double.MAX_VALUE),
                new ColumnConstraints(), new ColumnConstraints(160, 240, Double.MAX_VALUE));
        int i = 0;
        for (Field f : Field.values()) {
            Region control;
            if (f == Field.BODY) {
                bodyBox.setId("import-body");
                bodyBox.setTitle(null);
                bodyBox.setMaxWidth(Double.MAX_VALUE);
                bodyBox.setAccessibleText("Body columns");
                openFromKeyboard(bodyBox);
                control = bodyBox;
            } else {
                ComboBox<String> c = combo(f);
                combos.put(f, c);
                control = c;
            }
            Label l = new Label(f.label() + (f == Field.SUBJECT ? " *" : "") + ":");
            l.setLabelFor(control);
            grid.add(l, (i % 2) * 2, i / 2);
            grid.add(control, (i % 2) * 2 + 1, i / 2);
            GridPane.setHgrow(control, Priority.ALWAYS);
            i++;
        }
        wireBody();

        Label validation = new Label();
        validation.setId("import-validation");
        validation.getStyleClass().addAll("sb-validation", "danger");
        validation.setWrapText(true);
        validation.textProperty().bind(model.validationProperty());
        validation.visibleProperty().bind(model.validationProperty().isNotEmpty());
        validation.managedProperty().bind(validation.visibleProperty());

        TableView<PreviewRow> table = previewTable();

        ProgressBar bar = new ProgressBar(0);
        bar.setId("import-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(model.progressProperty());
        Label counts = new Label();
        counts.setId("import-counts");
        counts.textProperty().bind(model.countsProperty());
        HBox progressRow = new HBox(10, bar, counts);
        progressRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(bar, Priority.ALWAYS);
        progressRow.visibleProperty().bind(model.stateProperty().isEqualTo(State.RUNNING).or(model.stateProperty().isEqualTo(State.DONE)));
        progressRow.managedProperty().bind(progressRow.visibleProperty());

        Label summary = new Label();
        summary.setId("import-summary");
        summary.getStyleClass().add("sb-import-summary");
        summary.setWrapText(true);
        summary.textProperty().bind(model.summaryProperty());
        summary.visibleProperty().bind(model.summaryProperty().isNotEmpty());
        summary.managedProperty().bind(summary.visibleProperty());
        summary.setAccessibleRole(AccessibleRole.TEXT);
        // a failed import (also a file without tickets) reads as an error, not in the colour of a success
        model.stateProperty().addListener((o, a, s) -> {
            summary.getStyleClass().remove("danger");
            if (s == State.FAILED) summary.getStyleClass().add("danger");
        });
        if (model.stateProperty().get() == State.FAILED) summary.getStyleClass().add("danger");
        TextArea details = new TextArea();
        details.setId("import-details");
        details.setEditable(false);
        details.setWrapText(false);
        details.setPrefRowCount(6);
        details.getStyleClass().add("sb-mono");
        details.textProperty().bind(model.detailsProperty());
        details.visibleProperty().bind(model.detailsProperty().isNotEmpty());
        details.managedProperty().bind(details.visibleProperty());

        start.setId("import-start");
        start.setDefaultButton(true);
        start.getStyleClass().add("accent");
        start.disableProperty().bind(model.stateProperty().isNotEqualTo(State.MAPPING).or(model.validationProperty().isNotEmpty()));
        start.visibleProperty().bind(model.stateProperty().isNotEqualTo(State.DONE).and(model.stateProperty().isNotEqualTo(State.FAILED)));
        start.managedProperty().bind(start.visibleProperty());
        start.setOnAction(e -> model.start());
        cancel.setId("import-cancel");
        cancel.setCancelButton(true);
        cancel.textProperty().bind(Bindings.when(model.stateProperty().isEqualTo(State.RUNNING)).then("Cancel import")
                .otherwise(Bindings.when(model.stateProperty().isEqualTo(State.DONE).or(model.stateProperty().isEqualTo(State.FAILED)))
                        .then("Close").otherwise("Cancel")));
        cancel.setOnAction(e -> {
            if (model.stateProperty().get() == State.RUNNING) model.cancel();
            else stage.close();
        });
        model.stateProperty().addListener((o, a, s) -> {
            boolean editable = s == State.MAPPING;
            combos.values().forEach(c -> c.setDisable(!editable));
            bodyBox.setDisable(!editable);
            // the pickers are disabled while the file loads, so the focus asked for when the dialog opened went to
            // the preview table: Space then selected a row instead of opening the Subject picker
            if (s == State.MAPPING && a == State.LOADING) combos.get(Field.SUBJECT).requestFocus();
            if (s == State.DONE || s == State.FAILED) {
                cancel.setDefaultButton(true);
                cancel.requestFocus();
            }
        });
        combos.values().forEach(c -> c.setDisable(true));
        bodyBox.setDisable(true);
        stage.setOnCloseRequest(e -> {
            if (model.stateProperty().get() == State.RUNNING) {
                model.cancel(); // keep the window until the summary says what was saved
                e.consume();
            }
        });

        HBox buttons = new HBox(8, start, cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox top = new VBox(8, title, hint, grid, validation);
        VBox bottom = new VBox(8, progressRow, summary, details, buttons);
        BorderPane root = new BorderPane(table, top, null, bottom, null);
        BorderPane.setMargin(table, new Insets(8, 0, 8, 0));
        root.setPadding(new Insets(14));
        root.getStyleClass().add("sb-dialog");
        Scene scene = new Scene(root, 900, 640);
        dev.switchboard.app.ui.Theme.styleDialog(scene, owner);
        stage.setScene(scene);
        stage.setOnShown(e -> combos.get(Field.SUBJECT).requestFocus());
    }

    private ComboBox<String> combo(Field f) {
        ObservableList<String> items = FXCollections.observableArrayList(NONE);
        model.columns().addListener((ListChangeListener<String>) c -> {
            items.setAll(NONE);
            items.addAll(model.columns());
        });
        ComboBox<String> box = new ComboBox<>(items);
        box.setId("import-" + f.name().toLowerCase(java.util.Locale.ROOT));
        // F4 and Alt+Down open a combo box; Space did nothing: it opens the picker here, as it does Body's
        box.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.SPACE && !e.isShortcutDown() && !box.isShowing()) {
                box.show();
                e.consume();
            }
        });
        box.setMaxWidth(Double.MAX_VALUE);
        box.setAccessibleText(f.label() + " column");
        ObjectProperty<String> p = model.column(f);
        box.setValue(p.get() == null ? NONE : p.get());
        p.addListener((o, a, b) -> {
            String v = b == null ? NONE : b;
            if (!v.equals(box.getValue())) box.setValue(v);
        });
        box.valueProperty().addListener((o, a, b) -> {
            String v = b == null || NONE.equals(b) ? null : b;
            if (!java.util.Objects.equals(v, p.get())) p.set(v);
        });
        return box;
    }

    /**
     * ControlsFX's check combo box takes focus but leaves keys to an inner combo box that never has it,
     * so F4, Alt+Down and Space did not open it. They do here, as on the other column pickers; once open,
     * the list takes the keys (arrows move, Space checks, Esc closes).
     */
    private static void openFromKeyboard(CheckComboBox<String> box) {
        box.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            var code = e.getCode();
            boolean opens = code == javafx.scene.input.KeyCode.F4 || code == javafx.scene.input.KeyCode.SPACE
                    || (e.isAltDown() && (code == javafx.scene.input.KeyCode.DOWN || code == javafx.scene.input.KeyCode.UP));
            if (!opens || e.isConsumed()) return;
            boolean showing = box.getChildrenUnmodifiable().stream().anyMatch(n -> n instanceof ComboBox<?> c && c.isShowing());
            if (showing) {
                if (code != javafx.scene.input.KeyCode.SPACE) box.hide();
            } else {
                box.show();
            }
            e.consume();
        });
    }

    private void wireBody() {
        model.columns().addListener((ListChangeListener<String>) c -> {
            syncingBody = true;
            bodyBox.getItems().setAll(model.columns());
            syncingBody = false;
            checkBody();
        });
        model.body().addListener((ListChangeListener<String>) c -> checkBody());
        bodyBox.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c -> {
            if (syncingBody) return;
            List<String> checked = model.columns().stream().filter(bodyBox.getCheckModel().getCheckedItems()::contains).toList();
            if (!checked.equals(model.body())) model.body().setAll(checked);
        });
    }

    private void checkBody() {
        if (syncingBody) return;
        syncingBody = true;
        try {
            for (String c : bodyBox.getItems()) {
                boolean want = model.body().contains(c);
                if (want != bodyBox.getCheckModel().isChecked(c)) {
                    if (want) bodyBox.getCheckModel().check(c);
                    else bodyBox.getCheckModel().clearCheck(c);
                }
            }
        } finally {
            syncingBody = false;
        }
    }

    private TableView<PreviewRow> previewTable() {
        TableView<PreviewRow> t = new TableView<>(model.preview());
        t.setId("import-preview");
        t.setAccessibleText("Preview of the first rows as they would be imported");
        // while a large file is read (seconds for 100 MB) the empty table said "No rows to preview", as for an empty file
        Label placeholder = new Label();
        placeholder.textProperty().bind(Bindings.when(model.stateProperty().isEqualTo(State.LOADING))
                .then("Reading " + model.file().getFileName() + "…").otherwise("No rows to preview"));
        t.setPlaceholder(placeholder);
        t.getColumns().add(col("Line", 60, r -> Long.toString(r.line())));
        t.getColumns().add(col("Subject", 240, PreviewRow::subject));
        t.getColumns().add(col("Body", 360, r -> r.body().replaceAll("\\s+", " ")));
        t.getColumns().add(col("Team", 120, PreviewRow::team));
        t.getColumns().add(col("Priority", 80, PreviewRow::priority));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return t;
    }

    private static TableColumn<PreviewRow, String> col(String name, double width, java.util.function.Function<PreviewRow, String> f) {
        TableColumn<PreviewRow, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
        c.setSortable(false);
        return c;
    }
}
