package dev.switchboard.app.sample;

import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TicketStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Feeds unlabelled sample tickets into the store at a steady rate on a daemon thread, as if they were
 * arriving live: each gets created = now, source "demo" and an id unique to this replay run (so every
 * demo session brings fresh tickets). Stops by itself after the last ticket, or on {@link #stop()}.
 */
public final class DemoReplay implements AutoCloseable {

    public static final String SOURCE = "demo";

    private final TicketStore store;
    private final List<SampleTicket> tickets;
    private final Duration interval;
    private final String runId;
    private final AtomicInteger replayed = new AtomicInteger();
    private final Object lock = new Object();
    private volatile LongConsumer onTicket = id -> { };
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile String lastError;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

    public DemoReplay(TicketStore store, List<SampleTicket> tickets, Duration interval) {
        if (interval.isNegative()) throw new IllegalArgumentException("interval must not be negative");
        this.store = store;
        this.tickets = List.copyOf(tickets);
        this.interval = interval;
        this.runId = Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT);
    }

    /** Called on the replay thread with each new ticket's id (after it was committed). */
    public DemoReplay onTicket(LongConsumer listener) {
        this.onTicket = listener == null ? id -> { } : listener;
        return this;
    }

    /** Starts the replay; the first ticket arrives after one interval. */
    public synchronized DemoReplay start() {
        if (thread != null) throw new IllegalStateException("already started");
        Thread t = new Thread(this::loop, "switchboard-demo-replay");
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    private void loop() {
        try {
            for (int i = 0; i < tickets.size() && !stopping; i++) {
                synchronized (lock) {
                    long deadline = System.nanoTime() + interval.toNanos();
                    long left;
                    while (!stopping && (left = deadline - System.nanoTime()) > 0) {
                        lock.wait(Math.max(1, left / 1_000_000), 0);
                    }
                }
                if (stopping) break;
                SampleTicket s = tickets.get(i);
                NewTicket t = new NewTicket(SOURCE, "demo-" + runId + "-" + (i + 1), s.subject(), s.body(), s.requester(),
                        Instant.now(), null, null);
                try {
                    List<Long> ids = store.saveTickets(List.of(t), "demo").join().createdIds();
                    replayed.incrementAndGet();
                    for (long id : ids) onTicket.accept(id);
                } catch (RuntimeException e) {
                    lastError = e.getMessage();
                    System.getLogger("switchboard.demo").log(System.Logger.Level.WARNING, "demo replay: saving failed", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.countDown();
        }
    }

    /** Waits until the replay ended (all replayed, or stopped); true if it ended within {@code timeout}. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Stops after the ticket being saved (if any); waits up to 5 s for the thread to end. */
    public void stop() {
        stopping = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Tickets replayed so far. */
    public int replayed() {
        return replayed.get();
    }

    public int total() {
        return tickets.size();
    }

    /** Last save error, or null. */
    public String lastError() {
        return lastError;
    }
}
