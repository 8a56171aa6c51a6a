package dev.switchboard.app.export;

import dev.switchboard.persistence.store.LabelledExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Renders rows on all cores while the database is read, and hands them to the sink in input order.
 * At most two batches of {@value #BATCH} rows are in flight, so memory stays bounded.
 */
final class Pipeline implements AutoCloseable {

    interface Sink {
        void accept(LabelledExample row, String split, RowRenderer.Rendered rendered) throws IOException;
    }

    static final int BATCH = 512;

    private record Batch(List<LabelledExample> rows, List<String> splits, List<Future<List<RowRenderer.Rendered>>> parts) {}

    private final RowRenderer renderer;
    private final Sink sink;
    private final BooleanSupplier cancelled;
    private final int workers;
    private final ExecutorService pool;
    private List<LabelledExample> rows = new ArrayList<>(BATCH);
    private List<String> splits = new ArrayList<>(BATCH);
    private Batch pending;

    Pipeline(RowRenderer renderer, Sink sink, BooleanSupplier cancelled) {
        this.renderer = renderer;
        this.sink = sink;
        this.cancelled = cancelled;
        this.workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "switchboard-export-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void add(LabelledExample row, String split) throws IOException {
        rows.add(row);
        splits.add(split);
        if (rows.size() >= BATCH) submit();
    }

    /** Renders and writes what is left. */
    void finish() throws IOException {
        if (!rows.isEmpty()) submit();
        if (pending != null) drain(pending);
        pending = null;
    }

    private void submit() throws IOException {
        List<LabelledExample> batch = rows;
        List<Future<List<RowRenderer.Rendered>>> parts = new ArrayList<>(workers);
        int chunk = (batch.size() + workers - 1) / workers;
        for (int from = 0; from < batch.size(); from += chunk) {
            List<LabelledExample> slice = batch.subList(from, Math.min(batch.size(), from + chunk));
            parts.add(pool.submit(() -> {
                List<RowRenderer.Rendered> out = new ArrayList<>(slice.size());
                for (LabelledExample r : slice) {
                    if (cancelled.getAsBoolean()) throw new ExportCancelledException();
                    out.add(renderer.render(r));
                }
                return out;
            }));
        }
        Batch b = new Batch(batch, splits, parts);
        rows = new ArrayList<>(BATCH);
        splits = new ArrayList<>(BATCH);
        if (pending != null) drain(pending);
        pending = b;
    }

    private void drain(Batch b) throws IOException {
        int i = 0;
        for (Future<List<RowRenderer.Rendered>> f : b.parts()) {
            List<RowRenderer.Rendered> rendered;
            try {
                rendered = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExportCancelledException();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) throw re;
                if (c instanceof IOException io) throw io;
                if (c instanceof Error err) throw err;
                throw new UncheckedIOException(new IOException(c));
            }
            for (RowRenderer.Rendered r : rendered) {
                sink.accept(b.rows().get(i), b.splits().get(i), r);
                i++;
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
