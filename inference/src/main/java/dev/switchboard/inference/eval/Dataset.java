package dev.switchboard.inference.eval;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.data.TableReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Loading labelled tickets from a table, removing exact duplicates, and splitting train/test. */
public final class Dataset {

    private Dataset() {}

    /** A column the caller asked for is not in the file. */
    public static final class ColumnException extends IllegalArgumentException {
        public ColumnException(String message) {
            super(message);
        }
    }

    public record Loaded(List<LabelledTicket> tickets, int skippedNoTeam, long problems, List<String> columns) {}

    /**
     * Reads a CSV/JSONL file. The first text column becomes the subject, the others are joined into
     * the body. Rows without a team are skipped. {@code priorityColumn} may be null.
     */
    public static Loaded load(Path file, List<String> textColumns, String teamColumn, String priorityColumn)
            throws IOException {
        return load(file, textColumns, teamColumn, priorityColumn, null);
    }

    /** As {@link #load(Path, List, String, String)}, with each ticket's requester from {@code requesterColumn} (may be null). */
    public static Loaded load(Path file, List<String> textColumns, String teamColumn, String priorityColumn,
                              String requesterColumn) throws IOException {
        List<String> wanted = new ArrayList<>(textColumns);
        wanted.add(teamColumn);
        if (priorityColumn != null) wanted.add(priorityColumn);
        if (requesterColumn != null) wanted.add(requesterColumn);
        List<String> cols = requireColumns(file, wanted);
        List<LabelledTicket> out = new ArrayList<>();
        int[] skipped = {0};
        long[] problems = {0};
        String base = file.getFileName().toString();
        TableReader.read(file, new TableReader.Handler() {
            @Override public boolean row(TableReader.Row row) {
                String team = row.get(teamColumn).strip();
                if (team.isEmpty()) {
                    skipped[0]++;
                    return true;
                }
                String prio = priorityColumn == null ? null : row.get(priorityColumn).strip();
                if (prio != null && prio.isEmpty()) prio = null;
                TicketText text = textOf(row, textColumns, base);
                if (requesterColumn != null) text = text.withRequester(row.get(requesterColumn));
                out.add(LabelledTicket.of(text, team, prio));
                return true;
            }

            @Override public void problem(TableReader.Problem p) {
                problems[0]++;
            }
        });
        return new Loaded(out, skipped[0], problems[0], cols);
    }

    /**
     * Ticket texts of a file without labels (first text column the subject, the others the body), for
     * checking what a model says about tickets unlike its training data. Blank rows are skipped.
     */
    public static List<TicketText> loadTexts(Path file, List<String> textColumns) throws IOException {
        requireColumns(file, textColumns);
        List<TicketText> out = new ArrayList<>();
        String base = file.getFileName().toString();
        TableReader.read(file, new TableReader.Handler() {
            @Override public boolean row(TableReader.Row row) {
                TicketText t = textOf(row, textColumns, base);
                if (!t.fullText().isBlank()) out.add(t);
                return true;
            }

            @Override public void problem(TableReader.Problem p) { }
        });
        return out;
    }

    /** The file's columns; a one-line error naming the first wanted column that is missing. */
    private static List<String> requireColumns(Path file, List<String> wanted) throws IOException {
        List<String> cols = TableReader.columns(file);
        if (cols.isEmpty()) throw new ColumnException(file + ": no header row or no data");
        for (String c : wanted) {
            if (!cols.contains(c)) {
                throw new ColumnException(file.getFileName() + ": no column '" + c + "' (columns: " + String.join(", ", cols) + ")");
            }
        }
        return cols;
    }

    /** First text column as the subject, the non-blank others joined by newlines as the body. */
    private static TicketText textOf(TableReader.Row row, List<String> textColumns, String base) {
        String subject = row.get(textColumns.get(0));
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < textColumns.size(); i++) {
            String v = row.get(textColumns.get(i));
            if (v.isBlank()) continue;
            if (!body.isEmpty()) body.append('\n');
            body.append(v);
        }
        return TicketText.of(base + ":" + row.line(), subject, body.toString());
    }

    /** Normalised full text used to recognise exact duplicates (case, Unicode form and spacing ignored). */
    public static String key(TicketText t) {
        return dev.switchboard.inference.text.TextAnalyzer.normalise(t.fullText()).replaceAll("\\s+", " ").strip();
    }

    /** Keeps the first ticket of each normalised full text. */
    public static List<LabelledTicket> dedupe(List<LabelledTicket> tickets) {
        Set<String> seen = new HashSet<>();
        List<LabelledTicket> out = new ArrayList<>();
        for (LabelledTicket t : tickets) if (seen.add(key(t.text()))) out.add(t);
        return out;
    }

    /** Drops tickets whose normalised text also occurs in {@code train} (for a given test file). */
    public static List<LabelledTicket> withoutOverlap(List<LabelledTicket> test, List<LabelledTicket> train) {
        Set<String> seen = new HashSet<>();
        for (LabelledTicket t : train) seen.add(key(t.text()));
        List<LabelledTicket> out = new ArrayList<>();
        for (LabelledTicket t : test) if (!seen.contains(key(t.text()))) out.add(t);
        return out;
    }

    public record Split(List<LabelledTicket> train, List<LabelledTicket> test) {}

    /** Random split: shuffles with {@code seed} and puts round(n * testFraction) tickets in test. */
    public static Split split(List<LabelledTicket> tickets, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("--test-fraction must be between 0 and 1");
        List<LabelledTicket> all = new ArrayList<>(tickets);
        Collections.shuffle(all, new Random(seed));
        int nTest = (int) Math.round(all.size() * testFraction);
        return new Split(List.copyOf(all.subList(nTest, all.size())), List.copyOf(all.subList(0, nTest)));
    }
}
