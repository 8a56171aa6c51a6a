package dev.switchboard.app.importer;

import dev.switchboard.inference.data.TableReader;
import dev.switchboard.persistence.entity.Ticket;
import dev.switchboard.persistence.store.ImportBatchResult;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TaxonomyRow;
import dev.switchboard.persistence.store.TicketStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Imports tickets from a CSV or JSON Lines file into the store, streaming, in batches.
 *
 * <ul>
 *   <li>Rows with a team are labelled history (decided); rows without one wait for triage.</li>
 *   <li>Re-importing the same file adds nothing: the external id is the id column's value, or else
 *       {@code sha256:<hash of subject, body, requester>[@<hash of the created value as written>]#<n>} where n counts that same
 *       content (and creation time) within the file, so genuinely repeated rows are kept as separate tickets,
 *       and so is the same text created at another time in another file (a recurring alert).</li>
 *   <li>Rows that cannot be stored are rejected with "file:line: problem"; good rows are imported.
 *       A subject or body over the store's limit is cut to it with a warning naming file and line.</li>
 *   <li>Unknown mapped columns fail before anything is imported ({@link ImportException}).</li>
 *   <li>{@link #run} returns only after the last batch is committed; cancelling stops between batches
 *       and keeps what was committed.</li>
 * </ul>
 * Call it on a background thread; it blocks for the length of the import.
 */
public final class TicketImporter {

    public static final String SOURCE = "import";
    public static final int DEFAULT_BATCH = 500;
    /** Batches handed to the writer but not yet committed; reading stays at most this far ahead. */
    private static final int MAX_IN_FLIGHT = 2;

    private final TicketStore store;
    private int batchSize = DEFAULT_BATCH;
    private ZoneId zone = ZoneId.systemDefault();
    private String actor = "import";

    public TicketImporter(TicketStore store) {
        this.store = store;
    }

    public TicketImporter batchSize(int n) {
        if (n < 1) throw new IllegalArgumentException("batch size must be positive");
        this.batchSize = n;
        return this;
    }

    /** Zone for created times without an offset (default: the system's). */
    public TicketImporter zone(ZoneId zone) {
        this.zone = zone;
        return this;
    }

    /** Who the IMPORTED decisions of labelled rows are recorded for (default "import"). */
    public TicketImporter actor(String actor) {
        this.actor = actor;
        return this;
    }

    /**
     * Column names of a file: the CSV header, or the keys of the first JSON Lines objects.
     *
     * @throws ImportException when the file is missing, unreadable or has no columns
     */
    public static List<String> columns(Path file) throws ImportException {
        checkFile(file);
        try {
            Set<String> cols = new LinkedHashSet<>(TableReader.columns(file));
            if (TableReader.detect(file) == TableReader.Format.JSONL) {
                for (TableReader.Row r : TableReader.preview(file, 200)) cols.addAll(r.values().keySet());
            }
            if (cols.isEmpty() || cols.stream().allMatch(String::isBlank)) {
                // the reader says why when it can: a JSON array (a .json file the file chooser offers) was reported
                // as "is the file empty, or missing its header row?"
                String[] why = new String[1];
                TableReader.read(file, new TableReader.Handler() {
                    @Override public boolean row(TableReader.Row row) {
                        return false;
                    }
                    @Override public void problem(TableReader.Problem p) {
                        if (why[0] == null) why[0] = p.message();
                    }
                });
                throw new ImportException(file + ": no columns found (" + (why[0] != null ? why[0]
                        : "is the file empty, or missing its header row?") + ")");
            }
            return List.copyOf(cols);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void checkFile(Path file) throws ImportException {
        if (!Files.exists(file)) throw new ImportException(file + ": no such file");
        if (!Files.isRegularFile(file)) throw new ImportException(file + ": not a regular file");
        if (!Files.isReadable(file)) throw new ImportException(file + ": not readable");
    }

    /** Columns an unknown-column message names at most. */
    static final int MAX_COLUMNS_NAMED = 40;

    /**
     * "'a', 'b', 'c'" for a message: at most {@link #MAX_COLUMNS_NAMED} names of at most 80 characters, then
     * "and 7,960 more", so a file with thousands of columns (a wide spreadsheet, a mis-split header) does not
     * make the message thousands of names long.
     */
    public static String nameColumns(List<String> columns) {
        List<String> shown = columns.stream().limit(MAX_COLUMNS_NAMED).map(c -> "'" + TicketFields.cut(c, 80) + "'").toList();
        String more = columns.size() > MAX_COLUMNS_NAMED
                ? String.format(Locale.ROOT, " and %,d more (--columns lists them all)", columns.size() - MAX_COLUMNS_NAMED) : "";
        return String.join(", ", shown) + more;
    }

    /** Maps the mapping's column names onto the file's (exact, else ignoring case and surrounding blanks). */
    static ColumnMapping resolve(Path file, ColumnMapping mapping, List<String> columns) throws ImportException {
        Map<String, String> byLower = new HashMap<>();
        for (String c : columns) byLower.putIfAbsent(c.strip().toLowerCase(Locale.ROOT), c);
        List<String> missing = new ArrayList<>();
        for (var e : mapping.mapped().entrySet()) {
            String col = e.getValue();
            if (!columns.contains(col) && !byLower.containsKey(col.strip().toLowerCase(Locale.ROOT))) {
                missing.add("'" + col + "' (for " + e.getKey().replaceAll("#\\d+", "") + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new ImportException(file.getFileName() + ": no column " + String.join(", ", missing)
                    + ". Available columns: " + nameColumns(columns));
        }
        return mapping.resolve(c -> columns.contains(c) ? c : byLower.get(c.strip().toLowerCase(Locale.ROOT)));
    }

    public ImportReport run(Path file, ColumnMapping mapping, ImportListener listener) throws ImportException {
        long t0 = System.nanoTime();
        ImportListener l = listener == null ? ImportListener.NONE : listener;
        List<String> columns = columns(file);
        ColumnMapping m = resolve(file, mapping, columns);
        long totalBytes;
        try {
            totalBytes = Files.size(file);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot read: " + e.getMessage(), e);
        }
        Set<String> knownPriorities = new HashSet<>();
        for (TaxonomyRow p : store.priorities()) knownPriorities.add(p.name());
        Run run = new Run(file, m, l, totalBytes, knownPriorities);
        TableReader.Summary summary = null;
        try {
            summary = TableReader.read(file, run, run.bytes);
            if (run.failure == null && !run.stopped) run.flush(true);
        } catch (IOException e) {
            run.failure = "reading stopped: " + e.getMessage();
        } catch (RuntimeException e) {
            run.failure = "import failed: " + e.getMessage();
        } finally {
            run.drainAll();
        }
        boolean readAll = summary != null && summary.complete() && !run.stopped;
        if (summary != null && !summary.complete() && !run.stopped && run.failure == null) {
            run.failure = run.lastReaderProblem != null ? run.lastReaderProblem : "the file could not be read to its end";
        }
        boolean complete = readAll && run.failure == null && !run.cancelled;
        if (run.controlRows > 0) {
            run.warn(String.format(Locale.ROOT, "%s: removed %,d control character(s) (binary data or garbled encoding) from %,d row(s), e.g. line(s) %s",
                    run.name, run.controlChars, run.controlRows,
                    String.join(", ", run.controlLines.stream().map(String::valueOf).toList())));
        }
        if (!run.definedPriorities.isEmpty()) {
            run.warn(run.name + ": the workspace had no priority levels; defined " + String.join(", ", store.priorities().stream()
                    .map(TaxonomyRow::name).filter(run.definedPriorities::contains).toList())
                    + " from the decided rows (ranked by the number in the name, else as first seen)");
        }
        if (run.openPriorityRows > 0) {
            run.warn(String.format(Locale.ROOT, "%s: %,d row(s) without a team have a priority (first on line %d); it is not stored: "
                            + "a priority is kept only with a team (decided history), an open ticket's is suggested and set in triage",
                    run.name, run.openPriorityRows, run.openPriorityLine));
        }
        if (run.cancelled) {
            run.warn("import cancelled after " + run.saved() + " row(s); tickets committed before cancelling were kept");
        } else if (!complete && run.failure != null) {
            run.problem(run.failure + (run.created + run.already > 0
                    ? " (the " + (run.created + run.already) + " row(s) committed before that were kept)" : ""));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        l.progress(new ImportListener.Progress(run.rowsSeen(), run.saved(), run.bytes.get(), totalBytes,
                complete ? "done" : run.cancelled ? "cancelled" : "stopped"));
        return new ImportReport(file, run.rowsSeen(), run.created, run.decided, run.already, run.rejected, run.bodiesCut, List.copyOf(run.problems),
                run.warningCount, List.copyOf(run.warnings), run.cancelled, complete, run.failure, elapsed);
    }

    /** Longest priority level name (the column holds 20 characters). */
    static final int MAX_PRIORITY_NAME = 20;
    /** At most this many levels are defined from one file: more distinct values mean the column is not a priority. */
    static final int MAX_DEFINED_PRIORITIES = 10;

    /** State of one import; also the reader's row handler. */
    private final class Run implements TableReader.Handler {
        final Path file;
        final String name;
        final ColumnMapping m;
        final ImportListener listener;
        final long totalBytes;
        final Set<String> knownPriorities;
        final Set<String> warnedPriorities = new HashSet<>();
        final AtomicLong bytes = new AtomicLong();
        final Map<String, Integer> occurrences = new HashMap<>();
        /** Per content hash alone, as builds before the created value counted (legacy ids). */
        final Map<String, Integer> legacyOccurrences = new HashMap<>();
        final Deque<CompletableFuture<ImportBatchResult>> inFlight = new ArrayDeque<>();
        final List<String> problems = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        List<NewTicket> batch = new ArrayList<>();
        long rowsRead;
        /** Rows the reader rejected (a problem with a line): never handed over, counted in {@link #rejected}. */
        long readerRejected;
        long rejected;
        long bodiesCut;
        long created;
        long decided;
        long already;
        long warningCount;
        long controlRows;
        long controlChars;
        long openPriorityRows;
        long openPriorityLine;
        /** A workspace without priority levels takes them from the decided rows of the file ({@link #define}). */
        final boolean definesPriorities;
        final List<String> definedPriorities = new ArrayList<>();
        final List<Long> controlLines = new ArrayList<>();
        int batches;
        boolean stopped;
        boolean cancelled;
        String failure;
        String lastReaderProblem;

        Run(Path file, ColumnMapping m, ImportListener listener, long totalBytes, Set<String> knownPriorities) {
            this.file = file;
            this.name = file.getFileName().toString();
            this.m = m;
            this.listener = listener;
            this.totalBytes = totalBytes;
            this.knownPriorities = knownPriorities;
            this.definesPriorities = knownPriorities.isEmpty() && m.priority() != null;
        }

        /**
         * Defines {@code priority} as a level (a workspace without any takes them from the history it imports, as
         * it takes its teams), ranked by the number in its name ("P1", "2 - High", "Sev 3"), else after those in
         * the order first seen. False (the caller warns as for an unknown level) for a value too long for a level
         * name or beyond {@link #MAX_DEFINED_PRIORITIES} of them: a mapped column that is no priority column.
         */
        boolean define(String priority) {
            if (priority.length() > MAX_PRIORITY_NAME || definedPriorities.size() >= MAX_DEFINED_PRIORITIES) return false;
            java.util.regex.Matcher digits = java.util.regex.Pattern.compile("\\d{1,6}").matcher(priority);
            int seen = definedPriorities.size();
            int rank = digits.find() ? Integer.parseInt(digits.group()) * 100 + seen : 100_000_000 + seen;
            store.saveTaxonomy(List.of(), List.of(new TaxonomyRow(priority, "", rank))).join();
            knownPriorities.add(priority);
            definedPriorities.add(priority);
            return true;
        }

        long saved() {
            return created + already;
        }

        /**
         * Rows read, as the summary counts them: those handed over whole ({@link #rowsRead}) and those the reader
         * rejected (over-long, broken quoting, wrong number of fields, invalid JSON), so read = new + already present
         * + rejected. The reader's rejections were left out: "0 new, 2 rejected, from 3 row(s)" for five rows.
         */
        long rowsSeen() {
            return rowsRead + readerRejected;
        }

        void problem(String msg) {
            if (problems.size() < ImportReport.MAX_LISTED) problems.add(msg);
        }

        void warn(String msg) {
            warningCount++;
            if (warnings.size() < ImportReport.MAX_LISTED) warnings.add(msg);
        }

        void reject(long line, String msg) {
            rejected++;
            problem(name + ":" + line + ": " + msg);
        }

        @Override
        public void problem(TableReader.Problem p) {
            if (p.line() <= 0) {
                warn(name + ": " + p.message());
                lastReaderProblem = name + ": " + p.message();
            } else {
                readerRejected++;
                reject(p.line(), p.message());
                lastReaderProblem = name + ":" + p.line() + ": " + p.message();
            }
        }

        @Override
        public boolean row(TableReader.Row row) {
            rowsRead++;
            NewTicket t = toTicket(row);
            if (t != null) batch.add(t);
            if (batch.size() >= batchSize && !flush(false)) {
                stopped = true;
                return false;
            }
            if (rowsRead % 100 == 0) {
                listener.progress(new ImportListener.Progress(rowsRead, saved(), bytes.get(), totalBytes, "reading"));
            }
            return true;
        }

        private NewTicket toTicket(TableReader.Row row) {
            long line = row.line();
            int removed = 0;
            TicketFields.Cleaned subj = TicketFields.clean(m.subject() == null ? "" : row.get(m.subject()));
            removed += subj.removed();
            String subject = subj.value().strip();
            StringBuilder body = new StringBuilder();
            for (String col : m.body()) {
                TicketFields.Cleaned c = TicketFields.clean(row.get(col));
                removed += c.removed();
                String v = c.value().strip();
                if (v.isEmpty()) continue;
                if (!body.isEmpty()) body.append("\n\n");
                body.append(v);
            }
            String bodyText = body.toString();
            if (subject.isEmpty() && bodyText.isEmpty()) {
                reject(line, "subject and body are both empty");
                return null;
            }
            if (bodyText.length() > Ticket.MAX_BODY) {
                warn(name + ":" + line + ": " + TicketFields.bodyCutNote(bodyText.length()));
                bodiesCut++;
                bodyText = TicketFields.fitBody(bodyText);
            }
            if (subject.isEmpty()) subject = TicketFields.subjectFromBody(bodyText);
            if (subject.length() > Ticket.MAX_SUBJECT) {
                warn(name + ":" + line + ": subject cut from " + subject.length() + " to " + Ticket.MAX_SUBJECT + " characters");
                subject = TicketFields.cut(subject, Ticket.MAX_SUBJECT);
            }
            String requester = null;
            if (m.requester() != null) {
                TicketFields.Cleaned r = TicketFields.clean(row.get(m.requester()));
                removed += r.removed();
                requester = r.value().strip();
                if (requester.isEmpty()) requester = null;
                else if (requester.length() > TicketFields.MAX_REQUESTER) {
                    warn(name + ":" + line + ": requester cut to " + TicketFields.MAX_REQUESTER + " characters");
                    requester = TicketFields.cut(requester, TicketFields.MAX_REQUESTER);
                }
            }
            // Shown on one line without bidi overrides; the id below still hashes the values as before, so a
            // file an earlier build imported is recognised.
            TicketFields.Cleaned shownSubject = TicketFields.line(subject);
            removed += shownSubject.removed();
            String subjectShown = shownSubject.value().strip();
            if (subjectShown.isEmpty()) subjectShown = TicketFields.line(TicketFields.subjectFromBody(bodyText)).value().strip();
            if (subjectShown.isEmpty()) {
                reject(line, "subject and body are both empty (once control characters are removed)");
                return null;
            }
            String requesterShown = null;
            if (requester != null) {
                TicketFields.Cleaned r = TicketFields.line(requester);
                removed += r.removed();
                requesterShown = r.value().strip();
                if (requesterShown.isEmpty()) requesterShown = null;
            }
            Instant createdAt = null;
            if (m.created() != null) {
                try {
                    createdAt = TicketFields.parseCreated(row.get(m.created()), zone);
                } catch (IllegalArgumentException e) {
                    reject(line, e.getMessage());
                    return null;
                }
            }
            String team = m.team() == null ? null : blankToNull(TicketFields.label(row.get(m.team())));
            if (team != null && team.length() > TicketFields.MAX_TEAM) {
                reject(line, "team name is " + team.length() + " characters; the limit is " + TicketFields.MAX_TEAM
                        + " (is the team column mapped right?)");
                return null;
            }
            String priority = m.priority() == null ? null : blankToNull(TicketFields.label(row.get(m.priority())));
            if (priority != null && team == null) {
                // an open ticket's priority is suggested and set by a dispatcher: the store keeps a priority only with
                // a team (decided history), as the intake does; say so instead of dropping it without a word
                if (openPriorityRows++ == 0) openPriorityLine = line;
            } else if (priority != null && !knownPriorities.contains(priority) && definesPriorities && define(priority)) {
                // defined from the file: the workspace had no priority levels (no other way to get them outside the sample)
            } else if (priority != null && !knownPriorities.contains(priority) && warnedPriorities.add(priority)) {
                warn(name + ":" + line + ": priority '" + priority + "' is not a defined priority level ("
                        + (knownPriorities.isEmpty() ? "none defined yet" : String.join(", ", knownPriorities.stream().sorted().toList()))
                        + "); tickets with it are stored without a priority");
            }
            if (removed > 0) {
                controlRows++;
                controlChars += removed;
                if (controlLines.size() < 5) controlLines.add(line);
            }
            String externalId = m.id() == null ? null : TicketFields.externalId(TicketFields.clean(row.get(m.id())).value());
            if (externalId == null) {
                // Without an id column a ticket is known by its content and, when the file has one, its creation
                // time: the same alert recurring in next month's export is another ticket, the same row imported
                // again is not. Identical rows within one file are told apart by their number.
                String hash = TicketStore.contentHash(subject, bodyText, requester);
                // the created value as written (not as parsed: a time without a zone would read differently on a
                // machine in another zone, and the same file would then be imported twice)
                String key = createdAt == null ? hash
                        : hash + "@" + TicketStore.contentHash(TicketFields.clean(row.get(m.created())).value().strip(), "", "").substring(0, 16);
                int n = occurrences.merge(key, 1, Integer::sum);
                externalId = "sha256:" + key + "#" + n;
                if (createdAt != null) {
                    // the id builds before this one gave the row (content only): a file imported by one of them is
                    // not imported a second time (the store matches it with the same creation time)
                    int legacyN = legacyOccurrences.merge(hash, 1, Integer::sum);
                    return new NewTicket(SOURCE, externalId, subjectShown, bodyText, requesterShown, createdAt, team, priority,
                            "sha256:" + hash + "#" + legacyN);
                }
            }
            return new NewTicket(SOURCE, externalId, subjectShown, bodyText, requesterShown, createdAt, team, priority);
        }

        /** Hands the current batch to the writer; false when the import must stop (cancelled or failed). */
        boolean flush(boolean last) {
            if (failure != null) return false;
            if (listener.isCancelled()) {
                cancelled = true;
                batch = new ArrayList<>();
                return false;
            }
            if (!batch.isEmpty()) {
                batches++;
                inFlight.add(store.saveTickets(batch, actor));
                batch = new ArrayList<>();
                listener.progress(new ImportListener.Progress(rowsRead, saved(), bytes.get(), totalBytes,
                        "saving batch " + batches));
            }
            while (inFlight.size() > (last ? 0 : MAX_IN_FLIGHT - 1)) {
                if (!awaitOldest()) return false;
            }
            return true;
        }

        /** Waits for the oldest batch in flight; false (and {@code failure} set) if it failed. */
        boolean awaitOldest() {
            CompletableFuture<ImportBatchResult> f = inFlight.poll();
            if (f == null) return true;
            try {
                ImportBatchResult r = f.join();
                created += r.createdIds().size();
                decided += r.decidedIds().size();
                already += r.alreadyPresent();
                listener.progress(new ImportListener.Progress(rowsRead, saved(), bytes.get(), totalBytes, "saved " + saved()));
                return true;
            } catch (RuntimeException e) {
                if (failure == null) failure = "saving to the database failed: " + rootMessage(e);
                return false;
            }
        }

        /** Waits for every batch still in flight (after a stop, too: committed work is counted). */
        void drainAll() {
            while (!inFlight.isEmpty()) awaitOldest();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }

    private static String blankToNull(String s) {
        String v = s == null ? "" : s.strip();
        return v.isEmpty() ? null : v;
    }
}
