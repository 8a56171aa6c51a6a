package dev.switchboard.app.queue;

import dev.switchboard.persistence.store.QueueRow;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The live queue: every ticket row, the filters, and counts. FX thread only; rows arrive through
 * {@link #upsert(Collection)} from background loaders.
 */
public final class QueueViewModel {

    /** Status filter choices: "Open" groups every open status. */
    public static final String STATUS_OPEN = "Open";
    public static final String STATUS_ALL = "All";
    public static final String ANY = "Any";

    // ------------------------------------------------------------ Properties
    private final java.util.ArrayList<QueueRow> rows = new java.util.ArrayList<>();
    private final ObservableList<QueueRow> visible = FXCollections.observableArrayList();
    private final Map<Long, Integer> indexById = new HashMap<>();
    /**
     * Every row in the current sort order, or null until a filter change needs it: a filter change then
     * only filters (milliseconds for 50,000 rows) instead of sorting again (a string sort of 50,000 rows
     * takes over 100 ms). Kept in step with live updates by binary search; the order is total (ties by id).
     */
    private java.util.ArrayList<QueueRow> sortedAll;
    private final ReadOnlyIntegerWrapper total = new ReadOnlyIntegerWrapper(this, "total");
    private Comparator<QueueRow> comparator = DEFAULT_ORDER;
    /** Wraps whole-list replacements (sort, filter); the view detaches the table around them. */
    private java.util.function.Consumer<Runnable> bulk = Runnable::run;
    /** The time snoozes are measured against. */
    private final java.time.InstantSource clock;
    private Predicate<QueueRow> predicate;
    /** When {@link #wakeSnoozed} last looked: a snooze that ended after it brings its ticket back. */
    private Instant lastWakeCheck;

    /** Arrival order when the dispatcher has not sorted: oldest first, so the head of the queue waits longest. */
    public static final Comparator<QueueRow> DEFAULT_ORDER = Comparator.comparingLong(QueueRow::id);
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final ObjectProperty<String> team = new SimpleObjectProperty<>(this, "team", ANY);
    private final ObjectProperty<String> priority = new SimpleObjectProperty<>(this, "priority", ANY);
    private final ObjectProperty<String> status = new SimpleObjectProperty<>(this, "status", STATUS_OPEN);
    /** When set, only these tickets are shown (a duplicate group); other filters are ignored. */
    private final ObjectProperty<java.util.Set<Long>> group = new SimpleObjectProperty<>(this, "group", null);
    private final ObservableList<String> teamChoices = FXCollections.observableArrayList(ANY);
    private final ObservableList<String> priorityChoices = FXCollections.observableArrayList(ANY);
    private final ReadOnlyIntegerWrapper openCount = new ReadOnlyIntegerWrapper(this, "openCount");
    private final Set<String> knownTeams = new TreeSet<>(dev.switchboard.app.ui.NaturalOrder.INSTANCE);
    private final Set<String> knownPriorities = new TreeSet<>(dev.switchboard.app.ui.NaturalOrder.INSTANCE);

    public QueueViewModel() {
        this(java.time.InstantSource.system());
    }

    /** A queue whose snoozes end by {@code clock}. */
    QueueViewModel(java.time.InstantSource clock) {
        this.clock = clock;
        this.lastWakeCheck = clock.instant();
        this.predicate = r -> isOpen(r.status()) && !r.snoozedAt(clock.instant());
        search.addListener((o, a, b) -> refilter());
        team.addListener((o, a, b) -> refilter());
        priority.addListener((o, a, b) -> refilter());
        status.addListener((o, a, b) -> refilter());
        group.addListener((o, a, b) -> refilter());
    }

    /** Number of tickets loaded (all statuses). */
    public ReadOnlyIntegerProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    /**
     * The filtered, sorted rows the table shows. Maintained by hand rather than through
     * FilteredList/SortedList: a filter or sort replaces the list in one change, and a live update
     * touches only its own rows, which keeps 50,000-row queues smooth.
     */
    public ObservableList<QueueRow> visibleRows() {
        return visible;
    }

    /** Lets the view prepare for a replacement of every visible row. */
    public void onBulkChange(java.util.function.Consumer<Runnable> wrapper) {
        bulk = wrapper == null ? Runnable::run : wrapper;
    }

    /** Sorts the visible rows (the table's sort policy calls this); null restores arrival order. */
    public void sort(Comparator<QueueRow> c) {
        comparator = c == null ? DEFAULT_ORDER : c.thenComparing(DEFAULT_ORDER);
        java.util.ArrayList<QueueRow> copy = new java.util.ArrayList<>(visible);
        copy.sort(comparator);
        // every row is shown: this sort is the full order too; otherwise the next filter change builds it
        sortedAll = copy.size() == rows.size() ? new java.util.ArrayList<>(copy) : null;
        bulk.accept(() -> visible.setAll(copy));
    }

    public StringProperty searchProperty() { return search; }
    public ObjectProperty<String> teamProperty() { return team; }
    public ObjectProperty<String> priorityProperty() { return priority; }
    public ObjectProperty<String> statusProperty() { return status; }
    public ObjectProperty<java.util.Set<Long>> groupProperty() { return group; }

    /** Shows a ticket together with its probable duplicates; {@link #clearFilters()} ends it. */
    public void showGroup(java.util.Collection<Long> ids) {
        group.set(ids == null || ids.isEmpty() ? null : java.util.Set.copyOf(ids));
    }
    public ObservableList<String> teamChoices() { return teamChoices; }
    public ObservableList<String> priorityChoices() { return priorityChoices; }
    public ReadOnlyIntegerProperty openCountProperty() { return openCount.getReadOnlyProperty(); }

    public static ObservableList<String> statusChoices() {
        return FXCollections.observableArrayList(STATUS_OPEN, STATUS_ALL, "NEW", "TRIAGED", "ASSIGNED",
                "TRANSFERRED", "SNOOZED", "RESOLVED", "CLOSED");
    }

    // ------------------------------------------------------------ Commands

    /** Adds new rows and replaces changed ones (by id). */
    public void upsert(Collection<QueueRow> changed) {
        int open = openCount.get();
        for (QueueRow r : changed) {
            Integer i = indexById.get(r.id());
            if (i == null) {
                indexById.put(r.id(), rows.size());
                rows.add(r);
                if (isOpen(r.status())) open++;
                sortedInsert(r);
            } else {
                QueueRow old = rows.get(i);
                if (old.equals(r)) continue;
                if (isOpen(old.status())) open--;
                if (isOpen(r.status())) open++;
                rows.set(i, r);
                sortedRemove(old);
                sortedInsert(r);
                if (replaceInPlace(r)) {
                    noteChoices(r);
                    continue;
                }
                removeVisible(r.id());
            }
            if (predicate.test(r)) insertVisible(r);
            noteChoices(r);
        }
        openCount.set(open);
        total.set(rows.size());
    }

    /**
     * Replaces a visible row where it stands when it still passes the filter and keeps its sort
     * position: the table keeps its selection and scroll position through live updates.
     */
    private boolean replaceInPlace(QueueRow r) {
        if (!predicate.test(r)) return false;
        for (int i = 0; i < visible.size(); i++) {
            if (visible.get(i).id() != r.id()) continue;
            boolean afterPrev = i == 0 || comparator.compare(visible.get(i - 1), r) <= 0;
            boolean beforeNext = i == visible.size() - 1 || comparator.compare(r, visible.get(i + 1)) <= 0;
            if (!afterPrev || !beforeNext) return false;
            visible.set(i, r);
            return true;
        }
        return false;
    }

    private void removeVisible(long id) {
        for (int i = 0; i < visible.size(); i++) {
            if (visible.get(i).id() == id) {
                visible.remove(i);
                return;
            }
        }
    }

    private void insertVisible(QueueRow r) {
        int pos = java.util.Collections.binarySearch(visible, r, comparator);
        visible.add(pos < 0 ? -pos - 1 : pos, r);
    }

    private void sortedInsert(QueueRow r) {
        if (sortedAll == null) return;
        int pos = java.util.Collections.binarySearch(sortedAll, r, comparator);
        sortedAll.add(pos < 0 ? -pos - 1 : pos, r);
    }

    private void sortedRemove(QueueRow old) {
        if (sortedAll == null) return;
        int pos = java.util.Collections.binarySearch(sortedAll, old, comparator);
        if (pos >= 0 && sortedAll.get(pos).id() == old.id()) sortedAll.remove(pos);
        else sortedAll = null; // not where the order says: rebuild on the next filter change
    }

    /** Replaces everything (initial load). */
    public void setAll(Collection<QueueRow> all) {
        sortedAll = null;
        indexById.clear();
        rows.clear();
        int i = 0;
        int open = 0;
        for (QueueRow r : all) {
            indexById.put(r.id(), i++);
            if (isOpen(r.status())) open++;
            noteChoices(r);
        }
        rows.addAll(all);
        openCount.set(open);
        total.set(rows.size());
        refilter();
    }

    public QueueRow byId(long id) {
        Integer i = indexById.get(id);
        return i == null ? null : rows.get(i);
    }

    public void clearFilters() {
        group.set(null);
        search.set("");
        team.set(ANY);
        priority.set(ANY);
        status.set(STATUS_OPEN);
    }

    /** Makes the given teams and priorities selectable even before a ticket carries them. */
    public void addChoices(Collection<String> teams, Collection<String> priorities) {
        boolean t = knownTeams.addAll(teams);
        boolean p = knownPriorities.addAll(priorities);
        if (t) insertNew(teamChoices, knownTeams);
        if (p) insertNew(priorityChoices, knownPriorities);
    }

    private void noteChoices(QueueRow r) {
        if (r.team() != null && knownTeams.add(r.team())) insertNew(teamChoices, knownTeams);
        if (r.suggestedTeam() != null && knownTeams.add(r.suggestedTeam())) insertNew(teamChoices, knownTeams);
        if (r.priority() != null && knownPriorities.add(r.priority())) insertNew(priorityChoices, knownPriorities);
    }

    /**
     * Brings the choices ("Any", then {@code known} in order) up to date by inserting what is new in place:
     * replacing the list would take the chosen value out of it for a moment, and the filter box would
     * show nothing (though still filtering) from then on.
     */
    private static void insertNew(javafx.collections.ObservableList<String> choices, Set<String> known) {
        int i = 1; // after ANY
        for (String k : known) {
            if (i >= choices.size() || !choices.get(i).equals(k)) choices.add(i, k);
            i++;
        }
    }

    public static boolean isOpen(String status) {
        return !"RESOLVED".equals(status) && !"CLOSED".equals(status);
    }

    /**
     * Brings back the tickets whose snooze ended since the last call (the view calls it with its age
     * ticker); returns how many woke up.
     */
    public int wakeSnoozed() {
        Instant now = clock.instant();
        Instant since = lastWakeCheck;
        lastWakeCheck = now;
        int woke = 0;
        for (QueueRow r : rows) {
            if ("SNOOZED".equals(r.status()) && r.snoozedUntil() != null
                    && r.snoozedUntil().isAfter(since) && !r.snoozedUntil().isAfter(now)) woke++;
        }
        if (woke > 0) refilter();
        return woke;
    }

    private void refilter() {
        predicate = predicate();
        if (sortedAll == null) {
            sortedAll = new java.util.ArrayList<>(rows);
            sortedAll.sort(comparator);
        }
        java.util.ArrayList<QueueRow> out = new java.util.ArrayList<>();
        for (QueueRow r : sortedAll) if (predicate.test(r)) out.add(r);
        bulk.accept(() -> visible.setAll(out));
    }

    Predicate<QueueRow> predicate() {
        String q = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        String t = team.get();
        String p = priority.get();
        String s = status.get();
        java.util.Set<Long> only = group.get();
        if (only != null) return r -> only.contains(r.id());
        return r -> {
            if (s != null && !STATUS_ALL.equals(s)) {
                if (STATUS_OPEN.equals(s) ? !isOpen(r.status()) : !s.equals(r.status())) return false;
                // snoozed: out of the open queue until the snooze is over (Status › Snoozed shows it)
                if (STATUS_OPEN.equals(s) && r.snoozedAt(clock.instant())) return false;
            }
            if (t != null && !ANY.equals(t) && !t.equals(effectiveTeam(r))) return false;
            if (p != null && !ANY.equals(p) && !p.equals(effectivePriority(r))) return false;
            if (!q.isEmpty()) {
                return contains(r.subject(), q) || contains(r.requester(), q) || contains(r.externalId(), q)
                        || contains(effectiveTeam(r), q) || Objects.toString(r.id()).equals(q.replace("#", ""));
            }
            return true;
        };
    }

    /** The team a row is (or would be) with: the current team, else the suggestion. */
    public static String effectiveTeam(QueueRow r) {
        return r.team() != null ? r.team() : r.suggestedTeam();
    }

    public static String effectivePriority(QueueRow r) {
        return r.priority() != null ? r.priority() : r.suggestedPriority();
    }

    private static boolean contains(String field, String q) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(q);
    }
}
