package dev.switchboard.app.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.llm.PromptBuilder;
import dev.switchboard.inference.redact.Redactor;
import dev.switchboard.persistence.store.LabelledExample;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one decided ticket into one output record: redacts its text (subject, body and each update,
 * before the prompt is built; for JSONL only as much as the prompt carries, as the engine does), builds the user message with the engine's {@link PromptBuilder} from
 * subject, body and updates (as the engine does live) and the assistant reply with
 * {@link PromptBuilder#expectedReplyJson}. Thread-safe: rows are rendered on several cores.
 */
final class RowRenderer {

    /** A rendered record: a JSONL line (with its newline) or CSV values, and the redactions made. */
    record Rendered(String line, List<Object> csv, Map<Redactor.Kind, Integer> counts) {}

    private static final JsonFactory JSON = new JsonFactory();

    private final ExportFormat format;
    private final PromptBuilder.Template template;
    private final long seed;
    private final PiiScrubber scrubber;
    private final String system;
    private final TriageContext ctx;

    RowRenderer(ExportFormat format, PromptBuilder.Template template, long seed, PiiScrubber scrubber, String system,
                TriageContext ctx) {
        this.format = format;
        this.template = template;
        this.seed = seed;
        this.scrubber = scrubber;
        this.system = system;
        this.ctx = ctx;
    }

    Rendered render(LabelledExample row) {
        Map<Redactor.Kind, Integer> counts = new EnumMap<>(Redactor.Kind.class);
        List<String> names = PiiScrubber.requesterNames(row.requester());
        if (format == ExportFormat.CSV) {
            String subject = scrubber.scrub(row.subject(), names, counts);
            String body = scrubber.scrub(row.body(), names, counts);
            List<String> updates = scrubber.scrubUpdates(row.updates(), names, counts);
            String note = row.note() == null ? null : scrubber.scrub(row.note(), names, counts);
            List<Object> values = java.util.Arrays.asList(row.ticketId(), row.externalId(), text(subject, body), row.team(),
                    row.priority(), row.suggestedTeam(), row.suggestedPriority(), row.suggestionEngine(),
                    row.suggestionModel(), row.suggestionConfidence(), row.kind().toLowerCase(Locale.ROOT), row.reviewed(),
                    row.reasonCode(), note, row.createdAt(), row.decidedAt(), jsonArray(csvUpdates(updates)));
            values.replaceAll(RowRenderer::csv);
            return new Rendered(null, values, counts);
        }
        // JSONL: only what the prompt carries is redacted, as the engine does live (the prompt cuts the rest)
        PromptBuilder.Limits limits = PromptBuilder.Limits.defaults();
        String subject = scrubber.scrubHead(row.subject(), limits.subject(), names, counts);
        String body = scrubber.scrubHead(row.body(), limits.body(), names, counts);
        List<String> updates = scrubber.scrubUpdates(row.updates(), names, counts, limits.update());
        String rationale = ExportService.rationale(row);
        if (rationale != null) rationale = scrubber.scrub(rationale, names, counts);
        // Deterministic per-ticket boundary token: reproducible files, yet not one token a model could learn.
        String boundary = HexFormat.of().toHexDigits(ExportService.mix(seed ^ 0x626F756EL, row.ticketId()));
        PromptBuilder prompts = new PromptBuilder(template, limits, () -> boundary);
        // the ticket as the engine sends it live: subject, body and the updates up to the decision (redacted alike)
        String user = prompts.userMessage(new TicketText(String.valueOf(row.ticketId()), subject, body, updates), ctx);
        String reply = PromptBuilder.expectedReplyJson(row.team(), row.priority() == null ? "" : row.priority(), rationale);
        StringWriter sw = new StringWriter(system.length() + user.length() + reply.length() + 128);
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            g.writeStartObject();
            if (format == ExportFormat.OPENAI_JSONL) {
                g.writeArrayFieldStart("messages");
                message(g, "system", system);
                message(g, "user", user);
                message(g, "assistant", reply);
                g.writeEndArray();
            } else {
                g.writeStringField("instruction", system);
                g.writeStringField("input", user);
                g.writeStringField("output", reply);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sw.write('\n');
        return new Rendered(sw.toString(), null, counts);
    }

    private static void message(JsonGenerator g, String role, String content) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeStringField("content", content);
        g.writeEndObject();
    }

    /**
     * The updates as the JSONL user message carries them (redacted first, then clipped by the prompt
     * builder's own limits): each cut at {@code Limits.update()} characters, the most recent within
     * {@code Limits.updatesTotal()}, oldest first, after the prompt's "[N earlier update(s) omitted]" note
     * when some did not fit. Ticket text is untrusted: a huge comment must not make a huge CSV cell.
     */
    static List<String> csvUpdates(List<String> redacted) {
        if (redacted.isEmpty()) return redacted;
        PromptBuilder.ClippedUpdates c = PromptBuilder.clipUpdates(redacted, PromptBuilder.Limits.defaults());
        if (c.omitted() == 0) return c.kept();
        List<String> out = new java.util.ArrayList<>(c.kept().size() + 1);
        out.add(PromptBuilder.ClippedUpdates.omittedNote(c.omitted()));
        out.addAll(c.kept());
        return out;
    }

    /** The CSV {@code updates} value: a JSON array of strings, oldest first ({@code []} when none). */
    static String jsonArray(List<String> values) {
        if (values.isEmpty()) return "[]";
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            g.writeStartArray();
            for (String v : values) g.writeString(v);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /**
     * Most characters a CSV text cell keeps: spreadsheets hold at most 32,767 characters in a cell (Excel
     * cuts the rest or spills it into the next rows), and ticket text is untrusted (a pasted 2 MB log).
     */
    static final int CSV_CELL_MAX = 32_000;

    /**
     * A value as a CSV cell: text cut at {@link #CSV_CELL_MAX} characters (marked as the prompt marks its cuts)
     * and, when it starts with a character a spreadsheet reads as the start of a formula ({@code = + - @},
     * tab, carriage return), led by an apostrophe, so a ticket reading {@code =HYPERLINK(…)} or
     * {@code +cmd|…} shows as text instead of running when the file is opened in Excel or LibreOffice
     * (OWASP's advice against CSV injection). Other values are left as they are.
     */
    static Object csv(Object value) {
        if (!(value instanceof String s) || s.isEmpty()) return value;
        if (s.length() > CSV_CELL_MAX) {
            int cut = CSV_CELL_MAX;
            if (Character.isHighSurrogate(s.charAt(cut - 1))) cut--;
            s = s.substring(0, cut) + " \u2026[truncated " + (s.length() - cut) + " chars]";
        }
        return FORMULA_START.indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }

    /** First characters that make a spreadsheet read a cell as a formula. */
    static final String FORMULA_START = "=+-@\t\r";

    static String text(String subject, String body) {
        String s = subject == null ? "" : subject;
        String b = body == null ? "" : body;
        return b.isEmpty() ? s : s.isEmpty() ? b : s + "\n" + b;
    }
}
