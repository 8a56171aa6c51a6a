package dev.switchboard.app.export;

import java.util.Locale;

/**
 * Category-guided balancing: cap large teams at {@code maxPerTeam} examples (a seeded, deterministic
 * sample), and treat teams with fewer than {@code minPerTeam} as too small: dropped, or kept and only
 * reported ({@code dropSmall = false}).
 */
public record Balance(Integer maxPerTeam, Integer minPerTeam, boolean dropSmall) {

    public static final Balance NONE = new Balance(null, null, true);

    public Balance {
        if (maxPerTeam != null && maxPerTeam < 1) throw new IllegalArgumentException("max-per-team must be at least 1");
        if (minPerTeam != null && minPerTeam < 0) throw new IllegalArgumentException("min-per-team must not be negative");
        if (maxPerTeam != null && minPerTeam != null && minPerTeam > maxPerTeam) {
            throw new IllegalArgumentException("min-per-team (" + minPerTeam + ") is larger than max-per-team (" + maxPerTeam + ")");
        }
    }

    /** Parses {@code max-per-team=N,min-per-team=M,small=drop|report} (any part optional; empty = none). */
    public static Balance parse(String spec) {
        if (spec == null || spec.isBlank()) return NONE;
        Integer max = null;
        Integer min = null;
        boolean drop = true;
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("balance part '" + p + "' is not key=value");
            String key = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).strip();
            switch (key) {
                case "max-per-team", "max" -> max = number(key, value);
                case "min-per-team", "min" -> min = number(key, value);
                case "small" -> {
                    if (value.equalsIgnoreCase("drop")) drop = true;
                    else if (value.equalsIgnoreCase("report") || value.equalsIgnoreCase("keep")) drop = false;
                    else throw new IllegalArgumentException("small=" + value + ": use drop or report");
                }
                default -> throw new IllegalArgumentException("unknown balance key '" + key + "' (max-per-team, min-per-team, small)");
            }
        }
        return new Balance(max, min, drop);
    }

    private static int number(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a whole number");
        }
    }

    public boolean isNone() {
        return maxPerTeam == null && minPerTeam == null;
    }

    @Override
    public String toString() {
        if (isNone()) return "none";
        StringBuilder sb = new StringBuilder();
        if (maxPerTeam != null) sb.append("max-per-team=").append(maxPerTeam);
        if (minPerTeam != null) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append("min-per-team=").append(minPerTeam).append(",small=").append(dropSmall ? "drop" : "report");
        }
        return sb.toString();
    }
}
