package dev.switchboard.app.importer;

import dev.switchboard.app.Services;
import dev.switchboard.app.settings.Settings;
import dev.switchboard.app.triage.TriageService;
import dev.switchboard.app.ui.Background;
import dev.switchboard.inference.data.TableReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * View model of the import dialog: the file's columns, the mapping (guessed from the column names or
 * remembered for the same set of columns), a preview of the first rows as they would be imported, and
 * the import itself on a background thread with progress and cancel. All properties change on the FX
 * thread.
 */
public final class ImportDialogModel {

    public enum State { LOADING, MAPPING, RUNNING, DONE, FAILED }

    /** Ticket fields the dialog maps, in display order. */
    public enum Field {
        SUBJECT("Subject", "subject", "short description", "summary", "title"),
        BODY("Body", "body", "description", "details", "text"),
        ID("Id", "id", "key", "number"),
        REQUESTER("Requester", "caller", "requester", "reporter", "email"),
        CREATED("Created", "created", "opened", "date"),
        TEAM("Team", "team", "group", "assignment group", "queue"),
        PRIORITY("Priority", "priority", "urgency", "severity");

        final String label;
        final List<String> keywords;

        Field(String label, String... keywords) {
            this.label = label;
            this.keywords = List.of(keywords);
        }

        public String label() {
            return label;
        }
    }

    /** One preview row after mapping. */
    public record PreviewRow(long line, String subject, String body, String team, String priority) {}

    static final int PREVIEW_ROWS = 10;

    private final Path file;
    private final Services services;
    private final Background background;
    private final AtomicBoolean cancel = new AtomicBoolean();

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.LOADING);
    private final ObservableList<String> columns = FXCollections.observableArrayList();
    private final Map<Field, ObjectProperty<String>> single = new LinkedHashMap<>();
    private final ObservableList<String> body = FXCollections.observableArrayList();
    private final ObservableList<PreviewRow> preview = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper validation = new ReadOnlyStringWrapper(this, "validation", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper counts = new ReadOnlyStringWrapper(this, "counts", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyStringWrapper details = new ReadOnlyStringWrapper(this, "details", "");
    private List<TableReader.Row> sample = List.of();
    private ImportReport report;

    ImportDialogModel(Path file, Services services, Background background) {
        this.file = file;
        this.services = services;
        this.background = background;
        for (Field f : Field.values()) {
            if (f != Field.BODY) {
                SimpleObjectProperty<String> p = new SimpleObjectProperty<>(this, f.name());
                p.addListener((o, a, b) -> refresh());
                single.put(f, p);
            }
        }
        body.addListener((javafx.collections.ListChangeListener<String>) c -> refresh());
    }

    // ---------------------------------------------------------------- properties

    public Path file() {
        return file;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ObservableList<String> columns() {
        return columns;
    }

    /** The column chosen for a single-column field (null = not mapped). */
    public ObjectProperty<String> column(Field f) {
        if (f == Field.BODY) throw new IllegalArgumentException("body maps to several columns: use body()");
        return single.get(f);
    }

    /** Body columns, joined with a blank line in this order. */
    public ObservableList<String> body() {
        return body;
    }

    public ObservableList<PreviewRow> preview() {
        return preview;
    }

    /** Why the import cannot start, or "" when it can. */
    public ReadOnlyStringProperty validationProperty() {
        return validation.getReadOnlyProperty();
    }

    /** 0..1 by bytes while running. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "Rows read: n · saved: m" while running. */
    public ReadOnlyStringProperty countsProperty() {
        return counts.getReadOnlyProperty();
    }

    /** One line at the end: what happened. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Problems and warnings at the end. */
    public ReadOnlyStringProperty detailsProperty() {
        return details.getReadOnlyProperty();
    }

    public ImportReport report() {
        return report;
    }

    // ---------------------------------------------------------------- commands

    /** Reads the columns and the preview rows in the background, then guesses or restores the mapping. */
    void load() {
        state.set(State.LOADING);
        background.run(null, () -> new Loaded(TicketImporter.columns(file), TableReader.preview(file, PREVIEW_ROWS)), l -> {
            columns.setAll(l.columns);
            sample = l.rows;
            Map<Field, List<String>> m = remembered(l.columns);
            if (m == null) m = guess(l.columns);
            apply(m);
            state.set(State.MAPPING);
            refresh();
        }, e -> fail(e));
    }

    private record Loaded(List<String> columns, List<TableReader.Row> rows) {}

    private void apply(Map<Field, List<String>> m) {
        for (var e : single.entrySet()) {
            List<String> v = m.getOrDefault(e.getKey(), List.of());
            e.getValue().set(v.isEmpty() ? null : v.get(0));
        }
        body.setAll(m.getOrDefault(Field.BODY, List.of()));
    }

    /** The mapping as chosen; null when it is not valid (see {@link #validationProperty()}). */
    public ColumnMapping mapping() {
        try {
            return new ColumnMapping(single.get(Field.SUBJECT).get(), List.copyOf(body), single.get(Field.ID).get(),
                    single.get(Field.REQUESTER).get(), single.get(Field.CREATED).get(), single.get(Field.TEAM).get(),
                    single.get(Field.PRIORITY).get());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void refresh() {
        if (state.get() != State.MAPPING && state.get() != State.LOADING) return;
        String subject = single.get(Field.SUBJECT).get();
        if (subject == null && body.isEmpty()) {
            validation.set("Choose the subject column (or at least one body column: the subject is then the body's first line).");
        } else {
            validation.set("");
        }
        List<PreviewRow> rows = new ArrayList<>();
        for (TableReader.Row r : sample) {
            String s = subject == null ? "" : TicketFields.line(glimpse(r.get(subject))).value().strip();
            StringBuilder b = new StringBuilder();
            for (String c : body) {
                String v = TicketFields.clean(glimpse(r.get(c))).value().strip();
                if (v.isEmpty()) continue;
                if (!b.isEmpty()) b.append("\n\n");
                b.append(v);
            }
            if (s.isEmpty() && !b.isEmpty()) s = TicketFields.subjectFromBody(b.toString());
            String team = single.get(Field.TEAM).get() == null ? "" : TicketFields.label(glimpse(r.get(single.get(Field.TEAM).get())));
            String prio = single.get(Field.PRIORITY).get() == null ? "" : TicketFields.label(glimpse(r.get(single.get(Field.PRIORITY).get())));
            rows.add(new PreviewRow(r.line(), s, b.toString(), team, prio));
        }
        preview.setAll(rows);
    }

    /** Most characters of one value the preview shows (a 50 MB cell must not be laid out on the FX thread). */
    static final int PREVIEW_CHARS = 1000;

    /** The start of a value, enough for the preview's one-line cells. */
    static String glimpse(String v) {
        if (v == null || v.length() <= PREVIEW_CHARS) return v;
        int cut = Character.isHighSurrogate(v.charAt(PREVIEW_CHARS - 1)) ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
        return v.substring(0, cut) + " …";
    }

    /** Starts the import in the background; false when the mapping is not valid or it already runs. */
    boolean start() {
        ColumnMapping m = mapping();
        if (state.get() != State.MAPPING || m == null) return false;
        remember(m);
        cancel.set(false);
        state.set(State.RUNNING);
        summary.set("");
        details.set("");
        counts.set("Starting…");
        progress.set(-1);
        ImportListener listener = new ImportListener() {
            @Override public void progress(Progress p) {
                Background.fx(() -> {
                    progress.set(p.fraction());
                    counts.set(String.format(Locale.ROOT, "Rows read: %,d · saved: %,d", p.rowsRead(), p.saved()));
                });
            }

            @Override public boolean isCancelled() {
                return cancel.get();
            }
        };
        background.run("Importing " + file.getFileName() + "…", () -> new TicketImporter(services.workspace().store()).run(file, m, listener),
                this::finished, this::fail);
        return true;
    }

    /** Asks a running import to stop after the current batch. */
    void cancel() {
        if (state.get() == State.RUNNING) {
            cancel.set(true);
            counts.set(counts.get() + " · stopping…");
        }
    }

    boolean isCancelling() {
        return cancel.get();
    }

    private void finished(ImportReport r) {
        report = r;
        long saved = r.created() + r.alreadyPresent();
        progress.set(r.complete() ? 1 : progress.get() < 0 ? 0 : progress.get());
        counts.set(String.format(Locale.ROOT, "Rows read: %,d · saved: %,d", r.rowsRead(), saved));
        String line;
        String nothing = nothingImported(r);
        if (nothing != null) {
            // as `switchboard import` (exit 2): a file without tickets is no success ("Done: 0 new …" read as one)
            line = "Nothing was imported: " + nothing;
        } else if (r.complete()) {
            line = String.format(Locale.ROOT, "Done: %,d new ticket(s), %,d already present, %,d rejected, from %,d row(s) in %.1f s (%,.0f tickets/s).",
                    r.created(), r.alreadyPresent(), r.rejected(), r.rowsRead(), r.elapsed().toNanos() / 1e9, r.ticketsPerSecond());
        } else if (r.cancelled()) {
            line = String.format(Locale.ROOT, "Import stopped; %,d tickets were saved (%,d new, %,d already present, %,d rejected).",
                    saved, r.created(), r.alreadyPresent(), r.rejected());
        } else {
            line = String.format(Locale.ROOT, "Import stopped early (%s); %,d tickets were saved (%,d new, %,d already present, %,d rejected).",
                    r.failure() == null ? "incomplete" : r.failure(), saved, r.created(), r.alreadyPresent(), r.rejected());
        }
        if (r.bodiesCut() > 0) line += " " + r.bodiesCutNote() + " (see the warnings).";
        summary.set(line);
        StringBuilder d = new StringBuilder();
        if (!r.problems().isEmpty()) {
            d.append(r.rejected() > r.problems().size() ? "First problems:" : "Problems:").append('\n');
            r.problems().forEach(p -> d.append("  ").append(p).append('\n'));
        }
        if (r.warningCount() > 0) {
            d.append(String.format(Locale.ROOT, "%,d warning(s)%s:%n", r.warningCount(), r.warningCount() > r.warnings().size() ? ", the first" : ""));
            r.warnings().forEach(w -> d.append("  ").append(w).append('\n'));
        }
        details.set(d.toString().strip());
        if (nothing != null) {
            state.set(State.FAILED);
            background.status(line);
            return;
        }
        state.set(State.DONE);
        background.status(r.summary());
        // New decided history (rows with a team) is what the local model learns from; open tickets only
        // want suggestions, which they get as they arrive: no full retrain for them.
        if (r.decided() > 0) {
            services.triage().retrain().whenComplete((summary, e) -> {
                // progress with total 0: the message, and the progress bar cleared (as after Model › Retrain)
                if (e == null) {
                    background.progress(String.format("Local model retrained on %,d decided tickets after the import", summary.examples()), 0, 0);
                } else if (TriageService.isCancellation(e)) {
                    background.progress(TriageService.TRAINING_CANCELLED, 0, 0);
                } else {
                    background.progress("Retraining after the import failed: " + rootMessage(e), 0, 0);
                }
            });
        }
    }

    /**
     * Why a whole file gave no ticket, or null when some row was saved (new or already present) or the import
     * stopped early (its own message says so): the file had only its header, every row was rejected, or none saved.
     */
    static String nothingImported(ImportReport r) {
        if (!r.complete() || r.created() + r.alreadyPresent() > 0) return null;
        String name = r.file() == null ? "the file" : r.file().getFileName().toString();
        if (r.rowsRead() == 0 && r.rejected() == 0) return name + " has no tickets (no data rows after the header).";
        if (r.rejected() > 0 && r.rejected() >= r.rowsRead()) return "every row of " + name + " was rejected (see the problems below).";
        return "no row of " + name + " was saved.";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private void fail(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof ImportException) && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        boolean before = state.get() != State.RUNNING || t instanceof ImportException;
        summary.set((before ? "Nothing was imported: " : "Import failed: ") + msg);
        details.set("");
        counts.set("");
        progress.set(0);
        state.set(State.FAILED);
    }

    // ---------------------------------------------------------------- guessing and remembering

    /**
     * Guesses the mapping from column names: first exact names (ignoring case, _ and -), then columns
     * whose name contains a keyword as a whole word; each column is used once; the id field goes last
     * because "id" is part of many names (caller_id).
     */
    static Map<Field, List<String>> guess(List<String> columns) {
        Map<Field, List<String>> out = new LinkedHashMap<>();
        List<String> used = new ArrayList<>();
        for (Field f : Field.values()) {
            for (String kw : f.keywords) {
                String c = columns.stream().filter(x -> !used.contains(x) && norm(x).equals(kw)).findFirst().orElse(null);
                if (c != null) {
                    out.put(f, List.of(c));
                    used.add(c);
                    break;
                }
            }
        }
        List<Field> order = new ArrayList<>(List.of(Field.values()));
        order.remove(Field.ID);
        order.add(Field.ID);
        for (Field f : order) {
            if (out.containsKey(f)) continue;
            outer:
            for (String kw : f.keywords) {
                for (String c : columns) {
                    if (used.contains(c)) continue;
                    if ((" " + norm(c) + " ").contains(" " + kw + " ")) {
                        out.put(f, List.of(c));
                        used.add(c);
                        break outer;
                    }
                }
            }
        }
        return out;
    }

    private static String norm(String s) {
        return s.strip().toLowerCase(Locale.ROOT).replaceAll("[_\\-.\\s]+", " ").strip();
    }

    private static String key(List<String> columns) {
        List<String> sorted = columns.stream().map(ImportDialogModel::norm).sorted().toList();
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(String.join("\u0000", sorted).getBytes(StandardCharsets.UTF_8));
            return "import.mapping." + HexFormat.of().formatHex(h, 0, 8) + ".";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The mapping used last time for the same set of columns, if all its columns still exist. */
    private Map<Field, List<String>> remembered(List<String> cols) {
        Settings s = services.settings();
        String k = key(cols);
        if (s.get(k + "saved", null) == null) return null;
        Map<Field, List<String>> m = new LinkedHashMap<>();
        for (Field f : Field.values()) {
            String v = s.get(k + f.name().toLowerCase(Locale.ROOT), "");
            if (v.isEmpty()) continue;
            List<String> list = List.of(v.split("\u001f"));
            if (!cols.containsAll(list)) return null;
            m.put(f, list);
        }
        return m;
    }

    private void remember(ColumnMapping m) {
        Settings s = services.settings();
        String k = key(columns);
        s.set(k + "saved", "true");
        for (Field f : Field.values()) {
            String v = switch (f) {
                case SUBJECT -> m.subject();
                case BODY -> m.body().isEmpty() ? null : String.join("\u001f", m.body());
                case ID -> m.id();
                case REQUESTER -> m.requester();
                case CREATED -> m.created();
                case TEAM -> m.team();
                case PRIORITY -> m.priority();
            };
            s.set(k + f.name().toLowerCase(Locale.ROOT), v);
        }
        background.execute(() -> {
            try {
                s.save();
            } catch (java.io.IOException e) {
                background.status("Could not save the column mapping: " + dev.switchboard.app.cli.CliSupport.message(e));
            }
        });
    }

}
