package dev.switchboard.inference.local;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.eval.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Development tool (not a test): compares linear-model settings by accuracy on an inner 80/20 split of
 * the TRAINING part of a file (the outer test part is never read). Arguments: file, text columns, team column.
 */
public final class LinearSweep {

    public static void main(String[] args) throws Exception {
        var all = Dataset.load(Path.of(args[0]), List.of(args[1].split(",")), args[2], null).tickets();
        var outer = Dataset.split(Dataset.dedupe(all), 0.2, 42);
        var inner = Dataset.split(outer.train(), 0.2, 7);
        List<LabelledTicket> tr = inner.train(), te = inner.test();
        Map<String, Integer> lab = new HashMap<>();
        for (var t : tr) lab.putIfAbsent(t.team(), lab.size());
        int L = lab.size();
        TfidfVectorizer vz = TfidfVectorizer.fit(tr.stream().map(t -> t.text().fullText()).toList(), 2);
        List<SparseVec> x = new ArrayList<>();
        for (var t : tr) x.add(vz.transform(t.text().fullText()));
        int n = tr.size();
        int[] y = new int[n];
        double[] cnt = new double[L];
        for (int i = 0; i < n; i++) {
            y[i] = lab.get(tr.get(i).team());
            cnt[y[i]]++;
        }
        int[] rows = java.util.stream.IntStream.range(0, n).toArray();
        List<SparseVec> xt = te.stream().map(t -> vz.transform(t.text().fullText())).toList();
        String[] configs = args.length > 3 ? args[3].split(";") : new String[] {"12:2e-6:0.5:0"};
        java.util.Arrays.stream(configs).parallel().forEach(cfg -> {
            String[] c = cfg.split(":");
            int epochs = Integer.parseInt(c[0]);
            double lambda = Double.parseDouble(c[1]);
            double eta = Double.parseDouble(c[2]);
            double balance = Double.parseDouble(c[3]);
            double[] w = new double[n];
            for (int i = 0; i < n; i++) w[i] = Math.pow(n / (L * cnt[y[i]]), balance);
            long t0 = System.nanoTime();
            var m = SoftmaxRegression.train(x, y, w, rows, vz.dimension(), L,
                    new SoftmaxRegression.Params(epochs, lambda, eta, 42), Progress.NONE);
            double ok = 0, ok3 = 0, ll = 0;
            for (int i = 0; i < te.size(); i++) {
                double[] p = m.predict(xt.get(i));
                Integer yt = lab.get(te.get(i).team());
                double py = yt == null ? 0 : p[yt];
                int rank = 0;
                for (double v : p) if (v > py) rank++;
                if (yt != null && rank == 0) ok++;
                if (yt != null && rank < 3) ok3++;
                ll -= Math.log(Math.max(1e-6, py));
            }
            System.out.printf("%s  acc %.4f  hit3 %.4f  logloss %.4f  (%.0f s)%n", cfg, ok / te.size(), ok3 / te.size(),
                    ll / te.size(), (System.nanoTime() - t0) / 1e9);
        });
    }
}
