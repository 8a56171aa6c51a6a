package dev.switchboard.app.settings;

import dev.switchboard.inference.llm.EgressListener;
import dev.switchboard.persistence.db.PrivateFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What left the machine: one entry per LLM request attempt (endpoint, model, prompt size, time,
 * outcome, purpose: triage or duplicate check), never text or keys. Keeps the latest {@link #CAP} in memory for the Settings table, counts
 * all of them, and appends each to {@code egress.csv} in the data directory when a log file is given (a file
 * only the user can read where the file system has POSIX permissions; one left readable by others is made private).
 * {@link #sent} may be called from any thread; the list changes on the FX thread.
 */
public final class EgressLedger implements EgressListener {

    public static final int CAP = 1000;
    public static final String LOG_FILE = "egress.csv";

    /** One request attempt. */
    public record Entry(Instant at, String endpoint, String model, int promptChars, String outcome, String purpose) {}

    static final String HEADER = "time,endpoint,model,prompt_chars,outcome,purpose";

    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final ObservableList<Entry> readOnly = FXCollections.unmodifiableObservableList(entries);
    private final ReadOnlyLongWrapper count = new ReadOnlyLongWrapper(this, "count", 0);
    private final AtomicLong total = new AtomicLong();
    private final Path log;
    private final Object logLock = new Object();

    /** @param log CSV file to append to, or null for memory only */
    public EgressLedger(Path log) {
        this.log = log;
    }

    /** Newest last; at most {@link #CAP}. Read on the FX thread. */
    public ObservableList<Entry> entries() {
        return readOnly;
    }

    /** Requests since the app started (also those no longer in {@link #entries()}). */
    public ReadOnlyLongProperty countProperty() {
        return count.getReadOnlyProperty();
    }

    public long total() {
        return total.get();
    }

    public Path logFile() {
        return log;
    }

    @Override
    public void sent(String endpoint, String model, int promptChars, Instant at, String outcome) {
        sent(endpoint, model, promptChars, at, outcome, EgressListener.TRIAGE);
    }

    @Override
    public void sent(String endpoint, String model, int promptChars, Instant at, String outcome, String purpose) {
        Entry e = new Entry(at, endpoint, model, promptChars, outcome, purpose);
        long n = total.incrementAndGet();
        append(e);
        Runnable r = () -> {
            entries.add(e);
            if (entries.size() > CAP) entries.remove(0, entries.size() - CAP);
            count.set(Math.max(count.get(), n));
        };
        try {
            if (Platform.isFxApplicationThread()) r.run();
            else Platform.runLater(r);
        } catch (IllegalStateException noToolkit) {
            // headless (CLI): counted and logged, no table to update
        }
    }

    private void append(Entry e) {
        if (log == null) return;
        synchronized (logLock) {
            try {
                if (!headerChecked) {
                    keepOlderFormat();
                    headerChecked = true;
                }
                boolean fresh = !Files.exists(log);
                // private like the database: it tells when and where tickets were sent
                try (Writer w = PrivateFiles.appendWriter(log)) {
                    if (fresh) w.write(HEADER + "\n");
                    w.write(String.join(",", csv(e.at().toString()), csv(e.endpoint()), csv(e.model()),
                            Integer.toString(e.promptChars()), csv(e.outcome()), csv(e.purpose())) + "\n");
                }
            } catch (IOException ex) {
                System.getLogger("switchboard.egress").log(System.Logger.Level.WARNING, "cannot append to " + log + ": " + ex.getMessage());
            }
        }
    }

    private boolean headerChecked;

    /** A log written by an older version (other columns) is kept beside the new one, never appended to. */
    private void keepOlderFormat() throws IOException {
        if (!Files.exists(log)) return;
        String first;
        try (var r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            first = r.readLine();
        }
        if (first == null || first.equals(HEADER)) return;
        String name = log.getFileName().toString().replaceFirst("\\.csv$", "");
        Path old = log.resolveSibling(name + "-before-" + Instant.now().toString().replace(':', '-') + ".csv");
        Files.move(log, old);
        PrivateFiles.restrictToOwner(old, false);
    }

    private static String csv(String s) {
        String v = s == null ? "" : s;
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** A copy of the current entries (FX thread). */
    List<Entry> snapshot() {
        return new ArrayList<>(entries);
    }
}
