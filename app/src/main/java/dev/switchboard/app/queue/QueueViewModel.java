package dev.switchboard.app.queue;

import dev.switchboard.persistence.store.QueueRow;
import java.util.Collection;
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
import javafx.collections.transformation.FilteredList;

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
    private final ObservableList<QueueRow> rows = FXCollections.observableArrayList();
    private final FilteredList<QueueRow> visible = new FilteredList<>(rows, r -> true);
    private final Map<Long, Integer> indexById = new HashMap<>();
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final ObjectProperty<String> team = new SimpleObjectProperty<>(this, "team", ANY);
    private final ObjectProperty<String> priority = new SimpleObjectProperty<>(this, "priority", ANY);
    private final ObjectProperty<String> status = new SimpleObjectProperty<>(this, "status", STATUS_OPEN);
    private final ObservableList<String> teamChoices = FXCollections.observableArrayList(ANY);
    private final ObservableList<String> priorityChoices = FXCollections.observableArrayList(ANY);
    private final ReadOnlyIntegerWrapper openCount = new ReadOnlyIntegerWrapper(this, "openCount");
    private final Set<String> knownTeams = new TreeSet<>();
    private final Set<String> knownPriorities = new TreeSet<>();

    public QueueViewModel() {
        search.addListener((o, a, b) -> refilter());
        team.addListener((o, a, b) -> refilter());
        priority.addListener((o, a, b) -> refilter());
        status.addListener((o, a, b) -> refilter());
    }

    public ObservableList<QueueRow> allRows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    /** The filtered rows; the view wraps them in a SortedList bound to the table's sort order. */
    public FilteredList<QueueRow> visibleRows() {
        return visible;
    }

    public StringProperty searchProperty() { return search; }
    public ObjectProperty<String> teamProperty() { return team; }
    public ObjectProperty<String> priorityProperty() { return priority; }
    public ObjectProperty<String> statusProperty() { return status; }
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
            } else {
                QueueRow old = rows.get(i);
                if (old.equals(r)) continue;
                if (isOpen(old.status())) open--;
                if (isOpen(r.status())) open++;
                rows.set(i, r);
            }
            noteChoices(r);
        }
        openCount.set(open);
    }

    /** Replaces everything (initial load). */
    public void setAll(Collection<QueueRow> all) {
        indexById.clear();
        rows.clear();
        openCount.set(0);
        int i = 0;
        int open = 0;
        for (QueueRow r : all) {
            indexById.put(r.id(), i++);
            if (isOpen(r.status())) open++;
            noteChoices(r);
        }
        rows.setAll(all);
        openCount.set(open);
    }

    public QueueRow byId(long id) {
        Integer i = indexById.get(id);
        return i == null ? null : rows.get(i);
    }

    public void clearFilters() {
        search.set("");
        team.set(ANY);
        priority.set(ANY);
        status.set(STATUS_OPEN);
    }

    /** Makes the given teams and priorities selectable even before a ticket carries them. */
    public void addChoices(Collection<String> teams, Collection<String> priorities) {
        boolean t = knownTeams.addAll(teams);
        boolean p = knownPriorities.addAll(priorities);
        if (t) teamChoices.setAll(withAny(knownTeams));
        if (p) priorityChoices.setAll(withAny(knownPriorities));
    }

    private void noteChoices(QueueRow r) {
        if (r.team() != null && knownTeams.add(r.team())) teamChoices.setAll(withAny(knownTeams));
        if (r.suggestedTeam() != null && knownTeams.add(r.suggestedTeam())) teamChoices.setAll(withAny(knownTeams));
        if (r.priority() != null && knownPriorities.add(r.priority())) priorityChoices.setAll(withAny(knownPriorities));
    }

    private static java.util.List<String> withAny(Set<String> s) {
        var l = new java.util.ArrayList<String>(s.size() + 1);
        l.add(ANY);
        l.addAll(s);
        return l;
    }

    public static boolean isOpen(String status) {
        return !"RESOLVED".equals(status) && !"CLOSED".equals(status);
    }

    private void refilter() {
        visible.setPredicate(predicate());
    }

    Predicate<QueueRow> predicate() {
        String q = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        String t = team.get();
        String p = priority.get();
        String s = status.get();
        return r -> {
            if (s != null && !STATUS_ALL.equals(s)) {
                if (STATUS_OPEN.equals(s) ? !isOpen(r.status()) : !s.equals(r.status())) return false;
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
