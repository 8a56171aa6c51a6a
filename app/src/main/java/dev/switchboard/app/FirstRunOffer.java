package dev.switchboard.app;

import dev.switchboard.app.settings.Settings;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The first run's offer of sample tickets. It is recorded as made ({@value #KEY}) only once the user answered it:
 * recorded before, as it was, closing the window while the offer was shown (or the process ending then) meant it
 * was never offered again.
 */
final class FirstRunOffer {

    /** Settings key: the offer was answered. */
    static final String KEY = "sample.offered";

    enum Answer { LOAD, EMPTY }

    private FirstRunOffer() {}

    /** Whether to offer: the workspace has no tickets and the offer was never answered. */
    static boolean due(Settings settings, long tickets) {
        return tickets == 0 && !settings.getBoolean(KEY, false);
    }

    /**
     * Shows the offer ({@code dialog}: the answer, or empty when the user gave none: the window closed meanwhile)
     * and records an answer ({@code io} saves the settings); returns it.
     */
    static Optional<Answer> ask(Settings settings, Supplier<Optional<Answer>> dialog, Executor io) {
        Optional<Answer> a = dialog.get();
        if (a.isEmpty()) return a; // not answered: offered again at the next start
        settings.set(KEY, "true");
        io.execute(() -> {
            try {
                settings.save();
            } catch (java.io.IOException ignored) {
                // asking again next time is harmless
            }
        });
        return a;
    }
}
