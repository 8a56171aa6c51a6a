package dev.switchboard.inference.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inference.ContractData;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.embed.HashingEmbedder;
import org.junit.jupiter.api.Test;

/**
 * A ticket unlike every decided one is never called confident, however sure the model is: its thresholds
 * were learned on tickets that resemble the history.
 */
class NoveltyTest {

    @Test
    void aTicketUnlikeTheHistoryNeedsAHumanWhileAFamiliarOneIsConfident() {
        LocalModel m = new LocalModel(new HashingEmbedder(), VectorCache.inMemory(), LocalModelConfig.defaults());
        m.train(ContractData.history(60, 3), null);
        TriageContext ctx = TriageContext.of(ContractData.TAXONOMY);

        TriageSuggestion familiar = m.suggest(TicketText.of("f", "vpn not working",
                "The vpn and the router not working. urgent"), ctx);
        assertThat(familiar.topTeam()).isEqualTo("Network");
        assertThat(familiar.confident()).isTrue();
        assertThat(familiar.rationale()).doesNotStartWith("Unlike");
        assertThat(familiar.unlikeDecided()).isFalse();

        // a hint of one team's vocabulary, in text nothing like any decided ticket
        TriageSuggestion novel = m.suggest(TicketText.of("n", "Quarterly gala catering menu",
                "Please confirm the vegetarian canapés, the string quartet and the marquee for the gala; "
                        + "the sommelier asks about the printer for the menu cards."), ctx);
        assertThat(novel.status()).isEqualTo(TriageSuggestion.Status.OK);
        assertThat(novel.confident()).isFalse();
        assertThat(novel.rationale()).startsWith("Unlike the decided tickets");
        assertThat(novel.unlikeDecided()).as("told to other engines, which must not take its guess as agreement").isTrue();
    }

    @Test
    void theFloorIsALowQuantileOfTheHeldOutSimilarities() {
        double[] v = new double[101];
        for (int i = 0; i <= 100; i++) v[i] = i / 100.0;
        assertThat(LocalModel.quantile(v, LocalModel.NOVELTY_QUANTILE)).isEqualTo(0.02);
        assertThat(LocalModel.quantile(v, 0)).isEqualTo(0.0);
    }
}
