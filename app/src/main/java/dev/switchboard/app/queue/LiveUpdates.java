package dev.switchboard.app.queue;

import dev.switchboard.app.ui.Background;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.StoreListener;
import dev.switchboard.persistence.store.TicketStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the queue live. Changes made in this process arrive as store notifications and are shown
 * within ~200 ms; changes from another process (a CLI import, another dispatcher on PostgreSQL) are
 * picked up by a cheap poll every second and announced to the store's other listeners, so the services
 * suggest for them and check them for duplicates as for this process's own tickets. Rows are read off the
 * FX thread and applied on it.
 */
public final class LiveUpdates implements StoreListener, AutoCloseable {

    private final TicketStore store;
    private final Consumer<List<QueueRow>> apply;
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private volatile long maxId;
    private volatile Instant maxUpdated = Instant.EPOCH;
    /** Rows seen with an update time inside the look-back, and that time (poll thread only). */
    private final java.util.Map<Long, Instant> recent = new java.util.HashMap<>();
    /** The change marker at the last poll: the poll runs when it moves. */
    private volatile TicketStore.ChangeMarker lastMarker;
    /** Newest duplicate-pair row seen, and the rows seen within {@link #LINK_WINDOW} below it. */
    private volatile long maxLinkSeen;
    private final Set<Long> seenLinks = ConcurrentHashMap.newKeySet();
    /** Keep polling until then (System.nanoTime), even if the change marker stands still. */
    private long pollUntil;
    private int tick;

    /**
     * How long after a change the poll keeps looking, and how far before the newest update time seen it
     * looks again. A write stamped earlier can commit later than one stamped after it (two dispatchers
     * saving at once), and in team mode another workstation's stamps may lag a little; neither moves
     * the newest update time, so without a look-back such a change would never reach this queue. Rows
     * already seen at the same update time are skipped, so nothing is applied or announced twice.
     */
    static final java.time.Duration LOOKBACK = java.time.Duration.ofSeconds(5);

    /**
     * Duplicate-pair rows are re-read this many ids back: ids are handed out at insert and a pair
     * recorded by one workstation can commit after a higher id from another (all of them check the same
     * arriving ticket at about the same time).
     */
    static final int LINK_WINDOW = 256;

    public LiveUpdates(TicketStore store, Consumer<List<QueueRow>> applyOnFx) {
        this.store = store;
        this.apply = applyOnFx;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-live");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Notes where the store stands, before the queue is read for {@link #start}: what was recorded
     * before is in the rows read after (a pair's badge included); anything later is picked up.
     */
    public void prepare() {
        lastMarker = store.changeMarker();
        for (long[] l : store.pairRowsAfter(lastMarker.maxLinkId() - LINK_WINDOW)) seenLinks.add(l[0]);
        maxLinkSeen = lastMarker.maxLinkId();
    }

    /** Starts after the initial load, from the newest row it saw ({@link #prepare} first, or it is done here). */
    public void start(Collection<QueueRow> loaded) {
        if (lastMarker == null) prepare();
        note(loaded);
        store.addListener(this);
        timer.scheduleWithFixedDelay(this::drain, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void ticketsChanged(Collection<Long> ticketIds) {
        pending.addAll(ticketIds);
    }

    /** Changes elsewhere are what this poll announces: their rows are already read. */
    @Override
    public void ticketsChangedElsewhere(Collection<Long> ticketIds) {
    }

    private void drain() {
        try {
            List<QueueRow> rows = new ArrayList<>();
            Set<Long> notified = Set.of();
            if (!pending.isEmpty()) {
                List<Long> ids = new ArrayList<>(pending);
                pending.removeAll(ids);
                notified = new java.util.HashSet<>(ids);
                rows.addAll(store.rows(ids));
            }
            List<QueueRow> badgeRows = List.of();
            if (++tick % 5 == 0) {
                TicketStore.ChangeMarker marker = store.changeMarker();
                // after a change, keep looking for LOOKBACK: writes stamped before it may still commit
                if (!marker.equals(lastMarker)) pollUntil = System.nanoTime() + LOOKBACK.toNanos();
                lastMarker = marker;
                if (System.nanoTime() - pollUntil < 0) {
                    List<QueueRow> since = new ArrayList<>();
                    Set<Long> read = new java.util.HashSet<>();
                    for (QueueRow r : rows) read.add(r.id());
                    for (QueueRow r : store.rowsSince(maxId, maxUpdated.minus(LOOKBACK))) {
                        Instant seen = recent.get(r.id());
                        if (r.id() <= maxId && seen != null && seen.equals(r.updatedAt())) continue; // already shown
                        if (read.contains(r.id())) continue; // read just now for this process's own notification
                        since.add(r);
                    }
                    rows.addAll(since);
                    List<Long> elsewhere = new ArrayList<>();
                    for (QueueRow r : since) if (!notified.contains(r.id())) elsewhere.add(r.id());
                    store.announceChanged(elsewhere);
                    badgeRows = pairsRecorded(rows);
                }
            }
            if (!rows.isEmpty()) note(rows);
            if (!rows.isEmpty() || !badgeRows.isEmpty()) {
                List<QueueRow> copy = new ArrayList<>(rows);
                copy.addAll(badgeRows);
                Background.fx(() -> apply.accept(List.copyOf(copy)));
            }
        } catch (RuntimeException e) {
            if (timer.isShutdown()) return;
            System.getLogger("switchboard.live").log(System.Logger.Level.WARNING, "live update failed: " + e.getMessage());
        }
    }

    /**
     * Rows of tickets in duplicate pairs recorded since the last look (here or elsewhere), other than
     * {@code read}: their badges change, their update times need not. Shown, but neither announced nor
     * noted as seen, so a new ticket among them is still announced by the next poll.
     */
    private List<QueueRow> pairsRecorded(List<QueueRow> read) {
        Set<Long> tickets = new java.util.HashSet<>();
        for (long[] l : store.pairRowsAfter(maxLinkSeen - LINK_WINDOW)) {
            if (!seenLinks.add(l[0])) continue;
            tickets.add(l[1]);
            tickets.add(l[2]);
            if (l[0] > maxLinkSeen) maxLinkSeen = l[0];
        }
        seenLinks.removeIf(id -> id <= maxLinkSeen - LINK_WINDOW);
        for (QueueRow r : read) tickets.remove(r.id());
        return tickets.isEmpty() ? List.of() : store.rows(tickets);
    }

    private void note(Collection<QueueRow> rows) {
        // a stamp ahead of the database's clock (written by hand, or by an older version) must not lift
        // the mark past the changes colleagues make meanwhile
        Instant cap = store.now();
        for (QueueRow r : rows) {
            if (r.id() > maxId) maxId = r.id();
            Instant at = r.updatedAt() == null || r.updatedAt().isBefore(cap) ? r.updatedAt() : cap;
            if (at != null && at.isAfter(maxUpdated)) maxUpdated = at;
        }
        Instant horizon = maxUpdated.minus(LOOKBACK);
        for (QueueRow r : rows) {
            if (r.updatedAt() != null && !r.updatedAt().isBefore(horizon)) recent.put(r.id(), r.updatedAt());
        }
        recent.values().removeIf(at -> at.isBefore(horizon));
    }

    @Override
    public void close() {
        store.removeListener(this);
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
