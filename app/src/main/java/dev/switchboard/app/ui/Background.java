package dev.switchboard.app.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Runs work off the JavaFX thread on named daemon threads and hands results back on the FX thread.
 * Tracks how many jobs are running and the latest progress message for the status bar.
 */
public final class Background implements AutoCloseable {

    private final ExecutorService pool;
    /** The window's own short reads (the selected ticket): never queued behind long background jobs. */
    private final ExecutorService reader;
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(this, "running", 0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final javafx.beans.property.ReadOnlyDoubleWrapper progress = new javafx.beans.property.ReadOnlyDoubleWrapper(this, "progress", 0);

    /** How long a confirmation ({@link #status}) stays in the status bar before progress text may replace it. */
    static final java.time.Duration CONFIRMATION_HOLD = java.time.Duration.ofSeconds(4);
    private final java.time.Duration hold;
    /** Whether progress text waits behind a confirmation now; FX thread only. */
    private boolean holding;
    /** Progress text that arrived during the hold, shown when it ends (null: none); FX thread only. */
    private String deferred;
    private javafx.animation.PauseTransition holdTimer;

    public Background() {
        this(CONFIRMATION_HOLD);
    }

    /** {@code hold}: how long a confirmation stays before progress text replaces it. */
    Background(java.time.Duration hold) {
        this.hold = hold;
        this.reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "switchboard-reader");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "switchboard-bg-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
    }

    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Progress of the longest-running job: -1 indeterminate, 0 idle, (0,1] fraction. */
    public javafx.beans.property.ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** Reports a job's progress from any thread ({@code total} 0 means finished). */
    public void progress(String text, long done, long total) {
        fx(() -> {
            progressText(total > 0 ? String.format("%s… %,d / %,d", text, done, total) : text);
            progress.set(total > 0 ? Math.max(0.001, (double) done / total) : 0);
        });
    }

    /** Reports progress as a share of the work ("Training…  42 %") where counts would mislead; from any thread. */
    public void progressShare(String text, double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        fx(() -> {
            progressText(String.format(java.util.Locale.ROOT, "%s… %d %%", text, Math.round(100 * f)));
            progress.set(Math.max(0.001, f));
        });
    }

    /**
     * Sets the status-bar message from any thread: a confirmation ("Accepted #202 → Security · saved") or an
     * error. It stays for {@link #CONFIRMATION_HOLD} even while background work reports progress (the progress
     * bar still moves); the latest progress text is shown after that.
     */
    public void status(String text) {
        fx(() -> {
            message.set(text);
            if (text == null || text.isBlank()) { // clearing the bar is no confirmation to hold
                if (holdTimer != null) holdTimer.stop();
                holding = false;
                deferred = null;
                return;
            }
            deferred = null;
            holding = true;
            if (holdTimer == null) {
                holdTimer = new javafx.animation.PauseTransition();
                holdTimer.setOnFinished(e -> {
                    holding = false;
                    if (deferred != null) message.set(deferred);
                    deferred = null;
                });
            }
            holdTimer.setDuration(javafx.util.Duration.millis(hold.toMillis()));
            holdTimer.playFromStart();
        });
    }

    /** Progress text: shown now, or after the hold of a confirmation shown just before. FX thread. */
    private void progressText(String text) {
        if (holding) deferred = text;
        else message.set(text);
    }

    public <T> Future<T> run(String label, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        if (pool.isShutdown()) return java.util.concurrent.CompletableFuture.failedFuture(new java.util.concurrent.CancellationException("closed"));
        fx(() -> {
            running.set(running.get() + 1);
            if (label != null) progressText(label);
        });
        try {
            return submit(label, work, onSuccess, onFailure);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(new java.util.concurrent.CancellationException("closed"));
        }
    }

    private <T> Future<T> submit(String label, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        return pool.submit(() -> {
            try {
                T result = work.call();
                fx(() -> onSuccess.accept(result));
                return result;
            } catch (Throwable e) {
                fx(() -> onFailure.accept(e));
                throw e;
            } finally {
                fx(() -> {
                    running.set(running.get() - 1);
                    if (running.get() == 0 && label != null && label.equals(message.get())) message.set("");
                    if (running.get() == 0 && label != null && label.equals(deferred)) deferred = "";
                });
            }
        });
    }

    /**
     * Runs a short read that the status bar need not show (e.g. loading the selected ticket), so
     * moving through the queue does not flicker the progress indicator.
     */
    public <T> void quietly(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        if (reader.isShutdown()) return;
        try {
            // on a thread of its own: with an import, a retrain and re-suggestions running, the shared pool's
            // threads are all busy and the detail pane waited seconds for the ticket the dispatcher selected
            reader.execute(() -> {
                try {
                    T result = work.call();
                    fx(() -> onSuccess.accept(result));
                } catch (Throwable e) {
                    fx(() -> onFailure.accept(e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing to do
        }
    }

    /** Runs fire-and-forget work; ignored once the window is closing. */
    public void execute(Runnable r) {
        if (pool.isShutdown()) return;
        try {
            pool.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing to do
        }
    }

    public static void fx(Runnable r) {
        if (Platform.isFxApplicationThread()) r.run();
        else Platform.runLater(r);
    }

    @Override
    public void close() {
        reader.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
