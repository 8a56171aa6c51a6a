package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.triage.TriageService;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.inference.local.ModelSnapshot;
import dev.switchboard.persistence.store.LabelledRow;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench-start", mixinStandardHelpOptions = true,
        description = "Times the local model's start on a workspace as the window does it (a new model and triage "
                + "service on the open database, until suggestions can be made): first without the saved model (a "
                + "full train, which saves it again), then with it (a load). Prints seconds to ready, how long after "
                + "ready the background warm-up of the sentence embedder finished, the latency of the first suggestion "
                + "made after it and the saved model's size. The database is left as it was, apart from embeddings a "
                + "train stores and the saved model file.")
public final class BenchStartCommand implements Callable<Integer> {

    @Mixin DbOption db;
    @Option(names = "--trains", paramLabel = "N", defaultValue = "1",
            description = "Starts without the saved model (default ${DEFAULT-VALUE}; 0 needs a saved model).")
    int trains;
    @Option(names = "--loads", paramLabel = "N", defaultValue = "3", description = "Starts with it (default ${DEFAULT-VALUE}).")
    int loads;
    @Option(names = "--check", paramLabel = "N", defaultValue = "100",
            description = "After each start, suggest for N decided tickets and print a digest of every probability "
                    + "and evidence id: equal digests, equal suggestions (default ${DEFAULT-VALUE}).")
    int check;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 1; i <= trains; i++) {
            try (Workspace ws = db.open()) {
                Path file = ws.localModelFile();
                if (file == null) {
                    spec.commandLine().getErr().println("switchboard bench-start: this database has no saved-model location");
                    return 2;
                }
                Files.deleteIfExists(file);
                run(out, ws, "train " + i, check);
            }
        }
        for (int i = 1; i <= loads; i++) {
            try (Workspace ws = db.open()) {
                run(out, ws, "load  " + i, check);
            }
        }
        return 0;
    }

    private static void run(PrintWriter out, Workspace ws, String label, int check) throws Exception {
        List<LabelledRow> rows = ws.store().labelledHistory();
        LocalModel local = new LocalModel();
        try (TriageService triage = new TriageService(ws.store(), local, () -> local, ws.localModelFile())) {
            long t0 = System.nanoTime();
            LocalModel.TrainingSummary summary = triage.start().get();
            double ready = (System.nanoTime() - t0) / 1e9;
            ModelSnapshot.Loaded loaded = triage.loadedFrom();
            // the warm-up started at ready (the ONNX session, which a load or a train from stored vectors does not
            // start); then the first suggestion, as a dispatcher's first ticket a moment after the start gets it
            triage.warmedUp().get();
            double warmUp = Math.max(0, (System.nanoTime() - t0) / 1e9 - ready);
            LabelledRow probe = rows.isEmpty() ? null : rows.get(rows.size() / 2);
            long t1 = System.nanoTime();
            TriageSuggestion s = probe == null ? null : local.suggest(text("bench", probe), TriageContext.of(triage.taxonomy()));
            double first = (System.nanoTime() - t1) / 1e3;
            Path file = ws.localModelFile();
            long bytes = Files.exists(file) ? Files.size(file) : 0;
            String how = loaded != null
                    ? String.format(Locale.ROOT, "loaded (%,d as saved, %,d new, %,d re-decided, %,d gone%s)", loaded.kept(),
                            loaded.added(), loaded.changed(), loaded.removed(),
                            loaded.retrainReason(ModelSnapshot.RETRAIN_SHARE) == null ? "" : "; retraining in the background")
                    : String.format(Locale.ROOT, "trained (%,d tickets, %,d embedded now, %,d stored vectors)",
                            summary.examples(), summary.embedded(), summary.reusedVectors());
            out.printf(Locale.ROOT, "%s: ready in %6.2f s, %s; warm-up done %.2f s after ready; first suggestion %.0f ms (%s); "
                    + "saved model %,d bytes%n", label, ready, how, warmUp, first / 1e3, s == null ? "-" : s.status(), bytes);
            if (check > 0 && !rows.isEmpty()) out.printf(Locale.ROOT, "        digest of %d suggestions %s%n", check,
                    digest(local, triage, rows, check));
            out.flush();
            triage.awaitIdle(); // a background retrain or the backlog's suggestions finish before the next run
        }
    }

    /** A decided ticket's text as the model learned it. */
    private static TicketText text(String id, LabelledRow r) {
        return new TicketText(id, r.subject(), r.body(), r.updates(), r.requester());
    }

    /** SHA-256 (first 16 hex digits) over every team and priority probability, confidence and evidence id. */
    private static String digest(LocalModel local, TriageService triage, List<LabelledRow> rows, int n) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        TriageContext ctx = TriageContext.of(triage.taxonomy());
        int step = Math.max(1, rows.size() / n);
        for (int i = 0, k = 0; i < rows.size() && k < n; i += step, k++) {
            LabelledRow r = rows.get(i);
            TriageSuggestion s = local.suggest(text("check-" + i, r), ctx);
            StringBuilder sb = new StringBuilder().append(s.status()).append(s.confident());
            // to 12 significant digits: equal to ~1e-12, whatever the last bits of a sum
            for (var p : s.teams()) sb.append(p.label()).append(String.format(Locale.ROOT, "%.12g", p.probability()));
            for (var p : s.priorities()) sb.append(p.label()).append(String.format(Locale.ROOT, "%.12g", p.probability()));
            for (var e : s.evidence()) sb.append(e.ticketId());
            md.update(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(md.digest(), 0, 8);
    }
}
