package dev.switchboard.inference.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Lenient timestamp parsing for ticket files and the intake: ISO-8601 instants and offsets, common
 * local date-time layouts (taken in the given zone, UTC by default), dates, epoch seconds (9–10
 * digits) and epoch milliseconds (11–15 digits).
 */
public final class TimeParser {

    private static final List<DateTimeFormatter> LOCAL = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME,
            fmt("yyyy-MM-dd HH:mm[:ss][.SSS]"),
            fmt("dd/MMM/yy HH:mm"),          // Jira export
            fmt("dd/MMM/yyyy HH:mm[:ss]"),
            fmt("dd.MM.yyyy HH:mm[:ss]"),
            fmt("MM/dd/yyyy HH:mm[:ss]"),
            fmt("dd/MM/yyyy HH:mm[:ss]"));

    private static DateTimeFormatter fmt(String p) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(p).toFormatter(Locale.ENGLISH);
    }

    private TimeParser() {}

    /** The instant, or null when the text is blank or in no known format; zone-less times are UTC. */
    public static Instant parse(String text) {
        return parse(text, ZoneOffset.UTC);
    }

    /** The instant, or null when the text is blank or in no known format; zone-less times are in {@code zone}. */
    public static Instant parse(String text, java.time.ZoneId zone) {
        if (text == null) return null;
        String s = text.strip();
        if (s.isEmpty()) return null;
        if (s.matches("\\d{9,15}")) {
            long v = Long.parseLong(s);
            return s.length() >= 11 ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException ignored) { }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException ignored) { }
        try {
            return ZonedDateTime.parse(s).toInstant();
        } catch (DateTimeParseException ignored) { }
        for (DateTimeFormatter f : LOCAL) {
            try {
                return LocalDateTime.parse(s, f).atZone(zone).toInstant();
            } catch (DateTimeParseException ignored) { }
        }
        try {
            return LocalDate.parse(s).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException ignored) { }
        return null;
    }
}
