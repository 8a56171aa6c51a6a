package dev.switchboard.app.cli;

import dev.switchboard.inference.dup.DuplicateBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench-duplicates}: query latency and memory of the duplicate finder on a synthetic pool. */
@Command(name = "bench-duplicates", mixinStandardHelpOptions = true,
        description = "Synthetic pool of tickets (random unit vectors, generated text): p50/p95 query latency and heap per ticket.")
public final class BenchDuplicatesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pool", defaultValue = "100000", description = "Tickets in the pool (default ${DEFAULT-VALUE}).")
    int pool;

    @Option(names = "--queries", defaultValue = "500", description = "Timed queries (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (pool < 2 || queries < 1) {
            spec.commandLine().getErr().println("error: --pool must be at least 2 and --queries at least 1");
            return 2;
        }
        spec.commandLine().getOut().print(DuplicateBench.run(pool, queries, seed).format());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
