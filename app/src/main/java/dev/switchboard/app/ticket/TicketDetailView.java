package dev.switchboard.app.ticket;

import dev.switchboard.app.queue.QueueView;
import dev.switchboard.persistence.store.TicketDetail;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The whole ticket: subject, facts, body, updates, routing history, and a slot for the suggestion card. */
public final class TicketDetailView extends ScrollPane {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final VBox content = new VBox(10);
    private final Label title = new Label("Select a ticket");
    private final Label facts = new Label();
    private final TextArea body = new TextArea();
    private final VBox updates = new VBox(6);
    private final VBox suggestionSlot = new VBox();
    private final VBox duplicates = new VBox(4);
    private final java.util.function.LongConsumer openTicket;
    private final SuggestionCard card;
    /** The narrowest the pane gets in the window's split (the queue gives way first). */
    public static final double MIN_WIDTH = 330;

    public TicketDetailView(java.util.function.LongConsumer openTicket) {
        this.openTicket = openTicket;
        card = new SuggestionCard(openTicket);
        duplicates.getStyleClass().add("duplicate-box");
        duplicates.setId("detail-duplicates");
        duplicates.setVisible(false);
        duplicates.managedProperty().bind(duplicates.visibleProperty());
        suggestionSlot.getChildren().add(card);
        card.setVisible(false);
        card.managedProperty().bind(card.visibleProperty());
        setId("detail");
        setFitToWidth(true);
        // the suggestion card's rows need about this much; below it the pane scrolled sideways and cut the card
        setMinWidth(MIN_WIDTH);
        getStyleClass().add("detail-pane");
        title.getStyleClass().addAll("title-3", "ticket-title");
        title.setWrapText(true);
        title.setId("detail-title");
        facts.getStyleClass().add("text-muted");
        facts.setWrapText(true);
        facts.setId("detail-facts");
        body.setEditable(false);
        body.setWrapText(true);
        body.setId("detail-body");
        body.setAccessibleText("Ticket description");
        body.setPrefRowCount(12);
        VBox.setVgrow(body, Priority.ALWAYS);
        content.setPadding(new Insets(12));
        content.getChildren().addAll(title, facts, duplicates, suggestionSlot, body, updates);
        setContent(content);
        body.setVisible(false);
    }

    /** Where the suggestion card (or another feature panel) goes. */
    public VBox suggestionSlot() {
        return suggestionSlot;
    }

    /** Dims the previous ticket until the new one arrives (no text change, so no relayout per keypress). */
    public void showLoading(long id) {
        content.setOpacity(0.55);
    }

    public void clear() {
        content.setOpacity(1.0);
        title.setText("Select a ticket");
        facts.setText("");
        body.clear();
        body.setVisible(false);
        card.setVisible(false);
        showDuplicates(java.util.List.of());
        updates.getChildren().clear();
    }

    public void show(TicketDetail d) {
        content.setOpacity(1.0);
        var r = d.row();
        title.setText(r.subject().isBlank() ? "(no subject)" : r.subject());
        StringBuilder f = new StringBuilder("#").append(r.id());
        if (r.externalId() != null && !r.externalId().startsWith("sha256:")) f.append(" · ").append(r.externalId());
        if (r.requester() != null && !r.requester().isBlank()) f.append(" · ").append(r.requester());
        f.append(" · ").append(when(r.createdAt())).append(" (").append(QueueView.age(r.createdAt(), Instant.now())).append(" ago)");
        f.append(" · ").append(r.status().toLowerCase());
        if ("SNOOZED".equals(r.status()) && r.snoozedUntil() != null) {
            f.append(r.snoozedAt(Instant.now()) ? " until " : ", snooze ended ").append(when(r.snoozedUntil()));
        }
        f.append("\nTeam: ").append(r.team() == null ? "not set" : r.team());
        f.append(" · Priority: ").append(r.priority() == null ? "not set" : r.priority());
        if (r.source() != null) f.append(" · from ").append(r.source());
        facts.setText(f.toString());
        card.setVisible(true);
        card.show(d.suggestion(), r.setBy() != null ? r.team() : null);
        showDuplicates(d.duplicates());
        body.setText(d.body());
        body.setVisible(true);
        body.positionCaret(0);
        updates.getChildren().clear();
        if (!d.routing().isEmpty()) {
            updates.getChildren().add(section("Routing"));
            for (var step : d.routing()) {
                updates.getChildren().add(new Label((step.fromTeam() == null ? "—" : step.fromTeam()) + " → " + step.toTeam()
                        + "   " + when(step.at())));
            }
        }
        if (!d.updates().isEmpty()) {
            updates.getChildren().add(section("Updates (" + d.updates().size() + ")"));
            for (var u : d.updates()) {
                Label head = new Label((u.author() == null ? "" : u.author() + " · ") + when(u.createdAt())
                        + (u.undoneMerge() ? " · merge undone: no longer part of this ticket" : ""));
                head.getStyleClass().add("text-muted");
                head.setWrapText(true);
                Label text = new Label(u.body());
                text.setWrapText(true);
                updates.getChildren().addAll(new Separator(), head, text);
            }
        }
    }

    /**
     * The ticket's duplicate pairs: probable ones awaiting a verdict (with the keys that act on them),
     * then linked and merged ones. Each names the other ticket, which opens on click.
     */
    private void showDuplicates(java.util.List<TicketDetail.DuplicateView> pairs) {
        duplicates.getChildren().clear();
        duplicates.setVisible(!pairs.isEmpty());
        if (pairs.isEmpty()) return;
        long pending = pairs.stream().filter(TicketDetail.DuplicateView::pending).count();
        Label head = new Label(pending > 0
                ? (pending == 1 ? "Probable duplicate" : pending + " probable duplicates") + " — D compares side by side, G shows the group"
                : "Duplicates — G shows the group");
        head.getStyleClass().add("text-bold");
        head.setWrapText(true);
        duplicates.getChildren().add(head);
        // a major incident can tie hundreds of reports to one ticket: the best few, then a count
        int shown = pairs.size() <= MAX_DUPLICATE_LINES ? pairs.size() : MAX_DUPLICATE_LINES - 1;
        for (var p : pairs.subList(0, shown)) duplicates.getChildren().add(duplicateLine(p));
        if (shown < pairs.size()) {
            Label more = new Label("… and " + (pairs.size() - shown) + " more — G shows them all in the queue");
            more.getStyleClass().add("text-muted");
            duplicates.getChildren().add(more);
        }
    }

    /** Lines the duplicate box shows at most (the last one says how many more there are). */
    static final int MAX_DUPLICATE_LINES = 6;

    private Node duplicateLine(TicketDetail.DuplicateView p) {
        String subject = p.otherSubject() == null || p.otherSubject().isBlank() ? "(no subject)" : p.otherSubject().strip();
        if (subject.length() > 70) subject = subject.substring(0, 69) + "…";
        String other = "#" + p.otherId() + " " + subject;
        String before;
        String after;
        String by = (p.actor() == null ? "" : " by " + p.actor()) + (p.at() == null ? "" : ", " + when(p.at()));
        switch (p.state()) {
            case "CONFIRMED" -> {
                before = p.otherIsOriginal() ? "Linked as a duplicate of " : "";
                after = (p.otherIsOriginal() ? "" : " is linked as a duplicate of this") + by;
            }
            case "MERGED" -> {
                before = p.otherIsOriginal() ? "Merged into " : "";
                after = (p.otherIsOriginal() ? "" : " was merged into this") + by;
            }
            default -> {
                before = p.otherIsOriginal() ? "Probably the same as " : "";
                after = (p.otherIsOriginal() ? "" : " is probably the same as this")
                        + String.format(java.util.Locale.ROOT, " · %.0f%%", p.score() * 100);
            }
        }
        if (p.otherMergedInto() != null && !"MERGED".equals(p.state())) {
            // merged into a third ticket: the pair awaits no verdict (not counted in the badge, not offered by D)
            after += " (merged into #" + p.otherMergedInto() + ")";
        } else if (!dev.switchboard.app.queue.QueueViewModel.isOpen(p.otherStatus())) {
            after += " (" + p.otherStatus().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        javafx.scene.control.Hyperlink link = new javafx.scene.control.Hyperlink(other);
        link.getStyleClass().add("duplicate-link");
        link.setOnAction(e -> openTicket.accept(p.otherId()));
        link.setFocusTraversable(false);
        javafx.scene.text.Text b = new javafx.scene.text.Text(before);
        javafx.scene.text.Text a = new javafx.scene.text.Text(after);
        b.getStyleClass().add("duplicate-text");
        a.getStyleClass().add("duplicate-text");
        // a text flow wraps at word boundaries, the other ticket's name inline
        javafx.scene.text.TextFlow line = new javafx.scene.text.TextFlow(b, link, a);
        line.setAccessibleText(before + other + after);
        return line;
    }

    private static Node section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("title-4");
        return l;
    }

    private static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }
}
