package dev.switchboard.inference.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inference.ContractData;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.embed.MiniLmEmbedder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Five labelled tickets per team plus the team descriptions, with the real sentence embedder. */
class ColdStartTest {

    @Test
    void fivePerTeamGivesSensibleSuggestionsHelpedByDescriptions() {
        LocalModel m = new LocalModel(new MiniLmEmbedder(MiniLmEmbedder.Variant.QUANTIZED, 500), VectorCache.inMemory(), LocalModelConfig.defaults());
        List<LabelledTicket> five = ContractData.history(5, 99);
        assertThat(five).hasSize(20);
        m.train(five, null);
        TriageContext ctx = TriageContext.of(ContractData.TAXONOMY);
        // wording not used in the labelled tickets: only meaning and the descriptions connect them
        String[][] probes = {
            {"Network", "cannot reach the intranet from the branch office, cable plugged in"},
            {"Access", "my user got blocked after entering the wrong passphrase three times"},
            {"Hardware", "the notebook will not power on and the charger light is off"},
            {"Database", "nightly ETL job fails with ORA-01555 snapshot too old on the warehouse"}};
        int right = 0;
        for (String[] p : probes) {
            TriageSuggestion s = m.suggest(TicketText.of("cs-" + p[0], p[1], ""), ctx);
            assertThat(s.status()).isEqualTo(TriageSuggestion.Status.OK);
            if (s.topTeam().equals(p[0])) right++;
        }
        assertThat(right).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aTeamWithOnlyADescriptionCanStillBeSuggested() {
        LocalModel m = new LocalModel(new MiniLmEmbedder(MiniLmEmbedder.Variant.QUANTIZED, 500), VectorCache.inMemory(), LocalModelConfig.defaults());
        m.train(ContractData.history(5, 98), null);
        Taxonomy withNew = new Taxonomy(
                new java.util.ArrayList<>(ContractData.TAXONOMY.teams()) {{
                    add(new Taxonomy.Team("Facilities", "Office buildings, heating, air conditioning, desks, cleaning and parking"));
                }}, ContractData.TAXONOMY.priorities());
        TriageSuggestion s = m.suggest(TicketText.of("f1", "air conditioning broken in building B, office is too hot", ""),
                TriageContext.of(withNew));
        assertThat(s.teams()).extracting(p -> p.label()).contains("Facilities");
        int rank = s.teams().stream().map(p -> p.label()).toList().indexOf("Facilities");
        assertThat(rank).isLessThan(3);
    }
}
