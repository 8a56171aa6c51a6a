package dev.switchboard.inference.dup;

import dev.switchboard.inference.TicketText;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic load test of {@link DuplicateFinder}: a pool of random unit vectors (full text and subject)
 * with generated text
 * (Zipf-distributed words plus some identifiers, ~60 tokens a ticket, all open and inside the window so
 * every ticket is scanned); every 50th ticket is a planted near-duplicate of the one before it. Then timed
 * queries by ticket id (half of them planted duplicates), checked against an exact scan.
 */
public final class DuplicateBench {

    public record Result(int pool, int queries, int dimension, double p50Ms, double p95Ms, double maxMs,
                         double heapBytesPerTicket, double estimatedBytesPerTicket, double buildSeconds,
                         double plantedFoundAt1, double exactTop1Agreement, double exactTop10Overlap, int agreementQueries) {
        public String format() {
            return String.format(
                    "bench-duplicates: pool %,d tickets (two %d-d vectors each: text, subject; all eligible), %d queries after warm-up%n"
                            + "  query latency  p50 %.2f ms   p95 %.2f ms   max %.2f ms%n"
                            + "  heap per ticket  %.0f bytes measured (%.0f estimated by the index)%n"
                            + "  build %.1f s%n"
                            + "  planted near-duplicates (cosine ~0.74, 30%% words changed) found at rank 1: %.1f%%%n"
                            + "  vs an exact scan (%d queries): same top-1 %.1f%%, top-10 overlap %.1f%%%n"
                            + "  (random text vectors, subject vectors at cosine ~0.8 to them: below the planted duplicate, neighbours are noise-level, cosine ~0.15)%n",
                    pool, dimension, queries, p50Ms, p95Ms, maxMs, heapBytesPerTicket, estimatedBytesPerTicket, buildSeconds,
                    100 * plantedFoundAt1, agreementQueries, 100 * exactTop1Agreement, 100 * exactTop10Overlap);
        }
    }

    private DuplicateBench() {}

    public static Result run(int pool, int queries, long seed) {
        int dim = 384;
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] vocab = new String[30_000];
        for (int i = 0; i < vocab.length; i++) {
            vocab[i] = i % 50 == 0 ? "Component" + i + "Exception" : i % 37 == 0 ? "conf.key" + i + ".enabled" : word(i);
        }
        double[] zipfCdf = new double[vocab.length];
        double z = 0;
        for (int i = 0; i < vocab.length; i++) zipfCdf[i] = z += 1.0 / (i + 1);
        for (int i = 0; i < vocab.length; i++) zipfCdf[i] /= z;

        Runtime rt = Runtime.getRuntime();
        gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        DuplicateFinder f = new DuplicateFinder(dim, DuplicateFinder.Config.defaults());
        Instant now = Instant.parse("2025-01-31T00:00:00Z");
        float[] v = new float[dim];
        float[] prev = new float[dim];
        float[] sv = new float[dim];
        String prevText = "";
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < pool; t++) {
            boolean planted = t % 50 == 49;   // a near-duplicate of ticket t-1
            randomVector(rnd, v, planted ? prev : null, 0.9f);
            // a subject vector is close to its own text vector (cosine ~0.8, as measured on real reports)
            randomVector(rnd, sv, v, 0.75f);
            sb.setLength(0);
            if (planted) {
                String[] ws = prevText.split(" ");
                for (String w : ws) sb.append(rnd.nextDouble() < 0.3 ? vocab[rnd.nextInt(vocab.length)] : w).append(' ');
            } else {
                int words = 40 + rnd.nextInt(40);
                for (int w = 0; w < words; w++) {
                    int k = Arrays.binarySearch(zipfCdf, rnd.nextDouble());
                    sb.append(vocab[k < 0 ? Math.min(vocab.length - 1, -k - 1) : k]).append(' ');
                    if (w == 8) sb.append('\n');
                }
            }
            String text = sb.toString();
            System.arraycopy(v, 0, prev, 0, dim);
            prevText = text;
            int nl = Math.max(0, text.indexOf('\n'));
            f.add(TicketText.of("T" + t, text.substring(0, nl), text.substring(nl + 1)), v, sv,
                    now.minus(Duration.ofMinutes(rnd.nextInt(60 * 24 * 29))), true);
        }
        double build = (System.nanoTime() - t0) / 1e9;
        gc();
        long after = rt.totalMemory() - rt.freeMemory();
        double heapPer = (after - before) / (double) pool;
        double estPer = f.estimatedBytes() / (double) pool;

        for (int i = 0; i < Math.min(100, queries); i++) f.candidates("T" + rnd.nextInt(pool), now, 10);
        double[] ms = new double[queries];
        int planted = 0, found = 0, agreeQueries = Math.min(queries, 100), agree = 0;
        double overlap = 0;
        for (int i = 0; i < queries; i++) {
            // every other query is a planted near-duplicate, the rest random tickets
            int t = i % 2 == 0 && pool >= 50 ? 49 + 50 * rnd.nextInt(pool / 50) : rnd.nextInt(pool);
            String id = "T" + t;
            long q0 = System.nanoTime();
            List<DuplicateCandidate> cs = f.candidates(id, now, 10);
            ms[i] = (System.nanoTime() - q0) / 1e6;
            if (t % 50 == 49) {
                planted++;
                if (!cs.isEmpty() && cs.get(0).id().equals("T" + (t - 1))) found++;
            }
            if (i < agreeQueries) {
                List<String> exact = f.exactTop(id, now, 10);
                List<String> got = cs.stream().map(DuplicateCandidate::id).toList();
                if (!exact.isEmpty() && !got.isEmpty() && exact.get(0).equals(got.get(0))) agree++;
                overlap += exact.stream().filter(got::contains).count() / (double) Math.max(1, exact.size());
            }
        }
        Arrays.sort(ms);
        return new Result(pool, queries, dim, DuplicateEvaluation.percentile(ms, 0.5), DuplicateEvaluation.percentile(ms, 0.95),
                ms[ms.length - 1], heapPer, estPer, build, planted == 0 ? 0 : found / (double) planted,
                agree / (double) agreeQueries, overlap / agreeQueries, agreeQueries);
    }

    /**
     * A random unit vector into {@code v}; with {@code near}, the unit vector of {@code near + noise * r}
     * (cosine ~0.74 to it for noise 0.9, ~0.8 for 0.75).
     */
    private static void randomVector(SplittableRandom rnd, float[] v, float[] near, float noise) {
        double n = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) gaussian(rnd);
            n += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        if (near != null) {
            double m = 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = near[i] + noise * v[i];
                m += v[i] * v[i];
            }
            float inv2 = (float) (1 / Math.sqrt(m));
            for (int i = 0; i < v.length; i++) v[i] *= inv2;
        }
    }

    private static String word(int i) {
        StringBuilder w = new StringBuilder();
        int x = i + 1;
        while (x > 0) {
            w.append((char) ('a' + x % 26));
            x /= 26;
        }
        return w.length() < 3 ? w.append("xq").toString() : w.toString();
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(Math.max(u, 1e-300))) * Math.cos(2 * Math.PI * v);
    }

    @SuppressWarnings("java:S1215")
    private static void gc() {
        for (int i = 0; i < 3; i++) System.gc();
    }
}
