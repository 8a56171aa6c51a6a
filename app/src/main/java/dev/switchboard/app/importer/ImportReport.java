package dev.switchboard.app.importer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What an import did. {@code complete} is true only when the whole file was read and every batch was
 * committed; a cancelled or failed import keeps what was committed before it stopped ({@code created}
 * and {@code alreadyPresent} count exactly that).
 *
 * @param rowsRead       data rows read from the file (good and rejected)
 * @param created        new tickets stored
 * @param decided        of those, the ones stored as decided history (they had a team): what the local model learns
 * @param alreadyPresent rows skipped because the same ticket (id or content + occurrence) was stored before
 * @param rejected       rows not imported because of a problem with the row
 * @param bodiesCut      rows imported with their body cut to the store's limit (each also a warning)
 * @param problems       first problems (row-level rejections and file-level errors), "file:line: message"
 * @param warnings       first warnings (rows imported with a change, or file-level notes like encoding)
 * @param failure        why the import stopped early (unreadable file, database error), or null
 */
public record ImportReport(Path file, long rowsRead, long created, long decided, long alreadyPresent, long rejected,
                           long bodiesCut,
                           List<String> problems, long warningCount, List<String> warnings,
                           boolean cancelled, boolean complete, String failure, Duration elapsed) {

    public static final int MAX_LISTED = 10;

    /** Rows per second over the whole run (read + validate + commit). */
    public double ticketsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : (created + alreadyPresent) / s;
    }

    /** Complete and nothing rejected. */
    public boolean clean() {
        return complete && rejected == 0;
    }

    /** One line for a status bar or log. */
    public String summary() {
        String state = complete ? "Imported" : cancelled ? "Cancelled; kept" : "Stopped early; kept";
        String cut = bodiesCutNote();
        return String.format(java.util.Locale.ROOT, "%s %,d new ticket(s), %,d already present, %,d rejected, from %,d row(s) in %.1f s%s",
                state, created, alreadyPresent, rejected, rowsRead, elapsed.toNanos() / 1e9, cut.isEmpty() ? "" : "; " + cut);
    }

    /** "2 bodies cut to the 1,000,000-character limit", or "" when none was cut. */
    public String bodiesCutNote() {
        if (bodiesCut == 0) return "";
        return String.format(java.util.Locale.ROOT, "%,d %s cut to the %,d-character limit", bodiesCut,
                bodiesCut == 1 ? "body" : "bodies", dev.switchboard.persistence.entity.Ticket.MAX_BODY);
    }
}
