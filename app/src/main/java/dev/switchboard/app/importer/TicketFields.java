package dev.switchboard.app.importer;

import dev.switchboard.persistence.entity.Ticket;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Rules every intake path (file import, HTTP intake, sample data) applies to ticket fields: strips
 * control characters, enforces the store's column limits, derives a subject from the body, and parses
 * creation times leniently. Pure functions, no I/O.
 */
public final class TicketFields {

    /** Longest requester the store keeps. */
    public static final int MAX_REQUESTER = 320;
    /** Longest team name the store keeps. */
    public static final int MAX_TEAM = 120;
    /** Longest external id the store keeps; longer ids are replaced by their hash. */
    public static final int MAX_EXTERNAL_ID = 200;
    /** Subject derived from the body's first line is cut to this many characters. */
    public static final int DERIVED_SUBJECT = 200;


    private TicketFields() {}

    /** A field value after cleaning, and how many characters were removed from it. */
    public record Cleaned(String value, int removed) {}

    /**
     * A team or priority name as it may enter the taxonomy: {@link #clean}ed, invisible format characters
     * (zero-width, bidi overrides such as U+202E that make a name read backwards) removed, runs of
     * whitespace (line breaks included) made one space, trimmed. Null becomes "".
     */
    public static String label(String s) {
        String c = clean(s).value();
        StringBuilder sb = new StringBuilder(c.length());
        boolean space = false;
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (Character.getType(ch) == Character.FORMAT) continue;
            if (Character.isWhitespace(ch) || Character.isSpaceChar(ch)) {
                space = sb.length() > 0;
                continue;
            }
            if (space) sb.append(' ');
            space = false;
            sb.append(ch);
        }
        return sb.toString();
    }

    /**
     * Removes C0/C1 control characters other than tab and line breaks, DEL, NUL and lone surrogates
     * (binary garbage); normalises CR LF and CR to LF. Null becomes "".
     */
    public static Cleaned clean(String s) {
        if (s == null || s.isEmpty()) return new Cleaned("", 0);
        StringBuilder sb = null;
        int removed = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean drop;
            char repl = 0;
            if (c == '\r') {
                drop = true;
                if (i + 1 >= n || s.charAt(i + 1) != '\n') repl = '\n';
            } else if (c == '\t' || c == '\n') {
                drop = false;
            } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                drop = true;
                removed++;
            } else if (Character.isHighSurrogate(c)) {
                drop = !(i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1)));
                if (drop) removed++;
                else {
                    if (sb != null) sb.append(c).append(s.charAt(i + 1));
                    i++;
                    continue;
                }
            } else if (Character.isLowSurrogate(c)) {
                drop = true;
                removed++;
            } else {
                drop = false;
            }
            if (drop) {
                if (sb == null) sb = new StringBuilder(n).append(s, 0, i);
                if (repl != 0) sb.append(repl);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return new Cleaned(sb == null ? s : sb.toString(), removed);
    }

    /**
     * A value shown on one line (subject, requester): {@link #clean}ed, the bidirectional embedding, override
     * and isolate controls (U+202A–U+202E, U+2066–U+2069) removed, so "Invoice \u202Egpj.exe" cannot show
     * in the queue as "Invoice exe.jpg", and line breaks, tabs and line or paragraph separators made one
     * space each run. {@code removed} counts the control characters removed (line breaks are not counted).
     */
    public static Cleaned line(String s) {
        Cleaned c = clean(s);
        String v = c.value();
        int removed = c.removed();
        StringBuilder sb = null;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            boolean bidi = (ch >= '\u202A' && ch <= '\u202E') || (ch >= '\u2066' && ch <= '\u2069');
            boolean brk = ch == '\n' || ch == '\t' || ch == '\u2028' || ch == '\u2029' || ch == '\u000B' || ch == '\f';
            if (!bidi && !brk) {
                if (sb != null) sb.append(ch);
                continue;
            }
            if (sb == null) sb = new StringBuilder(v.length()).append(v, 0, i);
            if (bidi) {
                removed++;
            } else if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ' ') {
                sb.append(' ');
            }
        }
        return sb == null ? c : new Cleaned(sb.toString(), removed);
    }

    /** First non-blank line of {@code body}, stripped and cut to {@link #DERIVED_SUBJECT} characters; "" if none. */
    public static String subjectFromBody(String body) {
        if (body == null) return "";
        return body.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                .map(l -> cut(l, DERIVED_SUBJECT)).orElse("");
    }

    /** Cuts to at most {@code max} characters, ending in "…" when cut, never splitting a surrogate pair. */
    public static String cut(String s, int max) {
        if (s.length() <= max) return s;
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "…";
    }

    /** External ids longer than the column are replaced by a stable hash of themselves. */
    public static String externalId(String id) {
        if (id == null) return null;
        String s = id.strip();
        if (s.isEmpty()) return null;
        if (s.length() <= MAX_EXTERNAL_ID) return s;
        return "sha256:" + dev.switchboard.persistence.store.TicketStore.contentHash(s, "", "");
    }

    /**
     * A body longer than the store keeps ({@link Ticket#MAX_BODY}) is cut to it, ending in "…"; every
     * intake path keeps the ticket and says so with {@link #bodyCutNote}.
     */
    public static String fitBody(String body) {
        return cut(body, Ticket.MAX_BODY);
    }

    /** "body cut from 2,150,010 to 1,000,000 characters" for a body of {@code length} characters. */
    public static String bodyCutNote(int length) {
        return String.format(Locale.ROOT, "body cut from %,d to %,d characters (the limit)", length, Ticket.MAX_BODY);
    }

    /**
     * Parses a creation time: ISO-8601 instant, offset or zoned date-time, local date-time (in
     * {@code zone}), date (start of day), "yyyy-MM-dd HH:mm[:ss]", "yyyy/MM/dd HH:mm[:ss]", or epoch
     * milliseconds (all digits; 9–10 digits are taken as epoch seconds). Blank gives null.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Instant parseCreated(String value, ZoneId zone) {
        if (value == null || value.isBlank()) return null;
        Instant at = dev.switchboard.inference.data.TimeParser.parse(value, zone);
        if (at != null) return at;
        throw new IllegalArgumentException("cannot read created time '" + cut(value.strip(), 60)
                + "' (expected ISO-8601 like 2024-03-01T09:30:00Z, 2024-03-01 09:30[:ss], 2024-03-01, or epoch seconds/milliseconds)");
    }
}
