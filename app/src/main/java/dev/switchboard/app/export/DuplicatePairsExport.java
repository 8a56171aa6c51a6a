package dev.switchboard.app.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.persistence.store.DuplicateLinks;
import dev.switchboard.persistence.store.TicketDetail;
import dev.switchboard.persistence.store.TicketStore;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The dispatchers' duplicate verdicts as a labelled pair dataset: one row per pair whose latest verdict
 * is linked, merged or dismissed (pairs still awaiting a verdict, and verdicts undone since, are left
 * out), with who decided and when, the score the finder gave, and both tickets' text — PII-redacted
 * unless asked otherwise. CSV or JSONL; written to a temporary file and moved into place when complete.
 */
public final class DuplicatePairsExport {

    public enum Format { CSV, JSONL }

    public record Result(Path file, int pairs, int duplicates, int notDuplicates, int skippedMissing) {}

    static final List<String> COLUMNS = List.of("duplicate_id", "original_id", "label", "verdict", "score", "decided_by",
            "decided_at", "duplicate_subject", "duplicate_body", "original_subject", "original_body");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TicketStore store;

    public DuplicatePairsExport(TicketStore store) {
        this.store = store;
    }

    public Result write(Path out, Format format, boolean redact, boolean overwrite, BooleanSupplier cancelled) throws IOException {
        if (!overwrite && Files.exists(out)) throw new IllegalStateException(out + " already exists (use --force to replace it)");
        Path dir = out.toAbsolutePath().getParent();
        // a new folder is the user's only (0700), as the dataset export's and the database's: the pairs carry ticket text
        if (dir != null) dev.switchboard.persistence.db.PrivateFiles.createDirectories(dir);
        PiiScrubber scrubber = new PiiScrubber(redact, List.of());
        List<DuplicateLinks.Link> judged = new DuplicateLinks(store).current().stream()
                .filter(l -> switch (l.state()) {
                    case "CONFIRMED", "MERGED", "DISMISSED" -> true;
                    default -> false;
                }).toList();
        Path tmp = Files.createTempFile(dir == null ? Path.of(".") : dir, ".duplicates-", ".part");
        int dup = 0;
        int not = 0;
        int missing = 0;
        boolean done = false;
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
             CSVPrinter csv = format == Format.CSV ? new CSVPrinter(w, CSVFormat.RFC4180.builder()
                     .setHeader(COLUMNS.toArray(String[]::new)).get()) : null) {
            for (DuplicateLinks.Link l : judged) {
                if (cancelled != null && cancelled.getAsBoolean()) throw new ExportCancelledException();
                // the text only: the pairs of each ticket are not exported
                Optional<TicketDetail> a = store.detailWithoutPairs(l.ticketId());
                Optional<TicketDetail> b = store.detailWithoutPairs(l.originalId());
                if (a.isEmpty() || b.isEmpty()) {
                    missing++;
                    continue;
                }
                boolean isDup = !l.state().equals("DISMISSED");
                if (isDup) dup++;
                else not++;
                // either requester's name may appear in either text (a merged ticket quotes the duplicate's requester)
                List<String> names = new java.util.ArrayList<>(PiiScrubber.requesterNames(a.get().row().requester()));
                names.addAll(PiiScrubber.requesterNames(b.get().row().requester()));
                List<Object> values = List.of(l.ticketId(), l.originalId(), isDup ? "duplicate" : "not_duplicate",
                        l.state().toLowerCase(Locale.ROOT).replace("confirmed", "linked"),
                        Math.round(l.score() * 1000) / 1000.0, l.actor() == null ? "" : l.actor(), l.at().toString(),
                        scrubber.scrub(a.get().row().subject(), names), scrubber.scrub(a.get().body(), names),
                        scrubber.scrub(b.get().row().subject(), names), scrubber.scrub(b.get().body(), names));
                if (csv != null) {
                    // cells a spreadsheet can hold and will not run as formulas; JSON Lines keep the text as it is
                    csv.printRecord(values.stream().map(RowRenderer::csv).toList());
                } else {
                    ObjectNode o = JSON.createObjectNode();
                    for (int i = 0; i < COLUMNS.size(); i++) o.putPOJO(COLUMNS.get(i), values.get(i));
                    w.write(JSON.writeValueAsString(o));
                    w.write('\n');
                }
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Result(out, dup + not, dup, not, missing);
    }
}
