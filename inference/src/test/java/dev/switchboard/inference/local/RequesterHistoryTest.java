package dev.switchboard.inference.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.embed.HashingEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Where a requester's earlier tickets went is a routing signal of its own: two sites file the same printer
 * complaints, but each site's printers belong to a different team.
 */
class RequesterHistoryTest {

    private static final List<String> TEAMS = List.of("Hardware", "Facilities", "Network");
    private static final TriageContext CTX = TriageContext.of(new Taxonomy(
            TEAMS.stream().map(t -> new Taxonomy.Team(t, "")).toList(), List.of()));
    private static final String[] PRINTER = {"printer jams paper", "printer offline again", "printer toner empty",
            "cannot print to the office printer", "printer shows error on display", "print queue stuck"};
    private static final String[] NETWORK = {"vpn drops every hour", "wifi slow in meeting room", "no network on desk port",
            "vpn password rejected", "cannot reach file share over vpn", "wireless keeps disconnecting"};

    private static LocalModel model() {
        return new LocalModel(new HashingEmbedder(), VectorCache.inMemory(), LocalModelConfig.defaults().withThreads(2));
    }

    /**
     * Printer tickets from site A go to Hardware, from site B to Facilities (each site has its own
     * requesters); network tickets go to Network whoever files them. The text alone cannot tell the sites apart.
     */
    private static List<LabelledTicket> history(Random r) {
        List<LabelledTicket> out = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            boolean siteA = r.nextBoolean();
            String who = (siteA ? "a-user-" : "b-user-") + r.nextInt(6) + "@example.com";
            boolean printer = r.nextDouble() < 0.6;
            String[] pool = printer ? PRINTER : NETWORK;
            String text = pool[r.nextInt(pool.length)] + " " + (i % 11);
            String team = !printer ? "Network" : siteA ? "Hardware" : "Facilities";
            out.add(LabelledTicket.of(new TicketText("h" + i, text, "please help", List.of(), who), team, null));
        }
        return out;
    }

    private static double probability(TriageSuggestion s, String team) {
        return s.teams().stream().filter(p -> p.label().equals(team)).mapToDouble(Prediction::probability).findFirst().orElse(0);
    }

    @Test
    void theSameTextGoesWhereTheRequestersEarlierTicketsWent() {
        LocalModel m = model();
        m.train(history(new Random(7)), null);
        TicketText fromA = new TicketText("q1", "printer jams paper", "please help", List.of(), "a-user-2@example.com");
        TicketText fromB = new TicketText("q2", "printer jams paper", "please help", List.of(), "B-User-2@Example.com ");
        TriageSuggestion a = m.suggest(fromA, CTX);
        TriageSuggestion b = m.suggest(fromB, CTX);
        assertThat(a.topTeam()).isEqualTo("Hardware");
        assertThat(b.topTeam()).as("case and spacing of the requester do not matter").isEqualTo("Facilities");
        assertThat(a.rationale()).contains("of this requester's").contains("decided tickets went there")
                .doesNotContain("a-user-2");
        // a stranger's printer ticket: the text says Hardware or Facilities, nothing says which
        TriageSuggestion unknown = m.suggest(new TicketText("q3", "printer jams paper", "please help", List.of(),
                "someone-new@example.com"), CTX);
        assertThat(probability(unknown, "Hardware") + probability(unknown, "Facilities")).isGreaterThan(0.8);
        assertThat(Math.max(probability(unknown, "Hardware"), probability(unknown, "Facilities")))
                .isLessThan(Math.min(probability(a, "Hardware"), probability(b, "Facilities")));
        assertThat(unknown.rationale()).doesNotContain("requester");
        // the requester's history never overrides what the text says clearly
        TriageSuggestion vpn = m.suggest(new TicketText("q4", "vpn drops every hour", "please help", List.of(),
                "b-user-2@example.com"), CTX);
        assertThat(vpn.topTeam()).isEqualTo("Network");
    }

    @Test
    void aNewRequestersDecisionsCountAtOnceWithoutRetrainingAndForgettingTakesThemBack() {
        LocalModel m = model();
        m.train(history(new Random(11)), null);
        String who = "c-user@example.com"; // a third site, not in the training history
        TicketText probe = new TicketText("p", "printer jams paper", "please help", List.of(), who);
        // the same text from another newcomer: what the four decisions below teach through their text alone
        TicketText control = new TicketText("p2", "printer jams paper", "please help", List.of(), "d-user@example.com");
        for (int i = 0; i < 4; i++) {
            m.learn(LabelledTicket.of(new TicketText("c" + i, PRINTER[i + 1] + " c", "please help", List.of(), who),
                    "Facilities", null));
        }
        TriageSuggestion mine = m.suggest(probe, CTX);
        TriageSuggestion theirs = m.suggest(control, CTX);
        assertThat(mine.topTeam()).isEqualTo("Facilities");
        assertThat(probability(mine, "Facilities")).isGreaterThan(probability(theirs, "Facilities") + 0.1);
        assertThat(mine.rationale()).contains("4 of this requester's 4 decided tickets went there");
        for (int i = 0; i < 4; i++) m.forget("c" + i);
        assertThat(probability(m.suggest(probe, CTX), "Facilities"))
                .isCloseTo(probability(m.suggest(control, CTX), "Facilities"), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void memoryCountsALiveRequestersTicketsPerLabelSkippingWhatItIsTold() {
        Memory mem = new Memory(2, 4);
        float[] v = {1, 0};
        mem.add("1", new TicketText("1", "a", "", List.of(), "Pat"), "T0", null, 1.0, v);
        mem.add("2", new TicketText("2", "b", "", List.of(), " pat "), "T1", null, 0.5, v);
        mem.add("3", new TicketText("3", "c", "", List.of(), "pat"), "T1", null, 1.0, v);
        mem.add("4", new TicketText("4", "d", "", List.of(), ""), "T0", null, 1.0, v);
        double[] c = mem.requesterCounts("pat", mem.teamOf, mem.teams.size(), null);
        assertThat(c).containsExactly(1.0, 1.5);
        assertThat(mem.requesterCounts("pat", mem.teamOf, mem.teams.size(), s -> s == 2)).containsExactly(1.0, 0.5);
        mem.remove("1");
        assertThat(mem.requesterCounts("pat", mem.teamOf, mem.teams.size(), null)).containsExactly(0.0, 1.5);
        assertThat(mem.requesterCounts("nobody", mem.teamOf, mem.teams.size(), null)).isNull();
        assertThat(mem.requesterCounts("", mem.teamOf, mem.teams.size(), null)).isNull();
    }

    @Test
    void oneRequesterHowEverTheSourceWritesThem() {
        java.util.function.Function<String, String> key = r -> new TicketText("x", "s", "b", List.of(), r).requesterKey();
        assertThat(key.apply("Jane Doe <Jane.Doe@Example.org>")).isEqualTo("jane.doe@example.org");
        assertThat(key.apply("jane.doe@example.org")).isEqualTo("jane.doe@example.org");
        assertThat(key.apply("  Jane   Doe ")).isEqualTo("jane doe");
        assertThat(key.apply("jyoqwxhz clhxsoqy")).isEqualTo("jyoqwxhz clhxsoqy");
        assertThat(key.apply(null)).isEmpty();
        assertThat(key.apply("   ")).isEmpty();
    }

    @Test
    void theCardMentionsTheRequesterOnlyWhenTheirHistoryBacksTheTeam() {
        Memory.LabelStats all = new Memory.LabelStats(1);
        all.add(all.labelOf("Big", true), new float[] {1}, java.util.Map.of(), 0, 80, 1);
        all.add(all.labelOf("Small", true), new float[] {1}, java.util.Map.of(), 0, 20, 1);
        assertThat(LocalModel.requesterNote(new double[] {1, 3}, 1, all)).isEqualTo("; 3 of this requester's 4 decided tickets went there");
        assertThat(LocalModel.requesterNote(new double[] {9, 1}, 0, all)).isEqualTo("; 9 of this requester's 10 decided tickets went there");
        assertThat(LocalModel.requesterNote(new double[] {2, 2}, 1, all)).isEqualTo("; 2 of this requester's 4 decided tickets went there");
        // 70 % of the requester's tickets, but 80 % of everyone's: nothing particular about this requester
        assertThat(LocalModel.requesterNote(new double[] {7, 3}, 0, all)).isEmpty();
        assertThat(LocalModel.requesterNote(new double[] {0, 1}, 1, all)).as("one ticket is no history").isEmpty();
        assertThat(LocalModel.requesterNote(null, 0, all)).isEmpty();
        // an export's prompt has no requester, so its target rationale loses the sentence
        String r = "Big (91%): 4 of 5 most similar decided tickets went there"
                + LocalModel.requesterNote(new double[] {9, 1}, 0, all) + "; key terms: printer";
        assertThat(LocalModel.withoutRequesterNote(r))
                .isEqualTo("Big (91%): 4 of 5 most similar decided tickets went there; key terms: printer");
    }

    @Test
    void aTeamKnownOnlyByItsDescriptionGetsNoBoostFromARequestersHistory() {
        Memory.LabelStats all = new Memory.LabelStats(1);
        all.add(all.labelOf("A", true), new float[] {1}, java.util.Map.of(), 0, 50, 1);
        all.add(all.labelOf("B", true), new float[] {1}, java.util.Map.of(), 0, 50, 1);
        double[][] f = new double[3][Head.NF + Head.NE];
        // candidates: A (all 30 of the requester's tickets), B (none of them), a new team with no tickets yet
        Head.setRequesterHistory(f, new int[] {0, 1, -1}, new double[] {30, 0}, all);
        assertThat(f[0][Head.REQ_LIFT]).isPositive();
        assertThat(f[1][Head.REQ_LIFT]).isNegative();
        assertThat(f[2][Head.REQ_LIFT]).isEqualTo(f[1][Head.REQ_LIFT]);
        // nobody known: no lift for anyone
        Head.setRequesterHistory(f, new int[] {0, 1, -1}, null, all);
        for (double[] row : f) assertThat(row[Head.REQ_LIFT]).isZero();
    }

    @Test
    void everyFeatureHasItsName() {
        assertThat(Head.SIGNALS).hasSize(Head.NF);
        assertThat(Head.EXTRA).hasSize(Head.NE);
        assertThat(Ranker.FEATURES).hasSize(Ranker.NX).startsWith(Head.SIGNALS);
        assertThat(java.util.Arrays.copyOfRange(Ranker.FEATURES, Head.NF, Head.NF + Head.NE)).containsExactly(Head.EXTRA);
    }

    /**
     * Random labels, requesters with a handful of tickets each: if a ticket's own label counted in its
     * requester's history while fitting, the ranker would read it off and report held-out accuracy far
     * above the majority share (thresholds would then vouch for guesses).
     */
    @Test
    void aTicketsOwnLabelNeverCountsInItsRequestersHistoryWhileFitting() {
        Random r = new Random(3);
        List<LabelledTicket> data = new ArrayList<>();
        String[] words = {"printer", "vpn", "password", "laptop", "email", "server", "badge", "phone", "wifi", "disk"};
        for (int i = 0; i < 900; i++) {
            int t = (int) Math.min(29, Math.floor(-Math.log(1 - r.nextDouble()) * 6));
            String text = words[r.nextInt(words.length)] + " " + words[r.nextInt(words.length)] + " issue " + i % 7;
            data.add(LabelledTicket.of(new TicketText("r" + i, text, "", List.of(), "user-" + r.nextInt(150)),
                    "team-" + t, null));
        }
        double majority = data.stream().collect(java.util.stream.Collectors.groupingBy(LabelledTicket::team,
                java.util.stream.Collectors.counting())).values().stream().mapToLong(Long::longValue).max().orElse(0)
                / (double) data.size();
        var summary = model().train(data, null);
        assertThat(summary.heldOutTeamAccuracy()).as("held-out %.3f, majority %.3f", summary.heldOutTeamAccuracy(), majority)
                .isLessThan(majority + 0.05);
    }
}
