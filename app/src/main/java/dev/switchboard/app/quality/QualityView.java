package dev.switchboard.app.quality;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.ui.Background;
import dev.switchboard.inference.eval.LabelMetrics;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The team lead's view of how good the suggestions are: figure tiles, a reliability chart (does 80 %
 * mean right four times in five?), the teams, the most frequent wrong calls and the weeks. Computed on
 * {@link Background}; changing the period or engine cancels a computation under way.
 */
public final class QualityView {

    /** A period choice: its label and how many days back (0: all time). */
    record Period(String label, int days) {
        @Override
        public String toString() {
            return label;
        }
    }

    static final List<Period> PERIODS = List.of(new Period("Last 7 days", 7), new Period("Last 30 days", 30),
            new Period("Last 90 days", 90), new Period("All time", 0));
    static final String ALL_ENGINES = "All engines";

    private final Stage stage = new Stage();
    private final QualityService service;
    private final Background bg;

    final ComboBox<Period> period = new ComboBox<>(FXCollections.observableArrayList(PERIODS));
    final ComboBox<String> engine = new ComboBox<>(FXCollections.observableArrayList(ALL_ENGINES, "local", "llm"));
    final Button refresh = new Button("Refresh");
    final Button save = new Button("Save report…");
    final ProgressIndicator busy = new ProgressIndicator();
    final Label status = new Label();
    final Label answeredShare = new Label();
    final FlowPane tiles = new FlowPane(10, 10);
    final LineChart<Number, Number> chart = new LineChart<>(axis("Suggested with this confidence"), axis("Right (final team)"));
    final TableView<TeamRow> teams = new TableView<>();
    final TableView<QualityReport.Confusion> confusions = new TableView<>();
    final TableView<QualityReport.Week> weeks = new TableView<>();
    final Label reasons = new Label();

    /** One team's line: tickets that ended with it, times it was suggested, precision and recall. */
    public record TeamRow(String team, int finalCount, int suggested, double precision, double recall) {}

    private QualityReport report;
    private java.util.function.BiConsumer<String, java.util.List<Long>> onShowTickets = (label, ids) -> { };
    private Future<?> running;
    private AtomicBoolean cancel = new AtomicBoolean();

    private QualityView(Window owner, QualityService service, Background bg) {
        this.service = service;
        this.bg = bg;
        if (owner != null) stage.initOwner(owner);
        stage.setTitle("Suggestion quality");
        var screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(layout(), Math.min(1100, screen.getWidth() - 40), Math.min(800, screen.getHeight() - 60));
        dev.switchboard.app.ui.Theme.styleDialog(scene, owner);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), stage::close);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), this::recompute);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), this::saveReport);
        stage.setScene(scene);
        stage.setOnHidden(e -> cancel.set(true));
    }

    /** Opens the view (non-blocking) and starts computing the last 30 days. */
    public static QualityView show(Window owner, Workspace ws, Background bg) {
        QualityView v = new QualityView(owner, QualityService.of(ws), bg);
        v.stage.show();
        v.period.requestFocus();
        v.recompute();
        return v;
    }

    public Stage stage() {
        return stage;
    }

    /**
     * What Enter or a double-click on a wrong call does: receives a label ("suggested X, kept by Y") and the
     * call's ticket ids (the window shows them in the queue).
     */
    public void setOnShowTickets(java.util.function.BiConsumer<String, java.util.List<Long>> action) {
        onShowTickets = action == null ? (label, ids) -> { } : action;
    }

    /** The report on screen, or null while none has been computed. */
    public QualityReport report() {
        return report;
    }

    private BorderPane layout() {
        period.setId("quality-period");
        period.getSelectionModel().select(1);
        engine.setId("quality-engine");
        engine.getSelectionModel().select(0);
        period.setOnAction(e -> recompute());
        engine.setOnAction(e -> recompute());
        refresh.setId("quality-refresh");
        refresh.setOnAction(e -> recompute());
        save.setId("quality-save");
        save.setOnAction(e -> saveReport());
        save.setDisable(true);
        busy.setPrefSize(22, 22);
        busy.setVisible(false);
        status.setId("quality-status");
        status.getStyleClass().add("sb-note");
        status.setWrapText(true);
        Label pl = new Label("_Period");
        pl.setMnemonicParsing(true);
        pl.setLabelFor(period);
        Label el = new Label("_Engine");
        el.setMnemonicParsing(true);
        el.setLabelFor(engine);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox top = new HBox(8, pl, period, el, engine, refresh, busy, spacer, save);
        top.setAlignment(Pos.CENTER_LEFT);

        answeredShare.setId("quality-answered-share");
        answeredShare.setWrapText(true);
        answeredShare.setMinHeight(Region.USE_PREF_SIZE);
        answeredShare.setManaged(false);
        answeredShare.setVisible(false);
        answeredShare.setTooltip(new javafx.scene.control.Tooltip("Suggested tickets: those answered in this period and those "
                + "first suggested in it that nobody has answered yet. Closed includes resolved tickets and merged duplicates."));
        tiles.setId("quality-tiles");
        chart.setId("quality-chart");
        chart.setCreateSymbols(true);
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setPrefSize(420, 320);
        chart.setMinHeight(280);

        teams.setId("quality-teams");
        teams.getColumns().add(col("Team", TeamRow::team, 160));
        teams.getColumns().add(col("Kept", r -> String.format(Locale.ROOT, "%,d", r.finalCount()), 60));
        teams.getColumns().add(col("Suggested", r -> String.format(Locale.ROOT, "%,d", r.suggested()), 90));
        teams.getColumns().add(col("Precision", r -> r.suggested() == 0 ? "–" : QualityReport.pct(r.precision()), 90));
        teams.getColumns().add(col("Recall", r -> r.finalCount() == 0 ? "–" : QualityReport.pct(r.recall()), 80));
        teams.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        teams.setPlaceholder(new Label("No answered suggestions"));
        confusions.setId("quality-confusions");
        confusions.getColumns().add(col("Suggested", QualityReport.Confusion::suggested, 190));
        confusions.getColumns().add(col("Kept by", QualityReport.Confusion::actual, 190));
        confusions.getColumns().add(col("Count", c -> String.format(Locale.ROOT, "%,d", c.count()), 70));
        confusions.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        confusions.setPlaceholder(new Label("No wrong calls"));
        confusions.setTooltip(new javafx.scene.control.Tooltip("Enter or double-click: show these tickets in the queue"));
        confusions.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                showSelectedCall();
                e.consume();
            }
        });
        confusions.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) showSelectedCall();
        });
        weeks.setId("quality-weeks");
        weeks.getColumns().add(col("Week of", w -> w.monday().toString(), 110));
        weeks.getColumns().add(col("Answered", w -> String.format(Locale.ROOT, "%,d", w.answered()), 90));
        weeks.getColumns().add(col("Team kept", w -> QualityReport.pct(QualityReport.share(w.teamKept(), w.answered())), 100));
        weeks.getColumns().add(col("Right", w -> QualityReport.pct(QualityReport.share(w.right(), w.answered())), 80));
        weeks.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        weeks.setPlaceholder(new Label("No weeks"));
        reasons.setId("quality-reasons");
        reasons.setWrapText(true);
        reasons.setMinHeight(Region.USE_PREF_SIZE);

        GridPane grid = new GridPane();
        grid.setHgap(14);
        grid.setVgap(6);
        grid.add(section("How sure, how right (dashed: perfectly calibrated)"), 0, 0);
        grid.add(chart, 0, 1);
        grid.add(section("Most frequent wrong calls"), 1, 0);
        grid.add(confusions, 1, 1);
        grid.add(section("Teams (suggested team against the team that kept the ticket)"), 0, 2);
        grid.add(teams, 0, 3);
        grid.add(section("Weeks"), 1, 2);
        grid.add(weeks, 1, 3);
        javafx.scene.layout.ColumnConstraints c0 = new javafx.scene.layout.ColumnConstraints();
        c0.setPercentWidth(52);
        javafx.scene.layout.ColumnConstraints c1 = new javafx.scene.layout.ColumnConstraints();
        c1.setPercentWidth(48);
        grid.getColumnConstraints().addAll(c0, c1);
        GridPane.setVgrow(teams, Priority.ALWAYS);
        GridPane.setHgrow(chart, Priority.ALWAYS);
        confusions.setPrefHeight(300);
        teams.setPrefHeight(240);
        weeks.setPrefHeight(200);

        VBox center = new VBox(10, answeredShare, tiles, grid, reasons);
        VBox.setVgrow(grid, Priority.ALWAYS);
        Label note = new Label("Each ticket counts once: the first suggestion a dispatcher answered, against the team and "
                + "priority it finally kept (after any transfers). Enter on a wrong call shows its tickets in the queue; "
                + "Esc closes, F5 refreshes.");
        note.getStyleClass().add("sb-note");
        note.setId("quality-note");
        note.setWrapText(true);
        // at 1024×700 the figures are taller than the window: they scroll (following the keyboard focus) instead
        // of running under the note, with the teams, weeks, override reasons and times to decide out of reach
        teams.setMinHeight(120);
        weeks.setMinHeight(120);
        javafx.scene.control.ScrollPane scroll = dev.switchboard.app.ui.Scrolling.followingFocus(center);
        scroll.setId("quality-scroll");
        BorderPane root = new BorderPane(scroll, top, null, new VBox(4, status, note), null);
        BorderPane.setMargin(scroll, new Insets(10, 0, 10, 0));
        root.setPadding(new Insets(12));
        root.getStyleClass().add("sb-dialog");
        return root;
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label, 0, 1, 0.1);
        a.setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Number n) {
                return Math.round(n.doubleValue() * 100) + "%";
            }

            @Override
            public Number fromString(String s) {
                return Double.parseDouble(s.replace("%", "")) / 100;
            }
        });
        return a;
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("sb-section");
        return l;
    }

    private static <T> TableColumn<T, String> col(String name, java.util.function.Function<T, String> value, double width) {
        TableColumn<T, String> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** Recomputes the figures for the chosen period and engine (F5). */
    public void refresh() {
        recompute();
    }

    /** Computes the report for the chosen period and engine in the background (cancelling one under way). */
    void recompute() {
        cancel.set(true);
        if (running != null) running.cancel(false);
        AtomicBoolean mine = new AtomicBoolean();
        cancel = mine;
        Period p = period.getValue();
        String eng = ALL_ENGINES.equals(engine.getValue()) ? null : engine.getValue();
        Instant from = p == null || p.days() == 0 ? null : Instant.now().minus(Duration.ofDays(p.days()));
        busy.setVisible(true);
        status.setText("Reading the decisions…");
        running = bg.run(null, () -> service.compute(from, null, eng, mine::get), r -> {
            if (mine.get()) return;
            busy.setVisible(false);
            show(r);
        }, err -> {
            if (mine.get()) return;
            busy.setVisible(false);
            status.setText("Could not compute the figures: " + err.getMessage());
        });
    }

    private void show(QualityReport r) {
        report = r;
        save.setDisable(false);
        tiles.getChildren().clear();
        chart.getData().clear();
        answeredShare.setText(r.suggested() == 0 ? "" : (r.answeredSummary() + " " + r.fewAnswersNote()).strip());
        answeredShare.setManaged(r.suggested() > 0);
        answeredShare.setVisible(r.suggested() > 0);
        if (r.answered() == 0) {
            status.setText("No dispatcher has answered a suggestion " + (r.from() == null ? "yet" : "in this period")
                    + ". Figures appear once suggestions are accepted or overridden.");
            teams.getItems().clear();
            confusions.getItems().clear();
            weeks.getItems().clear();
            reasons.setText("");
            return;
        }
        LabelMetrics t = r.team();
        tiles.getChildren().addAll(
                tile("answered", String.format(Locale.ROOT, "%,d", r.answered()), "answered", "Tickets whose first suggestion a dispatcher answered (accepted or overrode) in this period"),
                tile("accepted", QualityReport.pct(r.acceptanceRate()), "accepted as suggested", "Answers that took the suggestion as it was, team and priority (Enter or bulk accept)"),
                tile("kept", QualityReport.pct(r.teamKeptRate()), "team kept", "Answers that kept the suggested team (a priority change alone counts as kept)"),
                tile("top1", QualityReport.pct(t.accuracy()), "right team", "The suggested team is the team that finally kept the ticket, after any transfers"),
                tile("hit3", QualityReport.pct(t.hitAt3()), "right in the top 3", "The team that kept the ticket is among the three suggested teams"),
                tile("confident", QualityReport.pct(t.thresholdPrecision()),
                        "right when confident (" + QualityReport.pct(t.thresholdCoverage()) + " were)",
                        "Of the suggestions marked confident (Enter accepts), how many named the team that kept the ticket"),
                tile("ece", String.format(Locale.ROOT, "%.3f", t.ece()), "calibration error", "Expected calibration error: how far the stated confidence is from how often it was right (0 = perfect)"),
                tile("transferred", QualityReport.pct(r.transferredLaterRate()),
                        String.format(Locale.ROOT, "transferred later (%,d had kept it)", r.keptThenTransferred()),
                        "Tickets moved to another team after the answer; in brackets those whose suggested team had been kept"),
                tile("teams", String.format(Locale.ROOT, "%.2f", r.meanTeams()), "teams per ticket", "Teams a ticket passed through from the answer on (1 = it stayed): mean steps to resolve"));
        XYChart.Series<Number, Number> ideal = new XYChart.Series<>();
        ideal.setName("perfectly calibrated");
        ideal.getData().add(new XYChart.Data<>(0, 0));
        ideal.getData().add(new XYChart.Data<>(1, 1));
        XYChart.Series<Number, Number> actual = new XYChart.Series<>();
        actual.setName("suggestions (points: confidence bins)");
        for (LabelMetrics.Bin b : r.reliability()) actual.getData().add(new XYChart.Data<>(b.meanConfidence(), b.accuracy()));
        chart.getData().add(ideal);
        chart.getData().add(actual);
        // the diagonal is a reference: a dashed muted line without point symbols
        if (ideal.getNode() != null) ideal.getNode().setStyle("-fx-stroke: -color-fg-muted; -fx-stroke-width: 1; -fx-stroke-dash-array: 6 4;");
        for (XYChart.Data<Number, Number> d : ideal.getData()) {
            if (d.getNode() != null) d.getNode().setVisible(false);
        }
        teams.getItems().setAll(teamRows(t));
        confusions.getItems().setAll(r.confusions());
        weeks.getItems().setAll(new ArrayList<>(r.weeks()).reversed());
        StringBuilder sb = new StringBuilder("Override reasons: ");
        if (r.reasons().isEmpty()) sb.append("no overrides");
        r.reasons().forEach((k, v) -> sb.append(dev.switchboard.app.ui.ReasonDialog.label(k)).append(' ').append(String.format(Locale.ROOT, "%,d", v)).append(" · "));
        if (!r.reasons().isEmpty()) sb.setLength(sb.length() - 3);
        sb.append(String.format(Locale.ROOT, ".  Median time to decide: accept %s, override %s.", QualityReport.seconds(r.medianMsAccepted()),
                QualityReport.seconds(r.medianMsOverridden())));
        reasons.setText(sb.toString());
        status.setText(String.format(Locale.ROOT, "%s · %,d answered suggestions%s · engines: %s", r.period(), r.answered(),
                r.engine() == null ? "" : " of engine " + r.engine(), r.engines().toString().replaceAll("[{}]", "")));
    }

    private void showSelectedCall() {
        QualityReport.Confusion c = confusions.getSelectionModel().getSelectedItem();
        if (c == null || c.tickets().isEmpty()) return;
        onShowTickets.accept("suggested " + c.suggested() + ", kept by " + c.actual(), c.tickets());
    }

    /** Teams by how many tickets ended with them. */
    static List<TeamRow> teamRows(LabelMetrics t) {
        List<TeamRow> out = new ArrayList<>();
        for (Map.Entry<String, LabelMetrics.PerClass> e : t.perClass().entrySet()) {
            int suggested = 0;
            for (Map<String, Integer> row : t.confusion().values()) suggested += row.getOrDefault(e.getKey(), 0);
            out.add(new TeamRow(e.getKey(), e.getValue().support(), suggested, e.getValue().precision(), e.getValue().recall()));
        }
        out.sort(java.util.Comparator.comparingInt(TeamRow::finalCount).reversed().thenComparing(TeamRow::team));
        return out;
    }

    private static VBox tile(String id, String value, String label, String tip) {
        Label v = new Label(value);
        v.getStyleClass().add("sb-tile-value");
        v.setId("tile-" + id);
        Label l = new Label(label);
        l.getStyleClass().add("sb-tile-label");
        VBox box = new VBox(2, v, l);
        box.getStyleClass().add("sb-tile");
        javafx.scene.control.Tooltip.install(box, new javafx.scene.control.Tooltip(tip));
        return box;
    }

    /** Ctrl+S: writes the report on screen as JSON (the same as {@code switchboard quality --report}). */
    private void saveReport() {
        QualityReport r = report;
        if (r == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle("Save the suggestion-quality report");
        fc.setInitialFileName("suggestion-quality.json");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        File f = fc.showSaveDialog(stage);
        if (f == null) return;
        bg.run(null, () -> {
            // the user's only (0600), as `switchboard quality --report` and the exports write theirs
            QualityReport.write(f.toPath(), r);
            return f;
        }, done -> status.setText("Report saved to " + done), err -> status.setText("Could not save the report: " + dev.switchboard.app.cli.CliSupport.message(err)));
    }
}
