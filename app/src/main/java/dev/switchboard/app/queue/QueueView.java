package dev.switchboard.app.queue;

import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.persistence.store.QueueRow;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.Function;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/** Filter bar over the virtualised queue table. */
public final class QueueView extends BorderPane {

    private final QueueViewModel model;
    private final TableView<QueueRow> table = new TableView<>();
    private final java.util.Map<TableColumn<QueueRow, ?>, Comparator<QueueRow>> keys = new java.util.HashMap<>();
    private final TextField search;
    private final Timeline ages = new Timeline();
    private final PauseTransition searchDebounce = new PauseTransition(javafx.util.Duration.millis(150));
    /** The selected ticket as the dispatcher sees it: a row change that re-selects it is no change here. */
    private final javafx.beans.property.ReadOnlyObjectWrapper<QueueRow> current = new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "current");
    private int holding;
    /** Narrowest the Team column gets: the start of the team's name and its whole confidence. */
    static final double TEAM_MIN_WIDTH = 150;
    /** The Team column's width for "→ Email & Collaboration ≥99%" in full, which it keeps whenever the subject still has its minimum. */
    static final double TEAM_FULL_WIDTH = 245;
    /** Narrowest the Subject column gets: "SSO login loop in Power BI" in full. */
    static final double SUBJECT_MIN_WIDTH = 200;

    public QueueView(QueueViewModel model) {
        this.model = model;
        getStyleClass().add("queue-view");

        search = new TextField();
        search.setId("search");
        search.setPromptText("Search subject, requester, id…  ( / )");
        search.setAccessibleText("Search tickets");
        searchDebounce.setOnFinished(e -> model.searchProperty().set(search.getText()));
        search.textProperty().addListener((o, a, b) -> searchDebounce.playFromStart());
        search.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE) {
                search.clear();
                table.requestFocus();
                e.consume();
            } else if (e.getCode() == javafx.scene.input.KeyCode.DOWN) {
                goToResults(); // as in a browser's search box: down into what it found
                e.consume();
            }
        });
        search.setOnAction(e -> goToResults());
        model.searchProperty().addListener((o, a, b) -> {
            if (!b.equals(search.getText())) search.setText(b);
        });
        HBox.setHgrow(search, Priority.ALWAYS);
        search.setMinWidth(120);

        ComboBox<String> team = combo("teamFilter", "Team", model.teamChoices(), model.teamProperty());
        ComboBox<String> prio = combo("priorityFilter", "Priority", model.priorityChoices(), model.priorityProperty());
        ComboBox<String> status = combo("statusFilter", "Status", QueueViewModel.statusChoices(), model.statusProperty());

        HBox filters = new HBox(8, search, label("Team", team), team, label("Priority", prio), prio, label("Status", status), status);
        filters.setAlignment(Pos.CENTER_LEFT);
        filters.setPadding(new Insets(8));
        filters.getStyleClass().add("filter-bar");
        setTop(filters);

        buildTable();
        setCenter(table);

        // Ages tick over without a reload.
        ages.getKeyFrames().add(new KeyFrame(javafx.util.Duration.seconds(30), e -> {
            model.wakeSnoozed(); // a ticket whose snooze is over comes back to the open queue
            table.refresh();
        }));
        ages.setCycleCount(Timeline.INDEFINITE);
        ages.play();
    }

    private static Label label(String text, ComboBox<String> target) {
        Label l = new Label(text);
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        l.setLabelFor(target);
        l.getStyleClass().add("text-muted");
        return l;
    }

    private static ComboBox<String> combo(String id, String name, javafx.collections.ObservableList<String> items,
                                          javafx.beans.property.ObjectProperty<String> value) {
        ComboBox<String> c = new ComboBox<>(items);
        c.setId(id);
        c.setAccessibleText(name + " filter");
        c.valueProperty().bindBidirectional(value);
        c.setVisibleRowCount(14);
        c.setPrefWidth(id.equals("teamFilter") ? 170 : 110);
        // may shrink below that in a narrow window, so the detail pane keeps its minimum width (1024 px screens)
        c.setMinWidth(id.equals("teamFilter") ? 110 : 84);
        return c;
    }

    /** After the first load: an empty table now means nothing matches (or nothing was imported yet). */
    public void loaded() {
        table.setPlaceholder(new Label("No tickets match. Import a file (Ctrl+O) or clear the filters."));
    }

    /**
     * Scrolls only when the row is outside the visible part of the table: moving to the next ticket
     * then costs one row repaint instead of a relayout of every visible cell.
     */
    public void ensureVisible(int index) {
        if (table.getSkin() instanceof javafx.scene.control.skin.TableViewSkin<?> skin) {
            for (javafx.scene.Node n : skin.getChildren()) {
                if (n instanceof javafx.scene.control.skin.VirtualFlow<?> flow) {
                    var first = flow.getFirstVisibleCell();
                    var last = flow.getLastVisibleCell();
                    if (first != null && last != null && index > first.getIndex() && index < last.getIndex()) return;
                    break;
                }
            }
        }
        table.scrollTo(Math.max(0, index - 5));
    }

    /** The selected tickets (by id; empty above 1,000 rows) and the focused one. */
    public record SelectionSnapshot(java.util.Set<Long> ids, Long focused) {
        public boolean isEmpty() {
            return ids.isEmpty();
        }
    }

    public SelectionSnapshot snapshotSelection() {
        var sm = table.getSelectionModel();
        java.util.Set<Long> ids = new java.util.LinkedHashSet<>();
        if (sm.getSelectedItems().size() <= 1000) for (QueueRow r : sm.getSelectedItems()) ids.add(r.id());
        QueueRow focused = sm.getSelectedItem();
        return new SelectionSnapshot(ids, focused == null ? null : focused.id());
    }

    /**
     * Re-selects the snapshot's tickets wherever they stand now, the focused one last (so it stays the
     * selected item); with {@code scroll}, brings it into view.
     */
    public void restoreSelection(SelectionSnapshot s, boolean scroll) {
        if (s.isEmpty()) return;
        var sm = table.getSelectionModel();
        var items = table.getItems();
        sm.clearSelection();
        int focusIndex = -1;
        for (int i = 0; i < items.size(); i++) {
            long id = items.get(i).id();
            if (!s.ids().contains(id)) continue;
            sm.select(i);
            if (s.focused() != null && s.focused() == id) focusIndex = i;
        }
        if (focusIndex >= 0) {
            sm.select(focusIndex);
            if (scroll) table.scrollTo(Math.max(0, focusIndex - 5));
        }
    }

    /**
     * The selected ticket, unchanged while rows are replaced under it: the table clears its selection
     * when the selected row is replaced (a live update of that ticket) and the queue selects it again, so
     * the table's own selected item passes through null. Listeners see the state after the change only
     * (another row instance of the same ticket when it changed: compare ids).
     */
    public javafx.beans.property.ReadOnlyObjectProperty<QueueRow> currentProperty() {
        return current.getReadOnlyProperty();
    }

    /** Runs a change of the rows (a live update, a refilter) and the re-selection after it as one step for {@link #currentProperty()}. */
    public void holdingSelection(Runnable change) {
        holding++;
        try {
            change.run();
        } finally {
            if (--holding == 0) current.set(table.getSelectionModel().getSelectedItem());
        }
    }

    private java.util.function.LongConsumer onDuplicateBadge;

    /** Called with the ticket id when its duplicate badge is clicked. */
    public void setOnDuplicateBadge(java.util.function.LongConsumer handler) {
        onDuplicateBadge = handler;
    }

    /** Stops the age ticker. */
    public void dispose() {
        ages.stop();
        searchDebounce.stop();
    }

    public TableView<QueueRow> table() {
        return table;
    }

    /** Applies the search at once and moves to the queue, the first row selected if none is. */
    private void goToResults() {
        searchDebounce.stop();
        model.searchProperty().set(search.getText());
        table.requestFocus();
        if (table.getSelectionModel().isEmpty() && !table.getItems().isEmpty()) table.getSelectionModel().select(0);
    }

    public TextField searchField() {
        return search;
    }

    private void buildTable() {
        table.setId("queue");
        table.setAccessibleRole(AccessibleRole.TABLE_VIEW);
        table.setAccessibleText("Ticket queue");
        table.setPlaceholder(new Label("Loading tickets…"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getStyleClass().add("dense");
        table.getSelectionModel().setSelectionMode(javafx.scene.control.SelectionMode.MULTIPLE);

        TableColumn<QueueRow, Integer> dup = column("Dup", r -> r.duplicates(), 56);
        dup.setCellFactory(c -> new TableCell<>() {
            @Override protected void updateItem(Integer n, boolean empty) {
                super.updateItem(n, empty);
                setText(null);
                setGraphic(null);
                if (!empty && n != null && n > 0) {
                    Label badge = new Label(n + "×");
                    badge.getStyleClass().add("dup-badge");
                    badge.setAccessibleText(n + " probable duplicates");
                    badge.setOnMouseClicked(e -> {
                        QueueRow row = getTableRow() == null ? null : getTableRow().getItem();
                        if (row != null && onDuplicateBadge != null) onDuplicateBadge.accept(row.id());
                    });
                    setGraphic(badge);
                }
            }
        });
        dup.setId("col-dup");

        TableColumn<QueueRow, Instant> age = column("Age", QueueRow::createdAt, 56);
        age.setId("col-age");
        age.setCellFactory(c -> new TableCell<>() {
            @Override protected void updateItem(Instant at, boolean empty) {
                super.updateItem(at, empty);
                setText(empty || at == null ? null : age(at, Instant.now()));
            }
        });
        age.setComparator(Comparator.nullsLast(Comparator.<Instant>naturalOrder().reversed()));

        TableColumn<QueueRow, QueueRow> prio = column("Priority", r -> r, 76);
        prio.setId("col-priority");
        prio.setComparator(Comparator.comparing(QueueViewModel::effectivePriority, Comparator.nullsLast(Comparator.naturalOrder())));
        prio.setCellFactory(c -> new CurrentOrSuggestedCell(QueueRow::priority, QueueRow::suggestedPriority, false));

        TableColumn<QueueRow, QueueRow> team = column("Team", r -> r, 220);
        team.setId("col-team");
        team.setComparator(Comparator.comparing(QueueViewModel::effectiveTeam, Comparator.nullsLast(Comparator.naturalOrder())));
        team.setCellFactory(c -> new CurrentOrSuggestedCell(QueueRow::team, QueueRow::suggestedTeam, true));

        // one line each, bidi overrides left out: also for tickets stored before they were removed on the way in
        TableColumn<QueueRow, String> subject = column("Subject", r -> shown(r.subject()), 380);
        subject.setId("col-subject");
        subject.setCellFactory(c -> new TableCell<>() {
            private final javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();
            { tip.setWrapText(true); tip.setMaxWidth(480); }
            @Override protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                // the whole subject on hover, also when the column cuts it ("SSO login lo…")
                tip.setText(s);
                setTooltip(empty || s == null || s.isEmpty() ? null : tip);
            }
        });
        TableColumn<QueueRow, String> requester = column("Requester", r -> shown(r.requester()), 120);
        requester.setId("col-requester");
        TableColumn<QueueRow, String> status = column("Status", r -> statusLabel(r, Instant.now()), 80);
        status.setId("col-status");

        // Dup, Age and Priority never shrink (their badge, "21w" and header would be cut) nor grow (a wider
        // window's room goes to the text columns); Team, Status, Subject
        // and Requester give way down to what still reads, so together they fit the queue's share of a 1024-pixel
        // screen and Requester and Status are never cut off on the right. The subject is what a dispatcher reads
        // first: the team gives way before it (its confidence stays whole, the name is cut and shown whole on
        // hover) only when the subject would otherwise drop below its minimum, so at 1024 pixels the subject has
        // about 200 px instead of 110 and from the default 1280 the team reads in full as before.
        for (var c : java.util.List.of(dup, age, prio)) {
            c.setMinWidth(c.getPrefWidth());
            c.setMaxWidth(c.getPrefWidth());
        }
        status.setMinWidth(72);
        team.setMinWidth(TEAM_MIN_WIDTH); // "→ Identity… ≥99%"
        subject.setMinWidth(SUBJECT_MIN_WIDTH);
        requester.setMinWidth(64);
        double othersMin = dup.getMinWidth() + age.getMinWidth() + prio.getMinWidth() + subject.getMinWidth()
                + requester.getMinWidth() + status.getMinWidth() + 18; // and the vertical scroll bar and cell padding
        table.widthProperty().addListener((o, a, w) ->
                team.setMinWidth(Math.max(TEAM_MIN_WIDTH, Math.min(TEAM_FULL_WIDTH, w.doubleValue() - othersMin))));
        table.getColumns().setAll(java.util.List.of(dup, age, prio, team, subject, requester, status));

        table.setItems(model.visibleRows());
        // Replacing every row of an attached table makes it remap selection and cells row by row; with
        // the table detached it is one reset. Selection and position are restored afterwards.
        model.onBulkChange(change -> holdingSelection(() -> {
            SelectionSnapshot selection = snapshotSelection();
            table.setItems(javafx.collections.FXCollections.emptyObservableList());
            change.run();
            table.setItems(model.visibleRows());
            restoreSelection(selection, true);
        }));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (holding == 0) current.set(b);
        });
        keys.put(dup, Comparator.comparingInt(QueueRow::duplicates).reversed());
        keys.put(age, Comparator.comparing(QueueRow::createdAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder())));
        keys.put(prio, Comparator.comparing(QueueViewModel::effectivePriority, Comparator.nullsLast(Comparator.naturalOrder())));
        keys.put(team, Comparator.comparing(QueueViewModel::effectiveTeam, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER)));
        keys.put(subject, Comparator.comparing(QueueRow::subject, String.CASE_INSENSITIVE_ORDER));
        keys.put(requester, Comparator.comparing(QueueRow::requester, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER)));
        keys.put(status, Comparator.comparing(QueueRow::status));
        // Sort on the row fields directly: TableView's own comparator reads every cell through its
        // value factory, which is far too slow for 50,000 rows.
        table.setSortPolicy(t -> {
            Comparator<QueueRow> c = null;
            for (TableColumn<QueueRow, ?> col : t.getSortOrder()) {
                Comparator<QueueRow> k = keys.get(col);
                if (k == null) continue;
                if (col.getSortType() == TableColumn.SortType.DESCENDING) k = k.reversed();
                c = c == null ? k : c.thenComparing(k);
            }
            model.sort(c);
            return true;
        });
    }

    private static <T> TableColumn<QueueRow, T> column(String title, Function<QueueRow, T> value, double width) {
        TableColumn<QueueRow, T> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** A subject or requester as the queue shows it: {@link dev.switchboard.app.importer.TicketFields#line}; null stays null. */
    static String shown(String s) {
        return s == null ? null : dev.switchboard.app.importer.TicketFields.line(s).value();
    }

    /** The status as shown; a snoozed ticket whose snooze is over reads "Woke up" (it is back in the open queue). */
    static String statusLabel(QueueRow r, Instant now) {
        if ("SNOOZED".equals(r.status()) && r.snoozedUntil() != null && !r.snoozedAt(now)) return "Woke up";
        return statusLabel(r.status());
    }

    static String statusLabel(String status) {
        if (status == null) return "";
        return status.charAt(0) + status.substring(1).toLowerCase();
    }

    /**
     * "42s", "5m", "3h", "2d", "15w", "5y": at most three characters below a century, so the Age column
     * never cuts it ("1894d" was drawn "18…", which reads as 18 minutes).
     */
    public static String age(Instant at, Instant now) {
        Duration d = Duration.between(at, now);
        if (d.isNegative()) d = Duration.ZERO;
        long s = d.getSeconds();
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m";
        if (s < 86400) return (s / 3600) + "h";
        long days = s / 86400;
        if (days < 100) return days + "d";
        if (days < 700) return (days / 7) + "w";
        return (days / 365) + "y";
    }

    /**
     * Shows the value a human (or history) set in normal text; when there is none, the suggestion in
     * italics with its confidence, so current and suggested values never look alike.
     */
    private static final class CurrentOrSuggestedCell extends TableCell<QueueRow, QueueRow> {
        private final Function<QueueRow, String> current;
        private final Function<QueueRow, String> suggested;
        private final boolean showConfidence;

        CurrentOrSuggestedCell(Function<QueueRow, String> current, Function<QueueRow, String> suggested, boolean showConfidence) {
            this.current = current;
            this.suggested = suggested;
            this.showConfidence = showConfidence;
        }

        @Override protected void updateItem(QueueRow r, boolean empty) {
            super.updateItem(r, empty);
            getStyleClass().removeAll("suggested", "suggested-confident", "current");
            setGraphic(null);
            setTooltip(null);
            if (empty || r == null) {
                setText(null);
                return;
            }
            String cur = current.apply(r);
            if (cur != null) {
                setText(cur);
                getStyleClass().add("current");
                if (showConfidence) setTooltip(new javafx.scene.control.Tooltip(cur));
                return;
            }
            String sug = suggested.apply(r);
            if (sug == null) {
                setText("—");
                return;
            }
            setText("→ " + sug);
            if (showConfidence) {
                Label pct = new Label(TriageSuggestion.percent(r.confidence()));
                pct.setId("team-confidence");
                // the name is cut in a narrow column, never the confidence
                pct.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                pct.getStyleClass().add(r.confident() ? "suggested-confident" : "suggested");
                setTooltip(new javafx.scene.control.Tooltip("Suggested: " + sug + ", " + pct.getText()));
                setGraphic(pct);
                setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
                setGraphicTextGap(6);
            }
            getStyleClass().add(r.confident() ? "suggested-confident" : "suggested");
            setAccessibleText("suggested " + sug);
        }
    }
}
