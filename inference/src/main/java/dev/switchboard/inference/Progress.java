package dev.switchboard.inference;

/** Progress sink and cancellation flag for long background work (training, embedding, evaluation). */
public interface Progress {

    void update(long done, long total, String message);

    default boolean isCancelled() {
        return false;
    }

    /** Throws {@link java.util.concurrent.CancellationException} when cancelled. */
    default void checkCancelled() {
        if (isCancelled()) throw new java.util.concurrent.CancellationException("cancelled");
    }

    Progress NONE = (done, total, message) -> { };
}
