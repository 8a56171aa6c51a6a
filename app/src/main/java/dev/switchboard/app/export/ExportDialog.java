package dev.switchboard.app.export;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.ui.Background;
import dev.switchboard.inference.llm.PromptBuilder;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.ExportQuery;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The team lead's export dialog: format, folder, date range, teams, decision kinds, unreviewed bulk
 * accepts, balancing, split, redaction with custom patterns, a preview of real rows before and after
 * redaction, progress with cancel, and the result summary. All database work runs on {@link Background}.
 */
public final class ExportDialog {

    private final Stage stage = new Stage();
    private final Workspace ws;
    private final Background bg;
    private final ExportService service;

    final ComboBox<ExportFormat> format = new ComboBox<>(FXCollections.observableArrayList(ExportFormat.values()));
    final TextField outDir = new TextField();
    final DatePicker from = new DatePicker();
    final DatePicker to = new DatePicker();
    final ListView<String> teams = new ListView<>();
    final List<CheckBox> kinds = new ArrayList<>();
    final CheckBox includeUnreviewed = new CheckBox("Include bulk accepts nobody reviewed");
    final TextField maxPerTeam = new TextField();
    final TextField minPerTeam = new TextField();
    final CheckBox dropSmall = new CheckBox("Drop teams below the minimum (otherwise only report them)");
    final ComboBox<String> splitKind = new ComboBox<>(FXCollections.observableArrayList("None", "Random (stratified)", "Time"));
    final TextField splitRatio = new TextField("0.1");
    final DatePicker splitDate = new DatePicker();
    final CheckBox redact = new CheckBox("Redact personal data (e-mail, phone, IP, IBAN, card and long numbers, URL secrets, requester names)");
    final TextArea patterns = new TextArea();
    final TableView<PreviewRow> preview = new TableView<>();
    final ProgressBar progress = new ProgressBar(0);
    final Label status = new Label();
    final Button previewButton = new Button("Preview");
    final Button exportButton = new Button("Export");
    final Button cancelButton = new Button("Cancel");
    final Button closeButton = new Button("Close");
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final PromptBuilder.Template template;
    private Future<?> running;
    private boolean previewing;

    private ExportDialog(Window owner, Workspace ws, Background bg, PromptBuilder.Template template) {
        this.ws = ws;
        this.bg = bg;
        this.template = template == null ? PromptBuilder.Template.defaults() : template;
        this.service = ExportService.of(ws);
        if (owner != null) stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Export labelled dataset");
        // at most the screen: at 1024×700 the 760-pixel window put the buttons and the result (where the files
        // went) below the screen's edge; the form scrolls instead, buttons and result stay in view
        double[] size = dev.switchboard.app.ui.Scrolling.fit(980, 760, javafx.stage.Screen.getPrimary().getVisualBounds());
        Scene scene = new Scene(layout(), size[0], size[1]);
        // as the Import, Settings and Suggestion quality dialogs: the window's stylesheets and the dialogs' own
        dev.switchboard.app.ui.Theme.styleDialog(scene, owner);
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> cancelled.set(true));
    }

    /**
     * Opens the dialog (non-blocking); the caller keeps ownership of the workspace and background.
     * {@code template} is the prompt template the LLM engine uses (Settings › Prompt; null: the default).
     */
    public static ExportDialog show(Window owner, Workspace ws, Background bg, PromptBuilder.Template template) {
        ExportDialog d = new ExportDialog(owner, ws, bg, template);
        d.stage.show();
        d.loadTeams();
        return d;
    }

    public Stage stage() {
        return stage;
    }

    private VBox layout() {
        format.getSelectionModel().select(ExportFormat.OPENAI_JSONL);
        outDir.setPromptText("Folder for the dataset files");
        outDir.setText(Path.of(System.getProperty("user.home"), "switchboard-export").toString());
        Button browse = new Button("Choose…");
        browse.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Export folder");
            File f = dc.showDialog(stage);
            if (f != null) outDir.setText(f.getPath());
        });
        teams.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        teams.setPrefHeight(110);
        teams.setMinHeight(90); // on a small screen the form scrolls rather than squeeze the list to nothing
        teams.setPlaceholder(new Label("Loading teams…"));
        HBox kindBox = new HBox(10);
        for (DecisionKind k : List.of(DecisionKind.ACCEPTED, DecisionKind.OVERRIDDEN, DecisionKind.TRANSFERRED,
                DecisionKind.IMPORTED, DecisionKind.BULK_ACCEPTED)) {
            CheckBox cb = new CheckBox(k.name().toLowerCase().replace('_', ' '));
            cb.setUserData(k);
            cb.setSelected(true);
            kinds.add(cb);
            kindBox.getChildren().add(cb);
        }
        maxPerTeam.setPromptText("no cap");
        minPerTeam.setPromptText("no minimum");
        dropSmall.setSelected(true);
        splitKind.getSelectionModel().select(0);
        splitRatio.setPrefColumnCount(5);
        splitRatio.disableProperty().bind(splitKind.getSelectionModel().selectedIndexProperty().isNotEqualTo(1));
        splitDate.disableProperty().bind(splitKind.getSelectionModel().selectedIndexProperty().isNotEqualTo(2));
        redact.setSelected(true);
        patterns.setPromptText("Extra patterns to redact, one regular expression per line (e.g. EMP-\\d+)");
        patterns.setPrefRowCount(2);
        patterns.disableProperty().bind(redact.selectedProperty().not());

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        int r = 0;
        g.addRow(r++, new Label("Format"), format);
        HBox dirBox = new HBox(6, outDir, browse);
        HBox.setHgrow(outDir, Priority.ALWAYS);
        g.addRow(r++, new Label("Folder"), dirBox);
        g.addRow(r++, new Label("Created"), new HBox(6, from, new Label("to"), to, new Label("(inclusive, UTC; empty = all)")));
        g.addRow(r++, new Label("Teams"), new VBox(2, teams, new Label("None selected = all teams")));
        g.addRow(r++, new Label("Final decision"), kindBox);
        g.addRow(r++, new Label(""), includeUnreviewed);
        g.addRow(r++, new Label("Balance"), new HBox(6, new Label("max per team"), maxPerTeam, new Label("min per team"), minPerTeam));
        g.addRow(r++, new Label(""), dropSmall);
        g.addRow(r++, new Label("Split"), new HBox(6, splitKind, new Label("validation ratio"), splitRatio,
                new Label("validation from"), splitDate));
        g.addRow(r++, new Label("Privacy"), redact);
        g.addRow(r++, new Label(""), patterns);
        GridPane.setHgrow(dirBox, Priority.ALWAYS);

        TableColumn<PreviewRow, Object> id = col("Ticket", p -> p.ticketId(), 60);
        TableColumn<PreviewRow, Object> team = col("Team", PreviewRow::team, 90);
        TableColumn<PreviewRow, Object> before = col("Before", p -> oneLine(p.before()), 330);
        TableColumn<PreviewRow, Object> after = col("After redaction", p -> oneLine(p.after()), 330);
        TableColumn<PreviewRow, Object> n = col("Redactions", PreviewRow::redactions, 80);
        preview.getColumns().setAll(List.of(id, team, before, after, n));
        preview.setPlaceholder(new Label("Preview shows about ten real rows before and after redaction."));
        preview.setPrefHeight(220);
        preview.setMinHeight(140);
        VBox.setVgrow(preview, Priority.ALWAYS);

        previewButton.setOnAction(e -> runPreview());
        exportButton.setOnAction(e -> runExport());
        exportButton.setDefaultButton(true);
        cancelButton.setOnAction(e -> cancelled.set(true));
        cancelButton.setDisable(true);
        // Esc closes the dialog, but not while an export runs: an Esc meant for a picker must not throw
        // away a long export; Cancel (or closing the window) stops it.
        closeButton.cancelButtonProperty().bind(cancelButton.disableProperty());
        closeButton.setOnAction(e -> {
            cancelled.set(true);
            stage.close();
        });
        progress.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(progress, Priority.ALWAYS);
        status.setWrapText(true);
        status.setId("export-status");
        VBox form = new VBox(8, g, new Label("Preview"), preview);
        javafx.scene.control.ScrollPane formScroll = dev.switchboard.app.ui.Scrolling.followingFocus(form);
        VBox.setVgrow(formScroll, Priority.ALWAYS);
        // the result names every file written: up to about eight lines in view, the rest scrolls
        javafx.scene.control.ScrollPane statusScroll = new javafx.scene.control.ScrollPane(status);
        statusScroll.setId("export-status-scroll");
        statusScroll.setFitToWidth(true);
        statusScroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        statusScroll.getStyleClass().add("edge-to-edge");
        Runnable sizeStatus = () -> {
            double w = statusScroll.getViewportBounds().getWidth();
            statusScroll.setPrefViewportHeight(Math.min(status.prefHeight(w > 0 ? w : -1), 150));
        };
        status.textProperty().addListener((o, a, b) -> sizeStatus.run());
        statusScroll.viewportBoundsProperty().addListener((o, a, b) -> {
            if (a.getWidth() != b.getWidth()) sizeStatus.run();
        });
        statusScroll.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox root = new VBox(8, formScroll, new HBox(8, progress, previewButton, exportButton,
                cancelButton, closeButton), statusScroll);
        root.setPadding(new Insets(12));
        return root;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ");
    }

    private static TableColumn<PreviewRow, Object> col(String title, java.util.function.Function<PreviewRow, Object> f, double w) {
        TableColumn<PreviewRow, Object> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    private void loadTeams() {
        bg.run("Loading teams", service::teamNames, names -> {
            teams.getItems().setAll(names);
            teams.setPlaceholder(new Label("No teams yet"));
        }, e -> status.setText("Cannot read teams: " + dev.switchboard.app.cli.CliSupport.message(e)));
    }

    /** The options the form describes (throws IllegalArgumentException with a readable message). */
    ExportOptions options() {
        Set<DecisionKind> k = EnumSet.noneOf(DecisionKind.class);
        for (CheckBox cb : kinds) if (cb.isSelected()) k.add((DecisionKind) cb.getUserData());
        if (k.isEmpty()) throw new IllegalArgumentException("choose at least one decision kind");
        Instant f = from.getValue() == null ? null : from.getValue().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant t = to.getValue() == null ? null : to.getValue().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (f != null && t != null && !f.isBefore(t)) throw new IllegalArgumentException("the period is empty: From is after To");
        ExportQuery q = new ExportQuery(f, t, new LinkedHashSet<>(teams.getSelectionModel().getSelectedItems()), k, null);
        Balance b = new Balance(number(maxPerTeam, "max per team"), number(minPerTeam, "min per team"), dropSmall.isSelected());
        Split s = switch (splitKind.getSelectionModel().getSelectedIndex()) {
            case 1 -> Split.parse("random:" + splitRatio.getText().strip());
            case 2 -> {
                if (splitDate.getValue() == null) throw new IllegalArgumentException("choose the date validation starts");
                yield new Split.Time(splitDate.getValue().atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            default -> new Split.None();
        };
        if (outDir.getText().isBlank()) throw new IllegalArgumentException("choose a folder");
        // the patterns field is disabled without redaction: its text is not applied, so it is not recorded either
        List<String> pats = !redact.isSelected() ? List.of()
                : patterns.getText().lines().map(String::strip).filter(x -> !x.isEmpty()).toList();
        return new ExportOptions(format.getValue(), Path.of(outDir.getText().strip()), q, includeUnreviewed.isSelected(),
                b, s, redact.isSelected(), pats, ExportOptions.DEFAULT_SEED, false, template);
    }

    private static Integer number(TextField f, String what) {
        String v = f.getText() == null ? "" : f.getText().strip();
        if (v.isEmpty()) return null;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number");
        }
    }

    private void runPreview() {
        ExportOptions o;
        try {
            o = options();
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            return;
        }
        // the button keeps the focus (disabled, it passed the focus to Export: the next Space exported) and
        // ignores presses until the rows are read
        if (previewing) return;
        previewing = true;
        status.setText("Reading rows for the preview…");
        bg.run("Export preview", () -> service.preview(o, 10), rows -> {
            preview.getItems().setAll(rows);
            previewing = false;
            long red = rows.stream().filter(p -> p.redactions() > 0).count();
            status.setText(rows.isEmpty() ? "No decided tickets match these filters."
                    : rows.size() + " rows shown, " + red + " with redactions.");
        }, e -> {
            previewing = false;
            status.setText("Preview failed: " + dev.switchboard.app.cli.CliSupport.message(e));
        });
    }

    private void runExport() {
        ExportOptions opts;
        try {
            opts = options();
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            return;
        }
        if (existing(opts)) {
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, "The folder already holds an export. Replace its files once the "
                    + "new ones are complete?", ButtonType.OK, ButtonType.CANCEL);
            a.initOwner(stage);
            if (a.showAndWait().orElse(ButtonType.CANCEL) != ButtonType.OK) return;
            opts = opts.withOverwrite(true);
        }
        ExportOptions o = opts;
        cancelled.set(false);
        setRunning(true);
        progress.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
        status.setText("Counting…");
        running = bg.run("Exporting dataset", () -> service.run(o, (phase, done, total) -> Background.fx(() -> {
            progress.setProgress(total > 0 ? (double) done / total : ProgressBar.INDETERMINATE_PROGRESS);
            status.setText(phase + "… " + String.format("%,d", done) + (total >= 0 ? String.format(" of %,d", total) : ""));
        }), cancelled::get), result -> {
            setRunning(false);
            progress.setProgress(1);
            status.setText(result.summary());
        }, e -> {
            setRunning(false);
            progress.setProgress(0);
            status.setText(e instanceof ExportCancelledException ? "Cancelled: no file was written."
                    // a file problem names the file and what is wrong with it ("…: not a folder"), not the bare path
                    : "Export failed: " + dev.switchboard.app.cli.CliSupport.message(e));
        });
    }

    private static boolean existing(ExportOptions o) {
        for (String n : List.of("dataset", "train", "validation")) {
            if (Files.exists(o.outDir().resolve(n + "." + o.format().extension()))) return true;
        }
        return Files.exists(o.outDir().resolve(ExportService.MANIFEST));
    }

    /**
     * While an export runs only Cancel and Close are enabled. A button that is disabled passes the focus on, and
     * Export passed it to Close (Cancel was still disabled then): the next Space or Enter closed the dialog and threw
     * the export away. The focus goes to Cancel while it runs, back to Export when it ends (the result stays on screen).
     */
    void setRunning(boolean on) {
        javafx.scene.Node owner = stage.getScene() == null ? null : stage.getScene().getFocusOwner();
        boolean onButtons = owner == exportButton || owner == previewButton || owner == cancelButton;
        cancelButton.setDisable(!on);
        if (on && onButtons) cancelButton.requestFocus();
        exportButton.setDisable(on);
        previewButton.setDisable(on);
        if (!on && onButtons) exportButton.requestFocus();
    }

    Workspace workspace() {
        return ws;
    }
}
