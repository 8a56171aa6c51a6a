package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.local.LocalModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Headless check that an installation works: the database opens and migrates, the embedding model
 * loads, and the local model makes a suggestion. Nothing leaves the machine.
 */
@Command(name = "self-check", mixinStandardHelpOptions = true,
        description = "Check the installation: database opens and migrates, model loads, one suggestion is made.")
public final class SelfCheckCommand implements Callable<Integer> {

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Database to check (default: a temporary one).")
    String db;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = null;
        String url = db;
        if (url == null) {
            tmp = Files.createTempDirectory("switchboard-self-check");
            url = "jdbc:h2:file:" + tmp.resolve("db");
        }
        long t0 = System.nanoTime();
        try (Workspace ws = Workspace.open(url)) {
            out.printf("database   ok  %s, %,d tickets (%.1f s)%n", ws.database().displayUrl(), ws.store().stats().tickets(),
                    (System.nanoTime() - t0) / 1e9);
        }
        out.flush();
        t0 = System.nanoTime();
        LocalModel model = new LocalModel();
        Taxonomy tax = new Taxonomy(List.of(new Taxonomy.Team("Network", "VPN, Wi-Fi, switches"),
                new Taxonomy.Team("Desktop", "Laptops, printers, peripherals")), List.of(new Taxonomy.Priority("P3", "normal")));
        model.train(List.of(
                LabelledTicket.of(TicketText.of("1", "VPN drops", "The VPN tunnel disconnects"), "Network", "P3"),
                LabelledTicket.of(TicketText.of("2", "Wi-Fi slow", "Wireless is very slow"), "Network", "P3"),
                LabelledTicket.of(TicketText.of("3", "Printer jam", "The printer jams paper"), "Desktop", "P3"),
                LabelledTicket.of(TicketText.of("4", "Laptop screen", "Laptop display flickers"), "Desktop", "P3")), null);
        TriageSuggestion s = model.suggest(TicketText.of("q", "VPN keeps dropping", "vpn disconnects from home"), TriageContext.of(tax));
        boolean ok = "Network".equals(s.topTeam());
        out.printf("model      %s  %s → %s (%.0f%%) in %.1f s%n", ok ? "ok" : "FAILED", model.embeddingModelId(), s.topTeam(),
                s.confidence() * 100, (System.nanoTime() - t0) / 1e9);
        out.println(ok ? "self-check passed" : "self-check FAILED");
        out.flush();
        if (tmp != null) deleteQuietly(tmp);
        return ok ? 0 : 1;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
