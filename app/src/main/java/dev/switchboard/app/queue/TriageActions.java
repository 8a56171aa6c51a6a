package dev.switchboard.app.queue;

import dev.switchboard.app.MainWindow;
import dev.switchboard.app.Services;
import dev.switchboard.app.ui.Background;
import dev.switchboard.app.ui.Command;
import dev.switchboard.app.ui.ReasonDialog;
import dev.switchboard.app.ui.TeamPicker;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.DecisionRecord;
import dev.switchboard.persistence.store.DecisionRequest;
import dev.switchboard.persistence.store.QueueRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TableView;

/**
 * One-key triage: every action appends a decision to the ledger on the writer thread, teaches the
 * model, and moves the selection to the next ticket at once (the row updates itself when the write
 * lands). Undo appends a compensating decision.
 */
public final class TriageActions {

    private final MainWindow window;
    private final Services services;
    private final Background background;
    /** This session's undoable actions, newest first: triage decisions and duplicate verdicts from the compare view. */
    private final Deque<Undoable> undo = new ArrayDeque<>();

    private sealed interface Undoable permits Decisions, VerdictGiven {}

    /** A triage action: its decisions (several for a bulk accept). */
    private record Decisions(List<DecisionRecord> records) implements Undoable {}

    /** A verdict given in the compare view, undone by appending to the pair's history. */
    private record VerdictGiven(String what, long ticket, long original,
                                java.util.function.Supplier<CompletableFuture<Void>> run) implements Undoable {}
    private long selectedAt = System.nanoTime();

    public TriageActions(MainWindow window, Services services) {
        this.window = window;
        this.services = services;
        this.background = window.background();
        // time to decide runs from when the ticket was selected, not from its last live update
        window.queueView().currentProperty().addListener((o, a, b) -> {
            if (a == null || b == null || a.id() != b.id()) selectedAt = System.nanoTime();
        });
    }

    public void install() {
        window.on(Command.ACCEPT, this::accept);
        window.on(Command.PICK_TEAM, this::pickTeam);
        window.on(Command.PRIORITY_1, () -> priorityLevel(1));
        window.on(Command.PRIORITY_2, () -> priorityLevel(2));
        window.on(Command.PRIORITY_3, () -> priorityLevel(3));
        window.on(Command.PRIORITY_4, () -> priorityLevel(4));
        window.on(Command.REROUTE, this::reroute);
        window.on(Command.SNOOZE, this::snooze);
        window.on(Command.UNDO, this::undoLast);
        window.on(Command.BULK_ACCEPT, this::bulkAccept);
        window.on(Command.ASSIGN, () -> lifecycle(DecisionKind.ASSIGNED, "Assigned"));
        window.on(Command.RESOLVE, () -> lifecycle(DecisionKind.RESOLVED, "Resolved"));
        window.on(Command.CLOSE_TICKET, () -> lifecycle(DecisionKind.CLOSED, "Closed"));
        window.on(Command.REOPEN, () -> lifecycle(DecisionKind.REOPENED, "Reopened"));
    }

    private TableView<QueueRow> table() {
        return window.queueView().table();
    }

    private Optional<QueueRow> selected() {
        return Optional.ofNullable(table().getSelectionModel().getSelectedItem());
    }

    private String dispatcher() {
        return services.settings().dispatcher();
    }

    private long msToDecide() {
        return (System.nanoTime() - selectedAt) / 1_000_000;
    }

    private List<String> teams() {
        return services.triage().taxonomy().teamNames().isEmpty()
                ? new ArrayList<>(window.queue().teamChoices().filtered(t -> !QueueViewModel.ANY.equals(t)))
                : services.triage().taxonomy().teamNames();
    }

    /** Enter: take the suggested team and priority. */
    public void accept() {
        selected().ifPresent(r -> {
            if (r.setBy() != null && r.team() != null) {
                // decided already: accepting the old suggestion again would undo a transfer or an override
                background.status("#" + r.id() + " is already with " + r.team() + " — T changes the team, R re-routes");
                return;
            }
            if (r.suggestedTeam() == null) {
                background.status("#" + r.id() + " has no suggestion yet — press T to choose a team");
                return;
            }
            String prio = r.suggestedPriority() != null ? r.suggestedPriority() : r.priority();
            record(List.of(new DecisionRequest(r.id(), r.version(), DecisionKind.ACCEPTED, r.suggestedTeam(), prio,
                    r.suggestionId(), null, null, dispatcher(), msToDecide(), true, null)), "Accepted #" + r.id() + " → " + r.suggestedTeam());
        });
    }

    /** T: choose a team; differing from the suggestion is an override with an optional reason. */
    public void pickTeam() {
        selected().ifPresent(r -> {
            String pre = r.team() != null ? r.team() : r.suggestedTeam();
            Optional<String> team = TeamPicker.choose(window.scene().getWindow(), "Team for #" + r.id(), teams(), pre, r.subject());
            team.ifPresent(t -> {
                boolean accepted = t.equals(r.suggestedTeam()) && r.team() == null;
                ReasonDialog.Reason reason = accepted || r.suggestedTeam() == null ? null
                        : ReasonDialog.ask(window.scene().getWindow()).orElse(null);
                DecisionKind kind = accepted ? DecisionKind.ACCEPTED
                        : (r.team() != null && !t.equals(r.team()) && !"NEW".equals(r.status()) ? DecisionKind.TRANSFERRED : DecisionKind.OVERRIDDEN);
                String prio = r.priority() != null ? r.priority() : r.suggestedPriority();
                record(List.of(new DecisionRequest(r.id(), r.version(), kind, t, prio, r.suggestionId(),
                        reason == null ? null : reason.code(), reason == null ? null : reason.note(), dispatcher(), msToDecide(),
                        true, null)), kind.name().charAt(0) + kind.name().substring(1).toLowerCase() + " #" + r.id() + " → " + t);
            });
        });
    }

    /** The workspace's priority levels, most urgent first. */
    private List<String> priorities() {
        return services.triage().taxonomy().priorityNames().isEmpty()
                ? new ArrayList<>(window.queue().priorityChoices().filtered(p -> !QueueViewModel.ANY.equals(p)))
                : services.triage().taxonomy().priorityNames();
    }

    /**
     * 1–4: the workspace's n-th priority level (P1–P4 in the sample; "1 - Critical" … or "Blocker" … where an
     * import defined others). Where there is no such level it says so and stays on the ticket: the key sent
     * "P1" whatever the levels were, and a workspace without P1 answered with an error dialog after the
     * selection had already moved to the next ticket.
     */
    public void priorityLevel(int n) {
        List<String> levels = priorities();
        if (n > levels.size()) {
            background.status(levels.isEmpty()
                    ? "This workspace has no priority levels (an import of decided tickets with a priority column defines them)"
                    : "No priority level " + n + " here: the levels are " + String.join(", ", levels));
            return;
        }
        priority(levels.get(n - 1));
    }

    /** Sets the priority, keeping (or taking the suggested) team. */
    public void priority(String p) {
        selected().ifPresent(r -> {
            String team = r.team() != null ? r.team() : r.suggestedTeam();
            if (team == null) {
                background.status("Choose a team first (T)");
                return;
            }
            boolean matchesSuggestion = p.equals(r.suggestedPriority()) && team.equals(r.suggestedTeam()) && r.team() == null;
            DecisionKind kind = matchesSuggestion ? DecisionKind.ACCEPTED : DecisionKind.OVERRIDDEN;
            record(List.of(new DecisionRequest(r.id(), r.version(), kind, team, p, r.suggestionId(),
                    matchesSuggestion || r.suggestedPriority() == null ? null : "wrong-priority", null, dispatcher(), msToDecide(), true, null)),
                    "#" + r.id() + " priority " + p);
        });
    }

    /** R: transfer to another team; the suggestion leaves out teams that already had the ticket. */
    public void reroute() {
        selected().ifPresent(r -> {
            if (r.team() == null) {
                pickTeam();
                return;
            }
            background.run("Suggesting a new team for #" + r.id() + "…", () -> services.triage().suggestForTransfer(r.id()), s -> {
                List<String> options = new ArrayList<>(teams());
                options.remove(r.team());
                String hint = s == null || s.topTeam() == null ? "No suggestion for a transfer."
                        : "Suggested: " + s.topTeam() + " (" + dev.switchboard.inference.TriageSuggestion.percent(s.confidence()) + "), excluding teams that already had it.";
                TeamPicker.choose(window.scene().getWindow(), "Re-route #" + r.id() + " from " + r.team(), options,
                        s == null ? null : s.topTeam(), hint).ifPresent(t -> {
                    ReasonDialog.Reason reason = ReasonDialog.askReroute(window.scene().getWindow()).orElse(null);
                    record(List.of(new DecisionRequest(r.id(), r.version(), DecisionKind.TRANSFERRED, t, null, null,
                            reason == null ? "wrong-team" : reason.code(), reason == null ? null : reason.note(), dispatcher(),
                            msToDecide(), true, null)), "Transferred #" + r.id() + " → " + t);
                });
            }, e -> window.showError("Re-route failed", e));
        });
    }

    /** How long {@code S} snoozes a ticket. */
    public static final Duration SNOOZE = Duration.ofHours(4);

    private static final java.time.format.DateTimeFormatter CLOCK =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneId.systemDefault());

    /** S: snooze for four hours: the ticket leaves the open queue until then. */
    public void snooze() {
        selected().ifPresent(r -> {
            Instant until = Instant.now().plus(SNOOZE);
            record(List.of(new DecisionRequest(r.id(), r.version(), DecisionKind.SNOOZED, null, null, null,
                    null, null, dispatcher(), msToDecide(), true, until)),
                    "Snoozed #" + r.id() + " until " + CLOCK.format(until) + " (Status › Snoozed shows it, Z undoes)");
        });
    }

    /** Lifecycle steps: resolve, close, reopen (each a ledger entry, undoable). */
    public void lifecycle(DecisionKind kind, String verb) {
        selected().ifPresent(r -> record(List.of(new DecisionRequest(r.id(), r.version(), kind, null, null, null, null, null,
                dispatcher(), msToDecide(), true, null)), verb + " #" + r.id()));
    }

    /** Confidence a suggestion needs (besides being marked confident) for the bulk accept of the visible rows. */
    public static final double BULK_MIN_CONFIDENCE = 0.9;

    /**
     * What the bulk accept takes from {@code pool}: with several rows selected ({@code selection}), each of
     * them with an undecided suggestion, as the dispatcher chose them; else each visible undecided suggestion
     * marked confident (the card's "Confident — Enter accepts") at ≥ {@link #BULK_MIN_CONFIDENCE}. A
     * suggestion not marked confident (an LLM's the local model disputes, a ticket unlike the decided ones)
     * is never accepted unseen, however high its number.
     */
    public static List<QueueRow> bulkCandidates(List<QueueRow> pool, boolean selection) {
        List<QueueRow> candidates = new ArrayList<>();
        for (QueueRow r : pool) {
            if (r.team() != null || r.suggestedTeam() == null) continue;
            if (selection || r.confident() && r.confidence() >= BULK_MIN_CONFIDENCE) candidates.add(r);
        }
        return candidates;
    }

    /** Accept every visible confident suggestion at or above the confidence the dispatcher confirms, or the selected rows. */
    public void bulkAccept() {
        var sel = table().getSelectionModel().getSelectedItems();
        boolean selection = sel.size() > 1;
        List<QueueRow> candidates = bulkCandidates(selection ? List.copyOf(sel) : List.copyOf(table().getItems()), selection);
        if (candidates.isEmpty()) {
            background.status("No undecided suggestions " + (selection ? "" : "marked confident at or above 90% ") + "to accept");
            return;
        }
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Accept the suggested team and priority for "
                + candidates.size() + " ticket(s)" + (selection ? "" : " marked confident with confidence ≥ 90 %") + "? Z undoes it.",
                ButtonType.OK, ButtonType.CANCEL);
        a.setHeaderText("Accept " + candidates.size() + " suggestion(s)");
        a.initOwner(window.scene().getWindow());
        if (a.showAndWait().orElse(ButtonType.CANCEL) != ButtonType.OK) return;
        List<DecisionRequest> reqs = candidates.stream().map(r -> new DecisionRequest(r.id(), r.version(), DecisionKind.BULK_ACCEPTED,
                r.suggestedTeam(), r.suggestedPriority() != null ? r.suggestedPriority() : r.priority(), r.suggestionId(), null, null,
                dispatcher(), null, false, null)).toList();
        record(reqs, "Accepted " + reqs.size() + " suggestions");
    }

    /**
     * Z: undo the last action of this session (a bulk accept is undone as a whole); after undoing one
     * ticket's decision that ticket is selected again.
     */
    public void undoLast() {
        Undoable next = undo.pollFirst();
        if (next == null) {
            background.status("Nothing to undo");
            return;
        }
        if (next instanceof VerdictGiven v) {
            v.run().get().whenComplete((x, err) -> Background.fx(() -> {
                if (err != null) {
                    window.showError("Undo failed", err);
                    return;
                }
                background.status("Undid " + v.what() + " · saved");
                reselect(v.ticket());
            }));
            return;
        }
        List<DecisionRecord> last = ((Decisions) next).records();
        background.run("Undoing…", () -> {
            List<DecisionRecord> done = new ArrayList<>();
            for (DecisionRecord d : last) {
                DecisionRecord u = services.ledger().undo(d.id(), dispatcher()).join();
                services.triage().learn(u);
                done.add(u);
            }
            return done;
        }, done -> {
            background.status(undone(last) + " · saved");
            if (done.size() == 1) reselect(done.get(0).ticketId()); // back to the ticket, to decide it again
        }, e -> window.showError("Undo failed", e));
    }

    /** Hands the compare view's verdicts to this undo, so Z in the queue takes one back after the view closed. */
    public dev.switchboard.app.duplicates.CompareDialog.Verdicts verdicts() {
        return new dev.switchboard.app.duplicates.CompareDialog.Verdicts() {
            @Override
            public void given(String what, long ticket, long original, java.util.function.Supplier<CompletableFuture<Void>> run) {
                undo.push(new VerdictGiven(what, ticket, original, run));
                while (undo.size() > 50) undo.pollLast();
            }

            @Override
            public void merged(long duplicate, long original) {
                // the merged ticket leaves the open queue: the dispatcher is on the next one, as after any decision,
                // not on no ticket at all (J then started over at the top, Enter did nothing)
                QueueRow sel = table().getSelectionModel().getSelectedItem();
                if (sel == null || sel.id() != duplicate) return;
                int i = table().getSelectionModel().getSelectedIndex();
                int n = table().getItems().size();
                int next = i + 1 < n ? i + 1 : i - 1;
                if (next < 0) return;
                table().getSelectionModel().clearAndSelect(next);
                window.queueView().ensureVisible(next);
            }

            @Override
            public void undone(long ticket, long original) {
                // taken back in the view already: the queue's Z must not append a second undo
                undo.removeIf(u -> u instanceof VerdictGiven v && v.ticket() == ticket && v.original() == original);
            }
        };
    }

    /**
     * What an undo took back, named so a dispatcher sees which decision it was ("Undid accept of #201
     * (Identity & Access)", "Undid bulk accept of 12 tickets"): Z undoes this session's last triage
     * action, which need not be the last thing done (a verdict in the compare view has its own Z).
     */
    static String undone(List<DecisionRecord> undone) {
        DecisionRecord d = undone.get(0);
        String what = d.kind().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                .replace("accepted", "accept").replace("overridden", "override").replace("transferred", "transfer")
                .replace("snoozed", "snooze").replace("assigned", "assign").replace("resolved", "resolve")
                .replace("closed", "close").replace("reopened", "reopen");
        if (undone.size() > 1) return "Undid " + what + " of " + undone.size() + " tickets";
        return "Undid " + what + " of #" + d.ticketId() + (d.team() == null ? "" : " (" + d.team() + ")");
    }

    /**
     * Selects the ticket's row if it is shown, or once it comes back (an undone snooze, resolve or close
     * brings the row back to the open queue with the live update, a moment after the undo is saved).
     */
    private void reselect(long ticketId) {
        if (selectIfShown(ticketId)) return;
        var rows = window.queue().visibleRows();
        QueueRow before = table().getSelectionModel().getSelectedItem();
        var timeout = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(3));
        javafx.collections.ListChangeListener<QueueRow> back = new javafx.collections.ListChangeListener<>() {
            @Override
            public void onChanged(Change<? extends QueueRow> c) {
                QueueRow now = table().getSelectionModel().getSelectedItem();
                boolean movedOn = now != null && (before == null || now.id() != before.id());
                if (movedOn || rows.stream().anyMatch(r -> r.id() == ticketId)) {
                    rows.removeListener(this);
                    timeout.stop();
                    // after this change is applied (the table adjusts its selection to it first)
                    if (!movedOn) javafx.application.Platform.runLater(() -> selectIfShown(ticketId));
                }
            }
        };
        rows.addListener(back);
        timeout.setOnFinished(e -> rows.removeListener(back));
        timeout.play();
    }

    private boolean selectIfShown(long ticketId) {
        var items = table().getItems();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).id() == ticketId) {
                table().getSelectionModel().clearAndSelect(i);
                window.queueView().ensureVisible(i);
                return true;
            }
        }
        return false;
    }

    /** Appends the decisions, then moves on; the status bar says when they are saved. */
    private void record(List<DecisionRequest> reqs, String what) {
        CompletableFuture<List<DecisionRecord>> f = reqs.size() == 1
                ? services.ledger().decide(reqs.get(0)).thenApply(List::of)
                : services.ledger().decideAll(reqs);
        if (reqs.size() == 1) selectNext();
        f.whenComplete((recs, err) -> Background.fx(() -> {
            if (err != null) {
                window.showError("Not saved", err);
                return;
            }
            undo.push(new Decisions(recs));
            while (undo.size() > 50) undo.pollLast();
            recs.forEach(services.triage()::learn);
            background.status(what + " · saved");
        }));
    }

    private void selectNext() {
        var sm = table().getSelectionModel();
        int i = sm.getSelectedIndex();
        if (i >= 0 && i + 1 < table().getItems().size()) {
            sm.clearAndSelect(i + 1);
            window.queueView().ensureVisible(i + 1);
        }
    }
}
