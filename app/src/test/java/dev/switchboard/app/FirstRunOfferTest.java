package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.settings.Settings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first run's sample offer is recorded only once answered. */
class FirstRunOfferTest {

    @TempDir Path dir;

    @Test
    void anOfferLeftUnansweredWhenTheWindowClosedIsMadeAgainAtTheNextStart() {
        Path file = dir.resolve("settings.properties");
        Settings first = new Settings(file);
        assertThat(FirstRunOffer.due(first, 0)).isTrue();
        AtomicInteger shown = new AtomicInteger();
        // the window closed (the app quit) while the offer was up: no answer
        assertThat(FirstRunOffer.ask(first, () -> {
            shown.incrementAndGet();
            return Optional.empty();
        }, Runnable::run)).isEmpty();
        assertThat(shown).hasValue(1);
        // before: "sample.offered=true" was saved before the offer was shown, so the next start never offered it again
        assertThat(file).doesNotExist();
        assertThat(FirstRunOffer.due(first, 0)).isTrue();
        assertThat(FirstRunOffer.due(new Settings(file), 0)).as("next start").isTrue();
    }

    @Test
    void anAnswerIsRecordedAndTheOfferNotMadeAgain() {
        Path file = dir.resolve("settings.properties");
        Settings first = new Settings(file);
        assertThat(FirstRunOffer.ask(first, () -> Optional.of(FirstRunOffer.Answer.EMPTY), Runnable::run))
                .contains(FirstRunOffer.Answer.EMPTY);
        assertThat(FirstRunOffer.due(new Settings(file), 0)).as("next start").isFalse();

        Settings other = new Settings(dir.resolve("other.properties"));
        FirstRunOffer.ask(other, () -> Optional.of(FirstRunOffer.Answer.LOAD), Runnable::run);
        assertThat(FirstRunOffer.due(new Settings(dir.resolve("other.properties")), 0)).isFalse();
        assertThat(FirstRunOffer.due(new Settings(dir.resolve("none.properties")), 12)).as("a workspace with tickets").isFalse();
    }
}
