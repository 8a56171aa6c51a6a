package dev.switchboard.app.export;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Date arguments: {@code 2024-05-01} (a whole UTC day) or an ISO instant {@code 2024-05-01T12:00:00Z}. */
final class Dates {
    private Dates() {}

    /** The instant a date starts (or the instant itself). */
    static Instant start(String s) {
        String v = s.strip();
        try {
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + s + "' is not a date (YYYY-MM-DD) or instant (YYYY-MM-DDTHH:MM:SSZ)");
        }
    }

    /** The exclusive end of an inclusive date (the next midnight), or the instant itself. */
    static Instant endExclusive(String s) {
        String v = s.strip();
        if (v.length() == 10) return start(v).plusSeconds(86_400);
        return start(v);
    }
}
