package dev.switchboard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link TriageEngine} must show. Implement {@link #engine} in a test class for each
 * engine (local model, LLM engine with a test server, ...).
 */
public interface TriageEngineContract {

    /** A ready engine that has seen {@code history} (trained, or given as examples). */
    TriageEngine engine(List<LabelledTicket> history, Taxonomy taxonomy) throws Exception;

    /** The engine under test, built once per test class if the implementation caches it. */
    default TriageEngine contractEngine() throws Exception {
        return engine(ContractData.history(), ContractData.TAXONOMY);
    }

    @Test
    default void returnsANonNullSuggestionWithAnEngineId() throws Exception {
        TriageEngine e = contractEngine();
        TriageSuggestion s = e.suggest(TicketText.of("c-1", "vpn keeps dropping", "cannot connect to vpn from home"),
                TriageContext.of(ContractData.TAXONOMY));
        assertThat(s).isNotNull();
        assertThat(s.engine()).isEqualTo(e.id());
        assertThat(s.status()).isIn(TriageSuggestion.Status.OK, TriageSuggestion.Status.FALLBACK);
    }

    @Test
    default void probabilitiesCoverEveryKnownTeamSumToOneAndAreSorted() throws Exception {
        TriageSuggestion s = contractEngine().suggest(
                TicketText.of("c-2", "printer offline", "the printer on floor 2 shows offline"), TriageContext.of(ContractData.TAXONOMY));
        List<String> labels = s.teams().stream().map(Prediction::label).toList();
        assertThat(labels).containsExactlyInAnyOrderElementsOf(ContractData.TAXONOMY.teamNames());
        assertThat(s.teams().stream().mapToDouble(Prediction::probability).sum()).isCloseTo(1.0, within(1e-6));
        for (int i = 1; i < s.teams().size(); i++) {
            assertThat(s.teams().get(i).probability()).isLessThanOrEqualTo(s.teams().get(i - 1).probability());
        }
        assertThat(s.teams()).allSatisfy(p -> assertThat(p.probability()).isBetween(0.0, 1.0));
    }

    @Test
    default void excludedTeamsAreNeverSuggested() throws Exception {
        TriageEngine e = contractEngine();
        TriageContext ctx = new TriageContext(ContractData.TAXONOMY, List.of("Network"), Set.of("Network"));
        TriageSuggestion s = e.suggest(TicketText.of("c-3", "vpn down", "vpn tunnel down, wifi and router fine"), ctx);
        assertThat(s.teams()).extracting(Prediction::label).doesNotContain("Network").isNotEmpty();
        assertThat(s.topTeam()).isNotEqualTo("Network");
        assertThat(s.teams().stream().mapToDouble(Prediction::probability).sum()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    default void onlyTaxonomyTeamsAreSuggested() throws Exception {
        Taxonomy smaller = new Taxonomy(ContractData.TAXONOMY.teams().subList(0, 3), ContractData.TAXONOMY.priorities());
        TriageSuggestion s = contractEngine().suggest(TicketText.of("c-4", "laptop screen broken", "cracked screen"),
                TriageContext.of(smaller));
        assertThat(s.teams()).extracting(Prediction::label).isSubsetOf(smaller.teamNames());
    }

    @Test
    default void survivesEmptyHugeAndGarbageText() throws Exception {
        TriageEngine e = contractEngine();
        TriageContext ctx = TriageContext.of(ContractData.TAXONOMY);
        StringBuilder huge = new StringBuilder(5_000_000);
        Random r = new Random(1);
        String[] words = {"vpn", "printer", "password", "database", "the", "server", "error", "lorem"};
        while (huge.length() < 5_000_000) huge.append(words[r.nextInt(words.length)]).append(' ');
        byte[] bytes = new byte[20_000];
        r.nextBytes(bytes);
        String garbage = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1) + "\u0000\uFFFD\uD800";
        List<TicketText> odd = new ArrayList<>();
        odd.add(TicketText.of("e-1", "", ""));
        odd.add(TicketText.of("e-2", null, null));
        odd.add(TicketText.of("e-3", "big", huge.toString()));
        odd.add(TicketText.of("e-4", garbage, garbage));
        for (TicketText t : odd) {
            TriageSuggestion s = e.suggest(t, ctx);
            assertThat(s).isNotNull();
            assertThat(s.status()).isNotNull();
            if (!s.teams().isEmpty()) {
                assertThat(s.teams().stream().mapToDouble(Prediction::probability).sum()).isCloseTo(1.0, within(1e-6));
            }
        }
    }
}
