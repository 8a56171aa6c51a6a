package dev.switchboard.inference.local;

import dev.switchboard.inference.Evidence;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.embed.Embedder;
import dev.switchboard.inference.embed.MiniLmEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;

/**
 * The offline triage engine. It learns from decided tickets and combines, per team (and priority):
 * a multinomial logistic regression on TF-IDF word and character n-grams, a vote of the nearest
 * decided tickets by sentence embedding (all-MiniLM-L6-v2), similarity to each team's centroid and
 * description, BM25 relevance of the ticket to all text the team solved, and the team prior. The
 * blend weights are fitted on held-out folds of the training data, which also calibrates the
 * probabilities. A {@link Ranker} of small boosted trees then re-ranks each ticket's likeliest labels
 * from the same signals plus neighbour statistics, a subject-only linear model, a linear model on the
 * sentence embedding, Complement Naive Bayes scores and each label's best-matching tickets (sized by
 * cross-validation, temperature-calibrated; none when it does not help). Per-team confidence
 * thresholds are chosen on the held-out predictions. Held-out signals for a fold are computed as for
 * a new ticket against the other folds, so that no feature tells a ticket's own label.
 *
 * <p>{@link #learn} and {@link #forget} take effect on the next suggestion (neighbour index and
 * statistics are updated in place); the linear model only changes on the next {@link #train}.
 * {@link #suggest} is thread-safe and may run while training happens on another thread.
 */
public final class LocalModel implements TriageEngine, dev.switchboard.inference.eval.PriorityConfidence {

    /** What a training run did. */
    public record TrainingSummary(int examples, int teams, int priorities, int embedded, int reusedVectors,
                                  double seconds, double heldOutTeamAccuracy, double globalTeamThreshold,
                                  Map<String, Double> blend) {}

    private record Model(TfidfVectorizer vectorizer, TfidfVectorizer subjectVectorizer, Head team, Head priority) {}

    private record State(Model model, Memory memory) {}

    private final Embedder embedder;
    private final VectorCache cache;
    private final LocalModelConfig config;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object trainLock = new Object();
    private final Map<String, float[]> descCache = new ConcurrentHashMap<>();
    private State state;
    private List<Runnable> journal; // decisions recorded while a training run is in flight

    public LocalModel() {
        this(LocalModelConfig.defaults());
    }

    public LocalModel(LocalModelConfig config) {
        this(config.newEmbedder(), VectorCache.inMemory(), config);
    }

    public LocalModel(Embedder embedder, VectorCache cache, LocalModelConfig config) {
        this.embedder = embedder;
        this.cache = cache == null ? VectorCache.NONE : cache;
        this.config = config;
        this.state = new State(new Model(null, null, Head.untrained(config.targetPrecision()),
                Head.untrained(config.targetPrecision())), new Memory(embedder.dimension(), 16));
    }

    @Override
    public String id() {
        return "local";
    }

    /** Embedding model id, stored beside every vector so stale ones are recognised. */
    public String embeddingModelId() {
        return embedder.modelId();
    }

    public LocalModelConfig config() {
        return config;
    }

    /** Number of decided tickets the model currently remembers. */
    public int size() {
        lock.readLock().lock();
        try {
            return state.memory().aliveCount;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The sentence vector of a ticket, from the cache or computed (and then handed to the cache). */
    public float[] vector(TicketText ticket) {
        float[] v = cache.get(ticket, embedder.modelId());
        if (v != null && v.length == embedder.dimension()) return v;
        v = embedder.embed(ticket.fullText());
        cache.put(ticket, embedder.modelId(), v);
        return v;
    }

    /** Per-team confidence thresholds (teams without their own use {@link #globalTeamThreshold()}). */
    public Map<String, Double> teamThresholds() {
        lock.readLock().lock();
        try {
            Head h = state.model().team();
            Map<String, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < h.labels.size(); i++) out.put(h.labels.get(i), h.threshold(i));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** True when the suggestion's top priority clears that priority's threshold. */
    @Override
    public boolean priorityConfident(TriageSuggestion s) {
        if (s.priorities().isEmpty()) return false;
        lock.readLock().lock();
        try {
            Head h = state.model().priority();
            int l = state.memory().priorities.labelOf(s.topPriority(), false);
            return s.priorities().get(0).probability() >= h.threshold(l);
        } finally {
            lock.readLock().unlock();
        }
    }

    public double globalTeamThreshold() {
        lock.readLock().lock();
        try {
            return state.model().team().globalThreshold;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ online updates

    /** Records a decision; the next suggestion sees it. Re-deciding a ticket replaces the earlier decision. */
    public void learn(LabelledTicket decision) {
        float[] v = vector(decision.text());
        Runnable op = () -> state.memory().add(decision.text().id(), decision.text(), decision.team(),
                decision.priority(), decision.weight(), v);
        lock.writeLock().lock();
        try {
            op.run();
            if (journal != null) journal.add(op);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The text the model learned a decided ticket from (subject, body and the updates it had when decided),
     * or empty when it does not know the ticket: what in-context examples for an LLM should show.
     */
    public java.util.Optional<TicketText> learnedText(String ticketId) {
        lock.readLock().lock();
        try {
            Memory m = state.memory();
            Integer slot = m.slotById.get(ticketId);
            return slot == null || !m.alive[slot] ? java.util.Optional.empty() : java.util.Optional.of(m.entries.get(slot).text());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Undoes a decision (by ticket id); returns false when the model did not know it. */
    public boolean forget(String ticketId) {
        lock.writeLock().lock();
        try {
            boolean removed = state.memory().remove(ticketId);
            if (journal != null) journal.add(() -> state.memory().remove(ticketId));
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ training

    public TrainingSummary train(List<LabelledTicket> examples, Progress progress) {
        return train(examples, Map.of(), progress);
    }

    /**
     * Full retrain on the caller's thread. {@code vectorsById} supplies stored embeddings by ticket id
     * (computed with {@link #embeddingModelId()}); missing ones come from the cache or are computed.
     * On cancellation throws {@link CancellationException} and keeps the previous model.
     */
    public TrainingSummary train(List<LabelledTicket> examples, Map<String, float[]> vectorsById, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        synchronized (trainLock) {
            lock.writeLock().lock();
            try {
                journal = new ArrayList<>();
            } finally {
                lock.writeLock().unlock();
            }
            try {
                return doTrain(examples, vectorsById == null ? Map.of() : vectorsById, p);
            } finally {
                lock.writeLock().lock();
                try {
                    journal = null;
                } finally {
                    lock.writeLock().unlock();
                }
            }
        }
    }

    private TrainingSummary doTrain(List<LabelledTicket> examples, Map<String, float[]> given, Progress p) {
        long t0 = System.nanoTime();
        int n = examples.size();
        // 1. vectors
        float[][] vecs = new float[n][];
        List<Integer> missing = new ArrayList<>();
        int reused = 0;
        for (int i = 0; i < n; i++) {
            TicketText t = examples.get(i).text();
            float[] v = t.id() == null ? null : given.get(t.id());
            if (v == null) v = cache.get(t, embedder.modelId());
            if (v != null && v.length == embedder.dimension()) {
                vecs[i] = v;
                reused++;
            } else {
                missing.add(i);
            }
        }
        long total = missing.size() + 3L * n;
        String embedding = String.format(java.util.Locale.ROOT, "embedding %,d tickets", missing.size());
        p.update(0, total, embedding);
        int[] done = {0};
        parallel(missing.size(), 16, j -> {
            int i = missing.get(j);
            TicketText t = examples.get(i).text();
            float[] v = embedder.embed(t.fullText());
            cache.put(t, embedder.modelId(), v);
            vecs[i] = v;
        }, k -> {
            done[0] += k;
            p.update(done[0], total, embedding);
        }, p);
        p.checkCancelled();
        // 2. features and memory
        p.update(missing.size(), total, "building features");
        List<String> texts = examples.stream().map(e -> e.text().fullText()).toList();
        TfidfVectorizer vz = TfidfVectorizer.fit(texts, 2);
        // a second linear model reads the subject alone (short, dense with routing terms)
        List<String> subjects = examples.stream().map(e -> e.text().subject()).toList();
        TfidfVectorizer vzSubject = TfidfVectorizer.fit(subjects, 2);
        SparseVec[] xa = new SparseVec[n];
        SparseVec[] x2a = new SparseVec[n];
        parallel(n, 256, i -> {
            xa[i] = vz.transform(texts.get(i));
            x2a[i] = vzSubject.transform(subjects.get(i));
        }, k -> { }, p);
        List<SparseVec> x = Arrays.asList(xa);
        List<SparseVec> x2 = Arrays.asList(x2a);
        Memory mem = new Memory(embedder.dimension(), n + 64, vz);
        for (int i = 0; i < n; i++) {
            LabelledTicket e = examples.get(i);
            String id = e.text().id() != null ? e.text().id() : "#" + i;
            mem.add(id, e.text(), e.team(), e.priority(), e.weight(), vecs[i]);
        }
        p.checkCancelled();
        // Duplicated ids keep only the last decision: train on live slots only.
        int slots = mem.slots();
        List<SparseVec> xs = new ArrayList<>(slots);
        List<SparseVec> xs2 = new ArrayList<>(slots);
        Map<String, Integer> idxOfId = new HashMap<>();
        for (int i = 0; i < n; i++) idxOfId.put(examples.get(i).text().id() != null ? examples.get(i).text().id() : "#" + i, i);
        for (int s = 0; s < slots; s++) {
            Memory.Entry e = mem.entries.get(s);
            xs.add(x.get(idxOfId.get(e.id())));
            xs2.add(x2.get(idxOfId.get(e.id())));
        }
        // 3. heads
        long base = missing.size() + n;
        Head team = fitHead(mem, mem.teams, mem.teamOf, xs, vz, xs2, vzSubject, p, base, total, "team");
        Head prio = mem.priorities.size() > 0
                ? fitHead(mem, mem.priorities, mem.priorityOf, xs, vz, xs2, vzSubject, p, base + n, total, "priority")
                : Head.untrained(config.targetPrecision());
        p.checkCancelled();
        Model model = new Model(vz, vzSubject, team, prio);
        // 4. swap, replaying decisions that arrived meanwhile
        lock.writeLock().lock();
        try {
            p.checkCancelled();
            State fresh = new State(model, mem);
            List<Runnable> pending = journal;
            state = fresh;
            if (pending != null) for (Runnable r : pending) r.run();
            journal = new ArrayList<>();
        } finally {
            lock.writeLock().unlock();
        }
        p.update(total, total, "trained");
        Map<String, Double> blend = new LinkedHashMap<>();
        for (int j = 0; j < Head.NF; j++) blend.put(Head.SIGNALS[j], team.blend[j]);
        return new TrainingSummary(mem.aliveCount, mem.teams.size(), mem.priorities.size(), missing.size(), reused,
                (System.nanoTime() - t0) / 1e9, lastHeldOutAccuracy, team.globalThreshold, blend);
    }

    private volatile double lastHeldOutAccuracy = Double.NaN;

    private Head fitHead(Memory mem, Memory.LabelStats st, int[] labelOf, List<SparseVec> xs, TfidfVectorizer vz,
                         List<SparseVec> xs2, TfidfVectorizer vz2, Progress p, long base, long total, String what) {
        int slots = mem.slots();
        int L = st.size();
        int[] rows = java.util.stream.IntStream.range(0, slots).filter(s -> mem.alive[s] && labelOf[s] >= 0).toArray();
        int n = rows.length;
        int epochs = epochsFor(config.epochs(), n);
        double[] w = new double[slots];
        int[] y = new int[slots];
        for (int s = 0; s < slots; s++) {
            w[s] = mem.entries.get(s).weight();
            y[s] = labelOf[s];
        }
        // Optional class re-weighting of the linear model by (n / (L * count))^LR_BALANCE (none by default).
        double[] wLr = w.clone();
        double[] cnt = new double[Math.max(1, L)];
        int nLive = 0;
        for (int s = 0; s < slots; s++) if (mem.alive[s] && labelOf[s] >= 0) { cnt[labelOf[s]] += 1; nLive++; }
        for (int s = 0; s < slots; s++) {
            if (mem.alive[s] && labelOf[s] >= 0) wLr[s] *= Math.pow(nLive / (Math.max(1, L) * cnt[labelOf[s]]), LR_BALANCE);
        }
        if (L < 2 || n < 4) {
            SoftmaxRegression.Params params = new SoftmaxRegression.Params(epochs, config.lambda(), LR_ETA, config.seed());
            SoftmaxRegression lr = L >= 2 ? SoftmaxRegression.train(xs, y, wLr, rows, vz.dimension(), L, params, p) : null;
            return new Head(lr, Head.DEFAULT_BLEND.clone(), new double[0], config.targetPrecision(), st.labels);
        }
        // stratified folds
        int folds = Math.max(2, Math.min(config.folds(), n / 2));
        int[] fold = new int[slots];
        Arrays.fill(fold, -1);
        Random rnd = new Random(config.seed());
        List<List<Integer>> byLabel = new ArrayList<>();
        for (int l = 0; l < L; l++) byLabel.add(new ArrayList<>());
        for (int s : rows) byLabel.get(labelOf[s]).add(s);
        int next = 0;
        for (List<Integer> g : byLabel) {
            java.util.Collections.shuffle(g, rnd);
            for (int s : g) fold[s] = next++ % folds;
        }
        double[][] oofLr = new double[slots][];
        SoftmaxRegression[] full = new SoftmaxRegression[1];
        p.update(base, total, "training " + what + " model (" + folds + " folds)");
        // The SGD step size acts as the linear model's regularisation (fixed epochs): choose it by the
        // held-out log-loss on the first fold, whose predictions under the winner are kept.
        double[] etas = n >= LR_ETA_SELECT_MIN ? LR_ETAS : new double[] {LR_ETA};
        double[][][] firstFold = new double[etas.length][][];
        double[] foldLoss = new double[etas.length];
        int[] notFirst = Arrays.stream(rows).filter(s -> fold[s] != 0).toArray();
        // a linear model on the standardised sentence embeddings (standardiser from all training vectors:
        // unsupervised, label-free); its step size is chosen the same way from its own candidates
        List<float[]> liveVecs = new ArrayList<>();
        for (int s : rows) liveVecs.add(mem.vector(s));
        float[][] stdz = Head.standardiser(liveVecs, mem.dim);
        List<SparseVec> xsE = new ArrayList<>(slots);
        for (int s = 0; s < slots; s++) xsE.add(Head.embeddingFeatures(mem.vector(s), stdz[0], stdz[1]));
        double[] etasE = n >= LR_ETA_SELECT_MIN ? EMB_ETAS : new double[] {LR_ETA};
        double[][][] firstFoldE = new double[etasE.length][][];
        double[] foldLossE = new double[etasE.length];
        parallel(etas.length + etasE.length, 1, task -> {
            boolean emb = task >= etas.length;
            int k = emb ? task - etas.length : task;
            SoftmaxRegression m = emb
                    ? SoftmaxRegression.train(xsE, y, wLr, notFirst, mem.dim, L,
                            new SoftmaxRegression.Params(epochs, config.lambda(), etasE[k], config.seed()), p)
                    : SoftmaxRegression.train(xs, y, wLr, notFirst, vz.dimension(), L,
                            new SoftmaxRegression.Params(epochs, config.lambda(), etas[k], config.seed()), p);
            double[][] pr = new double[slots][];
            double loss = 0;
            for (int s : rows) {
                if (fold[s] != 0) continue;
                pr[s] = m.predict((emb ? xsE : xs).get(s));
                loss -= w[s] * Math.log(Math.max(1e-6, pr[s][y[s]]));
            }
            (emb ? firstFoldE : firstFold)[k] = pr;
            (emb ? foldLossE : foldLoss)[k] = loss;
        }, k -> { }, p);
        int bestEta = 0;
        for (int k = 1; k < etas.length; k++) if (foldLoss[k] < foldLoss[bestEta]) bestEta = k;
        for (int s : rows) if (fold[s] == 0) oofLr[s] = firstFold[bestEta][s];
        double[][] oofLrE = new double[slots][];
        int bestEtaE = 0;
        for (int k = 1; k < etasE.length; k++) if (foldLossE[k] < foldLossE[bestEtaE]) bestEtaE = k;
        for (int s : rows) if (fold[s] == 0) oofLrE[s] = firstFoldE[bestEtaE][s];
        SoftmaxRegression.Params chosenE = new SoftmaxRegression.Params(epochs, config.lambda(),
                etasE[bestEtaE], config.seed());
        if (what.equals("team")) lastEmbEta = etasE[bestEtaE];
        double eta = etas[bestEta];
        if (what.equals("team")) lastLrEta = eta;
        SoftmaxRegression.Params chosen = new SoftmaxRegression.Params(epochs, config.lambda(), eta, config.seed());
        double[][] oofLr2 = new double[slots][];
        SoftmaxRegression[] full2 = new SoftmaxRegression[1];
        SoftmaxRegression[] fullE = new SoftmaxRegression[1];
        // tasks: 0 = full model, 1..folds-1 = fold models; then the subject model: full, and every fold;
        // then the embedding model: full, and every fold
        parallel(3 * folds + 1, 1, task -> {
            if (task == 0) {
                full[0] = SoftmaxRegression.train(xs, y, wLr, rows, vz.dimension(), L, chosen, p);
            } else if (task < folds) {
                int f = task;
                int[] tr = Arrays.stream(rows).filter(s -> fold[s] != f).toArray();
                SoftmaxRegression m = SoftmaxRegression.train(xs, y, wLr, tr, vz.dimension(), L, chosen, p);
                for (int s : rows) if (fold[s] == f) oofLr[s] = m.predict(xs.get(s));
            } else if (task == folds) {
                full2[0] = SoftmaxRegression.train(xs2, y, wLr, rows, vz2.dimension(), L, chosen, p);
            } else if (task <= 2 * folds) {
                int f = task - folds - 1;
                int[] tr = Arrays.stream(rows).filter(s -> fold[s] != f).toArray();
                SoftmaxRegression m = SoftmaxRegression.train(xs2, y, wLr, tr, vz2.dimension(), L, chosen, p);
                for (int s : rows) if (fold[s] == f) oofLr2[s] = m.predict(xs2.get(s));
            } else if (task == 2 * folds + 1) {
                fullE[0] = SoftmaxRegression.train(xsE, y, wLr, rows, mem.dim, L, chosenE, p);
            } else {
                int f = task - 2 * folds - 1; // folds 1..folds-1 (fold 0 comes from the step-size check)
                int[] tr = Arrays.stream(rows).filter(s -> fold[s] != f).toArray();
                SoftmaxRegression m = SoftmaxRegression.train(xsE, y, wLr, tr, mem.dim, L, chosenE, p);
                for (int s : rows) if (fold[s] == f) oofLrE[s] = m.predict(xsE.get(s));
            }
        }, k -> { }, p);
        p.checkCancelled();
        // Held-out signals, computed for each fold exactly as for a new ticket against a memory of the other
        // folds: neighbours and label statistics (centroid, BM25) from the other folds only, the linear
        // model's fold predictions; the prior counts every ticket (the same value for a label in every
        // row). Leave-one-out statistics instead marked a ticket's own label as one ticket smaller, and
        // neighbours from the ticket's own fold carried the fold's labels: the ranker's trees learned both
        // tells (held-out accuracy far above chance on random labels, RankerTest).
        Memory.LabelStats[] foldStats = new Memory.LabelStats[folds];
        for (int f = 0; f < folds; f++) {
            Memory.LabelStats fs = new Memory.LabelStats(mem.dim);
            for (String label : st.labels) fs.labelOf(label, true);
            for (int s : rows) {
                if (fold[s] == f) continue;
                Memory.Entry e = mem.entries.get(s);
                fs.add(labelOf[s], mem.vector(s), e.terms(), e.length(), e.weight(), 1);
            }
            foldStats[f] = fs;
        }
        int[] cand = java.util.stream.IntStream.range(0, L).toArray();
        // Held-out rows that fit the blend, the ranker and the thresholds: all of them up to
        // HELD_OUT_ROWS, beyond that a stratified sample (each row costs a pass over the whole memory).
        int[] heldOut = heldOutSample(rows, labelOf, L, HELD_OUT_ROWS, config.seed());
        final int m = heldOut.length;
        double[][][] feats = new double[m][][];
        int[] yy = new int[m];
        double[] ww = new double[m];
        int[] doneCount = {0};
        parallel(m, 64, r -> {
            int s = heldOut[r];
            float[] q = mem.vector(s);
            float[] sims = new float[slots];
            mem.similarities(q, sims);
            int myFold = fold[s];
            for (int o = 0; o < slots; o++) if (fold[o] == myFold) sims[o] = -2f;
            Head.Neighbour[] nn = Head.topK(sims, slots, labelOf, mem.alive, s, config.neighbours());
            double[][] simL = Head.labelSimilarities(sims, slots, labelOf, mem.alive, L);
            mem.lexSimilarities(mem.lexVector(mem.entries.get(s).text().fullText()), sims);
            for (int o = 0; o < slots; o++) if (fold[o] == myFold) sims[o] = -2f;
            Head.Neighbour[] lexNn = Head.topK(sims, slots, labelOf, mem.alive, s, config.neighbours());
            double[][] lexL = Head.labelSimilarities(sims, slots, labelOf, mem.alive, L);
            feats[r] = Head.signals(mem, foldStats[myFold], labelOf, nn, q, mem.entries.get(s).terms(), oofLr[s],
                    null, cand, null, config.temperature(), lexNn, st);
            Head.setSubjectSignal(feats[r], cand, oofLr2[s]);
            Head.setLinearColumn(feats[r], cand, oofLrE[s], Head.EMB_LINEAR);
            Head.setLabelSimilarities(feats[r], cand, simL, lexL);
            Head.setRequesterHistory(feats[r], cand, mem.requesterCounts(mem.entries.get(s).text().requesterKey(),
                    labelOf, L, o -> fold[o] == myFold), st);
            yy[r] = labelOf[s];
            ww[r] = w[s];
        }, k -> {
            doneCount[0] += k;
            p.update(base + doneCount[0], total, "held-out " + what + " signals");
        }, p);
        p.checkCancelled();
        // Honest estimate of the blend itself: fit on half the held-out rows, score the other half.
        if (what.equals("team")) {
            lastBlendCvAccuracy = blendCv(feats, yy, ww, cand, L, st, BIAS_PRIOR);
        }
        double[] fitted = fitBlendOn(feats, yy, ww, java.util.stream.IntStream.range(0, m).toArray(), L);
        double[] blend = Arrays.copyOf(fitted, Head.NF);
        double[] bias = Arrays.copyOfRange(fitted, Head.NF, fitted.length);
        Head tmp = new Head(null, blend, bias, new double[0], 1, st.labels);
        // second stage: boosted trees over the blend, fitted and sized on the same held-out rows
        Ranker.Fitted rf = null;
        if (config.rankerTrees() > 0) {
            p.update(base + m, total, "fitting " + what + " ranker");
            double[][] zz = new double[m][];
            for (int r = 0; r < m; r++) zz[r] = tmp.blendLogits(feats[r], cand);
            Ranker.Params rp = Ranker.Params.defaults();
            rp = new Ranker.Params(config.rankerTrees(), rp.depth(), rp.shrinkage(), rp.l2(), rp.minChildHessian(),
                    rp.minChildRows(), rp.bins(), config.seed());
            rf = Ranker.fit(feats, zz, yy, ww, rp, RANKER_MIN_TICKETS, config.threads(), p);
            if (what.equals("team")) {
                lastRanker = rf;
                lastRankerHits = String.format(java.util.Locale.ROOT, "held-out top-1/hit@3: blend %.4f/%.4f, ranker %.4f/%.4f",
                        hitAt(zz, yy, 1), hitAt(zz, yy, 3), rf.heldOutLogits() == null ? Double.NaN : hitAt(rf.heldOutLogits(), yy, 1),
                        rf.heldOutLogits() == null ? Double.NaN : hitAt(rf.heldOutLogits(), yy, 3));
            }
        }
        Ranker ranker = rf == null ? null : rf.ranker();
        // thresholds from held-out predictions (the ranker's come from its cross-validation)
        double[] conf = new double[m];
        int[] pred = new int[m];
        boolean[] correct = new boolean[m];
        double ok = 0, all = 0;
        for (int r = 0; r < m; r++) {
            double[] pr;
            if (ranker != null) {
                pr = rf.heldOutLogits()[r].clone();
                SoftmaxRegression.softmaxInPlace(pr);
            } else {
                pr = tmp.probabilities(feats[r], cand);
            }
            int best = 0;
            for (int c = 1; c < pr.length; c++) if (pr[c] > pr[best]) best = c;
            conf[r] = pr[best];
            pred[r] = best;
            correct[r] = best == yy[r];
            all += ww[r];
            if (correct[r]) ok += ww[r];
        }
        if (what.equals("team")) lastHeldOutAccuracy = all > 0 ? ok / all : Double.NaN;
        double global = Head.threshold(conf, correct, ww, config.targetPrecision(), 1);
        if (Double.isNaN(global)) global = config.targetPrecision();
        double[] thr = new double[L];
        for (int l = 0; l < L; l++) {
            final int label = l;
            int[] mine = java.util.stream.IntStream.range(0, m).filter(r -> pred[r] == label).toArray();
            double[] c = new double[mine.length];
            boolean[] k = new boolean[mine.length];
            double[] wt = new double[mine.length];
            for (int i = 0; i < mine.length; i++) {
                c[i] = conf[mine[i]];
                k[i] = correct[mine[i]];
                wt[i] = ww[mine[i]];
            }
            thr[l] = Head.threshold(c, k, wt, config.targetPrecision(), config.minThresholdSupport());
        }
        if (what.equals("team")) {
            lastLinearHeldOut = String.format(java.util.Locale.ROOT, "linear alone (held-out folds): words+chars %.4f, subject %.4f, embedding %.4f (step %.1f)",
                    oofAccuracy(oofLr, rows, y, w), oofAccuracy(oofLr2, rows, y, w), oofAccuracy(oofLrE, rows, y, w), lastEmbEta);
        }
        // novelty floor: the held-out tickets' closest similarities (embedding, words), a low quantile of each
        double noveltySim = Double.NaN, noveltyLex = Double.NaN;
        if (m >= NOVELTY_MIN_ROWS) {
            double[] topSim = new double[m];
            double[] topLex = new double[m];
            for (int r = 0; r < m; r++) {
                topSim[r] = feats[r][0][Head.NF + 3];
                topLex[r] = feats[r][0][Head.NF + 4];
            }
            noveltySim = quantile(topSim, NOVELTY_QUANTILE);
            noveltyLex = quantile(topLex, NOVELTY_QUANTILE);
        }
        return new Head(full[0], blend, bias, thr, global, st.labels, ranker, full2[0], fullE[0], stdz[0], stdz[1],
                noveltySim, noveltyLex);
    }

    /**
     * Share of the held-out tickets allowed below the novelty floor (of both similarities at once, so
     * fewer in practice): a suggestion for a ticket less like the decided ones than nearly all tickets the
     * thresholds were learned on is never called confident, however sure the model is. Thresholds are
     * estimated on tickets that resemble the history; a new product or a new kind of request does not.
     */
    static final double NOVELTY_QUANTILE = 0.02;
    /** Held-out rows needed before a novelty floor is set. */
    static final int NOVELTY_MIN_ROWS = 100;

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.floor(q * (s.length - 1))];
    }

    /**
     * Training-set size up to which the linear models get the configured number of SGD epochs; beyond it
     * the epochs shrink so the number of updates stays about the same (more data needs fewer passes), which
     * keeps training time near linear in the history. Below it nothing changes.
     */
    static final int FULL_EPOCHS_UP_TO = 12_000;

    static int epochsFor(int configured, int n) {
        if (n <= FULL_EPOCHS_UP_TO) return configured;
        return Math.max(2, (int) Math.ceil(configured * (double) FULL_EPOCHS_UP_TO / n));
    }

    /**
     * Held-out rows computed per training run: enough to fit the blend's few weights, the ranker's small
     * trees and per-team thresholds (a team needs 100 of its own), while each row costs a pass over the
     * whole memory, so the cost would otherwise grow with the square of the history.
     */
    static final int HELD_OUT_ROWS = 10_000;

    /** All rows if there are at most {@code cap}; else a sample of {@code cap} stratified by label, in row order. */
    static int[] heldOutSample(int[] rows, int[] labelOf, int labels, int cap, long seed) {
        if (rows.length <= cap) return rows;
        List<List<Integer>> byLabel = new ArrayList<>();
        for (int l = 0; l < labels; l++) byLabel.add(new ArrayList<>());
        for (int s : rows) byLabel.get(labelOf[s]).add(s);
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        List<Integer> out = new ArrayList<>(cap);
        double share = cap / (double) rows.length;
        double carry = 0;
        for (List<Integer> g : byLabel) {
            java.util.Collections.shuffle(g, rnd);
            double want = g.size() * share + carry;
            int take = Math.min(g.size(), (int) Math.floor(want));
            carry = want - take;
            out.addAll(g.subList(0, take));
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }


    private volatile String lastLinearHeldOut = "";

    /** Held-out accuracy of each linear model of the team head in the last training run. */
    public String linearHeldOut() {
        return lastLinearHeldOut;
    }

    private static double oofAccuracy(double[][] pr, int[] rows, int[] y, double[] w) {
        double ok = 0, all = 0;
        for (int s : rows) {
            if (pr[s] == null) continue;
            int best = 0;
            for (int c = 1; c < pr[s].length; c++) if (pr[s][c] > pr[s][best]) best = c;
            all += w[s];
            if (best == y[s]) ok += w[s];
        }
        return all > 0 ? ok / all : Double.NaN;
    }

    private volatile String lastRankerHits = "";

    private static double hitAt(double[][] z, int[] y, int k) {
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            int above = 0;
            for (double v : z[i]) if (v > z[i][y[i]]) above++;
            if (above < k) ok++;
        }
        return y.length == 0 ? Double.NaN : ok / (double) y.length;
    }

    /** Tickets (with a label) below which no ranker is fitted: too few to size and check it. */
    static final int RANKER_MIN_TICKETS = 300;

    private volatile Ranker.Fitted lastRanker;

    /** The team ranker's fit: trees chosen, CV log-loss of the blend and of blend+ranker; null when none. */
    public String rankerSummary() {
        Ranker.Fitted f = lastRanker;
        if (f == null) return "no ranker";
        return String.format(java.util.Locale.ROOT, "%d trees, temperature %.3f, " + Ranker.CV_FOLDS + "-fold CV log-loss blend %.4f -> ranker %.4f",
                f.trees(), f.ranker() == null ? 1.0 : f.ranker().temperature, f.cvLossBlend(), f.cvLossRanker())
                + "; " + lastRankerHits;
    }

    private static double blendCv(double[][][] feats, int[] yy, double[] ww, int[] cand, int L, Memory.LabelStats st,
                                  double biasPrior) {
        int n = feats.length;
        double okH = 0, allH = 0;
        for (int half = 0; half < 2; half++) {
            final int hh = half;
            int[] fitRows = java.util.stream.IntStream.range(0, n).filter(r -> (r & 1) != hh).toArray();
            double[] bw = fitBlendOn(feats, yy, ww, fitRows, L, biasPrior);
            Head h = new Head(null, Arrays.copyOf(bw, Head.NF), Arrays.copyOfRange(bw, Head.NF, bw.length),
                    new double[0], 1, st.labels);
            for (int r = 0; r < n; r++) {
                if ((r & 1) != hh) continue;
                double[] pr = h.probabilities(feats[r], cand);
                int best = 0;
                for (int c = 1; c < pr.length; c++) if (pr[c] > pr[best]) best = c;
                allH += ww[r];
                if (best == yy[r]) okH += ww[r];
            }
        }
        return allH > 0 ? okH / allH : Double.NaN;
    }

    private static double[] fitBlendOn(double[][][] feats, int[] yy, double[] ww, int[] rows, int labels) {
        return fitBlendOn(feats, yy, ww, rows, labels, BIAS_PRIOR);
    }

    /** Blend weights and per-label biases fitted on the given held-out rows. */
    private static double[] fitBlendOn(double[][][] feats, int[] yy, double[] ww, int[] rows, int labels,
                                       double biasPrior) {
        double[][][] f = new double[rows.length][][];
        int[] y = new int[rows.length];
        double[] w = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            f[i] = feats[rows[i]];
            y[i] = yy[rows[i]];
            w[i] = ww[rows[i]];
        }
        if (biasPrior <= 0) return Head.fitBlend(f, y, w, 5.0);
        return Head.fitBlendWithBias(f, y, w, 5.0, biasPrior, labels);
    }

    static final double LR_ETA = 0.5;
    /** Step sizes compared on the first fold (more data: more than one is tried). */
    static final double[] LR_ETAS = {0.5, 2.0};
    static final int LR_ETA_SELECT_MIN = 200;
    /** Step sizes compared for the embedding linear model (dense inputs of about unit length). */
    static final double[] EMB_ETAS = {0.5, 2.0, 8.0};

    private volatile double lastEmbEta = Double.NaN;

    private volatile double lastLrEta = Double.NaN;

    /** Step size of the team linear model chosen in the last training run. */
    public double linearStepSize() {
        return lastLrEta;
    }
    static final double LR_BALANCE = 0.0;

    /** L2 strength pulling per-team blend biases to 0 (2..40 scored alike in half-split CV; the firmer one kept). */
    static final double BIAS_PRIOR = 10.0;

    private volatile double lastBlendCvAccuracy = Double.NaN;

    /** Accuracy of the blend fitted on one half of the held-out training predictions, on the other half. */
    public double blendCvAccuracy() {
        return lastBlendCvAccuracy;
    }

    /** Runs {@code task(0..n-1)} on up to config.threads threads, reporting every {@code chunk} items. */
    private void parallel(int n, int chunk, IntConsumer task, IntConsumer doneItems, Progress p) {
        if (n == 0) return;
        int threads = Math.max(1, Math.min(config.threads(), n));
        if (threads == 1) {
            for (int i = 0; i < n; i++) {
                if (i % chunk == 0) p.checkCancelled();
                task.accept(i);
                if ((i + 1) % chunk == 0 || i == n - 1) doneItems.accept(((i + 1) % chunk == 0) ? chunk : (i + 1) % chunk);
            }
            return;
        }
        java.util.concurrent.atomic.AtomicInteger nextItem = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "local-model-train");
            t.setDaemon(true);
            return t;
        });
        Runnable worker = () -> {
            while (!p.isCancelled()) {
                int start = nextItem.getAndAdd(chunk);
                if (start >= n) return;
                int end = Math.min(n, start + chunk);
                for (int i = start; i < end; i++) task.accept(i);
                synchronized (doneItems) {
                    doneItems.accept(end - start);
                }
            }
        };
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 1; t < threads; t++) fs.add(ex.submit(worker));
            worker.run(); // the caller's thread works too (and reports progress from here mostly)
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof CancellationException ce) throw ce;
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                }
            }
        } finally {
            ex.shutdownNow();
        }
        p.checkCancelled();
    }

    // ------------------------------------------------------------------ suggestions

    @Override
    public TriageSuggestion suggest(TicketText ticket, TriageContext context) {
        long t0 = System.nanoTime();
        try {
            return doSuggest(ticket, context, t0);
        } catch (RuntimeException e) {
            return new TriageSuggestion(TriageSuggestion.Status.ERROR, List.of(), List.of(), false, "", List.of(),
                    id(), embedder.modelId(), "local model failed: " + e, (System.nanoTime() - t0) / 1000);
        }
    }

    private TriageSuggestion doSuggest(TicketText ticket, TriageContext context, long t0) {
        if (size() == 0) {
            return new TriageSuggestion(TriageSuggestion.Status.COLD_START, List.of(), List.of(), false, "",
                    List.of(), id(), embedder.modelId(), "no labelled tickets yet", (System.nanoTime() - t0) / 1000);
        }
        Taxonomy tax = context == null ? null : context.taxonomy();
        Set<String> excluded = context == null ? Set.of() : context.excludedTeams();
        float[] q = vector(ticket);
        String text = ticket.fullText();
        Map<String, Integer> qterms = new HashMap<>();
        for (String t : TfidfVectorizer.unigrams(text)) qterms.merge(t, 1, Integer::sum);
        // descriptions of taxonomy teams, embedded once each
        Map<String, float[]> descByTeam = new HashMap<>();
        if (tax != null) {
            for (Taxonomy.Team t : tax.teams()) {
                float[] d = descriptionVector(t);
                if (d != null) descByTeam.put(t.name(), d);
            }
        }
        lock.readLock().lock();
        try {
            Model model = state.model();
            Memory mem = state.memory();
            SparseVec x = model.vectorizer() == null ? null : model.vectorizer().transform(text);
            SparseVec x2 = model.subjectVectorizer() == null ? null : model.subjectVectorizer().transform(ticket.subject());
            int slots = mem.slots();
            float[] sims = new float[slots];
            mem.similarities(q, sims);
            // teams
            List<String> teamNames = new ArrayList<>(tax == null || tax.teams().isEmpty() ? mem.teams.labels : tax.teamNames());
            teamNames.removeIf(excluded::contains);
            if (teamNames.isEmpty()) {
                return new TriageSuggestion(TriageSuggestion.Status.ERROR, List.of(), List.of(), false, "", List.of(),
                        id(), embedder.modelId(), "every team is excluded", (System.nanoTime() - t0) / 1000);
            }
            float[] lexSims = new float[slots];
            mem.lexSimilarities(mem.lexVector(text), lexSims);
            Head th = model.team();
            Head.Neighbour[] nnT = Head.topK(sims, slots, mem.teamOf, mem.alive, -1, config.neighbours());
            Head.Neighbour[] lexT = Head.topK(lexSims, slots, mem.teamOf, mem.alive, -1, config.neighbours());
            double[] lrT = th.lr != null && x != null ? th.lr.predict(x) : null;
            double[] lrT2 = th.lrSubject != null && x2 != null ? th.lrSubject.predict(x2) : null;
            double[] lrT3 = th.embeddingProbabilities(q);
            double[][] simT = Head.labelSimilarities(sims, slots, mem.teamOf, mem.alive, mem.teams.size());
            double[][] lexSimT = Head.labelSimilarities(lexSims, slots, mem.teamOf, mem.alive, mem.teams.size());
            String who = ticket.requesterKey();
            double[] whoTeams = mem.requesterCounts(who, mem.teamOf, mem.teams.size(), null);
            Ranked teams = rank(th, mem, mem.teams, mem.teamOf, nnT, lexT, q, qterms, lrT, lrT2, lrT3, simT, lexSimT,
                    whoTeams, teamNames, descByTeam);
            // priorities
            Ranked prios = null;
            if (mem.priorities.size() > 0) {
                List<String> pn = new ArrayList<>(tax == null || tax.priorities().isEmpty()
                        ? mem.priorities.labels : tax.priorityNames());
                if (!pn.isEmpty()) {
                    Head ph = model.priority();
                    Head.Neighbour[] nnP = Head.topK(sims, slots, mem.priorityOf, mem.alive, -1, config.neighbours());
                    Head.Neighbour[] lexP = Head.topK(lexSims, slots, mem.priorityOf, mem.alive, -1, config.neighbours());
                    double[] lrP = ph.lr != null && x != null ? ph.lr.predict(x) : null;
                    double[] lrP2 = ph.lrSubject != null && x2 != null ? ph.lrSubject.predict(x2) : null;
                    double[] lrP3 = ph.embeddingProbabilities(q);
                    double[][] simP = Head.labelSimilarities(sims, slots, mem.priorityOf, mem.alive, mem.priorities.size());
                    double[][] lexSimP = Head.labelSimilarities(lexSims, slots, mem.priorityOf, mem.alive, mem.priorities.size());
                    prios = rank(ph, mem, mem.priorities, mem.priorityOf, nnP, lexP, q, qterms, lrP, lrP2, lrP3, simP,
                            lexSimP, mem.requesterCounts(who, mem.priorityOf, mem.priorities.size(), null), pn, Map.of());
                }
            }
            String top = teams.predictions.get(0).label();
            int topLabel = mem.teams.labelOf(top, false);
            double topSim = nnT.length > 0 ? nnT[0].sim() : 0;
            double topLex = lexT.length > 0 ? Math.max(0, lexT[0].sim()) : 0;
            boolean novel = th.isNovel(topSim, topLex);
            boolean confident = !novel && teams.predictions.get(0).probability() >= th.threshold(topLabel);
            List<Evidence> evidence = new ArrayList<>();
            for (int i = 0; i < Math.min(5, nnT.length); i++) {
                Memory.Entry e = mem.entries.get(nnT[i].slot());
                String subj = e.text().subject().isBlank() ? abbreviate(e.text().body()) : abbreviate(e.text().subject());
                evidence.add(new Evidence(e.id(), e.team(), e.priority(), nnT[i].sim(), subj));
            }
            String rationale = (novel ? String.format(java.util.Locale.ROOT,
                    "Unlike the decided tickets (closest %.0f%% similar): ", 100 * Math.max(0, topSim)) : "")
                    + rationale(top, teams.predictions.get(0).probability(), nnT, mem, model, th, x, topLabel)
                    + requesterNote(whoTeams, topLabel, mem.teams);
            return new TriageSuggestion(TriageSuggestion.Status.OK, teams.predictions,
                    prios == null ? List.of() : prios.predictions, confident, rationale, evidence, id(),
                    embedder.modelId(), "", (System.nanoTime() - t0) / 1000, novel);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The sentence vector of a team's name and description (embedded once), or null without a description. */
    private float[] descriptionVector(Taxonomy.Team t) {
        if (t.description() == null || t.description().isBlank()) return null;
        return descCache.computeIfAbsent(t.name() + ": " + t.description(), embedder::embed);
    }

    /**
     * Does now what the first suggestion would otherwise wait for: starts the sentence embedder (ONNX
     * Runtime creates its session on first use, a few hundred milliseconds) with one throw-away embedding,
     * and embeds the descriptions of the taxonomy's teams. Thread-safe; for a background thread once the
     * model is ready. Changes no suggestion.
     */
    public void warmUp(Taxonomy taxonomy) {
        embedder.embed("warm-up");
        if (taxonomy == null) return;
        for (Taxonomy.Team t : taxonomy.teams()) descriptionVector(t);
    }

    private record Ranked(List<Prediction> predictions) {}

    private Ranked rank(Head h, Memory mem, Memory.LabelStats st, int[] labelOf, Head.Neighbour[] nn,
                        Head.Neighbour[] lexNn, float[] q,
                        Map<String, Integer> qterms, double[] lr, double[] lr2, double[] lr3, double[][] simL,
                        double[][] lexL, double[] requesterCounts, List<String> names, Map<String, float[]> desc) {
        int[] cand = new int[names.size()];
        float[][] cd = new float[names.size()][];
        for (int c = 0; c < cand.length; c++) {
            int l = st.labelOf(names.get(c), false);
            // labels with every ticket forgotten count as unknown
            cand[c] = l >= 0 && st.count[l] > 1e-9 ? l : (l >= 0 && lr != null && l < lr.length ? l : -1);
            cd[c] = desc.get(names.get(c));
        }
        double[][] f = Head.signals(mem, st, labelOf, nn, q, qterms, lr, -1, cand, cd, config.temperature(), lexNn);
        Head.setSubjectSignal(f, cand, lr2);
        Head.setLinearColumn(f, cand, lr3, Head.EMB_LINEAR);
        Head.setLabelSimilarities(f, cand, simL, lexL);
        Head.setRequesterHistory(f, cand, requesterCounts, st);
        double[] p = h.probabilities(f, cand);
        List<Prediction> out = new ArrayList<>(cand.length);
        for (int c = 0; c < cand.length; c++) out.add(new Prediction(names.get(c), p[c]));
        out.sort(Comparator.comparingDouble(Prediction::probability).reversed());
        return new Ranked(out);
    }

    private String rationale(String top, double prob, Head.Neighbour[] nn, Memory mem, Model model, Head th,
                             SparseVec x, int topLabel) {
        StringBuilder sb = new StringBuilder();
        sb.append(top).append(" (").append(dev.switchboard.inference.TriageSuggestion.percent(prob)).append(")");
        int k = Math.min(5, nn.length);
        int same = 0;
        for (int i = 0; i < k; i++) if (mem.entries.get(nn[i].slot()).team().equals(top)) same++;
        if (k > 0) {
            sb.append(": ").append(same).append(" of ").append(k).append(" most similar decided tickets went there");
        }
        if (th.lr != null && x != null && topLabel >= 0 && topLabel < th.lr.classes) {
            List<String> terms = new ArrayList<>();
            Integer[] order = new Integer[x.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, Comparator.comparingDouble(i -> -x.val()[i] * th.lr.weight(x.idx()[i], topLabel)));
            for (Integer i : order) {
                String name = model.vectorizer().name(x.idx()[i]);
                if (name == null || x.val()[i] * th.lr.weight(x.idx()[i], topLabel) <= 0) continue;
                terms.add(name);
                if (terms.size() == 3) break;
            }
            if (!terms.isEmpty()) sb.append("; key terms: ").append(String.join(", ", terms));
        }
        return sb.toString();
    }

    /**
     * "; 4 of this requester's 5 decided tickets went there" when the requester's history backs the top
     * team: at least two of the requester's tickets went there, a larger share than of all tickets (no name:
     * the rationale is stored with the suggestion and exported).
     */
    static String requesterNote(double[] counts, int topLabel, Memory.LabelStats all) {
        if (counts == null || topLabel < 0 || topLabel >= counts.length) return "";
        double n = 0, total = 0;
        for (double v : counts) n += v;
        for (int l = 0; l < all.size(); l++) total += Math.max(0, all.count[l]);
        long k = Math.round(counts[topLabel]);
        if (k < 2 || total <= 0 || counts[topLabel] / n <= all.count[topLabel] / total) return "";
        return "; " + k + " of this requester's " + Math.round(n) + " decided tickets went there";
    }

    private static final java.util.regex.Pattern REQUESTER_NOTE =
            java.util.regex.Pattern.compile("; \\d+ of this requester's \\d+ decided tickets went there");

    /**
     * A rationale without the requester-history sentence: for a fine-tuning export, whose prompt carries no
     * requester, so that a model trained on it does not learn to state facts it was not given.
     */
    public static String withoutRequesterNote(String rationale) {
        return rationale == null ? null : REQUESTER_NOTE.matcher(rationale).replaceAll("");
    }

    private static String abbreviate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() > 120 ? t.substring(0, 117) + "..." : t;
    }

    // ------------------------------------------------------------------ saved model (see ModelSnapshot)

    /** The fitted parts and the memory's layout, taken at one instant (for {@link ModelSnapshot#write}). */
    ModelSnapshot.Fitted fitted() {
        lock.readLock().lock();
        try {
            Model m = state.model();
            return ModelSnapshot.Fitted.of(m.vectorizer(), m.subjectVectorizer(), m.team(), m.priority(), state.memory());
        } finally {
            lock.readLock().unlock();
        }
    }

    int embeddingDimension() {
        return embedder.dimension();
    }

    /**
     * Serves fitted parts read back by {@link ModelSnapshot} with a memory rebuilt for them, in one swap;
     * waits for a training run in progress (whose result this then replaces).
     */
    void install(ModelSnapshot.Fitted f, Memory memory) {
        synchronized (trainLock) {
            lock.writeLock().lock();
            try {
                state = new State(new Model(f.vectorizer(), f.subjectVectorizer(), f.team(), f.priority()), memory);
            } finally {
                lock.writeLock().unlock();
            }
        }
    }
}
