package dev.switchboard.app.export;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The random split's side of a row, decided by its text: tickets whose normalised text (subject and body,
 * case, whitespace and punctuation folded) is the same always land on the same side, in every team, so a
 * recurring alert cannot be learned from in train and scored on in validation.
 *
 * <p>Each row gets a seeded 53-bit key from its normalised text; identical texts get identical keys. Per team
 * the validation side is the keys up to a cut chosen so that it holds {@code round(ratio * n)} of the team's
 * n rows: exactly, unless a group of identical texts straddles the cut (the whole group then goes to the side
 * that leaves the count nearer the target). A text that recurs under several teams whose cuts disagree goes to
 * the side most of its rows are on (train on a tie). Building it holds one key (8 bytes) per counted row
 * until the cuts are known; afterwards only the cuts and those few disagreeing texts are kept.
 */
final class TextSplit {

    private static final long SALT_TEXT = 0x74657874L;

    /** Per team: validation holds the keys {@code <= cut} (-1: none). */
    private final Map<String, Long> cuts;
    /** Texts (keys) under several teams whose cuts disagree: their side, the same for every team. */
    private final Map<Long, Boolean> agreed;
    /** Per team: rows on the validation side. */
    private final Map<String, Long> validationRows;

    private TextSplit(Map<String, Long> cuts, Map<Long, Boolean> agreed, Map<String, Long> validationRows) {
        this.cuts = cuts;
        this.agreed = agreed;
        this.validationRows = validationRows;
    }

    /** Whether a row of {@code team} with this text key is on the validation side. */
    boolean validation(String team, long key) {
        Boolean side = agreed.get(key);
        if (side != null) return side;
        Long cut = cuts.get(team);
        return cut != null && key <= cut;
    }

    /** Rows of {@code team} on the validation side (of all the team's counted rows, before any cap). */
    long validationRows(String team) {
        return validationRows.getOrDefault(team, 0L);
    }

    /** The seeded key of a ticket's text: equal for texts that differ only in case, whitespace or punctuation. */
    static long key(long seed, String subject, String body) {
        String text = normalise(subject, body);
        long h = 0xCBF29CE484222325L; // FNV-1a, 64 bit
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001B3L;
        }
        return ExportService.mix(seed * 0x9E3779B97F4A7C15L + SALT_TEXT, h) >>> 11;
    }

    /**
     * Subject and body as one string, NFKC-folded and lower-cased, every run of characters that are not letters
     * or digits (whitespace, punctuation, symbols) one space, trimmed.
     */
    static String normalise(String subject, String body) {
        String s = Normalizer.normalize((subject == null ? "" : subject) + " " + (body == null ? "" : body), Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(s.length());
        boolean gap = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                if (gap && !sb.isEmpty()) sb.append(' ');
                gap = false;
                sb.appendCodePoint(cp);
            } else {
                gap = true;
            }
        }
        return sb.toString();
    }

    /** Collects the keys of the counting pass, per team. */
    static final class Builder {
        private final Map<String, long[]> keys = new TreeMap<>();
        private final Map<String, Integer> sizes = new HashMap<>();

        void add(String team, long key) {
            int n = sizes.getOrDefault(team, 0);
            long[] a = keys.computeIfAbsent(team, t -> new long[64]);
            if (n == a.length) keys.put(team, a = Arrays.copyOf(a, a.length * 2));
            a[n] = key;
            sizes.put(team, n + 1);
        }

        /** The cuts for {@code ratio}; only the teams in {@code teams} count (others are dropped anyway). */
        TextSplit build(double ratio, java.util.Set<String> teams) {
            Map<String, long[]> sorted = new TreeMap<>();
            Map<String, Long> cuts = new TreeMap<>();
            for (var e : keys.entrySet()) {
                if (!teams.contains(e.getKey())) continue;
                long[] a = Arrays.copyOf(e.getValue(), sizes.get(e.getKey()));
                Arrays.sort(a);
                sorted.put(e.getKey(), a);
                cuts.put(e.getKey(), cut(a, Math.round(ratio * a.length)));
            }
            keys.clear();
            // a text under two teams whose cuts put it on different sides: the side most of its rows are on
            Map<Long, long[]> votes = new HashMap<>(); // key -> [validation rows, train rows]
            if (!cuts.isEmpty()) {
                long lo = cuts.values().stream().mapToLong(Long::longValue).min().orElseThrow();
                long hi = cuts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                if (lo < hi) {
                    for (var e : sorted.entrySet()) {
                        long cut = cuts.get(e.getKey());
                        long[] a = e.getValue();
                        for (int i = upper(a, lo); i < a.length && a[i] <= hi; i++) {
                            votes.computeIfAbsent(a[i], k -> new long[2])[a[i] <= cut ? 0 : 1]++;
                        }
                    }
                }
            }
            Map<Long, Boolean> agreed = new HashMap<>();
            for (var v : votes.entrySet()) {
                long[] n = v.getValue();
                if (n[0] > 0 && n[1] > 0) agreed.put(v.getKey(), n[0] > n[1]);
            }
            TextSplit partial = new TextSplit(cuts, agreed, Map.of());
            Map<String, Long> validation = new TreeMap<>();
            for (var e : sorted.entrySet()) {
                long n = 0;
                for (long k : e.getValue()) if (partial.validation(e.getKey(), k)) n++;
                validation.put(e.getKey(), n);
            }
            return new TextSplit(cuts, agreed, validation);
        }

        /**
         * The cut (largest key on the validation side, -1 for none) that puts as near {@code want} of the sorted
         * keys as possible on the validation side without splitting equal keys; on a tie, the larger side.
         */
        static long cut(long[] sorted, long want) {
            if (want <= 0 || sorted.length == 0) return -1;
            long at = sorted[(int) Math.min(want, sorted.length) - 1];
            int upTo = upper(sorted, at);      // rows with key <= at
            int below = lower(sorted, at);     // rows with key < at
            if (upTo - want <= want - below) return at;
            return below == 0 ? -1 : sorted[below - 1];
        }

        /** First index with a key greater than {@code k}. */
        private static int upper(long[] a, long k) {
            int lo = 0, hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] <= k) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        /** First index with a key not less than {@code k}. */
        private static int lower(long[] a, long k) {
            int lo = 0, hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < k) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }
}
