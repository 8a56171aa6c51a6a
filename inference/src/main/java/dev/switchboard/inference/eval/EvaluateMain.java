package dev.switchboard.inference.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Development launcher for the evaluation (the product uses the app's `evaluate` command). Same
 * options: --data FILE | --train FILE --test FILE, --text COL[,COL...], --team COL, --priority COL, --requester COL,
 * --test-fraction F, --seed N, --engine local, --report FILE.json, --baseline, --target-precision P; development only: --vector-cache FILE (vectors keyed by embedding model id and text), --lambda L,
 * --epochs N, --embedder fp32|q, --embed-chars N,
 * --ranker-trees N, --min-threshold-support N, --dev [F[:SEED]] (train and score on an inner split of the
 * training portion only, default 0.25:7, to choose model changes without reading the test tickets).
 */
public final class EvaluateMain {

    private EvaluateMain() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Path data = null, train = null, test = null, report = null;
        List<String> text = List.of();
        String team = null, priority = null, requester = null, engine = "local";
        double fraction = 0.2, target = 0.9;
        long seed = 42;
        boolean baseline = false;
        Path vectorCache = null, unrelated = null;
        List<String> unrelatedText = null;
        EvaluateJob.DevSplit devSplit = null;
        String lambda = null, epochs = null, embedderName = null, embedChars = null, rankerTrees = null, minSupport = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--data" -> data = Path.of(args[++i]);
                    case "--train" -> train = Path.of(args[++i]);
                    case "--test" -> test = Path.of(args[++i]);
                    case "--report" -> report = Path.of(args[++i]);
                    case "--text" -> text = Arrays.stream(args[++i].split(",")).map(String::strip).toList();
                    case "--team" -> team = args[++i];
                    case "--priority" -> priority = args[++i];
                    case "--requester" -> requester = args[++i];
                    case "--engine" -> engine = args[++i];
                    case "--test-fraction" -> fraction = Double.parseDouble(args[++i]);
                    case "--target-precision" -> target = Double.parseDouble(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--baseline" -> baseline = true;
                    case "--dev" -> {
                        devSplit = new EvaluateJob.DevSplit(0.25, 7);
                        if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            String[] fs = args[++i].split(":");
                            devSplit = new EvaluateJob.DevSplit(Double.parseDouble(fs[0]),
                                    fs.length > 1 ? Long.parseLong(fs[1]) : 7);
                        }
                    }
                    case "--vector-cache" -> vectorCache = Path.of(args[++i]);
                    case "--unrelated" -> unrelated = Path.of(args[++i]);
                    case "--unrelated-text" -> unrelatedText = Arrays.stream(args[++i].split(",")).map(String::strip).toList();
                    case "--lambda" -> lambda = args[++i];
                    case "--epochs" -> epochs = args[++i];
                    case "--embedder" -> embedderName = args[++i];
                    case "--embed-chars" -> embedChars = args[++i];
                    case "--ranker-trees" -> rankerTrees = args[++i];
                    case "--min-threshold-support" -> minSupport = args[++i];
                    default -> throw new EvaluateJob.UsageException("unknown option " + a);
                }
            }
            EvaluateJob job = new EvaluateJob(data, train, test, text, team, priority, fraction, seed, engine, report,
                    baseline, target, unrelated, unrelatedText, requester);
            long start = System.nanoTime();
            String[] last = {""};
            dev.switchboard.inference.Progress progress = (done, total, message) -> {
                if (!message.equals(last[0])) {
                    last[0] = message;
                    err.printf("[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, message);
                }
            };
            java.util.Map<String, EngineFactory> engines = new java.util.LinkedHashMap<>(EvaluateJob.builtInEngines(target));
            dev.switchboard.inference.local.FileVectorCache fileCache = vectorCache == null ? null
                    : new dev.switchboard.inference.local.FileVectorCache(vectorCache);
            dev.switchboard.inference.local.LocalModelConfig cfg = dev.switchboard.inference.local.LocalModelConfig.defaults()
                    .withTargetPrecision(target);
            if (lambda != null || epochs != null) {
                cfg = cfg.withLinear(epochs == null ? cfg.epochs() : Integer.parseInt(epochs),
                        lambda == null ? cfg.lambda() : Double.parseDouble(lambda));
            }
            if (embedderName != null) cfg = cfg.withEmbedding(dev.switchboard.inference.embed.MiniLmEmbedder.Variant.parse(embedderName));
            if (embedChars != null) cfg = cfg.withEmbedChars(Integer.parseInt(embedChars));
            if (rankerTrees != null) cfg = cfg.withRankerTrees(Integer.parseInt(rankerTrees));
            if (minSupport != null) cfg = cfg.withMinThresholdSupport(Integer.parseInt(minSupport));
            if (fileCache != null || lambda != null || epochs != null || embedderName != null || embedChars != null
                    || rankerTrees != null || minSupport != null) {
                final dev.switchboard.inference.local.LocalModelConfig c = cfg;
                engines.put("local", (tr, tax, pr) -> {
                    var m = new dev.switchboard.inference.local.LocalModel(
                            c.newEmbedder(),
                            fileCache == null ? dev.switchboard.inference.local.VectorCache.inMemory() : fileCache, c);
                    var summary = m.train(tr, pr);
                    err.println("training: " + summary);
                    err.println("blend cv accuracy (train halves): " + m.blendCvAccuracy());
                    err.println("ranker: " + m.rankerSummary() + "; linear step size " + m.linearStepSize());
                    err.println(m.linearHeldOut());
                    if (fileCache != null) fileCache.save();
                    return m;
                });
            }
            if (devSplit != null) err.printf("development split: %.2f of the training portion (seed %d) scored; test tickets unused%n",
                    devSplit.fraction(), devSplit.seed());
            EvaluationReport r = job.run(engines, progress, devSplit);
            if (fileCache != null) fileCache.save();
            ReportWriter.printText(r, out);
            return 0;
        } catch (EvaluateJob.UsageException e) {
            err.println("evaluate: " + e.getMessage());
            return 2;
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            err.println("evaluate: bad or missing option value (" + e.getMessage() + ")");
            return 2;
        } catch (Exception e) {
            err.println("evaluate: failed: " + e);
            return 1;
        }
    }
}
