package dev.switchboard.app.duplicates;

import dev.switchboard.persistence.entity.DuplicateLink;

import dev.switchboard.app.ui.Background;
import dev.switchboard.inference.dup.DuplicateCandidate;
import dev.switchboard.persistence.entity.TicketStatus;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.TicketDetail;
import dev.switchboard.persistence.store.TicketStore;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Two tickets side by side with the terms they share highlighted and the duplicate score.
 * L links (duplicate of the earlier one), X dismisses ("not a duplicate": never suggested again),
 * M merges into the original, Z undoes the last verdict given here (appends, never deletes), N shows
 * the next candidate, Esc closes; Enter and Space give no verdict (no button takes the keyboard focus). With
 * the LLM check on, its verdict on a borderline pair is shown.
 */
public final class CompareDialog {

    private final Stage stage = new Stage();
    private final DuplicateService service;
    private final TicketStore store;
    private final Background background;
    private final String actor;
    private final long ticketId;
    private final List<DuplicateCandidate> candidates;
    private final VBox left = new VBox(6);
    private final VBox right = new VBox(6);
    private final Label score = new Label();
    private final Label history = new Label();
    private final Button undo = new Button("Undo (Z)");
    private final java.util.Deque<Done> done = new java.util.ArrayDeque<>();
    private final Verdicts verdicts;
    private int index;

    /**
     * Hears the verdicts given in a compare view, so the queue's {@code Z} can still take one back after
     * the view is closed (the view's own {@code Z} lasts only as long as the view).
     */
    public interface Verdicts {
        /** A verdict was stored ({@code what}: "merge of #204 into #202"); {@code undo} takes it back (appends). */
        void given(String what, long ticket, long original, java.util.function.Supplier<java.util.concurrent.CompletableFuture<Void>> undo);

        /** The view's own Z took the verdict on this pair back. */
        void undone(long ticket, long original);

        /** {@code duplicate} was merged into {@code original} (closed: it leaves the open queue). */
        default void merged(long duplicate, long original) { }

        Verdicts NONE = new Verdicts() {
            @Override public void given(String what, long ticket, long original,
                                        java.util.function.Supplier<java.util.concurrent.CompletableFuture<Void>> undo) { }
            @Override public void undone(long ticket, long original) { }
        };
    }

    /** A verdict given in this view: the candidate, where it stood, and the pair as recorded. */
    private record Done(DuplicateCandidate candidate, int index, Verdict verdict, long ticket, long original) {}

    private CompareDialog(Window owner, DuplicateService service, TicketStore store, Background background, String actor,
                          TicketDetail self, boolean selfUndated, List<DuplicateCandidate> candidates, Verdicts verdicts) {
        this.verdicts = verdicts;
        this.ticketId = self.row().id();
        // known before the first key: which of a pair is the later one (the duplicate) must not wait for a load
        // (none for a ticket imported without one: its stored time is only when it was imported)
        this.createdSelf = selfUndated ? null : self.row().createdAt();
        this.statusSelf = self.row().status();
        this.service = service;
        this.store = store;
        this.background = background;
        this.actor = actor;
        this.candidates = candidates;
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Compare probable duplicates");

        Button link = new Button("Link as duplicate (L)");
        link.setId("dup-link");
        link.setOnAction(e -> act(Verdict.LINK));
        Button dismiss = new Button("Not a duplicate (X)");
        dismiss.setId("dup-dismiss");
        dismiss.setOnAction(e -> act(Verdict.DISMISS));
        Button merge = new Button("Merge into original (M)");
        merge.setId("dup-merge");
        merge.setOnAction(e -> act(Verdict.MERGE));
        Button next = new Button("Next candidate (N)");
        next.setId("dup-next");
        next.setOnAction(e -> show(index + 1));
        verdictButtons = List.of(link, dismiss, merge, next);
        // keyboard-safe: no button takes the focus (not at opening, not by Tab, not by a click), so Enter or Space
        // never gives a verdict by accident; the letters act, the mouse clicks. The focus rests on the tickets' text
        // (arrows and Space scroll it). Before, "Link as duplicate" had the first focus: Enter linked the pair.
        for (Button b : List.of(link, dismiss, merge, next, undo)) b.setFocusTraversable(false);
        undo.setId("dup-undo");
        undo.setDisable(true);
        undo.setOnAction(e -> undoLast());
        score.setId("dup-score");
        history.setId("dup-history");
        history.getStyleClass().add("text-muted");
        HBox buttons = new HBox(8, undo, spacer(), link, dismiss, merge, next);
        VBox actions = new VBox(6, score, history, buttons);
        actions.setPadding(new Insets(8));
        ScrollPane leftText = scroll(left);
        HBox sides = new HBox(12, leftText, scroll(right));
        sides.setPadding(new Insets(8));
        BorderPane root = new BorderPane(sides, null, null, actions, null);
        Scene scene = new Scene(root, 1100, 620);
        var css = CompareDialog.class.getResource("/dev/switchboard/ui/switchboard.css");
        if (css != null) scene.getStylesheets().add(css.toExternalForm());
        scene.setOnKeyPressed(e -> {
            KeyCode k = e.getCode();
            if (k == KeyCode.L) act(Verdict.LINK);
            else if (k == KeyCode.X) act(Verdict.DISMISS);
            else if (k == KeyCode.M) act(Verdict.MERGE);
            else if (k == KeyCode.N) show(index + 1);
            else if (k == KeyCode.Z) undoLast();
            else if (k == KeyCode.ESCAPE) stage.close();
            else return;
            e.consume();
        });
        stage.setScene(scene);
        stage.setOnShown(e -> leftText.requestFocus());
    }

    private enum Verdict { LINK, DISMISS, MERGE }

    /** Opens the compare view for a ticket; says so in the status bar when it has no candidates. */
    public static void show(Window owner, DuplicateService service, TicketStore store, Background background, String actor,
                            long ticketId) {
        show(owner, service, store, background, actor, ticketId, Verdicts.NONE);
    }

    /** As {@link #show(Window, DuplicateService, TicketStore, Background, String, long)}, telling {@code verdicts} of each verdict. */
    public static void show(Window owner, DuplicateService service, TicketStore store, Background background, String actor,
                            long ticketId, Verdicts verdicts) {
        background.run("Looking for duplicates of #" + ticketId + "…",
                () -> new Opening(service.plausibleCandidates(ticketId, 5), store.detail(ticketId).orElse(null),
                        store.withoutKnownCreation(List.of(ticketId)).contains(ticketId)), o -> {
            List<DuplicateCandidate> cs = o.candidates();
            if (cs.isEmpty() || o.self() == null) {
                background.status("No probable duplicates of #" + ticketId);
                return;
            }
            background.status("");
            CompareDialog d = new CompareDialog(owner, service, store, background, actor, o.self(), o.selfUndated(), cs, verdicts);
            d.show(0);
            // at most the usable area, inside it: the view's 1100×620 opened centred on a 1024×700 screen with both
            // edges off it (the ticket texts' first words, Undo and "Next candidate (N)" cut off)
            dev.switchboard.app.MainWindow.fitTo(d.stage, usableArea.apply(owner));
            d.stage.show();
        }, e -> background.status("Duplicate search failed: " + e.getMessage()));
    }

    /** The usable area of the screen the view opens on (the owner's; tests give a small one). */
    static java.util.function.Function<Window, javafx.geometry.Rectangle2D> usableArea = owner -> {
        var screens = owner == null ? List.<javafx.stage.Screen>of()
                : javafx.stage.Screen.getScreensForRectangle(owner.getX(), owner.getY(), owner.getWidth(), owner.getHeight());
        return (screens.isEmpty() ? javafx.stage.Screen.getPrimary() : screens.get(0)).getVisualBounds();
    };

    /** Link, dismiss, merge and next: disabled when there is no pair to give a verdict on. */
    private final List<Button> verdictButtons;

    private void show(int i) {
        undo.setDisable(done.isEmpty());
        // nothing left to judge (every candidate has a verdict, or this ticket was merged): only Z and Esc act
        for (Button b : verdictButtons) b.setDisable(mergedInto != null || candidates.isEmpty());
        if (mergedInto != null) {
            // the view's ticket is closed now: no further verdicts for it until the merge is undone
            score.setText("#" + ticketId + " was merged into #" + mergedInto + ". Z undoes the merge, Esc closes.");
            history.setText("");
            left.getChildren().clear();
            right.getChildren().clear();
            return;
        }
        if (candidates.isEmpty()) {
            score.setText("Every candidate has a verdict. Z undoes the last one, Esc closes.");
            history.setText("");
            left.getChildren().clear();
            right.getChildren().clear();
            return;
        }
        index = Math.floorMod(i, candidates.size());
        DuplicateCandidate c = candidates.get(index);
        long other = Long.parseLong(c.id());
        score.setText(String.format(Locale.ROOT, "%d / %d · duplicate probability %.0f%% (text %.2f, words %.2f)%s%s",
                index + 1, candidates.size(), c.probability() * 100, c.cosine(), c.lexical(), c.suggested() ? " · suggested" : "",
                llmNote(c.verdict())));
        history.setText("");
        statusOther = null; // the shown pair's, once loaded (a merge before that is checked by the store)
        Set<String> shared = c.sharedTerms().stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        background.run(null, () -> new Loaded(store.detail(ticketId).orElseThrow(), store.detail(other).orElseThrow(),
                service.links().history(ticketId, other)), l -> {
            if (candidates.isEmpty() || candidates.get(index) != c) return; // moved on meanwhile
            statusSelf = l.self().row().status();
            statusOther = l.other().row().status();
            fill(left, l.self(), shared);
            fill(right, l.other(), shared);
            history.setText(describe(l.history()));
        }, e -> background.status("Could not load tickets: " + e.getMessage()));
    }

    /** What the view opens with: the candidates and the ticket itself (its creation time orders every pair). */
    private record Opening(List<DuplicateCandidate> candidates, TicketDetail self, boolean selfUndated) {}

    private record Loaded(TicketDetail self, TicketDetail other, List<dev.switchboard.persistence.store.DuplicateLinks.Link> history) {}

    private static final java.time.format.DateTimeFormatter WHEN =
            java.time.format.DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ROOT).withZone(java.time.ZoneId.systemDefault());

    /** "Earlier verdicts: dismissed by dana 3 Mar 12:03, undone by dana 3 Mar 12:04" (suggestions left out). */
    static String describe(List<dev.switchboard.persistence.store.DuplicateLinks.Link> rows) {
        List<String> parts = rows.stream().filter(r -> !"SUGGESTED".equals(r.state()))
                .map(r -> r.state().toLowerCase(Locale.ROOT).replace("confirmed", "linked") + " by "
                        + (r.actor() == null ? "?" : r.actor()) + " " + WHEN.format(r.at()))
                .toList();
        return parts.isEmpty() ? "" : "Earlier verdicts on this pair: " + String.join(", ", parts);
    }

    private static String llmNote(dev.switchboard.inference.dup.IssueRewriter.Verdict v) {
        return switch (v) {
            case SAME -> " · LLM check: same issue";
            case DIFFERENT -> " · LLM check: different issues";
            case UNSURE -> " · LLM check: unsure";
            default -> "";
        };
    }

    private void act(Verdict v) {
        // one verdict at a time; none for a ticket merged here (it is closed; Z undoes the merge)
        if (saving || mergedInto != null || candidates.isEmpty()) return;
        DuplicateCandidate c = candidates.get(index);
        long other = Long.parseLong(c.id());
        // The later ticket is the duplicate of the earlier one, whichever of the two the view was opened on.
        long orig = original(ticketId, createdSelf, other, createdOf(c));
        long dup = orig == ticketId ? other : ticketId;
        String origStatus = orig == other ? statusOther : statusSelf;
        if (v == Verdict.MERGE && origStatus != null && !DuplicateLinks.isOpen(TicketStatus.valueOf(origStatus))) {
            background.status(DuplicateLinks.notOpenToMerge(orig, origStatus));
            return;
        }
        var f = switch (v) {
            case LINK -> service.confirm(dup, orig, c.probability(), actor);
            case DISMISS -> service.dismiss(ticketId, other, c.probability(), actor);
            case MERGE -> service.merge(dup, orig, c.probability(), actor);
        };
        String what = switch (v) {
            case LINK -> "Linked #" + dup + " as duplicate of #" + orig;
            case DISMISS -> "#" + ticketId + " and #" + other + " are not duplicates";
            case MERGE -> "Merged #" + dup + " into #" + orig;
        };
        saving = true;
        // the view moves on once the verdict is stored: a refused one (a merge the store turns down) leaves the pair
        f.whenComplete((x, err) -> Background.fx(() -> {
            saving = false;
            if (err != null) {
                Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
                background.status("Not saved: " + t.getMessage());
                return;
            }
            background.status(what + " · saved · Z undoes it");
            int at = candidates.indexOf(c);
            Done d = v == Verdict.DISMISS ? new Done(c, Math.max(at, 0), v, ticketId, other) : new Done(c, Math.max(at, 0), v, dup, orig);
            done.push(d);
            String taken = switch (v) {
                case LINK -> "link of #" + dup + " as duplicate of #" + orig;
                case DISMISS -> "dismissal of #" + ticketId + " and #" + other;
                case MERGE -> "merge of #" + dup + " into #" + orig;
            };
            DuplicateLink.State given = switch (v) {
                case LINK -> DuplicateLink.State.CONFIRMED;
                case DISMISS -> DuplicateLink.State.DISMISSED;
                case MERGE -> DuplicateLink.State.MERGED;
            };
            // the queue's Z, later: only while this verdict is still the pair's latest
            verdicts.given(taken, d.ticket(), d.original(), () -> service.undoVerdict(d.ticket(), d.original(), given, actor));
            if (at >= 0) candidates.remove(at);
            if (v == Verdict.MERGE) verdicts.merged(dup, orig);
            if (v == Verdict.MERGE && dup == ticketId) mergedInto = orig;
            show(at >= 0 ? at : index);
        }));
    }

    /** True while a verdict is being stored: keys wait for it. */
    private boolean saving;

    /** Z: takes back the last verdict given in this view and shows that pair again. */
    private void undoLast() {
        Done d = done.poll();
        if (d == null) {
            background.status("Nothing to undo in this view");
            return;
        }
        String what = "Undid " + d.verdict().name().toLowerCase(Locale.ROOT) + " of #" + d.ticket() + " and #" + d.original();
        undo.setDisable(true);
        // the pair comes back once the UNDONE row is stored, so its history line shows the undo
        service.undo(d.ticket(), d.original(), actor).whenComplete((x, err) -> Background.fx(() -> {
            if (err != null) {
                done.push(d);
                background.status("Undo not saved: " + err.getMessage());
                show(index);
                return;
            }
            background.status(what + " · saved");
            verdicts.undone(d.ticket(), d.original());
            if (d.verdict() == Verdict.MERGE && d.ticket() == ticketId) mergedInto = null;
            int at = Math.min(d.index(), candidates.size());
            candidates.add(at, d.candidate());
            show(at);
        }));
    }

    /** Creation time of the ticket the view was opened for, read before it opened (never on the FX thread). */
    private final java.time.Instant createdSelf;
    /** Statuses of the two tickets shown, read with them: a merge needs an original still being worked on. */
    private String statusSelf;
    private String statusOther;
    /** Set once the view's own ticket was merged here: it is closed, so no further candidates are offered. */
    private Long mergedInto;

    /** A candidate's creation time, null when it was imported without one (the index dates those {@link DuplicateService#UNDATED}). */
    private static java.time.Instant createdOf(DuplicateCandidate c) {
        return c.created() == null || c.created().equals(DuplicateService.UNDATED) ? null : c.created();
    }

    /**
     * Which of a pair is the original: the one created earlier; when either was imported without a creation time
     * (null), or both were created at the same instant, the one imported first (the lower id). The same answer
     * whichever of the two tickets D was pressed on: it used to count the view's own undated ticket as the later
     * one, so the pair's direction flipped with the ticket the view was opened on.
     */
    static long original(long a, java.time.Instant createdA, long b, java.time.Instant createdB) {
        if (createdA == null || createdB == null || createdA.equals(createdB)) return Math.min(a, b);
        return createdA.isBefore(createdB) ? a : b;
    }

    private static void fill(VBox box, TicketDetail d, Set<String> shared) {
        box.getChildren().clear();
        Label id = new Label("#" + d.row().id() + " · " + (d.row().requester() == null ? "" : d.row().requester()) + " · "
                + d.row().status().toLowerCase(Locale.ROOT) + (d.row().team() == null ? "" : " · " + d.row().team()));
        id.getStyleClass().add("text-muted");
        box.getChildren().addAll(highlighted(d.row().subject(), shared, true), id, highlighted(d.body(), shared, false));
    }

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._#-]*");

    /** The text with shared terms in bold accent colour. */
    static TextFlow highlighted(String text, Set<String> shared, boolean title) {
        TextFlow flow = new TextFlow();
        String s = text == null ? "" : text.length() > 20_000 ? text.substring(0, 20_000) + "…" : text;
        Matcher m = WORD.matcher(s);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) flow.getChildren().add(plain(s.substring(last, m.start()), title));
            word(flow, m.group(), shared, title);
            last = m.end();
        }
        if (last < s.length()) flow.getChildren().add(plain(s.substring(last), title));
        return flow;
    }

    private static final Pattern PART = Pattern.compile("[\\p{L}\\p{N}]+");

    /**
     * One word of the text: highlighted whole when it is a shared term ("dfs.namenode.name.dir", "HADOOP-123"),
     * else its parts that are ("809." at a sentence end is the term "809", "e-mail" holds "mail"): the words
     * the terms were made of, so a term is marked on both sides whatever punctuation follows it.
     */
    private static void word(TextFlow flow, String w, Set<String> shared, boolean title) {
        String core = w.replaceFirst("[._#-]+$", "");
        if (shared.contains(core.toLowerCase(Locale.ROOT))) {
            flow.getChildren().add(term(core, title));
            if (core.length() < w.length()) flow.getChildren().add(plain(w.substring(core.length()), title));
            return;
        }
        Matcher p = PART.matcher(w);
        int last = 0;
        while (p.find()) {
            if (!shared.contains(p.group().toLowerCase(Locale.ROOT))) continue;
            if (p.start() > last) flow.getChildren().add(plain(w.substring(last, p.start()), title));
            flow.getChildren().add(term(p.group(), title));
            last = p.end();
        }
        if (last < w.length()) flow.getChildren().add(plain(w.substring(last), title));
    }

    private static Text term(String s, boolean title) {
        Text t = plain(s, title);
        t.getStyleClass().add("shared-term");
        return t;
    }

    private static Text plain(String s, boolean title) {
        Text t = new Text(s);
        t.getStyleClass().add(title ? "compare-title" : "compare-body");
        return t;
    }

    private static ScrollPane scroll(VBox content) {
        content.setPadding(new Insets(8));
        ScrollPane sp = new ScrollPane(content);
        sp.setFocusTraversable(true); // the neutral place for the keyboard focus: arrows scroll, Enter does nothing
        sp.setFitToWidth(true);
        HBox.setHgrow(sp, Priority.ALWAYS);
        sp.setPrefWidth(540);
        return sp;
    }

    private static javafx.scene.layout.Region spacer() {
        var r = new javafx.scene.layout.Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
