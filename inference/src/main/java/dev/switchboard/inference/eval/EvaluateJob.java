package dev.switchboard.inference.eval;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.inference.local.LocalModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole `evaluate` command without its argument parsing: load, remove exact duplicates, split
 * (or read a given train/test pair), train the chosen engine, score, optionally write JSON. Shared by
 * the picocli command in the app and {@link EvaluateMain}.
 *
 * @param data          one labelled file to split, or null when train and test are given
 * @param priorityColumn null when there is none
 * @param engine        key into the engine map ("local" built in)
 * @param report        JSON output path or null
 * @param unrelated     optional file of tickets from outside the training data (another queue or product):
 *                      the report counts how many get a confident suggestion
 * @param unrelatedText its text columns, or null for {@code textColumns}
 * @param requesterColumn column naming who filed each ticket (the requester-history signal), or null
 */
public record EvaluateJob(Path data, Path train, Path test, List<String> textColumns, String teamColumn,
                          String priorityColumn, double testFraction, long seed, String engine, Path report,
                          boolean baselines, double targetPrecision, Path unrelated, List<String> unrelatedText,
                          String requesterColumn) {

    public EvaluateJob(Path data, Path train, Path test, List<String> textColumns, String teamColumn,
                       String priorityColumn, double testFraction, long seed, String engine, Path report,
                       boolean baselines, double targetPrecision, Path unrelated, List<String> unrelatedText) {
        this(data, train, test, textColumns, teamColumn, priorityColumn, testFraction, seed, engine, report, baselines,
                targetPrecision, unrelated, unrelatedText, null);
    }

    public EvaluateJob(Path data, Path train, Path test, List<String> textColumns, String teamColumn,
                       String priorityColumn, double testFraction, long seed, String engine, Path report,
                       boolean baselines, double targetPrecision) {
        this(data, train, test, textColumns, teamColumn, priorityColumn, testFraction, seed, engine, report, baselines,
                targetPrecision, null, null, null);
    }

    /** A problem with the user's input, reported as one line (exit code 2). */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Engines known out of the box; the app adds more (for example "llm"). */
    public static Map<String, EngineFactory> builtInEngines(double targetPrecision) {
        return builtInEngines(targetPrecision, null);
    }

    /**
     * Same, with the local model reading and storing sentence vectors in {@code cache} (keyed by embedding
     * model id and text; null = in memory only). With a warm cache, training and latency leave out
     * embedding, so only accuracy figures compare with a run without one.
     */
    public static Map<String, EngineFactory> builtInEngines(double targetPrecision,
                                                            dev.switchboard.inference.local.VectorCache cache) {
        Map<String, EngineFactory> m = new LinkedHashMap<>();
        m.put("local", (train, taxonomy, progress) -> {
            LocalModelConfig cfg = LocalModelConfig.defaults().withTargetPrecision(targetPrecision);
            LocalModel model = cache == null ? new LocalModel(cfg)
                    : new LocalModel(cfg.newEmbedder(), cache, cfg);
            model.train(train, progress);
            return model;
        });
        return m;
    }

    public EvaluationReport run(Map<String, EngineFactory> engines, Progress progress) throws UsageException, Exception {
        return run(engines, progress, null);
    }

    /**
     * Development split for choosing model changes without reading the test tickets: the training
     * portion of the usual split (same duplicate removal, same seed) is split again with
     * {@code fraction} and {@code seed}; the engine trains on the inner training part and is scored on
     * the inner test part. The outer test tickets are never used.
     */
    public record DevSplit(double fraction, long seed) {}

    /** As {@link #run(Map, Progress)}, on the inner development split when {@code dev} is given (--data only). */
    public EvaluationReport run(Map<String, EngineFactory> engines, Progress progress, DevSplit dev)
            throws UsageException, Exception {
        if (textColumns == null || textColumns.isEmpty()) throw new UsageException("--text needs at least one column");
        if (teamColumn == null || teamColumn.isBlank()) throw new UsageException("--team is required");
        EngineFactory factory = engines.get(engine);
        if (factory == null) throw new UsageException("unknown engine '" + engine + "' (known: " + String.join(", ", engines.keySet()) + ")");
        if (!(targetPrecision > 0 && targetPrecision < 1)) throw new UsageException("--target-precision must be between 0 and 1");
        List<LabelledTicket> trainSet;
        List<LabelledTicket> testSet;
        int removed;
        if (data != null) {
            if (train != null || test != null) throw new UsageException("give either --data or --train and --test, not both");
            if (!(testFraction > 0 && testFraction < 1)) throw new UsageException("--test-fraction must be between 0 and 1");
            List<LabelledTicket> all = load(data);
            List<LabelledTicket> unique = Dataset.dedupe(all);
            removed = all.size() - unique.size();
            Dataset.Split s = Dataset.split(unique, testFraction, seed);
            trainSet = s.train();
            testSet = s.test();
            if (dev != null) {
                Dataset.Split inner = Dataset.split(trainSet, dev.fraction(), dev.seed());
                trainSet = inner.train();
                testSet = inner.test();
            }
        } else {
            if (dev != null) throw new UsageException("--dev needs --data (a file to split)");
            if (train == null || test == null) throw new UsageException("give --data FILE, or both --train FILE and --test FILE");
            List<LabelledTicket> tr = load(train);
            List<LabelledTicket> te = load(test);
            trainSet = Dataset.dedupe(tr);
            List<LabelledTicket> teU = Dataset.withoutOverlap(Dataset.dedupe(te), trainSet);
            removed = (tr.size() - trainSet.size()) + (te.size() - teU.size());
            testSet = teU;
        }
        if (trainSet.isEmpty()) throw new UsageException("no labelled training tickets (is --team the right column?)");
        if (testSet.isEmpty()) throw new UsageException("no test tickets left after removing duplicates");
        List<dev.switchboard.inference.TicketText> unrelatedTickets = List.of();
        if (unrelated != null) {
            List<String> cols = unrelatedText == null || unrelatedText.isEmpty() ? textColumns : unrelatedText;
            try {
                unrelatedTickets = Dataset.loadTexts(unrelated, cols);
            } catch (Dataset.ColumnException e) {
                throw new UsageException(e.getMessage() + (unrelatedText == null ? " (set --unrelated-text)" : ""));
            } catch (IOException | RuntimeException e) {
                throw new UsageException("cannot read " + unrelated + ": " + e.getMessage());
            }
            if (unrelatedTickets.isEmpty()) throw new UsageException(unrelated + ": no tickets with text");
        }
        EvaluationReport r = EvaluateRunner.run(trainSet, testSet, removed, engine, factory,
                new EvaluateRunner.Options(targetPrecision, baselines, unrelatedTickets,
                        unrelated == null ? null : unrelated.toString()), progress);
        if (report != null) {
            try {
                ReportWriter.writeJson(r, report);
            } catch (IOException e) {
                throw new UsageException("cannot write report " + report + ": " + e.getMessage());
            }
        }
        return r;
    }

    private List<LabelledTicket> load(Path file) throws UsageException {
        try {
            return Dataset.load(file, textColumns, teamColumn, priorityColumn, requesterColumn).tickets();
        } catch (Dataset.ColumnException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new UsageException("cannot read " + file + ": " + e);
        }
    }
}
