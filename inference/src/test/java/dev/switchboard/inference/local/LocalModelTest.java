package dev.switchboard.inference.local;

import dev.switchboard.inference.embed.HashingEmbedder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.inference.ContractData;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.Progress;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.eval.LabelMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalModelTest {

    private static final TriageContext CTX = TriageContext.of(ContractData.TAXONOMY);

    private static LocalModel model() {
        return new LocalModel(new HashingEmbedder(), VectorCache.inMemory(), LocalModelConfig.defaults().withThreads(1));
    }

    @Test
    void withoutLabelsItSaysColdStartInsteadOfGuessing() {
        TriageSuggestion s = model().suggest(TicketText.of("x", "vpn down", ""), CTX);
        assertThat(s.status()).isEqualTo(TriageSuggestion.Status.COLD_START);
        assertThat(s.teams()).isEmpty();
        assertThat(s.note()).contains("no labelled tickets");
    }

    @Test
    void aDecisionChangesTheNextSuggestionForANearIdenticalTicketAndForgetUndoesIt() {
        LocalModel m = model();
        m.train(ContractData.history(), null);
        TicketText probe = TicketText.of("p1", "quarterly flux capacitor alignment", "flux capacitor alignment report fails vpn");
        TriageSuggestion before = m.suggest(probe, CTX);
        String other = before.topTeam().equals("Database") ? "Hardware" : "Database";

        long t0 = System.nanoTime();
        m.learn(LabelledTicket.of(TicketText.of("d1", "quarterly flux capacitor alignment", "flux capacitor alignment report fails"), other, "P3"));
        long learnMillis = (System.nanoTime() - t0) / 1_000_000;

        TriageSuggestion after = m.suggest(probe, CTX);
        assertThat(learnMillis).isLessThan(1000);
        assertThat(after.topTeam()).isEqualTo(other);
        assertThat(after.evidence().get(0).ticketId()).isEqualTo("d1");

        assertThat(m.forget("d1")).isTrue();
        assertThat(m.suggest(probe, CTX).topTeam()).isEqualTo(before.topTeam());
        assertThat(m.forget("d1")).isFalse();
    }

    @Test
    void learningWithoutAnyTrainingRunAlreadyGivesSuggestions() {
        LocalModel m = model();
        for (LabelledTicket t : ContractData.history(3, 5)) m.learn(t);
        TriageSuggestion s = m.suggest(TicketText.of("q", "printer toner empty", "the printer needs toner"), CTX);
        assertThat(s.status()).isEqualTo(TriageSuggestion.Status.OK);
        assertThat(s.topTeam()).isEqualTo("Hardware");
    }

    @Test
    void cancelledTrainingKeepsThePreviousModel() {
        LocalModel m = model();
        m.train(ContractData.history(10, 1), null);
        TicketText probe = TicketText.of("p", "database backup failed", "sql backup job failed tonight");
        TriageSuggestion before = m.suggest(probe, CTX);
        int sizeBefore = m.size();

        AtomicInteger updates = new AtomicInteger();
        Progress cancelSoon = new Progress() {
            @Override public void update(long done, long total, String message) {
                updates.incrementAndGet();
            }

            @Override public boolean isCancelled() {
                return updates.get() >= 2;
            }
        };
        List<LabelledTicket> relabelled = new ArrayList<>();
        for (LabelledTicket t : ContractData.history(30, 2)) relabelled.add(LabelledTicket.of(t.text(), "Access", null));
        assertThatThrownBy(() -> m.train(relabelled, cancelSoon)).isInstanceOf(CancellationException.class);

        TriageSuggestion after = m.suggest(probe, CTX);
        assertThat(m.size()).isEqualTo(sizeBefore);
        assertThat(after.topTeam()).isEqualTo(before.topTeam());
        assertThat(after.confidence()).isCloseTo(before.confidence(), within(1e-9));
    }

    @Test
    void trainingReportsProgressAndReusesGivenVectors() {
        LocalModel m = model();
        List<LabelledTicket> h = ContractData.history(8, 3);
        Map<String, float[]> stored = new HashMap<>();
        HashingEmbedder e = new HashingEmbedder();
        for (LabelledTicket t : h) stored.put(t.text().id(), e.embed(t.text().fullText()));
        List<Long> seen = new ArrayList<>();
        LocalModel.TrainingSummary s = m.train(h, stored, (done, total, msg) -> seen.add(done));
        assertThat(s.reusedVectors()).isEqualTo(h.size());
        assertThat(s.embedded()).isZero();
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(seen.size() - 1)).isPositive();
    }

    /**
     * Known structure: the words say the team, but 25% of labels are replaced by a random team. The
     * best possible accuracy is then about 0.81 and a calibrated model's confidence should match
     * its accuracy.
     */
    @Test
    void probabilitiesAreCalibratedOnNoisyLabels() {
        Random r = new Random(11);
        List<String> teams = ContractData.TAXONOMY.teamNames();
        List<LabelledTicket> train = noisy(600, r, teams);
        List<LabelledTicket> test = noisy(400, r, teams);
        LocalModel m = model();
        var summary = m.train(train, null);
        List<LabelMetrics.Scored> scored = new ArrayList<>();
        double confSum = 0;
        for (LabelledTicket t : test) {
            TriageSuggestion s = m.suggest(t.text(), CTX);
            scored.add(new LabelMetrics.Scored(t.team(), s.teams(), s.confident()));
            confSum += s.confidence();
        }
        LabelMetrics lm = LabelMetrics.compute(scored);
        System.out.println("calibration: acc " + lm.accuracy() + " mean conf " + confSum / test.size() + " ece " + lm.ece()
                + " summary " + summary);
        assertThat(lm.accuracy()).isBetween(0.72, 0.90);
        assertThat(lm.ece()).isLessThan(0.07);
        assertThat(Math.abs(confSum / test.size() - lm.accuracy())).isLessThan(0.06);
        assertThat(m.teamThresholds()).containsKeys(teams.toArray(String[]::new));
    }

    private static List<LabelledTicket> noisy(int n, Random r, List<String> teams) {
        List<LabelledTicket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int t = r.nextInt(teams.size());
            String[] topic = TOPIC_WORDS[t];
            String text = topic[r.nextInt(topic.length)] + " " + topic[r.nextInt(topic.length)] + " "
                    + COMMON[r.nextInt(COMMON.length)] + " " + COMMON[r.nextInt(COMMON.length)];
            int label = r.nextDouble() < 0.25 ? r.nextInt(teams.size()) : t;
            out.add(LabelledTicket.of(TicketText.of("n" + n + "-" + i + "-" + r.nextInt(), text, ""), teams.get(label), null));
        }
        return out;
    }

    private static final String[][] TOPIC_WORDS = {
        {"vpn", "wifi", "router", "firewall", "dns", "proxy"},
        {"password", "login", "locked", "permission", "credentials", "mfa"},
        {"laptop", "printer", "monitor", "keyboard", "toner", "headset"},
        {"database", "sql", "query", "oracle", "backup", "deadlock"}};
    private static final String[] COMMON = {"issue", "urgent", "broken", "again", "help", "error", "today", "slow"};

    @Test
    void suggestIsSafeUnderConcurrentUseAndLearning() throws Exception {
        LocalModel m = model();
        m.train(ContractData.history(), null);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 3; t++) {
            final int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        TriageSuggestion s = m.suggest(TicketText.of("c" + id + i, "vpn router " + i, "wifi"), CTX);
                        if (s.status() != TriageSuggestion.Status.OK) throw new AssertionError(s.note());
                        double sum = s.teams().stream().mapToDouble(Prediction::probability).sum();
                        if (Math.abs(sum - 1) > 1e-6) throw new AssertionError("sum " + sum);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (int i = 0; i < 100; i++) {
            m.learn(LabelledTicket.of(TicketText.of("l" + i, "printer jam " + i, "tray"), "Hardware", "P3"));
            if (i % 3 == 0) m.forget("l" + (i / 2));
        }
        for (Thread t : threads) t.join();
        assertThat(failures).isEmpty();
    }
}
