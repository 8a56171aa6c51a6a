package dev.switchboard.inference.dup;

import dev.switchboard.inference.Progress;
import dev.switchboard.inference.embed.MiniLmEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain entry point for running the duplicate evaluation or benchmark from the inference class path
 * (the app exposes the same as picocli commands).
 *
 * <pre>
 * EvaluateDuplicatesMain --tickets F --id COL --text COL[,COL] --pairs F [--time COL] [--baseline] --report F.json [--cache F]
 * EvaluateDuplicatesMain --bench-pool 100000 [--queries 500]
 * </pre>
 */
public final class EvaluateDuplicatesMain {

    private EvaluateDuplicatesMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--baseline")) o.put(a, "true");
            else if (a.startsWith("--") && i + 1 < args.length) o.put(a, args[++i]);
            else {
                System.err.println("error: unexpected argument '" + a + "'");
                return 2;
            }
        }
        try {
            if (o.containsKey("--bench-pool")) {
                int pool = Integer.parseInt(o.get("--bench-pool"));
                int queries = Integer.parseInt(o.getOrDefault("--queries", "500"));
                System.out.print(DuplicateBench.run(pool, queries, 42).format());
                return 0;
            }
            for (String req : List.of("--tickets", "--id", "--text", "--pairs", "--report")) {
                if (!o.containsKey(req)) {
                    System.err.println("error: missing " + req);
                    return 2;
                }
            }
            Path tickets = Path.of(o.get("--tickets"));
            Path pairs = Path.of(o.get("--pairs"));
            for (Path p : List.of(tickets, pairs)) {
                if (!Files.isRegularFile(p)) {
                    System.err.println("error: " + p + ": no such file");
                    return 2;
                }
            }
            DuplicateEvaluation.Input in = DuplicateEvaluation.load(tickets, o.get("--id"),
                    Arrays.stream(o.get("--text").split(",")).map(String::strip).toList(), pairs, o.get("--time"));
            Progress progress = (done, total, msg) -> {
                if (done % 256 < 32 || done == total) System.err.printf("\r%s %d/%d", msg, done, total);
                if (done == total) System.err.println();
            };
            Path cache = o.containsKey("--cache") ? Path.of(o.get("--cache")) : null;
            DuplicateEvaluation.Report r = DuplicateEvaluation.run(tickets.getParent().getFileName() + "/"
                    + tickets.getFileName(), in, new MiniLmEmbedder(), cache, o.containsKey("--baseline"), progress);
            r.write(Path.of(o.get("--report")));
            System.out.print(DuplicateEvaluation.table(r));
            return 0;
        } catch (DuplicateEvaluation.InputException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (NumberFormatException e) {
            System.err.println("error: not a number: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }
}
