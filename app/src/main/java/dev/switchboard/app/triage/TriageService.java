package dev.switchboard.app.triage;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.llm.LlmEngine;
import dev.switchboard.inference.llm.LlmSettings;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.inference.local.ModelSnapshot;
import dev.switchboard.persistence.store.DecisionLedger;
import dev.switchboard.persistence.store.DecisionRecord;
import dev.switchboard.persistence.store.LabelledRow;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.StoreListener;
import dev.switchboard.persistence.store.TicketDetail;
import dev.switchboard.persistence.store.TicketStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 * model each decision as it is recorded. Progress and state go to a {@link Listener}.
 *
 * <p>With a model file, every successful full train saves the model's fitted state there
 * ({@link ModelSnapshot}), and {@link #start()} loads it instead of training: the memory of decided
 * tickets is rebuilt from the history in the database, so decisions recorded since are included as
 * learning them would have. A missing, damaged or incompatible file is logged and the model trains as
 * before. When the history has moved on too far for the loaded state (a team or priority it was not
 * trained on, or more than {@link ModelSnapshot#RETRAIN_SHARE} of the decided tickets new or changed),
 * a full retrain follows in the background while the loaded model serves.
 *
 * <p>Suggestions and learning run on one background thread, full trains and loading on another, so a
 * retrain never holds up suggestions; decisions learned while a train or load reads the history are
 * learned again on its result.
 */
public final class TriageService implements StoreListener, AutoCloseable {

    /** Weight of bulk-accepted suggestions nobody reviewed: the model must not feed on its own output. */
    public static final double UNREVIEWED_WEIGHT = 0.0;

    public interface Listener {
        /** {@code done}/{@code total} of the current job; total 0 when finished. */
        void progress(String message, long done, long total);

        /**
         * A full train's progress: {@code fraction} of its work done. Its phases (embedding, linear models,
         * held-out signals, ranker) count different things, so a count would mislead; shown as a share.
         */
        default void training(String message, double fraction) {
            progress(message, Math.round(fraction * 1000), 1000);
        }

        default void trained(LocalModel.TrainingSummary summary) { }

        /** The model was loaded from its saved state instead of trained. */
        default void loaded(ModelSnapshot.Loaded report) { }
    }

    private static final System.Logger LOG = System.getLogger("switchboard.triage");

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
    /** Full trains and loading the saved model, one at a time, beside the worker. */
    private final ExecutorService trainer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "switchboard-train");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        return t;
    });
    private final Path modelFile;
    private final String version;
    private final java.util.concurrent.atomic.AtomicInteger fullTrains = new java.util.concurrent.atomic.AtomicInteger();
    /** Full trains queued or running. */
    private final java.util.concurrent.atomic.AtomicInteger trainings = new java.util.concurrent.atomic.AtomicInteger();
    private volatile ModelSnapshot.Loaded loadedFrom;
    /** Decisions learned while a train or load is under way, one list per run (learned again on its result). */
    private final Set<List<DecisionRecord>> recordings = ConcurrentHashMap.newKeySet();
    /** Tickets asked for before the model was first ready. */
    private final Set<Long> deferred = ConcurrentHashMap.newKeySet();
    private final Map<Long, java.util.concurrent.Future<?>> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean cancelTraining = new AtomicBoolean();
    private final AtomicReference<Listener> listener = new AtomicReference<>((m, d, t) -> { });
    private volatile Taxonomy taxonomy = new Taxonomy(List.of(), List.of());
    private volatile boolean ready;
    private final AtomicBoolean warmUpStarted = new AtomicBoolean();
    private final CompletableFuture<Void> warmUp = new CompletableFuture<>();

    /** Without a model file: trains at every start and saves nothing. */
    public TriageService(TicketStore store, LocalModel local, Supplier<TriageEngine> engine) {
        this(store, local, engine, null);
    }

    /** @param modelFile where the local model's fitted state is saved and loaded from, or null for nowhere */
    public TriageService(TicketStore store, LocalModel local, Supplier<TriageEngine> engine, Path modelFile) {
        this.store = store;
        this.ledger = new DecisionLedger(store);
        this.local = local;
        this.engine = engine;
        this.modelFile = modelFile;
        String v = TriageService.class.getPackage().getImplementationVersion();
        this.version = "switchboard " + (v == null ? "dev" : v);
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

    /** Where the model is saved, or null. */
    public Path modelFile() {
        return modelFile;
    }

    /** Full training runs completed by this service (not counting loads of the saved model). */
    public int fullTrainings() {
        return fullTrains.get();
    }

    /** What the last load of the saved model did, or null when the model was not loaded. */
    public ModelSnapshot.Loaded loadedFrom() {
        return loadedFrom;
    }

    /**
     * Starts listening to the store and, in the background, loads the saved model (retraining in the
     * background too when the history has moved on, see the class comment) or, without a usable one, trains.
     * Completes when suggestions can be made: with the summary of the training run that produced the model.
     */
    public CompletableFuture<LocalModel.TrainingSummary> start() {
        store.addListener(this);
        if (modelFile == null) return retrain();
        if (!Files.exists(modelFile)) {
            LOG.log(System.Logger.Level.INFO, "no saved local model at {0}: training", modelFile);
            return retrain();
        }
        cancelTraining.set(false);
        CompletableFuture<ModelSnapshot.Loaded> load;
        try {
            load = CompletableFuture.supplyAsync(this::load, trainer);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
        return load.thenCompose(r -> {
            if (r == null) return retrain();
            listener.get().loaded(r);
            enqueueBacklog();
            String why = r.retrainReason(ModelSnapshot.RETRAIN_SHARE);
            if (why != null) {
                LOG.log(System.Logger.Level.INFO, "retraining the loaded local model in the background: {0}", why);
                retrain(why).exceptionally(e -> {
                    if (!isCancellation(e)) LOG.log(System.Logger.Level.WARNING, "background retrain failed: " + e.getMessage(), e);
                    return null;
                });
            }
            return CompletableFuture.completedFuture(r.info().summary());
        });
    }

    /** Full retrain in the background; {@link #cancelTraining()} stops it and keeps the old model. */
    public CompletableFuture<LocalModel.TrainingSummary> retrain() {
        return retrain(null);
    }

    /** @param why shown with the progress when the retrain runs while a loaded model serves, or null */
    private CompletableFuture<LocalModel.TrainingSummary> retrain(String why) {
        cancelTraining.set(false);
        CompletableFuture<LocalModel.TrainingSummary> run;
        trainings.incrementAndGet();
        try {
            run = CompletableFuture.supplyAsync(() -> train(why), trainer);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            trainings.decrementAndGet();
            return CompletableFuture.failedFuture(e);
        }
        run.whenComplete((r, e) -> trainings.decrementAndGet());
        return run.thenApply(summary -> {
            listener.get().trained(summary);
            List<QueueRow> rows = store.queue(); // one read for both
            if (engine.get() == local) resuggestOpen(rows);
            enqueueBacklog(rows); // another engine serving keeps its suggestions: a local retrain changes none of them
            return summary;
        });
    }

    /** What the status bar says when a full train was cancelled. */
    public static final String TRAINING_CANCELLED = "Training cancelled; the previous model keeps suggesting";

    /** Stops the full train under way (if any); the model that was serving keeps serving. */
    public void cancelTraining() {
        cancelTraining.set(true);
    }

    /** True while a full train is queued or running. */
    public boolean isTraining() {
        return trainings.get() > 0;
    }

    /**
     * The decided history as the model learns from it, the stored vectors by ticket id, and the fingerprints
     * of the texts with updates by ticket id (see {@link #readHistory()}).
     */
    private record History(List<LabelledTicket> examples, Map<String, float[]> stored, Map<Long, String> withUpdates) {}

    /**
     * Reads the decided history, each ticket with the updates it had when it was decided ({@link
     * TicketStore#labelledHistory()}): the same text {@link #learn} teaches online, so the model means the
     * same after a full train or a restart as before it.
     *
     * <p>Stored vectors: under {@link LocalModel#embeddingModelId()} a ticket's vector is that of its subject
     * and body (the duplicate finder stores and reads them so too), which is the vector of the text learned
     * only when that text has no updates. A text with updates has its own vector, stored under
     * {@link #withUpdatesModelId()} with the fingerprint of the text, and used only while the text is the same:
     * a ticket decided again after a new comment is embedded again, never given a vector of another text.
     */
    private History readHistory() {
        taxonomy = new Taxonomy(
                store.teams().stream().map(t -> new Taxonomy.Team(t.name(), t.description())).toList(),
                store.priorities().stream().map(p -> new Taxonomy.Priority(p.name(), p.description())).toList());
        List<LabelledRow> rows = store.labelledHistory();
        List<LabelledTicket> examples = new ArrayList<>(rows.size());
        Map<Long, String> withUpdates = new HashMap<>();
        for (LabelledRow r : rows) {
            double w = r.reviewed() ? 1.0 : UNREVIEWED_WEIGHT;
            if (w <= 0) continue;
            TicketText t = new TicketText(Long.toString(r.id()), r.subject(), r.body(), r.updates(), r.requester());
            examples.add(new LabelledTicket(t, r.team(), r.priority(), r.decidedAt(), w));
            if (hasUpdates(t)) withUpdates.put(r.id(), textHash(t));
        }
        Map<String, float[]> stored = new HashMap<>();
        store.embeddings(local.embeddingModelId()).forEach((id, v) -> {
            if (!withUpdates.containsKey(id)) stored.put(Long.toString(id), v);
        });
        store.embeddings(withUpdatesModelId(), withUpdates).forEach((id, v) -> stored.put(Long.toString(id), v));
        return new History(examples, stored, withUpdates);
    }

    /** Where the vectors of decided texts with updates are stored (beside the subject-and-body ones). */
    private String withUpdatesModelId() {
        return local.embeddingModelId() + "/with-updates";
    }

    /** True when the updates add to the text the model reads (blank ones do not: see {@link TicketText#fullText()}). */
    static boolean hasUpdates(TicketText t) {
        return t.updates().stream().anyMatch(u -> u != null && !u.isBlank());
    }

    /** SHA-256 of the text the sentence embedder reads, in hex (64 characters). */
    static String textHash(TicketText t) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(t.fullText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java runtime has SHA-256
        }
    }

    /** Persists vectors the model computed for the history so a restart does not embed them again. */
    private void saveComputedVectors(History h) {
        Map<Long, float[]> fresh = new HashMap<>();
        Map<Long, float[]> freshWithUpdates = new HashMap<>();
        for (LabelledTicket e : h.examples()) {
            if (h.stored().containsKey(e.text().id())) continue;
            float[] v = local.vector(e.text());
            if (v == null) continue;
            long id = Long.parseLong(e.text().id());
            if (h.withUpdates().containsKey(id)) freshWithUpdates.put(id, v);
            else fresh.put(id, v);
        }
        if (!fresh.isEmpty()) store.saveEmbeddings(local.embeddingModelId(), fresh).join();
        if (!freshWithUpdates.isEmpty()) store.saveEmbeddings(withUpdatesModelId(), freshWithUpdates, h.withUpdates()).join();
    }

    private LocalModel.TrainingSummary train(String why) {
        Listener l = listener.get();
        String prefix = why == null ? "" : "Saved model loaded; retraining in the background (" + why + "): ";
        List<DecisionRecord> learnedMeanwhile = startRecording();
        try {
            l.progress(prefix + "Reading decided tickets…", 0, 0);
            History h = readHistory();
            LocalModel.TrainingSummary summary = local.train(h.examples(), h.stored(), new Progress() {
                @Override public void update(long done, long total, String message) {
                    if (total > 0) l.training(prefix + "Training the local model: " + message, Math.min(1.0, (double) done / total));
                    else l.progress(prefix + message, done, total);
                }

                @Override public boolean isCancelled() {
                    return cancelTraining.get();
                }
            });
            fullTrains.incrementAndGet();
            becomeReady();
            saveComputedVectors(h);
            save(summary);
            l.progress(String.format("Model trained on %,d decided tickets", h.examples().size()), 0, 0);
            return summary;
        } catch (RuntimeException e) {
            // whoever started it (a restart's background retrain, many decisions from elsewhere) may not be
            // watching: the progress bar is cleared here, and the status says what happened
            if (isCancellation(e)) l.progress(TRAINING_CANCELLED, 0, 0);
            throw e;
        } finally {
            relearn(learnedMeanwhile);
        }
    }

    /** Saves the model's fitted state; a failure is logged (the next start trains instead). */
    private void save(LocalModel.TrainingSummary summary) {
        if (modelFile == null) return;
        long t0 = System.nanoTime();
        try {
            long bytes = ModelSnapshot.write(local, modelFile, summary, version);
            LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                    "saved the local model to %s (%,d bytes, %.2f s)", modelFile, bytes, (System.nanoTime() - t0) / 1e9));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not save the local model to " + modelFile + ": " + e);
        }
    }

    /** Loads the saved model with the current history; null (logged) when there is none usable. */
    private ModelSnapshot.Loaded load() {
        Listener l = listener.get();
        List<DecisionRecord> learnedMeanwhile = startRecording();
        try {
            l.progress("Loading the saved model…", 0, 0);
            History h = readHistory();
            if (h.examples().isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "no decided tickets: the saved local model at {0} is not used", modelFile);
                return null;
            }
            ModelSnapshot.Loaded r = ModelSnapshot.load(local, modelFile, version, h.examples(), h.stored());
            if (r.vectorsComputed() > 0) saveComputedVectors(h);
            loadedFrom = r;
            LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                    "loaded the local model from %s (saved %s; %,d decided tickets: %,d as saved, %,d new, %,d re-decided or changed, %,d gone) in %.2f s",
                    modelFile, r.info().savedAt(), r.decided(), r.kept(), r.added(), r.changed(), r.removed(), r.seconds()));
            becomeReady();
            String why = r.retrainReason(ModelSnapshot.RETRAIN_SHARE);
            l.progress(String.format(java.util.Locale.ROOT, "Saved model loaded: %,d decided tickets (%.1f s)%s", r.decided(),
                    r.seconds(), why == null ? "" : "; retraining in the background (" + why + ")"), 0, 0);
            return r;
        } catch (NoSuchFileException e) {
            LOG.log(System.Logger.Level.INFO, "no saved local model at {0}: training", modelFile);
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "saved local model at " + modelFile + " not used (" + e.getMessage()
                    + "): training");
            return null;
        } finally {
            relearn(learnedMeanwhile);
        }
    }

    private void becomeReady() {
        ready = true;
        warmUp();
        List<Long> ids = new ArrayList<>(deferred);
        deferred.removeAll(ids);
        if (!ids.isEmpty()) enqueue(ids, false);
    }

    /**
     * Once, when the model first becomes ready: starts the sentence embedder and embeds the team descriptions
     * ({@link LocalModel#warmUp}) on a background thread, so the first suggestion does not wait for ONNX
     * Runtime to start (a load, and a train from stored vectors, embed nothing). A failure is logged; the
     * first suggestion then starts the embedder as before.
     */
    private void warmUp() {
        if (!warmUpStarted.compareAndSet(false, true)) return;
        Taxonomy tax = taxonomy;
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                local.warmUp(tax);
                LOG.log(System.Logger.Level.DEBUG, String.format(java.util.Locale.ROOT,
                        "sentence embedder warmed up in %.2f s", (System.nanoTime() - t0) / 1e9));
            } catch (RuntimeException | LinkageError e) { // LinkageError: ONNX Runtime's native library
                LOG.log(System.Logger.Level.WARNING, "warming up the sentence embedder failed (the first suggestion "
                        + "starts it instead): " + e, e);
            } finally {
                warmUp.complete(null);
            }
        }, "switchboard-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
    }

    /**
     * Completes once the warm-up after the model first became ready has finished (successfully or not; see
     * {@link #warmUp()}); not before the model is ready. For the CLI's start benchmark and tests.
     */
    public CompletableFuture<Void> warmedUp() {
        return warmUp.copy();
    }

    /** Starts recording decisions learned from now on (before the history is read). */
    private List<DecisionRecord> startRecording() {
        List<DecisionRecord> list = java.util.Collections.synchronizedList(new ArrayList<>());
        recordings.add(list);
        return list;
    }

    /**
     * Stops a recording and teaches the model its decisions again, on the worker where decisions are
     * learned in order: one learned while the history was being read may be missing from the new state.
     */
    private void relearn(List<DecisionRecord> list) {
        worker.run(() -> {
            recordings.remove(list);
            List<DecisionRecord> recs;
            synchronized (list) {
                recs = List.copyOf(list);
            }
            for (DecisionRecord r : recs) apply(r);
        });
    }

    private void enqueueBacklog() {
        enqueueBacklog(store.queue());
    }

    private void enqueueBacklog(List<QueueRow> rows) {
        List<Long> ids = new ArrayList<>();
        for (QueueRow r : rows) {
            if (wantsSuggestion(r) || (r.setBy() == null && r.suggestedTeam() == null && isOpen(r))) ids.add(r.id());
        }
        enqueue(ids, true);
    }

    /** Open undecided tickets a full retrain refreshes at most, newest first (about 10 s of local suggestions). */
    static final int REFRESH_LIMIT = 1_000;
    /** Tickets queued by {@link #resuggestOpen}: re-suggested only while the local model serves. */
    private final Set<Long> refreshing = ConcurrentHashMap.newKeySet();

    /**
     * After a full train of the serving local model: the newest {@link #REFRESH_LIMIT} open tickets nobody
     * decided get a fresh suggestion from the new model (in the background; the previous one stays shown
     * until then), not only those without one. A retrain after a model upgrade, or after many decisions,
     * would otherwise leave the queue showing the old model's calls. Older ones keep theirs until they
     * change; the cap keeps a huge queue from holding up new arrivals. Should another engine serve by the
     * time a ticket's turn comes (the dispatcher switched to an LLM), the ticket is left as it is: a local
     * retrain never sends the queue to an LLM.
     */
    private void resuggestOpen(List<QueueRow> rows) {
        List<Long> ids = new ArrayList<>();
        for (QueueRow r : rows) if (r.setBy() == null && isOpen(r)) ids.add(r.id());
        ids.sort(java.util.Comparator.reverseOrder());
        List<Long> newest = List.copyOf(ids.subList(0, Math.min(REFRESH_LIMIT, ids.size())));
        refreshing.addAll(newest);
        enqueue(newest, false);
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
        if (!ready) return;
        List<Long> ids = List.copyOf(ticketIds);
        worker.run(() -> relearnMerges(ids));
        enqueue(ids, false);
    }

    /**
     * Merges and their undos change what the model may learn without a decision being recorded: a ticket merged
     * into another as its duplicate is no example of its own any more (its text is an update of the original, as a
     * full train reads the history), and once the merge is undone the duplicate is one again and the original's
     * text is without the merge's update. Both are taught now, as stored ({@link #learnAsStored}), and recorded so
     * a full train under way applies them again afterwards.
     */
    private void relearnMerges(List<Long> ids) {
        Set<Long> touched = new java.util.HashSet<>(store.mergedAmong(ids));
        touched.addAll(store.inUndoneMergeAmong(ids));
        if (touched.isEmpty()) return;
        for (QueueRow r : store.rows(List.copyOf(touched))) relearn(r);
    }

    /**
     * Teaches the model the ticket as stored now, and records it so a full train under way learns it again
     * afterwards (any record of the ticket will do: {@link #apply} reads the ticket as stored).
     */
    private void relearn(QueueRow r) {
        List<DecisionRecord> ds = ledger.decisions(r.id());
        if (!ds.isEmpty()) for (List<DecisionRecord> rec : recordings) rec.add(ds.get(ds.size() - 1));
        learnAsStored(r, ds);
    }

    /** Beyond this many tickets decided elsewhere at once (a history import), a full retrain learns them. */
    static final int LEARN_ELSEWHERE_MAX = 200;

    /**
     * Tickets another process changed: suggested for like this process's own, and the decisions among them
     * (another dispatcher's on a shared database, history a CLI import brought in) are learned as if they
     * had been recorded here, so they change later suggestions within a second of the poll finding them.
     */
    @Override
    public void ticketsChangedElsewhere(Collection<Long> ticketIds) {
        if (!ready) return;
        List<Long> ids = List.copyOf(ticketIds);
        worker.run(() -> learnDecidedElsewhere(ids)); // a merged duplicate among them is forgotten there
        enqueue(ids, false);
    }

    private void learnDecidedElsewhere(List<Long> ids) {
        List<QueueRow> rows = store.rows(ids);
        // undone elsewhere: no longer decided, yet still known to the model
        for (QueueRow r : rows) {
            if (r.setBy() == null && local.forget(Long.toString(r.id()))) {
                // a full train under way read the history before the undo: it forgets the label again afterwards
                List<DecisionRecord> ds = ledger.decisions(r.id());
                if (!ds.isEmpty()) for (List<DecisionRecord> rec : recordings) rec.add(ds.get(ds.size() - 1));
                resuggestAfterLearning(r);
            }
        }
        List<QueueRow> decided = rows.stream().filter(r -> r.setBy() != null).toList();
        if (decided.isEmpty()) return;
        if (decided.size() > LEARN_ELSEWHERE_MAX) {
            retrain(decided.size() + " tickets decided elsewhere").exceptionally(e -> {
                if (!isCancellation(e)) LOG.log(System.Logger.Level.WARNING, "retrain failed: " + e.getMessage(), e);
                return null;
            });
            return;
        }
        for (QueueRow r : decided) relearn(r);
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
        if (!ready) {
            deferred.addAll(ids); // asked for before the first model: handled when it is ready
            if (ready) becomeReady();
            return;
        }
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
                boolean refresh = refreshing.remove(r.id()) && engine.get() == local;
                boolean force = forced.remove(r.id()) || refresh;
                if (!(force ? r.setBy() == null && isOpen(r) : wantsSuggestion(r))) {
                    // decided or closed meanwhile: a pending (LLM) call for it is no longer wanted
                    // (a ticket that merely has a suggestion now, e.g. the local one shown while the LLM is asked,
                    // keeps its call: it stays in flight, so a decision can still cancel it)
                    var running = inFlight.get(r.id());
                    if (running != null && (r.setBy() != null || !isOpen(r))) {
                        inFlight.remove(r.id(), running);
                        running.cancel(true);
                    }
                    continue;
                }
                if (inFlight.containsKey(r.id()) && !force) continue;
                long id = r.id();
                open.incrementAndGet();
                boolean onlyRefresh = refresh && !wantsSuggestion(r);
                java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
                    if (onlyRefresh && engine.get() != local) return; // an LLM serves now: keep the suggestion
                    if (!Thread.currentThread().isInterrupted()) suggestAndSave(id);
                }, null) {
                    @Override
                    protected void done() { // ran, failed or was cancelled
                        inFlight.remove(id, this);
                        if (!isCancelled()) {
                            try {
                                get(); // done: does not wait; a failure would otherwise vanish with the task
                            } catch (java.util.concurrent.ExecutionException e) {
                                LOG.log(System.Logger.Level.WARNING, "suggesting for ticket #" + id + " failed: " + e.getCause(), e.getCause());
                            } catch (InterruptedException | java.util.concurrent.CancellationException ignored) {
                                // not a failure of the suggestion
                            }
                        }
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
        TicketDetail d = store.detailWithoutPairs(ticketId).orElse(null);
        if (d == null) return null;
        TicketText text = text(d);
        List<String> chain = ledger.routingChain(ticketId);
        Set<String> excluded = new HashSet<>();
        if ("TRANSFERRED".equals(d.row().status())) excluded.addAll(chain);
        TriageContext ctx = new TriageContext(taxonomy, chain, excluded);
        TriageEngine serving = engine.get();
        TriageSuggestion s;
        try {
            if (serving instanceof LlmEngine llm && d.suggestion() == null) showLocalWhileAskingLlm(ticketId, text, ctx, llm);
            s = serving.suggest(text, ctx);
            if (s == null) throw new IllegalStateException("the " + serving.id() + " engine returned no suggestion");
        } catch (RuntimeException | LinkageError e) {
            // An engine should return failures as an ERROR suggestion; one that throws (a bug, or classes gone from a
            // jar rebuilt under the running app) left the ticket "Waiting for a suggestion…" for ever, in silence: the
            // card now says it failed and the log has why. Only the exception's class reaches the card.
            if (Thread.currentThread().isInterrupted()) return null;
            LOG.log(System.Logger.Level.WARNING, "suggesting for ticket #" + ticketId + " failed (" + serving.id() + " engine): " + e, e);
            s = TriageSuggestion.none(TriageSuggestion.Status.ERROR, serving.id(), null,
                    "the " + serving.id() + " engine failed (" + e.getClass().getSimpleName() + "); details in the log");
        }
        if (Thread.currentThread().isInterrupted()) return s; // cancelled: the ticket was decided or closed meanwhile
        try {
            store.saveSuggestion(ticketId, SuggestionCodec.encode(s)).join();
        } catch (RuntimeException e) {
            System.getLogger("switchboard.triage").log(System.Logger.Level.WARNING, "saving suggestion failed: " + e.getMessage());
        }
        return s;
    }

    /**
     * A new ticket about to wait for the LLM (timeouts and retries can take minutes) first gets the local
     * model's suggestion, noted as such, so the dispatcher is never left with "Waiting for a suggestion…"; the
     * LLM's answer (or its fallback) replaces it. Not when the LLM would not be asked (the local model is
     * confident and the LLM is asked only otherwise) or the local model has no suggestion.
     */
    private void showLocalWhileAskingLlm(long ticketId, TicketText text, TriageContext ctx, LlmEngine llm) {
        TriageSuggestion mine = local.suggest(text, ctx);
        if (mine.status() != TriageSuggestion.Status.OK) return;
        if (mine.confident() && llm.settings().hybrid() == LlmSettings.HybridPolicy.WHEN_LOCAL_NOT_CONFIDENT) return;
        TriageSuggestion shown = new TriageSuggestion(mine.status(), mine.teams(), mine.priorities(), mine.confident(),
                mine.rationale(), mine.evidence(), mine.engine(), mine.model(),
                "Asking the LLM (" + llm.settings().model() + "); the local model's suggestion until it answers",
                mine.latencyMicros(), mine.unlikeDecided());
        if (Thread.currentThread().isInterrupted()) return;
        try {
            store.saveSuggestion(ticketId, SuggestionCodec.encode(shown)).join();
        } catch (RuntimeException e) {
            System.getLogger("switchboard.triage").log(System.Logger.Level.WARNING, "saving suggestion failed: " + e.getMessage());
        }
    }

    /** A suggestion for a re-route: teams that already had the ticket are excluded. */
    public TriageSuggestion suggestForTransfer(long ticketId) {
        TicketDetail d = store.detailWithoutPairs(ticketId).orElseThrow();
        List<String> chain = ledger.routingChain(ticketId);
        return engine.get().suggest(text(d), new TriageContext(taxonomy, chain, new HashSet<>(chain)));
    }

    static TicketText text(TicketDetail d) {
        return text(d, null);
    }

    /**
     * The ticket's text with the updates recorded up to {@code decidedAt} (all of them when null): what a
     * dispatcher deciding it then saw, and what {@link TicketStore#labelledHistory()} gives a full train. The text
     * of a merge that was undone is not the ticket's any more and is left out.
     */
    static TicketText text(TicketDetail d, Instant decidedAt) {
        return new TicketText(Long.toString(d.row().id()), d.row().subject(), d.body(), d.textUpdates().stream()
                .filter(u -> decidedAt == null || u.createdAt() == null || !u.createdAt().isAfter(decidedAt))
                .map(TicketDetail.Update::body).toList(), d.row().requester());
    }

    /** Teaches the model a recorded decision (within a second, without retraining). */
    public CompletableFuture<Void> learn(DecisionRecord rec) {
        return worker.run(() -> {
            for (List<DecisionRecord> r : recordings) r.add(rec);
            apply(rec);
        });
    }

    private void apply(DecisionRecord rec) {
        QueueRow r = store.rows(List.of(rec.ticketId())).stream().findFirst().orElse(null);
        if (r == null) {
            local.forget(Long.toString(rec.ticketId()));
            return;
        }
        if (learnAsStored(r, ledger.decisions(rec.ticketId()))) resuggestAfterLearning(r);
    }

    /**
     * A ticket open to a suggestion again after the model learned its change (an undone decision): the
     * suggestion its change set off may have been computed while the model still knew the undone label
     * (it would name that team, with the ticket itself as evidence), so it is computed again now.
     */
    private void resuggestAfterLearning(QueueRow r) {
        if (r.setBy() != null || !isOpen(r)) return;
        var running = inFlight.remove(r.id());
        if (running != null) running.cancel(true);
        enqueue(List.of(r.id()), true);
    }

    /**
     * Teaches the model a ticket exactly as a full train would read it now ({@link TicketStore#labelledHistory()}):
     * its current team and priority when a person or imported history set them (otherwise it is forgotten),
     * weighted by whether its latest decision was reviewed (a ticket merged into another as its duplicate is
     * forgotten: its text is the original's update now), with the updates recorded up to the decision that
     * set its label ({@link DecisionLedger#labelDecision}: after an undo, the decision it restored, as in the
     * dataset export). So every kind of decision counts (an assignment or reopening that changes the team, a
     * resolve that reviews a bulk accept, an undo), and the model means the same online
     * as after a retrain or restart. {@code r} and {@code ds} are the ticket's row and ledger as read now.
     *
     * @return whether the model forgot a label it had for the ticket (an undo, say)
     */
    private boolean learnAsStored(QueueRow r, List<DecisionRecord> ds) {
        long ticketId = r.id();
        String id = Long.toString(ticketId);
        if (r.setBy() == null || r.team() == null) return local.forget(id);
        double w = ds.isEmpty() || ds.get(ds.size() - 1).reviewed() ? 1.0 : UNREVIEWED_WEIGHT;
        if (w <= 0) return local.forget(id);
        TicketDetail d = store.detailWithoutPairs(ticketId).orElse(null);
        if (d == null) return false;
        if (d.mergedInto() != null) return local.forget(id); // its text is an update of the original now
        // the text the dispatcher saw: updates that arrived since the label decision (never an undone one) are not part of it
        DecisionRecord label = DecisionLedger.labelDecision(ds);
        Instant textAt = label == null ? null : label.decidedAt();
        local.learn(new LabelledTicket(text(d, textAt), r.team(), r.priority(), Instant.now(), w));
        return false;
    }

    @Override
    public void close() {
        cancelTraining.set(true);
        store.removeListener(this);
        suggesters.shutdownNow();
        trainer.shutdownNow();
        worker.close();
        try {
            trainer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            suggesters.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests and the CLI: waits until queued work is done. */
    public void awaitIdle() {
        do {
            if (!trainer.isShutdown()) {
                try {
                    CompletableFuture.runAsync(() -> { }, trainer).join(); // trains and loads queued so far
                } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.CompletionException e) {
                    // closing
                }
            }
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

    public static boolean isCancellation(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof CancellationException) return true;
            t = t.getCause();
        }
        return false;
    }
}
