package dev.switchboard.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One named background thread that coalesces ticket ids: bursts of change notifications become one
 * batch, handled in id order. Also runs one-off jobs (training, indexing) in the same order. A failed
 * batch is logged, never thrown into a thread nobody watches; closing waits for the running job.
 */
public final class SerialWorker implements AutoCloseable {

    private final ExecutorService executor;
    private final System.Logger log;
    private final Consumer<List<Long>> handler;
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public SerialWorker(String threadName, Consumer<List<Long>> batchHandler) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        this.log = System.getLogger(threadName);
        this.handler = batchHandler;
    }

    /** Queues ids for the next batch (ignored after close). */
    public void enqueue(Collection<Long> ids) {
        if (executor.isShutdown()) return;
        pending.addAll(ids);
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Handles whatever is queued now; call from a job running on this worker. */
    public void drain() {
        scheduled.set(false);
        List<Long> ids = new ArrayList<>(pending);
        if (ids.isEmpty()) return;
        pending.removeAll(ids);
        ids.sort(null);
        try {
            handler.accept(ids);
        } catch (RuntimeException e) {
            if (!executor.isShutdown()) log.log(System.Logger.Level.WARNING, "background batch failed: " + e.getMessage(), e);
        }
    }

    public <T> CompletableFuture<T> submit(Supplier<T> job) {
        return CompletableFuture.supplyAsync(job, executor);
    }

    public CompletableFuture<Void> run(Runnable job) {
        if (executor.isShutdown()) return CompletableFuture.completedFuture(null);
        return CompletableFuture.runAsync(job, executor);
    }

    public boolean isShutdown() {
        return executor.isShutdown();
    }

    /** Waits until queued ids and jobs are done (tests and the command line). */
    public void awaitIdle() {
        CompletableFuture.runAsync(() -> { }, executor).join();
        while (!pending.isEmpty() || scheduled.get()) CompletableFuture.runAsync(() -> { }, executor).join();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
