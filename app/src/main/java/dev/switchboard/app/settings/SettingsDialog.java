package dev.switchboard.app.settings;

import dev.switchboard.app.Services;
import dev.switchboard.app.ui.Background;
import dev.switchboard.app.ui.TextLimit;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * File › Settings: dispatcher name, local HTTP intake, triage engine (local or LLM, test connection),
 * the egress ledger and the LLM prompt template. The intake switches at once; the rest is saved with
 * Apply / OK. Esc closes without saving.
 */
public final class SettingsDialog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Services services;
    private final Background background;
    private final EngineControl engine;
    private final Stage stage = new Stage();
    private final TextField dispatcher = new TextField();
    private final javafx.scene.control.Spinner<Integer> windowDays = new javafx.scene.control.Spinner<>(1, 3650, 30);
    private final javafx.scene.control.CheckBox duplicateCheck = new javafx.scene.control.CheckBox(
            "Check borderline duplicate pairs with the LLM engine");
    private final EnginePane enginePane;
    private final PromptPane promptPane;
    private final Label status = new Label();
    private final TabPane tabs = new TabPane();

    public static void show(Window owner, Services services, Background background) {
        show(owner, services, background, null);
    }

    /** @param selectedTicket the ticket the prompt preview renders (null: the newest) */
    public static void show(Window owner, Services services, Background background, Long selectedTicket) {
        create(owner, services, background, selectedTicket).stage.show();
    }

    static SettingsDialog create(Window owner, Services services, Background background, Long selectedTicket) {
        return new SettingsDialog(owner, services, background, selectedTicket);
    }

    Stage stage() {
        return stage;
    }

    private SettingsDialog(Window owner, Services services, Background background, Long selectedTicket) {
        this.services = services;
        this.background = background;
        this.engine = EngineControl.of(services);
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        stage.setTitle("Settings");
        promptPane = new PromptPane(services, background, selectedTicket, EngineConfig.load(services.settings()).template());
        enginePane = new EnginePane(engine, background, () -> {
            var t = promptPane.template();
            return t == null ? EngineConfig.load(services.settings()).template() : t;
        });

        tabs.getTabs().addAll(tab("General", "settings-general", general()),
                tab("Intake", "settings-intake", new IntakePane(IntakeControl.of(services), background)),
                tab("Engine", "settings-engine", enginePane),
                tab("Egress ledger", "settings-egress", egress()),
                tab("Prompt", "settings-prompt", promptPane));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);

        Button ok = new Button("OK");
        ok.setId("settings-ok");
        ok.setDefaultButton(true);
        ok.getStyleClass().add("accent");
        ok.setOnAction(e -> apply(true));
        Button applyButton = new Button("Apply");
        applyButton.setId("settings-apply");
        applyButton.setOnAction(e -> apply(false));
        Button close = new Button("Close");
        close.setId("settings-close");
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        status.setId("settings-status");
        status.setWrapText(true);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, status, spacer, ok, applyButton, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        buttons.setPadding(new Insets(10, 14, 14, 14));

        BorderPane root = new BorderPane(tabs, null, null, buttons, null);
        root.getStyleClass().add("sb-dialog");
        // within the screen (1024 x 700 leaves about 650 under the title bar); the forms scroll
        double[] size = dev.switchboard.app.ui.Scrolling.fit(860, 680, javafx.stage.Screen.getPrimary().getVisualBounds());
        Scene scene = new Scene(root, size[0], size[1]);
        dev.switchboard.app.ui.Theme.styleDialog(scene, owner);
        stage.setScene(scene);
        stage.setOnShown(e -> dispatcher.requestFocus());
    }

    private static Tab tab(String name, String id, javafx.scene.Node content) {
        // a form taller than the dialog (a small screen, wrapped notes) scrolls instead of running under the buttons
        if (content instanceof SettingsForm) content = dev.switchboard.app.ui.Scrolling.followingFocus(content);
        Tab t = new Tab(name, content);
        t.setId(id);
        return t;
    }

    private SettingsForm general() {
        SettingsForm f = new SettingsForm();
        f.setPadding(new Insets(14));
        dispatcher.setId("settings-dispatcher");
        TextLimit.cap(dispatcher, dev.switchboard.persistence.entity.Decision.MAX_DISPATCHER);
        dispatcher.setText(services.settings().dispatcher());
        dispatcher.setPromptText(System.getProperty("user.name", "dispatcher"));
        f.section("Dispatcher");
        f.add("Your name:", dispatcher);
        f.note("Recorded with every decision you make (accept, override, re-route). Empty = your login name ("
                + System.getProperty("user.name", "dispatcher") + ").");
        f.section("Duplicates");
        windowDays.setId("settings-duplicate-window");
        windowDays.setEditable(true);
        windowDays.getValueFactory().setValue(services.duplicates().windowDays());
        windowDays.setPrefWidth(110);
        f.add("Look back (days):", windowDays);
        f.note("New tickets are compared with every open ticket and with closed ones created in this many days.");
        duplicateCheck.setId("settings-duplicate-check");
        duplicateCheck.setSelected(engine.duplicateCheck());
        f.full(duplicateCheck);
        f.note("Only while the LLM engine is on. Each ticket of a pair whose score is borderline is rewritten by the LLM as "
                + "a one-sentence issue statement (redacted like triage requests), then the LLM judges same or different. "
                + "\"Same\" flags the pair, \"different\" drops it. Every request appears in the egress ledger.");
        f.note("Settings file: " + services.settings().dataDir().resolve("settings.properties"));
        return f;
    }

    private VBox egress() {
        EgressLedger ledger = engine.ledger();
        TableView<EgressLedger.Entry> table = new TableView<>(ledger.entries());
        table.setId("egress-table");
        table.setAccessibleText("Requests sent to the LLM");
        table.setPlaceholder(new Label("Nothing has left this computer since the app started."));
        table.getColumns().add(col("Time", 150, e -> TIME.format(e.at())));
        table.getColumns().add(col("Endpoint", 280, EgressLedger.Entry::endpoint));
        table.getColumns().add(col("Model", 120, EgressLedger.Entry::model));
        table.getColumns().add(col("Prompt chars", 100, e -> String.format("%,d", e.promptChars())));
        table.getColumns().add(col("Outcome", 120, EgressLedger.Entry::outcome));
        table.getColumns().add(col("Purpose", 120, EgressLedger.Entry::purpose));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label count = new Label();
        count.setId("egress-count");
        count.textProperty().bind(Bindings.createStringBinding(() -> String.format("%,d request(s) since the app started%s",
                ledger.countProperty().get(), ledger.countProperty().get() > EgressLedger.CAP ? " (latest " + EgressLedger.CAP + " shown)" : ""),
                ledger.countProperty()));
        Label note = new Label("Every request the LLM engine sends off this computer: where, which model, how many characters, "
                + "when, how it ended and what for (triage or duplicate check). Never the ticket text or the key. Also appended to " + ledger.logFile() + ".");
        note.getStyleClass().add("sb-note");
        note.setWrapText(true);
        note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // all its lines, not one cut to "…"
        VBox box = new VBox(8, note, count, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        box.setPadding(new Insets(14));
        return box;
    }

    private static TableColumn<EgressLedger.Entry, String> col(String name, double width,
                                                              java.util.function.Function<EgressLedger.Entry, String> f) {
        TableColumn<EgressLedger.Entry, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
        return c;
    }

    /** Saves the dispatcher, template and engine; switches the engine in the background. */
    private void apply(boolean closeAfter) {
        if (!promptPane.validate()) {
            tabs.getSelectionModel().select(4);
            status.setText("The prompt template is not valid.");
            return;
        }
        if (!enginePane.validate()) {
            tabs.getSelectionModel().select(2);
            status.setText("The engine settings are not complete.");
            return;
        }
        enginePane.commitKey();
        String name = dispatcher.getText().strip();
        services.settings().set("dispatcher", name.isEmpty() ? null : name);
        services.settings().set(EngineControl.DUPLICATE_CHECK, Boolean.toString(duplicateCheck.isSelected()));
        windowDays.increment(0); // commits a typed value (an invalid one reverts to the last valid)
        services.settings().set(dev.switchboard.app.duplicates.DuplicateService.WINDOW_DAYS, Integer.toString(windowDays.getValue()));
        services.duplicates().setWindowDays(windowDays.getValue());
        EngineConfig cfg = enginePane.config();
        status.setText("Saving…");
        background.run(null, () -> {
            engine.apply(cfg); // saves the settings file too
            return cfg;
        }, c -> {
            status.setText(c.llm() ? "Saved. New suggestions come from " + c.model() + " (local model as fallback)"
                    + (services.duplicates().checksWithLlm() ? "; borderline duplicates are checked by it too." : ".")
                    : "Saved. New suggestions come from the local model.");
            if (closeAfter) stage.close();
        }, e -> status.setText("Could not apply: " + engine.scrub(String.valueOf(e.getMessage()))));
    }
}
