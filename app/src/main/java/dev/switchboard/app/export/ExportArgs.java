package dev.switchboard.app.export;

import java.time.Instant;

/** Parsers for export arguments shared by the command line and the dialog. */
public final class ExportArgs {
    private ExportArgs() {}

    /** {@code 2024-05-01} (midnight UTC) or an ISO instant. */
    public static Instant start(String date) {
        return Dates.start(date);
    }

    /** Exclusive end of an inclusive date: the next midnight UTC (an ISO instant is taken as is). */
    public static Instant endExclusive(String date) {
        return Dates.endExclusive(date);
    }

    /** {@code none}, {@code random:0.1} or {@code time:2024-05-01}. */
    public static Split split(String spec) {
        return Split.parse(spec);
    }
}
