package dev.switchboard.inference.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Development launcher for the evaluation (the product uses the app's `evaluate` command). Same
 * options: --data FILE | --train FILE --test FILE, --text COL[,COL...], --team COL, --priority COL,
 * --test-fraction F, --seed N, --engine local, --report FILE.json, --baseline, --target-precision P.
 */
public final class EvaluateMain {

    private EvaluateMain() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Path data = null, train = null, test = null, report = null;
        List<String> text = List.of();
        String team = null, priority = null, engine = "local";
        double fraction = 0.2, target = 0.9;
        long seed = 42;
        boolean baseline = false;
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
                    case "--engine" -> engine = args[++i];
                    case "--test-fraction" -> fraction = Double.parseDouble(args[++i]);
                    case "--target-precision" -> target = Double.parseDouble(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--baseline" -> baseline = true;
                    default -> throw new EvaluateJob.UsageException("unknown option " + a);
                }
            }
            EvaluateJob job = new EvaluateJob(data, train, test, text, team, priority, fraction, seed, engine, report,
                    baseline, target);
            long start = System.nanoTime();
            String[] last = {""};
            dev.switchboard.inference.Progress progress = (done, total, message) -> {
                if (!message.equals(last[0])) {
                    last[0] = message;
                    err.printf("[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, message);
                }
            };
            EvaluationReport r = job.run(EvaluateJob.builtInEngines(target), progress);
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
