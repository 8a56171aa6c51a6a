package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.QueueRow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The two queue reads that scale with the workspace, without a display: the whole queue (start-up, after a
 * large import) and the rows changed since a marker (the live refresh after another process imported
 * tickets), on a generated database with N tickets and M duplicate pairs awaiting a verdict.
 */
@Command(name = "bench-queue", mixinStandardHelpOptions = true,
        description = "Time the full queue read and the live refresh after K new tickets, with N tickets and M duplicate pairs.")
public final class BenchQueueCommand implements Callable<Integer> {

    @Option(names = "--tickets", defaultValue = "30000", description = "Tickets in the database (default ${DEFAULT-VALUE}).")
    int tickets;
    @Option(names = "--links", defaultValue = "25000", description = "Duplicate pairs awaiting a verdict (default ${DEFAULT-VALUE}).")
    int links;
    @Option(names = "--changed", defaultValue = "10000", description = "Newest tickets the live refresh reads (default ${DEFAULT-VALUE}).")
    int changed;
    @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each read (default ${DEFAULT-VALUE}).")
    int runs;
    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Database to use (default: a file under /tmp that is reused).")
    String db;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String url = db != null ? db : "jdbc:h2:file:" + Path.of(System.getProperty("java.io.tmpdir"),
                "switchboard-bench-queue-" + tickets + "-" + links, "db");
        try (Workspace ws = Workspace.open(url)) {
            var store = ws.store();
            long have = store.stats().tickets();
            if (have < tickets) {
                out.printf("Filling %s with %,d tickets and %,d duplicate pairs…%n", url, tickets - have, links);
                out.flush();
                BenchWindowCommand.fill(ws, (int) (tickets - have));
                List<Long> ids = store.queue().stream().map(QueueRow::id).toList();
                DuplicateLinks dl = new DuplicateLinks(store);
                Random rnd = new Random(11);
                // five earlier originals per ticket, as the finder suggests them
                for (int made = 0; made < links; ) {
                    int ia = 5 + rnd.nextInt(ids.size() - 5);
                    java.util.Set<Integer> picked = new java.util.TreeSet<>();
                    while (picked.size() < Math.min(5, links - made)) picked.add(rnd.nextInt(ia));
                    List<long[]> originals = new ArrayList<>();
                    List<Double> scores = new ArrayList<>();
                    for (int ib : picked) {
                        originals.add(new long[] {ids.get(ib)});
                        scores.add(0.8);
                    }
                    made += dl.suggest(ids.get(ia), originals, scores).join();
                }
            }
            var marker = store.changeMarker();
            out.printf("bench-queue: %,d tickets, %,d duplicate-pair rows, live refresh of the newest %,d%n",
                    store.stats().tickets(), marker.maxLinkId(), changed);
            List<Long> full = new ArrayList<>(), since = new ArrayList<>();
            int rows = 0, sinceRows = 0;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                rows = store.queue().size();
                full.add((System.nanoTime() - t0) / 1_000_000);
                t0 = System.nanoTime();
                sinceRows = store.rowsSince(marker.maxId() - changed, marker.maxUpdated()).size();
                since.add((System.nanoTime() - t0) / 1_000_000);
            }
            out.printf("  full queue (%,d rows)        ms per run: %s%n", rows, full);
            out.printf("  live refresh (%,d rows)      ms per run: %s%n", sinceRows, since);
        }
        return 0;
    }
}
