package dev.switchboard.inference.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inference.ContractData;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.embed.HashingEmbedder;
import org.junit.jupiter.api.Test;

/** The rationale states the same confidence as the card's bar and the queue's chip. */
class RationaleTest {

    @Test
    void aNearCertainSuggestionReadsAtLeast99PercentEverywhereNeverAHundred() {
        LocalModel m = new LocalModel(new HashingEmbedder(), VectorCache.inMemory(), LocalModelConfig.defaults());
        m.train(ContractData.history(60, 3), null);
        TriageSuggestion s = m.suggest(TicketText.of("f", "vpn not working",
                "The vpn and the router not working. urgent"), TriageContext.of(ContractData.TAXONOMY));

        assertThat(s.confidence()).isGreaterThan(0.995); // rounds to 100
        assertThat(s.rationale()).startsWith(s.topTeam() + " (≥99%)").doesNotContain("100%");
        assertThat(TriageSuggestion.percent(s.confidence())).isEqualTo("≥99%");
        assertThat(TriageSuggestion.percent(0.994)).isEqualTo("99%");
        assertThat(TriageSuggestion.percent(0.5)).isEqualTo("50%");
    }
}
