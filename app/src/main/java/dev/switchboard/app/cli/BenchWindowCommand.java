package dev.switchboard.app.cli;

import dev.switchboard.app.WindowBenchmark;
import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.store.NewTicket;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Start-up and queue smoothness benchmark: fills a database with N tickets (once), opens the real
 * window on it and reports, in ms since JVM start, first frame and interactive queue, then the time
 * the FX thread needs to sort, filter and scroll the full queue. Needs a display (use xvfb-run).
 */
@Command(name = "bench-window", mixinStandardHelpOptions = true,
        description = "Measure start to interactive window and queue sort/filter/scroll times with N tickets.")
public final class BenchWindowCommand implements Callable<Integer> {

    @Option(names = "--tickets", defaultValue = "50000", description = "Tickets in the database (default ${DEFAULT-VALUE}).")
    int tickets;
    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Database to use (default: a file under /tmp that is reused).")
    String db;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String url = db != null ? db : "jdbc:h2:file:" + Path.of(System.getProperty("java.io.tmpdir"), "switchboard-bench-" + tickets, "db");
        try (Workspace ws = Workspace.open(url)) {
            long have = ws.store().stats().tickets();
            if (have < tickets) {
                out.printf("Filling %s with %,d tickets…%n", url, tickets - have);
                out.flush();
                fill(ws, (int) (tickets - have));
            }
        }
        // Start the window in a fresh JVM, as a user would, so "ms after JVM start" is the real start-up.
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx2g", "--enable-native-access=ALL-UNNAMED",
                "-D" + WindowBenchmark.PROPERTY + "=true", "-cp", System.getProperty("java.class.path"),
                dev.switchboard.app.Main.class.getName(), "--db", url)
                .redirectErrorStream(true).start();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("WARNING: ") && line.contains("Unsafe")) continue;
                out.println(line);
                out.flush();
            }
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            out.println("window did not finish within 300 s");
            return 1;
        }
        return p.exitValue();
    }

    static void fill(Workspace ws, int n) {
        Random rnd = new Random(7);
        String[] words = ("vpn outlook password reset printer laptop wifi slow error crash login account access "
                + "server database backup disk network email sharepoint teams license install update certificate").split(" ");
        Instant start = Instant.now().minus(Duration.ofDays(60));
        List<NewTicket> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder subject = new StringBuilder();
            for (int w = 0; w < 6; w++) subject.append(words[rnd.nextInt(words.length)]).append(' ');
            batch.add(new NewTicket("bench", "b" + System.nanoTime() + "-" + i, subject.toString().strip(),
                    "Generated body " + i + ": " + subject, "user" + rnd.nextInt(2000) + "@example.com",
                    start.plusSeconds(i * 100L), rnd.nextInt(3) == 0 ? "Team " + rnd.nextInt(8) : null, null));
            if (batch.size() == 2000) {
                ws.store().saveTickets(batch, "bench").join();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) ws.store().saveTickets(batch, "bench").join();
    }
}
