package dev.switchboard.app.cli;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TicketStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The database file while a long-running process writes one ticket per commit (as the intake and the window do):
 * writes N tickets at R per second into a scratch H2 file and prints the file's size as it goes, its peak and its
 * size once closed.
 */
@Command(name = "bench-writes", mixinStandardHelpOptions = true,
        description = "Write N tickets one per commit at R per second into a scratch database; print the file's size, its peak and its size once closed.")
public final class BenchWritesCommand implements Callable<Integer> {

    @Option(names = "--tickets", defaultValue = "12000", description = "Tickets to write, one per commit (default ${DEFAULT-VALUE}).")
    int tickets;
    @Option(names = "--rate", defaultValue = "200", description = "Commits per second at most (default ${DEFAULT-VALUE}; 0: as fast as they go).")
    double rate;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (tickets < 10) throw new CommandLine.ParameterException(spec.commandLine(), "--tickets must be at least 10");
        if (rate < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--rate must not be negative");
        Path dir = Files.createTempDirectory("switchboard-bench-writes");
        Path file = dir.resolve("db.mv.db");
        long peak = 0;
        long t0;
        try (Database db = Database.open(Database.h2FileUrl(dir.resolve("db"))); TicketStore store = new TicketStore(db)) {
            t0 = System.nanoTime();
            for (int i = 0; i < tickets; i++) {
                store.saveTickets(List.of(new NewTicket("bench", "w-" + i, "printer " + i + " broken",
                        "The printer on floor " + (i % 40) + " does not print since this morning.", null, null, null, null)),
                        "bench").join();
                peak = Math.max(peak, Files.size(file));
                if (rate > 0) {
                    long wait = t0 + (long) ((i + 1) * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if ((i + 1) % Math.max(1, tickets / 10) == 0) {
                    out.printf("%,d tickets in %.1f s: file %.1f MB%n", i + 1, (System.nanoTime() - t0) / 1e9, Files.size(file) / 1e6);
                    out.flush();
                }
            }
        }
        out.printf("peak %.1f MB while writing; %.1f MB once closed (%s)%n", peak / 1e6, Files.size(file) / 1e6, dir);
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
        return 0;
    }
}
