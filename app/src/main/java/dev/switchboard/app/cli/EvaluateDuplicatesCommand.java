package dev.switchboard.app.cli;

import dev.switchboard.inference.Progress;
import dev.switchboard.inference.dup.DuplicateEvaluation;
import dev.switchboard.inference.embed.MiniLmEmbedder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate-duplicates}: duplicate-retrieval quality (recall@1/5/10, MRR, query latency) of the
 * duplicate finder on a file of tickets and a file of known (duplicate, original) pairs.
 */
@Command(name = "evaluate-duplicates", mixinStandardHelpOptions = true,
        description = "Rank earlier tickets for each known duplicate and report recall@k, MRR and latency.")
public final class EvaluateDuplicatesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tickets", required = true, paramLabel = "FILE", description = "Tickets (CSV or JSON Lines).")
    Path tickets;

    @Option(names = "--id", required = true, paramLabel = "COL", description = "Column holding the ticket id.")
    String idColumn;

    @Option(names = "--text", required = true, split = ",", paramLabel = "COL",
            description = "Text column(s); the first is the subject, the rest the body.")
    List<String> textColumns;

    @Option(names = "--pairs", required = true, paramLabel = "FILE",
            description = "Known duplicates: columns duplicate,original.")
    Path pairs;

    @Option(names = "--time", paramLabel = "COL",
            description = "Creation-time column: rank only tickets created no later than the duplicate.")
    String timeColumn;

    @Option(names = "--baseline", description = "Also report plain TF-IDF cosine under key 'baseline'.")
    boolean baseline;

    @Option(names = "--report", required = true, paramLabel = "FILE.json", description = "Where to write the JSON report.")
    Path report;

    @Option(names = "--embedding-cache", paramLabel = "FILE",
            description = "Optional cache of embeddings so repeated runs do not re-embed.")
    Path cache;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            for (Path p : List.of(tickets, pairs)) {
                if (!Files.isRegularFile(p)) {
                    err.println("error: " + p + ": no such file");
                    return 2;
                }
            }
            if (report.getParent() != null && !Files.isDirectory(report.getParent())) {
                err.println("error: " + report.getParent() + ": no such directory for the report");
                return 2;
            }
            DuplicateEvaluation.Input in = DuplicateEvaluation.load(tickets, idColumn,
                    textColumns.stream().map(String::strip).toList(), pairs, timeColumn);
            Progress progress = (done, total, msg) -> {
                if (done % 256 < 32 || done == total) {
                    err.printf("\r%s %d/%d", msg, done, total);
                    if (done == total) err.println();
                    err.flush();
                }
            };
            String dataset = (tickets.toAbsolutePath().getParent() == null ? "" : tickets.toAbsolutePath().getParent().getFileName() + "/")
                    + tickets.getFileName();
            DuplicateEvaluation.Report r = DuplicateEvaluation.run(dataset, in, new MiniLmEmbedder(), cache, baseline, progress);
            r.write(report);
            out.print(DuplicateEvaluation.table(r));
            out.println("report: " + report);
            out.flush();
            return 0;
        } catch (DuplicateEvaluation.InputException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception | LinkageError e) {
            err.println("error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
            return 1;
        }
    }
}
