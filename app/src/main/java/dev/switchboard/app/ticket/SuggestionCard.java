package dev.switchboard.app.ticket;

import dev.switchboard.app.triage.SuggestionCodec;
import dev.switchboard.inference.Prediction;
import dev.switchboard.persistence.store.TicketDetail;
import java.util.List;
import java.util.function.LongConsumer;
import javafx.geometry.Pos;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The suggestion for the selected ticket: top-3 teams with bars, priority, whether it is confident
 * enough to accept blind, the rationale, and the decided tickets it rests on (click to open).
 */
public final class SuggestionCard extends VBox {

    private final LongConsumer openTicket;

    public SuggestionCard(LongConsumer openTicket) {
        this.openTicket = openTicket;
        setId("suggestion-card");
        getStyleClass().add("suggestion-card");
        setAccessibleText("Suggestion");
    }

    /**
     * @param decidedTeam the team a person (or imported history) gave the ticket, null while undecided: the
     *                    card then says where the ticket is instead of offering Enter
     */
    public void show(TicketDetail.SuggestionView s, String decidedTeam) {
        getChildren().clear();
        boolean decided = decidedTeam != null;
        if (s == null) {
            getChildren().add(muted(decided ? "Decided by a person: " + decidedTeam + "." : "Waiting for a suggestion…"));
            return;
        }
        Label head = new Label("Suggestion · " + s.engine() + (s.model() == null || s.model().isBlank() ? "" : " (" + s.model() + ")"));
        head.getStyleClass().add("title-4");
        getChildren().add(head);
        switch (s.status()) {
            case "COLD_START" -> {
                getChildren().add(muted(s.note().isBlank()
                        ? "No decided tickets yet: the model learns from your first decisions (or import labelled history)."
                        : s.note()));
                return;
            }
            case "ERROR" -> {
                Label l = new Label("No suggestion: " + s.note());
                l.getStyleClass().add("needs-human");
                l.setWrapText(true);
                getChildren().add(l);
                return;
            }
            default -> { }
        }
        List<Prediction> teams = SuggestionCodec.decodePredictions(s.topTeams());
        for (int i = 0; i < Math.min(3, teams.size()); i++) {
            Prediction p = teams.get(i);
            Label name = new Label(p.label());
            // the name may shrink to 120 px, then wraps instead of being cut ("Email & Collaborat…"); the bar shrinks
            // to 30; the percentage is never cut ("≥9…" in a narrow pane)
            name.setMinWidth(120);
            name.setWrapText(true);
            if (i == 0) name.getStyleClass().add("text-bold");
            ProgressBar bar = new ProgressBar(p.probability());
            bar.setMaxWidth(Double.MAX_VALUE);
            bar.setMinWidth(30);
            bar.setPrefWidth(60); // grows into spare room (Hgrow), so it is what gives way when the pane is narrow
            bar.setAccessibleText(p.label() + " " + Math.round(p.probability() * 100) + " percent");
            HBox.setHgrow(bar, Priority.ALWAYS);
            Label pct = new Label(dev.switchboard.inference.TriageSuggestion.percent(p.probability()));
            pct.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            pct.setAlignment(Pos.CENTER_RIGHT);
            HBox row = new HBox(8, name, bar, pct);
            row.setAlignment(Pos.CENTER_LEFT);
            row.getStyleClass().add("team-row");
            getChildren().add(row);
        }
        List<Prediction> prios = SuggestionCodec.decodePredictions(s.topPriorities());
        if (!prios.isEmpty()) {
            getChildren().add(new Label("Priority " + prios.get(0).label() + "  (" + dev.switchboard.inference.TriageSuggestion.percent(prios.get(0).probability()) + ")"));
        }
        Label verdict = new Label(decided ? "Decided: with " + decidedTeam + " — T changes the team, R re-routes"
                : s.confident() ? "✔ Confident — Enter accepts" : "⚠ Needs a human — check before accepting");
        verdict.getStyleClass().add(decided ? "text-muted" : s.confident() ? "confident" : "needs-human");
        verdict.setId("suggestion-verdict");
        verdict.setWrapText(true); // "Decided: with Email & Collaboration — T changes…" is longer than a narrow pane
        getChildren().add(verdict);
        if (!s.note().isBlank()) {
            Label note = new Label(s.note());
            note.getStyleClass().add("needs-human");
            note.setWrapText(true);
            note.setId("suggestion-note");
            getChildren().add(note);
        }
        if (!s.rationale().isBlank()) {
            Label r = new Label(s.rationale());
            r.setWrapText(true);
            r.setId("suggestion-rationale");
            getChildren().add(r);
        }
        List<SuggestionCodec.EvidenceRef> ev = SuggestionCodec.decodeEvidence(s.evidenceIds());
        if (!ev.isEmpty()) {
            FlowPane links = new FlowPane(6, 4);
            links.getChildren().add(muted("Similar decided tickets:"));
            for (var e : ev.subList(0, Math.min(5, ev.size()))) {
                Hyperlink h = new Hyperlink("#" + e.ticketId() + " " + e.team() + " (" + Math.round(e.similarity() * 100) + "%)");
                h.getStyleClass().add("evidence-link");
                h.setOnAction(a -> openTicket.accept(e.ticketId()));
                h.setAccessibleText("Open similar ticket " + e.ticketId());
                links.getChildren().add(h);
            }
            getChildren().add(links);
        }
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("text-muted");
        l.setWrapText(true);
        return l;
    }
}
