package dev.switchboard.app;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A periodic computation (e.g. the burst scan) on its own low-priority daemon thread, at most one run
 * at a time: a request while a run is in flight gets that run's future instead of queueing another, so
 * a timer that fires faster than the work finishes never piles runs up, and the work never waits in (or
 * holds up) a shared pool.
 */
public final class SingleFlight<T> implements AutoCloseable {

    private final ExecutorService executor;
    private final Supplier<T> job;
    private final AtomicReference<CompletableFuture<T>> inFlight = new AtomicReference<>();

    public SingleFlight(String threadName, Supplier<T> job) {
        this.job = job;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** Starts a run, or returns the future of the run in flight. Fails with a cancellation once closed. */
    public CompletableFuture<T> request() {
        while (true) {
            CompletableFuture<T> running = inFlight.get();
            if (running != null) return running;
            CompletableFuture<T> f = new CompletableFuture<>();
            if (!inFlight.compareAndSet(null, f)) continue;
            try {
                executor.execute(() -> {
                    T result = null;
                    Throwable failure = null;
                    try {
                        result = job.get();
                    } catch (Throwable e) {
                        failure = e;
                    }
                    // cleared before completing: a caller reacting to the result may request the next run
                    inFlight.compareAndSet(f, null);
                    if (failure == null) f.complete(result);
                    else f.completeExceptionally(failure);
                });
            } catch (RejectedExecutionException e) {
                inFlight.compareAndSet(f, null);
                f.completeExceptionally(new CancellationException("closed"));
            }
            return f;
        }
    }

    /** Whether a run is in flight now. */
    public boolean isRunning() {
        return inFlight.get() != null;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<T> f = inFlight.getAndSet(null);
        if (f != null) f.completeExceptionally(new CancellationException("closed"));
    }
}
