package dev.switchboard.app.duplicates;

import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.dup.Burst;
import dev.switchboard.inference.dup.DuplicateCandidate;
import dev.switchboard.inference.dup.DuplicateFinder;
import dev.switchboard.inference.dup.IssueRewriter;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.persistence.entity.DuplicateLink;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.StoreListener;
import dev.switchboard.persistence.store.TicketStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Probable duplicates as tickets arrive: keeps every ticket's sentence vector in a
 * {@link DuplicateFinder}, scores each new or changed ticket against open and recent ones, records
 * suggested pairs, and turns dispatcher verdicts (link, dismiss, merge, undo) into ledger rows and
 * finder feedback so the threshold adapts. All work runs on one background thread.
 */
public final class DuplicateService implements StoreListener, AutoCloseable {

    public static final Duration BURST_WINDOW = Duration.ofMinutes(30);
    public static final int BURST_MIN = 4;

    private final TicketStore store;
    private final LocalModel model;
    private final DuplicateLinks links;
    private final DuplicateFinder finder;
    private final Map<Long, Instant> indexedAt = new ConcurrentHashMap<>();
    private final dev.switchboard.app.SerialWorker worker = new dev.switchboard.app.SerialWorker("switchboard-duplicates", this::check);
    /** The optional LLM check runs on its own thread, so slow calls never hold up indexing and clear flags. */
    private final dev.switchboard.app.SerialWorker llmWorker = new dev.switchboard.app.SerialWorker("switchboard-duplicate-check", this::llmCheck);
    private volatile Runnable beforeBurstScan = () -> { };
    /** The burst scan: its own lowest-priority thread, one run at a time (see {@link #scanBursts}). */
    private final dev.switchboard.app.SingleFlight<List<Burst>> burstScan =
            new dev.switchboard.app.SingleFlight<>("switchboard-bursts", () -> {
                beforeBurstScan.run();
                return bursts();
            });
    private volatile boolean ready;
    private volatile Consumer<String> progress = m -> { };

    public DuplicateService(TicketStore store, LocalModel model, DuplicateFinder.Config config) {
        this.store = store;
        this.model = model;
        this.links = new DuplicateLinks(store);
        this.finder = new DuplicateFinder(384, config);
    }

    public DuplicateService(TicketStore store, LocalModel model) {
        this(store, model, DuplicateFinder.Config.defaults());
    }

    public void onProgress(Consumer<String> listener) {
        progress = listener == null ? m -> { } : listener;
    }

    public DuplicateLinks links() {
        return links;
    }

    public boolean isReady() {
        return ready;
    }

    /** Indexes every ticket (reusing stored vectors), restores past verdicts, then follows the store. */
    public CompletableFuture<Void> start() {
        store.addListener(this);
        return worker.run(this::indexAll);
    }

    private void indexAll() {
        Map<Long, float[]> stored = store.embeddings(model.embeddingModelId());
        Map<Long, float[]> storedSubjects = store.embeddings(subjectModelId());
        Map<Long, float[]> fresh = new HashMap<>();
        Map<Long, float[]> freshSubjects = new HashMap<>();
        int[] n = {0};
        List<long[]> openTickets = new ArrayList<>(); // {id, created ms}: checked once the index is complete
        // every ticket of this pass counts as indexed as of its start: a change saved while the pass runs
        // (minutes on a large history) is stamped later, so the queued re-check sees it and indexes it again
        Instant passStart = store.now();
        store.forEachTicketText((id, subject, body, created, open) -> {
            TicketText t = TicketText.of(Long.toString(id), subject, body);
            float[] v = stored.get(id);
            // a running service (this one, or the triage service beside it) stores the vector when the ticket
            // arrives and checks it then; a ticket without one arrived while no window ran
            boolean neverChecked = v == null;
            if (v == null) {
                v = model.vector(t);
                fresh.put(id, v);
                if (fresh.size() >= 200) {
                    store.saveEmbeddings(model.embeddingModelId(), new HashMap<>(fresh));
                    fresh.clear();
                }
            }
            float[] sv = storedSubjects.get(id);
            if (sv == null) {
                sv = subjectVector(t);
                if (sv != null) freshSubjects.put(id, sv);
                if (freshSubjects.size() >= 200) {
                    store.saveEmbeddings(subjectModelId(), new HashMap<>(freshSubjects));
                    freshSubjects.clear();
                }
            }
            finder.add(t, v, sv, created == null ? UNDATED : created, open);
            if (open && neverChecked) openTickets.add(new long[] {id, (created == null ? UNDATED : created).toEpochMilli()});
            indexedAt.put(id, passStart);
            if (++n[0] % 500 == 0) progress.accept("Indexing tickets for duplicates… " + n[0]);
        });
        if (!fresh.isEmpty()) store.saveEmbeddings(model.embeddingModelId(), fresh).join();
        if (!freshSubjects.isEmpty()) store.saveEmbeddings(subjectModelId(), freshSubjects).join();
        for (DuplicateLinks.Link l : links.current()) {
            String a = Long.toString(l.ticketId());
            String b = Long.toString(l.originalId());
            switch (l.state()) {
                case "CONFIRMED", "MERGED" -> restore(a, b, true);
                case "DISMISSED" -> restore(a, b, false);
                default -> { }
            }
        }
        ready = true;
        progress.accept(String.format("Duplicate index built over %,d tickets", finder.size()));
        worker.drain(); // changes that arrived while indexing
        // open tickets that arrived while no window ran (a CLI import, an intake of its own) were never checked:
        // without this they got no badge and "G" said they had no duplicates while D found the pair at 98 %.
        // Newest first, so a pair is recorded from its later ticket (the duplicate); recorded pairs are skipped.
        // Only once: their vectors are stored now, so the next start does not query them again (nor an LLM).
        openTickets.sort(Comparator.<long[]>comparingLong(o -> o[1]).thenComparingLong(o -> o[0]).reversed());
        for (long[] o : openTickets) {
            if (worker.isShutdown()) return;
            flagCandidates(o[0]);
        }
    }

    /** The finder's subject vector of a ticket (null when the subject is not a separate part of its text). */
    private float[] subjectVector(TicketText t) {
        String s = DuplicateFinder.subjectText(t);
        return s == null ? null : model.vector(TicketText.of(t.id(), s, ""));
    }

    /** Stored subject vectors live beside the full-text ones under their own model id. */
    private String subjectModelId() {
        return model.embeddingModelId() + "/subject";
    }

    /**
     * The creation time the finder gets for a ticket imported without one: long past, so once closed it is never
     * "recent" (its stored created_at is only the import time); open, it is a candidate like any open ticket.
     */
    static final Instant UNDATED = Instant.EPOCH;

    private void restore(String a, String b, boolean dup) {
        DuplicateCandidate p = finder.pair(a, b);
        if (p != null) finder.restoreFeedback(a, b, dup, p.cosine(), p.lexical());
    }

    @Override
    public void ticketsChanged(Collection<Long> ids) {
        worker.enqueue(ids);
    }

    /** Indexes changed tickets and records suggested pairs for new or changed open ones. */
    private void check(List<Long> ids) {
        // the initial pass indexes everything and then drains what arrived meanwhile
        if (!ready) {
            worker.enqueue(ids);
            return;
        }
        List<QueueRow> changed = store.rows(ids);
        Set<Long> undated = store.withoutKnownCreation(changed.stream().map(QueueRow::id).toList());
        for (QueueRow r : changed) {
            Instant seen = indexedAt.get(r.id());
            boolean open = !"RESOLVED".equals(r.status()) && !"CLOSED".equals(r.status());
            if (seen != null && r.updatedAt() != null && !r.updatedAt().isAfter(seen)) {
                finder.setOpen(Long.toString(r.id()), open);
                continue;
            }
            var detail = store.detailWithoutPairs(r.id()).orElse(null);
            if (detail == null) continue;
            TicketText t = new TicketText(Long.toString(r.id()), r.subject(), detail.body(),
                    detail.textUpdates().stream().map(u -> u.body()).toList());
            float[] v = model.vector(TicketText.of(t.id(), t.subject(), t.body()));
            float[] sv = subjectVector(t);
            finder.update(t, v, sv, undated.contains(r.id()) ? UNDATED : r.createdAt(), open);
            // as of the row read above: a change saved meanwhile is stamped later and is checked again
            indexedAt.put(r.id(), r.updatedAt() != null ? r.updatedAt() : store.now());
            if (seen == null) store.saveEmbeddings(model.embeddingModelId(), Map.of(r.id(), v));
            if (seen == null && sv != null) store.saveEmbeddings(subjectModelId(), Map.of(r.id(), sv));
            if (!open || r.setBy() != null && "HISTORY".equals(r.setBy())) continue;
            flagCandidates(r.id());
        }
    }

    /** Records an open, indexed ticket's suggested candidates as pairs awaiting a verdict. */
    private void flagCandidates(long id) {
        // with the LLM check on, borderline pairs wait for its verdict (on its own thread)
        boolean llm = finder.hasIssueRewriter();
        List<DuplicateCandidate> cs = finder.candidates(Long.toString(id), Instant.now(), 5);
        flag(id, cs.stream().filter(c -> !(llm && finder.isBorderline(c))).toList());
        if (llm && cs.stream().anyMatch(finder::isBorderline)) llmWorker.enqueue(List.of(id));
    }

    /** Records the suggested ones among {@code cs} as pairs awaiting a verdict. */
    private void flag(long ticketId, List<DuplicateCandidate> cs) {
        List<long[]> originals = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (DuplicateCandidate c : cs) {
            if (!c.suggested()) continue;
            originals.add(new long[] {Long.parseLong(c.id())});
            scores.add(c.probability());
        }
        if (!originals.isEmpty()) links.suggest(ticketId, originals, scores).join();
    }

    /** At most this many borderline pairs per ticket go to the LLM (each costs up to two calls). */
    static final int LLM_PAIRS_PER_TICKET = 3;

    /**
     * The LLM pass over a ticket's best borderline candidates: "same" flags the pair, "different" never
     * does; borderline pairs beyond {@link #LLM_PAIRS_PER_TICKET} keep the finder's own verdict.
     */
    private void llmCheck(List<Long> ids) {
        for (long id : ids) {
            if (!finder.hasIssueRewriter()) return;
            List<DuplicateCandidate> borderline = finder.candidates(Long.toString(id), Instant.now(), 5).stream()
                    .filter(finder::isBorderline).toList();
            if (borderline.isEmpty()) continue;
            int n = Math.min(LLM_PAIRS_PER_TICKET, borderline.size());
            flag(id, verified(text(id), borderline.subList(0, n)));
            flag(id, borderline.subList(n, borderline.size()));
        }
    }

    /** Candidates for a ticket, best first (suggested ones and a few below the threshold). */
    public List<DuplicateCandidate> candidates(long ticketId, int limit) {
        return finder.candidates(Long.toString(ticketId), Instant.now(), limit);
    }

    /**
     * Candidates worth a dispatcher's look: suggested ones, or at least borderline by the finder's own scale. A pair
     * already merged is no candidate: a link or dismissal appended to it left the merge in place (the duplicate
     * closed, its text on the original) while the pair read "dismissed", and undoing that dismissal took the merged
     * text off the original for good; a merge is taken back with its own undo. Nor is a ticket merged into a third
     * one (its report lives on there; the queue's badge leaves such a pair out too: {@link DuplicateLinks#awaitsVerdict}).
     */
    public List<DuplicateCandidate> plausibleCandidates(long ticketId, int limit) {
        double floor = finder.config().borderlineLow();
        List<DuplicateCandidate> cs = candidates(ticketId, limit);
        java.util.Set<Long> mergedElsewhere = links.mergedTickets();
        cs = cs.stream().filter(c -> !mergedElsewhere.contains(Long.parseLong(c.id()))).toList();
        if (finder.hasIssueRewriter()) cs = verified(text(ticketId), cs);
        return new ArrayList<>(cs.stream()
                .filter(c -> c.suggested() || c.probability() >= floor)
                .filter(c -> !merged(ticketId, Long.parseLong(c.id())))
                .toList());
    }

    /** True when the pair's latest verdict is a merge (either way round). */
    private boolean merged(long a, long b) {
        List<DuplicateLinks.Link> h = links.history(a, b);
        return !h.isEmpty() && DuplicateLink.State.MERGED.name().equals(h.get(h.size() - 1).state());
    }

    /**
     * The ticket's detail with each pair awaiting a verdict scored as the compare view (D) scores it now, not as
     * it was when the pair was flagged: the pane and the compare view said two numbers for one pair. The current
     * score is the one to show: it is what the verdict is given on (the tickets' text with later updates and
     * merged reports, the calibration refitted after each verdict); the flagged score stays in the pair's record.
     * Linked and merged pairs keep theirs (the pane shows none). Before the index is built, the stored scores.
     */
    public java.util.Optional<dev.switchboard.persistence.store.TicketDetail> detail(long ticketId) {
        return store.detail(ticketId).map(this::withCurrentScores);
    }

    dev.switchboard.persistence.store.TicketDetail withCurrentScores(dev.switchboard.persistence.store.TicketDetail d) {
        if (!ready || d.duplicates().isEmpty()) return d;
        long self = d.row().id();
        List<dev.switchboard.persistence.store.TicketDetail.DuplicateView> out = new ArrayList<>();
        for (var p : d.duplicates()) {
            DuplicateCandidate now = p.pending() ? pair(self, p.otherId()) : null;
            out.add(now == null ? p : p.withScore(now.probability()));
        }
        out.sort(dev.switchboard.persistence.store.TicketDetail.DuplicateView.ORDER); // as the store orders them
        return new dev.switchboard.persistence.store.TicketDetail(d.row(), d.body(), d.updates(), d.suggestion(), d.routing(),
                out, d.mergedInto());
    }

    public DuplicateCandidate pair(long a, long b) {
        return finder.pair(Long.toString(a), Long.toString(b));
    }

    public double threshold() {
        return finder.threshold();
    }

    /** Settings key: days back in which closed tickets still count as duplicate candidates. */
    public static final String WINDOW_DAYS = "duplicates.windowDays";
    public static final int DEFAULT_WINDOW_DAYS = 30;

    /** Candidates are open tickets and those created in the last {@code days} days; applies to the next check. */
    public void setWindowDays(int days) {
        finder.setWindow(Duration.ofDays(days));
    }

    public int windowDays() {
        return (int) finder.config().window().toDays();
    }

    /**
     * Groups of at least {@link #BURST_MIN} similar open tickets created in the last {@link #BURST_WINDOW}
     * (possible major incident). Closed or resolved tickets never count, so imported history raises none
     * and the answer is the same after a restart; at most {@link DuplicateFinder#BURST_SCAN_LIMIT} of the
     * most recent open arrivals are compared. Runs on the calling thread: a window polls
     * {@link #scanBursts} instead.
     */
    public List<Burst> bursts() {
        return ready ? finder.bursts(Instant.now(), BURST_WINDOW, BURST_MIN) : List.of();
    }

    /**
     * {@link #bursts} on this service's own lowest-priority thread, never on a shared pool; while a scan
     * runs, further calls get that scan's future instead of queueing another.
     */
    public CompletableFuture<List<Burst>> scanBursts() {
        return burstScan.request();
    }

    /** Tests: runs at the start of every {@link #scanBursts} run (e.g. to hold one in flight). */
    void beforeBurstScan(Runnable hook) {
        beforeBurstScan = hook == null ? () -> { } : hook;
    }

    /** Link: {@code ticket} is a duplicate of {@code original}. */
    public CompletableFuture<Void> confirm(long ticket, long original, double score, String actor) {
        finder.confirm(Long.toString(ticket), Long.toString(original));
        return links.resolve(ticket, original, DuplicateLink.State.CONFIRMED, score, actor);
    }

    /** Not a duplicate: the pair is never suggested again. */
    public CompletableFuture<Void> dismiss(long ticket, long original, double score, String actor) {
        finder.dismiss(Long.toString(ticket), Long.toString(original));
        return links.resolve(ticket, original, DuplicateLink.State.DISMISSED, score, actor);
    }

    /** Merge: the duplicate is closed pointing at the original, which keeps its requester and text. */
    public CompletableFuture<Void> merge(long duplicate, long original, double score, String actor) {
        // the finder learns the confirm once the store has taken the merge (it may refuse it)
        return links.merge(duplicate, original, score, actor)
                .thenRun(() -> finder.confirm(Long.toString(duplicate), Long.toString(original)));
    }

    /**
     * Undo appends an UNDONE row (nothing is deleted): a merged ticket is reopened, and the pair awaits a
     * verdict again, scored as if never judged (its example leaves the threshold's calibration).
     */
    public CompletableFuture<Void> undo(long ticket, long original, String actor) {
        finder.forget(Long.toString(ticket), Long.toString(original));
        return links.resolve(ticket, original, DuplicateLink.State.UNDONE, 0, actor);
    }

    /**
     * Undoes the verdict {@code given} on the pair only while it is still the pair's latest (another dispatcher may
     * have judged it again since); otherwise fails saying so ({@link DuplicateLinks#undoVerdict}).
     */
    public CompletableFuture<Void> undoVerdict(long ticket, long original, DuplicateLink.State given, String actor) {
        finder.forget(Long.toString(ticket), Long.toString(original));
        return links.undoVerdict(ticket, original, given, actor);
    }

    // ------------------------------------------------------------------ optional LLM check

    /**
     * Turns the TickIt-style LLM check of borderline pairs on ({@code rewriter} non-null) or off. The
     * finder remembers statements and verdicts, so the compare view reuses what the arrival check asked.
     */
    public void setIssueRewriter(IssueRewriter rewriter) {
        finder.setIssueRewriter(rewriter);
    }

    public boolean checksWithLlm() {
        return finder.hasIssueRewriter();
    }

    /** Runs the LLM check (if on) on borderline candidates; slow, background threads only. */
    private List<DuplicateCandidate> verified(TicketText query, List<DuplicateCandidate> cs) {
        if (!finder.hasIssueRewriter() || cs.isEmpty() || query == null) return cs;
        return finder.verify(query, cs, id -> text(Long.parseLong(id)));
    }

    private TicketText text(long id) {
        return store.detailWithoutPairs(id).map(d -> TicketText.of(Long.toString(id), d.row().subject(), d.body())).orElse(null);
    }

    /** Waits for queued work (tests and CLI). */
    public void awaitIdle() {
        worker.awaitIdle();
        llmWorker.awaitIdle();
    }

    @Override
    public void close() {
        store.removeListener(this);
        burstScan.close();
        worker.close();
        llmWorker.close();
    }
}
