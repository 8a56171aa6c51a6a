package dev.switchboard.inference.local;

import dev.switchboard.inference.embed.HashingEmbedder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.TicketText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ranker-only signals: Complement Naive Bayes, lexical neighbour share, the embedding linear model. */
class RankerSignalsTest {

    private static Memory.LabelStats stats(String[][] docsPerLabel) {
        Memory.LabelStats st = new Memory.LabelStats(2);
        for (int l = 0; l < docsPerLabel.length; l++) {
            int id = st.labelOf("L" + l, true);
            for (String d : docsPerLabel[l]) {
                Map<String, Integer> terms = new java.util.HashMap<>();
                int len = 0;
                for (String t : d.split(" ")) {
                    terms.merge(t, 1, Integer::sum);
                    len++;
                }
                st.add(id, new float[] {1, 0}, terms, len, 1, 1);
            }
        }
        return st;
    }

    @Test
    void complementNaiveBayesPrefersTheLabelWhoseTicketsUseTheQueryWords() {
        Memory.LabelStats st = stats(new String[][] {
                {"printer toner empty", "printer jam paper", "monitor flicker"},
                {"vpn down", "vpn password reset", "password expired login"},
                {"database slow query", "sql deadlock", "backup failed database"}});
        int[] cand = {0, 1, 2, -1};
        double[] none = new double[3];
        Memory.Entry[] noEntry = new Memory.Entry[3];
        double[] s = Head.complementNb(st, Map.of("printer", 1, "paper", 1), cand, noEntry, none, none);
        assertThat(s[0]).isEqualTo(0.0);
        assertThat(s[1]).isNegative();
        assertThat(s[2]).isNegative();
        assertThat(s[3]).isEqualTo(Math.min(s[1], s[2])); // a label nothing was learned about: the lowest score
        double[] v = Head.complementNb(st, Map.of("vpn", 2, "password", 1), cand, noEntry, none, none);
        assertThat(v[1]).isEqualTo(0.0);
        assertThat(v[0]).isNegative();
        // per unit of query weight: the same words twice as often give the same scores
        double[] twice = Head.complementNb(st, Map.of("printer", 1, "paper", 1, "unknownword", 5), cand, noEntry, none, none);
        assertThat(twice[1]).isCloseTo(s[1], within(1e-12));
        // nothing known about the words: no preference
        assertThat(Head.complementNb(st, Map.of("zzz", 1), cand, noEntry, none, none)).containsOnly(0.0);
    }

    @Test
    void lexicalShareCountsTheLexicalNeighboursOfEachLabel() {
        Memory mem = new Memory(2, 8);
        float[] v = {1, 0};
        for (int i = 0; i < 4; i++) mem.add("t" + i, TicketText.of("t" + i, "word" + i, ""), i < 3 ? "A" : "B", null, 1, v);
        Head.Neighbour[] lex = {new Head.Neighbour(0, 0.9f), new Head.Neighbour(3, 0.8f), new Head.Neighbour(1, 0.5f),
                new Head.Neighbour(2, 0.4f)};
        Head.Neighbour[] nn = {new Head.Neighbour(3, 0.9f)};
        double[][] f = Head.signals(mem, mem.teams, mem.teamOf, nn, v, Map.of("word0", 1), null, -1, new int[] {0, 1},
                null, 0.05, lex);
        assertThat(f[0][Head.LEX_SHARE]).isEqualTo(0.75);
        assertThat(f[1][Head.LEX_SHARE]).isEqualTo(0.25);
        assertThat(f[0][Head.NF]).isEqualTo(0.0); // the embedding share is a different column
        assertThat(f[1][Head.NF]).isEqualTo(1.0);
    }

    @Test
    void embeddingLinearModelSeparatesClustersThatDifferOnlyInSmallDimensions() {
        // vectors dominated by a shared direction; the labels live in small offsets of other dimensions,
        // which standardisation brings to unit scale
        Random r = new Random(3);
        int dim = 32, labels = 3;
        List<float[]> vecs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            int y = i % labels;
            float[] x = new float[dim];
            x[0] = 1;
            for (int d = 1; d < dim; d++) x[d] = (float) (0.01 * r.nextGaussian() + (d == y + 1 ? 0.02 : 0));
            vecs.add(x);
            ys.add(y);
        }
        float[][] z = Head.standardiser(vecs.subList(0, 600), dim);
        double len = 0;
        List<SparseVec> xs = new ArrayList<>();
        for (float[] x : vecs) {
            SparseVec s = Head.embeddingFeatures(x, z[0], z[1]);
            xs.add(s);
            double n2 = 0;
            for (float a : s.val()) n2 += a * a;
            len += Math.sqrt(n2);
        }
        assertThat(len / vecs.size()).isCloseTo(1.0, within(0.15)); // standardised inputs of about unit length
        int[] y = ys.stream().mapToInt(Integer::intValue).toArray();
        double[] w = new double[900];
        java.util.Arrays.fill(w, 1);
        int[] rows = java.util.stream.IntStream.range(0, 600).toArray();
        SoftmaxRegression m = SoftmaxRegression.train(xs, y, w, rows, dim, labels,
                new SoftmaxRegression.Params(8, 2e-6, 2.0, 42), Progress.NONE);
        int ok = 0;
        for (int i = 600; i < 900; i++) {
            double[] p = m.predict(xs.get(i));
            int best = 0;
            for (int c = 1; c < labels; c++) if (p[c] > p[best]) best = c;
            if (best == y[i]) ok++;
        }
        assertThat(ok / 300.0).isGreaterThan(0.75);
    }

    @Test
    void trainedModelHasAnEmbeddingLinearModelThatReadsTheTopic() {
        Random r = new Random(5);
        String[][] topics = {{"vpn", "wifi", "router", "firewall", "dns", "proxy"},
                {"password", "login", "locked", "permission", "credentials", "mfa"},
                {"laptop", "printer", "monitor", "keyboard", "toner", "headset"}};
        String[] common = {"issue", "urgent", "broken", "again", "help", "error", "today", "slow"};
        List<LabelledTicket> train = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            int t = i % 3;
            String text = topics[t][r.nextInt(6)] + " " + topics[t][r.nextInt(6)] + " " + common[r.nextInt(8)] + " "
                    + common[r.nextInt(8)];
            train.add(LabelledTicket.of(TicketText.of("e" + i, text, ""), "T" + t, null));
        }
        LocalModel m = new LocalModel(new HashingEmbedder(), VectorCache.inMemory(),
                LocalModelConfig.defaults().withThreads(1));
        m.train(train, null);
        String s = m.linearHeldOut();
        double acc = Double.parseDouble(s.replaceAll(".*embedding ([0-9.]+).*", "$1"));
        assertThat(acc).as(s).isGreaterThan(0.9);
    }

    @Test
    void labelSimilaritiesTakeTheBestTicketsOfEveryLabelAndSkipMaskedOnes() {
        float[] sims = {0.9f, 0.2f, 0.5f, 0.7f, -2f, 0.1f, 0.3f};
        int[] labelOf = {0, 0, 0, 0, 1, 1, 2};
        boolean[] alive = {true, true, true, true, true, true, false};
        double[][] s = Head.labelSimilarities(sims, 7, labelOf, alive, 4);
        assertThat(s[0][0]).isCloseTo(0.9, within(1e-6));
        assertThat(s[1][0]).isCloseTo((0.9 + 0.7 + 0.5) / 3, within(1e-6));
        assertThat(s[0][1]).isCloseTo(0.1, within(1e-6)); // the masked ticket (-2) is not counted
        assertThat(s[1][1]).isCloseTo(0.1, within(1e-6));
        assertThat(s[0][2]).isNaN(); // its only ticket is forgotten
        assertThat(s[0][3]).isNaN();
        double[][] f = new double[3][Head.NF + Head.NE];
        Head.setLabelSimilarities(f, new int[] {0, 2, -1}, s, s);
        assertThat(f[0][Head.LABEL_MAX_SIM]).isCloseTo(0.9, within(1e-6));
        assertThat(f[0][Head.LABEL_TOP3_SIM]).isCloseTo(0.7, within(1e-6));
        assertThat(f[0][Head.LABEL_MAX_LEX]).isCloseTo(0.9, within(1e-6));
        assertThat(f[1][Head.LABEL_MAX_SIM]).isZero();
        assertThat(f[2][Head.LABEL_TOP3_SIM]).isZero();
    }
}
