package dev.switchboard.app.export;

import java.time.Instant;

/** How exported rows are divided into training and validation files. */
public sealed interface Split {

    /** Everything in one file. */
    record None() implements Split {
        @Override
        public String toString() {
            return "none";
        }
    }

    /**
     * Stratified random: within each team {@code round(ratio * kept)} rows go to validation, chosen by a seeded
     * hash of the ticket's normalised text, so identical texts (case, whitespace, punctuation aside) are always
     * on the same side; exact unless a group of identical texts straddles the cut ({@link TextSplit}).
     */
    record Random(double validationRatio) implements Split {
        public Random {
            if (!(validationRatio > 0 && validationRatio < 1)) {
                throw new IllegalArgumentException("random split ratio must be between 0 and 1 (exclusive), was " + validationRatio);
            }
        }

        @Override
        public String toString() {
            return "random:" + validationRatio;
        }
    }

    /** Time-based: tickets created before {@code validationFrom} train, the rest validate (no future leaks into train). */
    record Time(Instant validationFrom) implements Split {
        @Override
        public String toString() {
            return "time:" + validationFrom;
        }
    }

    /** Parses {@code none}, {@code random:0.1} or {@code time:2024-05-01} (a date is midnight UTC; an ISO instant is taken as is). */
    static Split parse(String spec) {
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) return new None();
        String s = spec.strip();
        int colon = s.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("split '" + s + "': use random:RATIO or time:DATE");
        String kind = s.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        String arg = s.substring(colon + 1).strip();
        return switch (kind) {
            case "random" -> {
                try {
                    yield new Random(Double.parseDouble(arg));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("random split ratio '" + arg + "' is not a number");
                }
            }
            case "time" -> new Time(Dates.start(arg));
            default -> throw new IllegalArgumentException("unknown split '" + kind + "' (random:RATIO, time:DATE)");
        };
    }
}
