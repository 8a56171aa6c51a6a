package dev.switchboard.inference.eval;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.embed.HashingEmbedder;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.inference.local.LocalModelConfig;
import dev.switchboard.inference.local.VectorCache;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Development benchmark: how the local model's training time and suggestion latency grow with the size of
 * the history. Builds N labelled tickets by drawing from a labelled file and replacing a fifth of each
 * one's words at random, and replaces the sentence embedder with {@link HashingEmbedder} (sentence
 * embedding costs the same per ticket at any size and is measured by {@code evaluate}), so the figures are
 * the model's own work. Prints the time of each training phase. Usage: FILE TEXTCOLS TEAMCOL N [N ...].
 */
public final class TrainingScaleBench {

    private TrainingScaleBench() {}

    public static void main(String[] args) throws Exception {
        List<String> cols = Arrays.stream(args[1].split(",")).map(String::strip).toList();
        List<LabelledTicket> source = Dataset.dedupe(Dataset.load(Path.of(args[0]), cols, args[2], null).tickets());
        for (int a = 3; a < args.length; a++) run(source, Integer.parseInt(args[a]));
    }

    private static void run(List<LabelledTicket> source, int n) {
        Random rnd = new Random(1);
        List<LabelledTicket> history = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LabelledTicket t = source.get(rnd.nextInt(source.size()));
            String[] w = t.text().fullText().split("\\s+");
            for (int k = 0; k < Math.max(1, w.length / 5); k++) w[rnd.nextInt(w.length)] = "w" + rnd.nextInt(100_000);
            String s = String.join(" ", w);
            history.add(new LabelledTicket(TicketText.of("h" + i, s.substring(0, Math.min(60, s.length())), s), t.team(),
                    null, Instant.EPOCH, 1.0));
        }
        LocalModel model = new LocalModel(new HashingEmbedder(384), VectorCache.inMemory(), LocalModelConfig.defaults());
        long t0 = System.nanoTime();
        String[] last = {""};
        System.out.printf("history of %,d tickets%n", n);
        model.train(history, new Progress() {
            @Override public void update(long done, long total, String message) {
                if (message.equals(last[0])) return;
                last[0] = message;
                System.out.printf("  %7.1f s  %s%n", (System.nanoTime() - t0) / 1e9, message);
            }

            @Override public boolean isCancelled() {
                return false;
            }
        });
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        TriageContext ctx = TriageContext.of(EvaluateRunner.taxonomyOf(history));
        double[] ms = new double[500];
        for (int i = 0; i < ms.length + 100; i++) {
            TicketText q = source.get(rnd.nextInt(source.size())).text();
            long s = System.nanoTime();
            model.suggest(TicketText.of("q" + i, q.subject(), q.body()), ctx);
            if (i >= 100) ms[i - 100] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("  trained in %.1f s; suggestion without sentence embedding p50 %.1f ms, p95 %.1f ms%n",
                trainSeconds, ms[250], ms[474]);
    }
}
