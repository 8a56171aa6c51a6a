package dev.switchboard.app;

import dev.switchboard.app.queue.LiveUpdates;
import dev.switchboard.app.queue.QueueView;
import dev.switchboard.app.queue.QueueViewModel;
import dev.switchboard.app.ticket.TicketDetailView;
import dev.switchboard.app.ui.Background;
import dev.switchboard.app.ui.Command;
import dev.switchboard.app.ui.KeyOwner;
import dev.switchboard.app.ui.Theme;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TicketDetail;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.binding.Bindings;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import org.controlsfx.control.StatusBar;

/**
 * The main window: menu, filter bar + queue on the left, the ticket on the right, status bar below.
 * Shown at once; the workspace is attached when it has opened in the background.
 */
public final class MainWindow {

    private final Theme theme;
    private final Background background;
    private final QueueViewModel queue = new QueueViewModel();
    private final QueueView queueView = new QueueView(queue);
    private final TicketDetailView detail = new TicketDetailView(this::openTicket);
    private final StatusBar statusBar = new StatusBar();
    private final BorderPane root = new BorderPane();
    private final Map<Command, Runnable> handlers = new EnumMap<>(Command.class);
    private final AtomicLong shownTicket = new AtomicLong(-1);
    private boolean swallowTyped;
    private final javafx.animation.PauseTransition detailDebounce = new javafx.animation.PauseTransition(javafx.util.Duration.millis(60));
    private javafx.animation.Timeline burstTimer;
    private final Scene scene;
    private Workspace workspace;
    private Services services;
    private LiveUpdates live;

    public MainWindow(Theme theme, Background background) {
        this.theme = theme;
        this.background = background;
        javafx.scene.layout.VBox left = new javafx.scene.layout.VBox();
        for (int i = 0; i < MAX_BURST_BANNERS; i++) {
            var banner = i == 0 ? burstBanner : new javafx.scene.control.Button();
            banner.setId(i == 0 ? "burst-banner" : "burst-banner-" + (i + 1));
            banner.setMaxWidth(Double.MAX_VALUE);
            banner.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            banner.setWrapText(true);
            // a button styled as a banner: Tab (or Shift+Tab from the search field) reaches it, Enter or Space shows the tickets
            banner.getStyleClass().setAll("burst-banner");
            banner.setVisible(false);
            banner.managedProperty().bind(banner.visibleProperty());
            burstBanners.add(banner);
            left.getChildren().add(banner);
        }
        left.getChildren().add(queueView);
        javafx.scene.layout.VBox.setVgrow(queueView, javafx.scene.layout.Priority.ALWAYS);
        SplitPane split = new SplitPane(left, detail);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.64);
        root.setTop(menuBar());
        root.setCenter(split);
        root.setBottom(statusBar);
        statusBar.setId("status-bar");
        statusBar.setText("Opening workspace…");
        statusBar.progressProperty().bind(Bindings.when(background.progressProperty().greaterThan(0))
                .then(background.progressProperty())
                .otherwise(Bindings.when(background.runningProperty().greaterThan(0)).then(-1.0).otherwise(0.0)));
        countsLabel();

        on(Command.FOCUS_SEARCH, () -> queueView.searchField().requestFocus());
        on(Command.CLEAR_FILTERS, queue::clearFilters);
        on(Command.NEXT, () -> move(1));
        on(Command.PREVIOUS, () -> move(-1));
        on(Command.TOGGLE_THEME, theme::toggle);
        on(Command.SHORTCUTS, this::showShortcuts);
        on(Command.QUIT, javafx.application.Platform::exit);

        // a live update of the shown ticket reloads the pane quietly (applyLive), without blanking it first
        queueView.currentProperty().addListener((o, a, row) -> {
            if (a == null || row == null || a.id() != row.id()) showDetail(row);
        });

        scene = new Scene(root, 1280, 800);
        var css = MainWindow.class.getResource("/dev/switchboard/ui/switchboard.css");
        if (css != null) scene.getStylesheets().add(css.toExternalForm());
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::dispatchKey);
        // The character of a key that ran a command must not land in a field the command focused.
        scene.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if (swallowTyped) {
                swallowTyped = false;
                e.consume();
            }
        });
        scene.addEventFilter(KeyEvent.KEY_RELEASED, e -> swallowTyped = false);
        theme.apply();
    }

    public Scene scene() {
        return scene;
    }

    public QueueViewModel queue() {
        return queue;
    }

    public QueueView queueView() {
        return queueView;
    }

    public TicketDetailView detail() {
        return detail;
    }

    public Background background() {
        return background;
    }

    public Optional<Workspace> workspace() {
        return Optional.ofNullable(workspace);
    }

    public Optional<Services> services() {
        return Optional.ofNullable(services);
    }

    /** Selects a ticket in the queue (widening the filters if it is hidden) and shows it. */
    public void openTicket(long id) {
        TableView<QueueRow> t = queueView.table();
        QueueRow row = t.getItems().stream().filter(r -> r.id() == id).findFirst().orElse(null);
        if (row == null && queue.byId(id) != null) {
            queue.clearFilters();
            queue.statusProperty().set(QueueViewModel.STATUS_ALL);
            row = t.getItems().stream().filter(r -> r.id() == id).findFirst().orElse(null);
        }
        if (row != null) {
            t.getSelectionModel().clearAndSelect(t.getItems().indexOf(row));
            t.scrollTo(Math.max(0, t.getSelectionModel().getSelectedIndex() - 5));
            // the keys act on the opened ticket: an evidence link pressed with Enter goes with the card it was on,
            // and focus then fell to the search field, where the next J or Enter was typed
            t.requestFocus();
        }
    }

    /** A full retrain in the background (progress in the status bar); the current model serves meanwhile. */
    private void retrain(Services svc) {
        if (svc.triage().isTraining()) {
            background.status("The local model is already training (" + Command.CANCEL_TRAINING.key().getDisplayText()
                    + " cancels)");
            return;
        }
        svc.triage().retrain().whenComplete((summary, err) -> Background.fx(() -> {
            // progress with total 0: the message, and the progress bar cleared
            if (err == null) {
                background.progress(String.format("Local model retrained on %,d decided tickets", summary.examples()), 0, 0);
            } else if (dev.switchboard.app.triage.TriageService.isCancellation(err)) {
                background.progress(dev.switchboard.app.triage.TriageService.TRAINING_CANCELLED, 0, 0);
            } else {
                background.progress("Retraining failed", 0, 0);
                showError("Retraining the local model failed", err);
            }
        }));
    }

    /** Binds a command to an action; menus and keys both use it. */
    public void on(Command c, Runnable action) {
        handlers.put(c, action);
    }

    private void run(Command c) {
        Runnable r = handlers.get(c);
        if (r != null) r.run();
    }

    private void dispatchKey(KeyEvent e) {
        // A single key the focused control uses itself (typing, opening a picker, pressing a link) is its own:
        // Enter on an evidence link opens the ticket instead of accepting, 1 on the priority filter sets no priority.
        boolean controlKeeps = KeyOwner.keeps(scene.getFocusOwner(), e, queueView.table());
        for (Command c : Command.values()) {
            if (!c.key().match(e)) continue;
            if (controlKeeps && c.isPlainKey()) return;
            if (!handlers.containsKey(c)) return;
            e.consume();
            swallowTyped = true;
            // Commands that open a dialog run after this key event is done, so its typed character
            // does not land in the dialog's first text field.
            if (c.opensDialog()) javafx.application.Platform.runLater(() -> run(c));
            else run(c);
            return;
        }
    }

    /** The suggestion-quality window while it is open (one at a time). */
    private dev.switchboard.app.quality.QualityView quality;

    private MenuBar menuBar() {
        Menu file = new Menu("_File", null, item(Command.IMPORT), item(Command.EXPORT), item(Command.SETTINGS), item(Command.QUIT));
        Menu queueMenu = new Menu("_Queue", null, item(Command.FOCUS_SEARCH), item(Command.CLEAR_FILTERS),
                item(Command.NEXT), item(Command.PREVIOUS), item(Command.SHOW_GROUP));
        Menu triage = new Menu("_Triage", null, item(Command.ACCEPT), item(Command.PICK_TEAM), item(Command.PRIORITY_1),
                item(Command.PRIORITY_2), item(Command.PRIORITY_3), item(Command.PRIORITY_4), item(Command.REROUTE),
                item(Command.SNOOZE), item(Command.MARK_DUPLICATE), item(Command.UNDO), item(Command.BULK_ACCEPT),
                new javafx.scene.control.SeparatorMenuItem(), item(Command.ASSIGN), item(Command.RESOLVE), item(Command.CLOSE_TICKET), item(Command.REOPEN));
        CheckMenuItem dark = new CheckMenuItem(Command.TOGGLE_THEME.label());
        dark.setAccelerator(Command.TOGGLE_THEME.key());
        dark.selectedProperty().bindBidirectional(theme.darkProperty());
        Menu model = new Menu("_Model", null, item(Command.QUALITY), new javafx.scene.control.SeparatorMenuItem(),
                item(Command.RETRAIN), item(Command.CANCEL_TRAINING));
        Menu view = new Menu("_View", null, dark);
        Menu help = new Menu("_Help", null, item(Command.SHORTCUTS));
        MenuBar bar = new MenuBar(file, queueMenu, triage, model, view, help);
        bar.setId("menu-bar");
        return bar;
    }

    private MenuItem item(Command c) {
        MenuItem mi = new MenuItem(c.label());
        mi.setId("menu-" + c.id());
        // Plain-key accelerators would fire while typing in the search box; the key filter handles them.
        if (!c.isPlainKey()) mi.setAccelerator(c.key());
        mi.setOnAction(e -> run(c));
        return mi;
    }

    private void countsLabel() {
        var visible = queueView.table().getItems();
        statusBar.getLeftItems().clear();
        var label = new javafx.scene.control.Label();
        label.setId("counts");
        label.textProperty().bind(Bindings.createStringBinding(() -> String.format("%,d tickets · %,d open · %,d shown   ",
                        queue.totalProperty().get(), queue.openCountProperty().get(), visible.size()),
                queue.totalProperty(), queue.openCountProperty(), visible));
        statusBar.getLeftItems().add(label);
        statusBar.textProperty().bind(Bindings.when(background.messageProperty().isEmpty())
                .then("").otherwise(background.messageProperty()));
    }

    private void move(int delta) {
        TableView<QueueRow> t = queueView.table();
        int n = t.getItems().size();
        if (n == 0) return;
        int i = t.getSelectionModel().getSelectedIndex();
        int next = i < 0 ? 0 : Math.max(0, Math.min(n - 1, i + delta));
        t.getSelectionModel().clearAndSelect(next);
        queueView.ensureVisible(next);
        if (!t.isFocused()) t.requestFocus();
    }

    private void showDetail(QueueRow row) {
        if (row == null) {
            shownTicket.set(-1);
            detail.clear();
            return;
        }
        long id = row.id();
        shownTicket.set(id);
        detail.showLoading(id);
        if (workspace == null) return;
        // Holding J moves through many rows: load the ticket once the selection rests for a moment.
        detailDebounce.setOnFinished(e -> background.quietly(() -> loadDetail(id), d -> {
            if (shownTicket.get() == id) d.ifPresent(detail::show);
        }, err -> showError("Could not load ticket #" + id, err)));
        detailDebounce.playFromStart();
    }

    /** A ticket for the detail pane: its probable duplicates scored as the compare view scores them (once indexed). */
    private java.util.Optional<dev.switchboard.persistence.store.TicketDetail> loadDetail(long id) {
        return services != null ? services.duplicates().detail(id) : workspace.store().detail(id);
    }

    private final javafx.scene.control.Button burstBanner = new javafx.scene.control.Button();
    /** One banner per burst, largest first: two incidents at once are both announced. */
    static final int MAX_BURST_BANNERS = 3;
    private final List<javafx.scene.control.Button> burstBanners = new java.util.ArrayList<>();

    /** The last burst scan; a timer tick while it runs is skipped rather than queued. FX thread only. */
    private java.util.concurrent.CompletableFuture<?> burstScan = java.util.concurrent.CompletableFuture.completedFuture(null);

    /**
     * "6 similar in the last 30 minutes": a hint of a major incident; click to filter on it. The scan runs
     * on the duplicate service's own low-priority thread, never on {@link #background}, so loading a
     * ticket, an import or a preview never waits behind it.
     */
    private void refreshBursts(Services svc) {
        if (!burstScan.isDone()) return;
        burstScan = svc.duplicates().scanBursts().thenAccept(bursts -> {
            Background.fx(() -> {
                for (int i = 0; i < burstBanners.size(); i++) {
                    var banner = burstBanners.get(i);
                    if (i >= bursts.size()) {
                        banner.setVisible(false);
                        continue;
                    }
                    var b = bursts.get(i);
                    var terms = b.sharedTerms().subList(0, Math.min(3, b.sharedTerms().size()));
                    int unshown = i == burstBanners.size() - 1 ? bursts.size() - burstBanners.size() : 0;
                    banner.setText("⚠ " + b.size() + " similar tickets in the last 30 minutes"
                            + (terms.isEmpty() ? "" : " (\"" + String.join(", ", terms) + "\")")
                            + " — possible major incident. Click (or Enter) to show them."
                            + (unshown > 0 ? " " + unshown + " smaller burst(s) not shown." : ""));
                    java.util.List<Long> members = b.ids().stream().map(Long::valueOf).toList();
                    banner.setOnAction(e -> {
                        queue.showGroup(members);
                        background.status(members.size() + " similar tickets — " + Command.CLEAR_FILTERS.key().getDisplayText()
                                + " shows the whole queue again");
                    });
                    banner.setVisible(true);
                }
            });
        });
    }

    /**
     * Groups the queue to a ticket's duplicate group: every ticket connected to it through suggested,
     * linked or merged pairs (so twenty reports of one outage show together).
     */
    private void showDuplicateGroup(Services svc, long id) {
        background.quietly(() -> svc.duplicates().links().group(id), ids -> {
            if (ids.size() < 2) {
                background.status("#" + id + " has no probable or linked duplicates");
                return;
            }
            queue.showGroup(ids);
            background.status("Duplicate group of #" + id + ": " + ids.size() + " tickets — "
                    + Command.CLEAR_FILTERS.key().getDisplayText() + " shows the whole queue again");
            openTicket(id);
        }, e -> showError("Could not read duplicates of #" + id, e));
    }

    /** Re-reads the selected ticket (after it changed). */
    public void refreshDetail() {
        QueueRow row = queueView.table().getSelectionModel().getSelectedItem();
        if (row != null) showDetail(row);
    }

    /** Attaches opened services: the queue loads, the model trains, suggestions start. */
    public void attach(Services svc) {
        this.services = svc;
        var triage = new dev.switchboard.app.queue.TriageActions(this, svc);
        triage.install();
        svc.triage().setListener(new dev.switchboard.app.triage.TriageService.Listener() {
            @Override public void progress(String message, long done, long total) {
                background.progress(message, done, total);
            }

            @Override public void training(String message, double fraction) {
                background.progressShare(message, fraction);
            }
        });
        attach(svc.workspace());
        svc.triage().start().whenComplete((summary, err) -> {
            if (err != null) Background.fx(() -> showError("Training the local model failed", err));
            // Index for duplicates after training: both read the same stored embeddings.
            svc.duplicates().onProgress(background::status);
            svc.duplicates().start().whenComplete((v, e2) -> {
                if (e2 != null) Background.fx(() -> showError("Indexing for duplicates failed", e2));
            });
        });
        on(Command.MARK_DUPLICATE, () -> {
            QueueRow r = queueView.table().getSelectionModel().getSelectedItem();
            if (r == null) return;
            if (!svc.duplicates().isReady()) {
                background.status("The duplicate index is still being built…");
                return;
            }
            dev.switchboard.app.duplicates.CompareDialog.show(scene.getWindow(), svc.duplicates(), svc.workspace().store(),
                    background, svc.settings().dispatcher(), r.id(), triage.verdicts());
        });
        // the prompt template the LLM engine uses (Settings › Prompt): exported prompts are built with it too
        on(Command.EXPORT, () -> dev.switchboard.app.export.ExportDialog.show(scene.getWindow(), svc.workspace(), background,
                dev.switchboard.app.settings.EngineConfig.load(svc.settings()).template()));
        on(Command.QUALITY, () -> {
            // one quality window: pressing the key again brings it forward with fresh figures
            if (quality != null && quality.stage().isShowing()) {
                quality.refresh();
                quality.stage().toFront();
            } else {
                quality = dev.switchboard.app.quality.QualityView.show(scene.getWindow(), svc.workspace(), background);
                quality.setOnShowTickets((label, ids) -> {
                    queue.showGroup(ids);
                    background.status(ids.size() + " tickets " + label + " — " + Command.CLEAR_FILTERS.key().getDisplayText()
                            + " shows the whole queue again");
                    if (scene.getWindow() instanceof javafx.stage.Stage st) st.toFront();
                });
            }
        });
        on(Command.RETRAIN, () -> retrain(svc));
        on(Command.CANCEL_TRAINING, () -> {
            if (!svc.triage().isTraining()) {
                background.status("No training is running");
                return;
            }
            svc.triage().cancelTraining();
            background.status("Cancelling the training…");
        });
        on(Command.SHOW_GROUP, () -> {
            QueueRow r = queueView.table().getSelectionModel().getSelectedItem();
            if (r != null) showDuplicateGroup(svc, r.id());
        });
        queueView.setOnDuplicateBadge(id -> showDuplicateGroup(svc, id));
        on(Command.IMPORT, () -> dev.switchboard.app.importer.ImportDialog.show(scene.getWindow(), svc, background));
        on(Command.SETTINGS, () -> {
            QueueRow sel = queueView.table().getSelectionModel().getSelectedItem();
            dev.switchboard.app.settings.SettingsDialog.show(scene.getWindow(), svc, background, sel == null ? null : sel.id());
        });
        background.execute(() -> {
            dev.switchboard.app.settings.IntakeControl.restoreFromSettings(svc);
            dev.switchboard.app.settings.EngineControl.restoreFromSettings(svc);
        });
        burstTimer = new javafx.animation.Timeline(new javafx.animation.KeyFrame(
                javafx.util.Duration.seconds(5), e -> refreshBursts(svc)));
        burstTimer.setCycleCount(javafx.animation.Animation.INDEFINITE);
        burstTimer.play();
    }

    /** Attaches an opened workspace: loads the queue in the background and starts live updates. */
    public void attach(Workspace ws) {
        this.workspace = ws;
        // another window or command closing hands the shared file over: its reads and saves wait for it meanwhile
        ws.database().handover().addListener(waiting -> background.status(waiting
                ? "Reconnecting to the workspace: another Switchboard window or command is closing and handing it over…"
                : "Reconnected to the workspace"));
        LiveUpdates updates = new LiveUpdates(ws.store(), this::applyLive);
        background.run("Loading queue…", () -> {
            updates.prepare(); // what is recorded from here on reaches the queue even if the read below misses it
            return new Loaded(ws.store().queue(), ws.store().teams().stream().map(t -> t.name()).toList(),
                    ws.store().priorities().stream().map(p -> p.name()).toList());
        }, loaded -> {
            queue.addChoices(loaded.teams, loaded.priorities);
            queue.setAll(loaded.rows);
            queueView.loaded();
            live = updates;
            live.start(loaded.rows);
            background.status("Ready");
            StartupProbe.mark("queue loaded");
            // the next pulse has laid out and painted the rows
            javafx.application.Platform.runLater(() -> StartupProbe.interactive(this));
        }, e -> {
            queueView.loaded(); // no longer "Loading tickets…"
            showError("Could not load the queue", e);
        });
    }

    private record Loaded(List<QueueRow> rows, List<String> teams, List<String> priorities) {}

    private void applyLive(List<QueueRow> rows) {
        queueView.holdingSelection(() -> {
            var before = queueView.snapshotSelection();
            queue.upsert(rows);
            // A row that moved (re-sorted) is re-selected, so a live update never takes the dispatcher's selection away.
            if (!queueView.snapshotSelection().equals(before)) queueView.restoreSelection(before, false);
        });
        QueueRow sel = queueView.table().getSelectionModel().getSelectedItem();
        if (sel != null && rows.stream().anyMatch(r -> r.id() == sel.id())) {
            // keep the detail pane current without stealing focus
            background.quietly(() -> loadDetail(sel.id()), d -> {
                if (shownTicket.get() == sel.id()) d.ifPresent(detail::show);
            }, e -> { });
        }
    }

    /**
     * Places a window whose scene (1280×800) is larger than the screen's usable area (a 1366×768 laptop,
     * a 1024×700 screen) inside it, at most that size: otherwise it opened centred on the screen with its
     * menu bar above the top edge and the status bar (where "saved" appears) below the bottom one.
     * A window that fits is left where the window manager puts it. Call before {@code show()}.
     */
    public static void fitTo(javafx.stage.Stage stage, javafx.geometry.Rectangle2D usable) {
        Scene s = stage.getScene();
        if (s == null || (s.getWidth() <= usable.getWidth() && s.getHeight() <= usable.getHeight())) return;
        double w = Math.min(s.getWidth(), usable.getWidth());
        double h = Math.min(s.getHeight(), usable.getHeight());
        stage.setWidth(w);
        stage.setHeight(h);
        stage.setX(usable.getMinX() + (usable.getWidth() - w) / 2);
        stage.setY(usable.getMinY() + (usable.getHeight() - h) / 2);
    }

    public void showError(String what, Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException)) t = t.getCause();
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        background.status(what + ": " + msg);
        Alert a = new Alert(Alert.AlertType.ERROR, msg);
        a.setHeaderText(what);
        a.initOwner(scene.getWindow());
        a.show();
    }

    /** Every shortcut, key and description side by side in two columns, the dialog as wide as its longest line. */
    private void showShortcuts() {
        Command[] all = Command.values();
        int rows = (all.length + 1) / 2;
        var grid = new javafx.scene.layout.GridPane();
        grid.setId("shortcuts");
        grid.setHgap(12);
        grid.setVgap(4);
        for (int i = 0; i < all.length; i++) {
            Command c = all[i];
            var key = new javafx.scene.control.Label(c.key().getDisplayText());
            key.getStyleClass().add("shortcut-key");
            key.setStyle("-fx-font-family: monospace; -fx-font-weight: bold;");
            var what = new javafx.scene.control.Label(c.label());
            what.setId("shortcut-" + c.id().replace('.', '-'));
            for (var l : List.of(key, what)) {
                l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // never "Accept confident sugg…"
                l.setWrapText(false);
            }
            int col = (i / rows) * 3;
            grid.add(key, col, i % rows);
            grid.add(what, col + 1, i % rows);
        }
        var gap = new javafx.scene.layout.ColumnConstraints(16);
        grid.getColumnConstraints().addAll(new javafx.scene.layout.ColumnConstraints(), new javafx.scene.layout.ColumnConstraints(), gap);
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        var note = new javafx.scene.control.Label("Single keys act in the queue; a focused field, picker, button or link keeps its own keys.");
        note.getStyleClass().add("text-muted");
        note.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        a.getDialogPane().setContent(new javafx.scene.layout.VBox(10, grid, note));
        a.getDialogPane().setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        a.getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        a.setResizable(true);
        a.initOwner(scene.getWindow());
        a.show();
    }

    /** Stops everything this window started (timers, live updates); the services are closed by their owner. */
    public void close() {
        if (burstTimer != null) burstTimer.stop();
        queueView.dispose();
        if (live != null) live.close();
    }
}
