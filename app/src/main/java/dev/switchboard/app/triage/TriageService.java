package dev.switchboard.app.triage;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.DecisionLedger;
import dev.switchboard.persistence.store.DecisionRecord;
import dev.switchboard.persistence.store.LabelledRow;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.StoreListener;
import dev.switchboard.persistence.store.TicketDetail;
import dev.switchboard.persistence.store.TicketStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Keeps suggestions current: trains the local model from the decided history (reusing stored
 * embeddings), suggests for every new or changed ticket that no person has decided, and teaches the
 * model each decision as it is recorded. All work runs on one background thread; progress and
 * state go to a {@link Listener}.
 */
public final class TriageService implements StoreListener, AutoCloseable {

    /** Weight of bulk-accepted suggestions nobody reviewed: the model must not feed on its own output. */
    public static final double UNREVIEWED_WEIGHT = 0.0;

    public interface Listener {
        /** {@code done}/{@code total} of the current job; total 0 when finished. */
        void progress(String message, long done, long total);

        default void trained(LocalModel.TrainingSummary summary) { }
    }

    private final TicketStore store;
    private final DecisionLedger ledger;
    private final LocalModel local;
    private final Supplier<TriageEngine> engine;
    private final dev.switchboard.app.SerialWorker worker = new dev.switchboard.app.SerialWorker("switchboard-triage", this::suggestBatch);
    /** Suggestions run here in parallel (an LLM engine limits its own concurrency); the worker coordinates. */
    private final ExecutorService suggesters = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "switchboard-suggest");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        return t;
    });
    private final Map<Long, java.util.concurrent.Future<?>> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean cancelTraining = new AtomicBoolean();
    private final AtomicReference<Listener> listener = new AtomicReference<>((m, d, t) -> { });
    private volatile Taxonomy taxonomy = new Taxonomy(List.of(), List.of());
    private volatile boolean ready;

    public TriageService(TicketStore store, LocalModel local, Supplier<TriageEngine> engine) {
        this.store = store;
        this.ledger = new DecisionLedger(store);
        this.local = local;
        this.engine = engine;
    }

    public void setListener(Listener l) {
        listener.set(l == null ? (m, d, t) -> { } : l);
    }

    public LocalModel localModel() {
        return local;
    }

    public Taxonomy taxonomy() {
        return taxonomy;
    }

    public boolean isReady() {
        return ready;
    }

    /** Starts listening to the store and trains in the background. */
    public CompletableFuture<LocalModel.TrainingSummary> start() {
        store.addListener(this);
        return retrain();
    }

    /** Full retrain in the background; {@link #cancelTraining()} stops it and keeps the old model. */
    public CompletableFuture<LocalModel.TrainingSummary> retrain() {
        cancelTraining.set(false);
        return worker.submit(this::train).thenApply(summary -> {
            listener.get().trained(summary);
            enqueueBacklog();
            return summary;
        });
    }

    public void cancelTraining() {
        cancelTraining.set(true);
    }

    private LocalModel.TrainingSummary train() {
        Listener l = listener.get();
        l.progress("Reading decided tickets…", 0, 0);
        taxonomy = new Taxonomy(
                store.teams().stream().map(t -> new Taxonomy.Team(t.name(), t.description())).toList(),
                store.priorities().stream().map(p -> new Taxonomy.Priority(p.name(), p.description())).toList());
        List<LabelledRow> rows = store.labelledHistory();
        List<LabelledTicket> examples = new ArrayList<>(rows.size());
        for (LabelledRow r : rows) {
            double w = r.reviewed() ? 1.0 : UNREVIEWED_WEIGHT;
            if (w <= 0) continue;
            examples.add(new LabelledTicket(TicketText.of(Long.toString(r.id()), r.subject(), r.body()), r.team(),
                    r.priority(), r.decidedAt(), w));
        }
        Map<String, float[]> stored = new HashMap<>();
        store.embeddings(local.embeddingModelId()).forEach((id, v) -> stored.put(Long.toString(id), v));
        LocalModel.TrainingSummary summary = local.train(examples, stored, new Progress() {
            @Override public void update(long done, long total, String message) {
                l.progress(message, done, total);
            }

            @Override public boolean isCancelled() {
                return cancelTraining.get();
            }
        });
        // Persist vectors computed in this run so a restart does not embed them again.
        Map<Long, float[]> fresh = new HashMap<>();
        for (LabelledTicket e : examples) {
            if (!stored.containsKey(e.text().id())) {
                float[] v = local.vector(e.text());
                if (v != null) fresh.put(Long.parseLong(e.text().id()), v);
            }
        }
        if (!fresh.isEmpty()) store.saveEmbeddings(local.embeddingModelId(), fresh).join();
        ready = true;
        l.progress("Model trained on " + examples.size() + " decided tickets", 0, 0);
        return summary;
    }

    private void enqueueBacklog() {
        List<Long> ids = new ArrayList<>();
        for (QueueRow r : store.queue()) {
            if (wantsSuggestion(r) || (r.setBy() == null && r.suggestedTeam() == null && isOpen(r))) ids.add(r.id());
        }
        enqueue(ids, true);
    }

    private static boolean isOpen(QueueRow r) {
        return !"RESOLVED".equals(r.status()) && !"CLOSED".equals(r.status());
    }

    /** A ticket gets a suggestion while no person has decided it and it changed since the last one. */
    private static boolean wantsSuggestion(QueueRow r) {
        return r.setBy() == null && isOpen(r) && r.needsSuggestion();
    }

    @Override
    public void ticketsChanged(Collection<Long> ticketIds) {
        if (ready) enqueue(ticketIds, false);
    }

    /** True while a suggestion for the ticket is being computed (e.g. waiting for an LLM). */
    public boolean isSuggesting(long ticketId) {
        return inFlight.containsKey(ticketId);
    }

    /** Re-suggests the given tickets even if they have a current suggestion (e.g. after settings change). */
    public void resuggest(Collection<Long> ids) {
        enqueue(ids, true);
    }

    private final Set<Long> forced = ConcurrentHashMap.newKeySet();

    private void enqueue(Collection<Long> ids, boolean force) {
        if (worker.isShutdown()) return;
        if (force) forced.addAll(ids);
        worker.enqueue(ids);
    }

    /**
     * Suggests, in parallel, for the tickets of a batch that still want one; cancels unwanted pending
     * ones. Does not wait for the suggestions: a slow LLM must not hold up the worker, which also
     * cancels calls for tickets decided meanwhile and teaches the model each decision.
     */
    private void suggestBatch(List<Long> ids) {
        Listener l = listener.get();
        int total = ids.size();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        // one token for this loop plus one per task; whoever drops it to zero reports the batch finished
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(1);
        Runnable finished = () -> {
            if (open.decrementAndGet() == 0 && total > 20) l.progress("Suggestions up to date", 0, 0);
        };
        for (int i = 0; i < ids.size(); i += 200) {
            List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + 200));
            for (QueueRow r : store.rows(chunk)) {
                boolean force = forced.remove(r.id());
                if (!(force ? r.setBy() == null && isOpen(r) : wantsSuggestion(r))) {
                    // decided or closed meanwhile: a pending (LLM) call for it is no longer wanted
                    var running = inFlight.remove(r.id());
                    if (running != null && (r.setBy() != null || !isOpen(r))) running.cancel(true);
                    continue;
                }
                if (inFlight.containsKey(r.id()) && !force) continue;
                long id = r.id();
                open.incrementAndGet();
                java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
                    if (!Thread.currentThread().isInterrupted()) suggestAndSave(id);
                }, null) {
                    @Override
                    protected void done() { // ran, failed or was cancelled
                        inFlight.remove(id, this);
                        int n = done.incrementAndGet();
                        if (total > 20 && n % 10 == 0) l.progress("Suggesting teams", n, total);
                        finished.run();
                    }
                };
                inFlight.put(id, task);
                try {
                    suggesters.execute(task);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    task.cancel(false); // shutting down
                }
            }
        }
        finished.run();
    }

    /** Suggests for one ticket now (on the caller's thread) and records it. */
    public TriageSuggestion suggestAndSave(long ticketId) {
        TicketDetail d = store.detail(ticketId).orElse(null);
        if (d == null) return null;
        TicketText text = text(d);
        List<String> chain = ledger.routingChain(ticketId);
        Set<String> excluded = new HashSet<>();
        if ("TRANSFERRED".equals(d.row().status())) excluded.addAll(chain);
        TriageSuggestion s = engine.get().suggest(text, new TriageContext(taxonomy, chain, excluded));
        if (Thread.currentThread().isInterrupted()) return s; // cancelled: the ticket was decided or closed meanwhile
        try {
            store.saveSuggestion(ticketId, SuggestionCodec.encode(s)).join();
        } catch (RuntimeException e) {
            System.getLogger("switchboard.triage").log(System.Logger.Level.WARNING, "saving suggestion failed: " + e.getMessage());
        }
        return s;
    }

    /** A suggestion for a re-route: teams that already had the ticket are excluded. */
    public TriageSuggestion suggestForTransfer(long ticketId) {
        TicketDetail d = store.detail(ticketId).orElseThrow();
        List<String> chain = ledger.routingChain(ticketId);
        return engine.get().suggest(text(d), new TriageContext(taxonomy, chain, new HashSet<>(chain)));
    }

    static TicketText text(TicketDetail d) {
        return new TicketText(Long.toString(d.row().id()), d.row().subject(), d.body(),
                d.updates().stream().map(TicketDetail.Update::body).toList());
    }

    /** Teaches the model a recorded decision (within a second, without retraining). */
    public CompletableFuture<Void> learn(DecisionRecord rec) {
        return worker.run(() -> {
            DecisionKind kind = DecisionKind.valueOf(rec.kind());
            String id = Long.toString(rec.ticketId());
            switch (kind) {
                case ACCEPTED, OVERRIDDEN, TRANSFERRED, BULK_ACCEPTED, UNDONE -> {
                    if (rec.team() == null) {
                        local.forget(id);
                        return;
                    }
                    double w = rec.reviewed() ? 1.0 : UNREVIEWED_WEIGHT;
                    if (w <= 0) {
                        local.forget(id);
                        return;
                    }
                    TicketDetail d = store.detail(rec.ticketId()).orElse(null);
                    if (d == null) return;
                    local.learn(new LabelledTicket(text(d), rec.team(), rec.priority(), Instant.now(), w));
                }
                default -> { }
            }
        });
    }

    @Override
    public void close() {
        cancelTraining.set(true);
        store.removeListener(this);
        suggesters.shutdownNow();
        worker.close();
        try {
            suggesters.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests and the CLI: waits until queued work is done. */
    public void awaitIdle() {
        do {
            worker.awaitIdle();
            for (var f : List.copyOf(inFlight.values())) {
                try {
                    f.get();
                } catch (java.util.concurrent.CancellationException | java.util.concurrent.ExecutionException e) {
                    // cancelled or failed (logged): either way no longer pending
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } while (!inFlight.isEmpty());
    }

    static boolean isCancellation(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof CancellationException) return true;
            t = t.getCause();
        }
        return false;
    }
}
