package dev.switchboard.app.export;

import dev.switchboard.inference.redact.Redactor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an export wrote.
 *
 * @param rowsBySplit   rows per split name ("all", or "train" and "validation")
 * @param droppedCapped rows left out per team by max-per-team
 * @param smallTeams    teams under min-per-team with their row counts (dropped or only reported, see {@code smallDropped})
 * @param excludedUnreviewed tickets left out because their final label was an unreviewed bulk accept
 * @param mergedDuplicates   tickets left out because they are merged into another (their text is an update of it)
 */
public record ExportResult(List<FileInfo> files, Path manifest, long matched, long written,
                           Map<String, Long> rowsBySplit, Map<String, Long> droppedCapped, Map<String, Long> smallTeams,
                           boolean smallDropped, long excludedUnreviewed, long mergedDuplicates, Map<Redactor.Kind, Long> redactions,
                           double seconds) {

    /** One written file. */
    public record FileInfo(String name, String split, long rows, long bytes, String sha256, Path path) {}

    public long droppedTotal() {
        long n = droppedCapped.values().stream().mapToLong(Long::longValue).sum();
        if (smallDropped) n += smallTeams.values().stream().mapToLong(Long::longValue).sum();
        return n;
    }

    /** A few lines for the dialog and the command line. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%,d rows written (%,d matched) in %.1f s%n", written, matched, seconds));
        if (matched == 0) {
            // an empty file is easy to take for a finished dataset: say why it is empty
            sb.append("Nothing matched: no ticket with a final human decision (or imported labelled history) in the"
                    + " chosen dates, teams and decision kinds. Widen --from/--to, --teams or --kinds (or, in the window,"
                    + " the filters above), or decide or import labelled tickets first.\n");
        }
        rowsBySplit.forEach((k, v) -> sb.append(String.format("  %-10s %,d%n", k, v)));
        if (excludedUnreviewed > 0) sb.append(String.format("Left out %,d unreviewed bulk accepts%n", excludedUnreviewed));
        if (mergedDuplicates > 0) {
            sb.append(String.format("Left out %,d merged duplicates (their text is in the original's update)%n", mergedDuplicates));
        }
        if (!droppedCapped.isEmpty()) sb.append("Capped (rows dropped): ").append(droppedCapped).append('\n');
        if (!smallTeams.isEmpty()) {
            sb.append(smallDropped ? "Small teams dropped: " : "Small teams (kept, below min-per-team): ").append(smallTeams).append('\n');
        }
        if (!redactions.isEmpty()) sb.append("Redactions: ").append(redactions).append('\n');
        for (FileInfo f : files) sb.append(String.format("%s  %,d rows  %,d bytes  sha256 %s%n", f.path(), f.rows(), f.bytes(), f.sha256()));
        sb.append("Manifest: ").append(manifest);
        return sb.toString();
    }
}
