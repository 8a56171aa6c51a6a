package dev.switchboard.inference.dup;

import dev.switchboard.inference.TicketText;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lexical terms of a ticket for duplicate detection: word tokens ({@link #words}: NFKC, lower case,
 * runs of letters/digits of 2..40 characters, common English/German stop words removed; the same rules
 * as the shared {@code TextAnalyzer}, kept here so duplicate scoring does not shift when that one is
 * tuned for routing) plus
 * identifiers that matter in technical reports and that word splitting loses or blurs:
 * <ul>
 *   <li>dotted / hash / slash chains kept whole ({@code dfs.namenode.name.dir},
 *       {@code ITestAbfsInputStreamStatistics#testReadAheadCounters}, {@code org.apache.hadoop.fs.Path});</li>
 *   <li>issue keys, error codes and versions ({@code HADOOP-16912}, {@code 0x80070005}, {@code 13.2},
 *       {@code 2.9.10.3}, {@code 4.1.46.Final});</li>
 *   <li>the parts of CamelCase identifiers ({@code ZStandardCodec} also yields {@code standard},
 *       {@code codec}) so a class name matches prose about it.</li>
 * </ul>
 * Subject words count {@link #SUBJECT_WEIGHT} times: a ticket's title states the issue, its body mixes
 * the issue with logs and context (the same reasoning as field weighting in BM25F).
 */
public final class DupTerms {

    /** How much more a subject token counts than a body token. */
    public static final float SUBJECT_WEIGHT = 2f;

    private static final Pattern CHAIN = Pattern.compile(
            "[A-Za-z_$][\\w$]*(?:[.#:/][A-Za-z_$][\\w$]*)+(?:\\(\\))?");
    private static final Pattern CODE = Pattern.compile(
            "\\b[A-Z][A-Z0-9]{1,15}-\\d{1,7}\\b|\\b0x[0-9A-Fa-f]{4,16}\\b|(?<![\\w.])\\d+(?:\\.\\d+)+(?:[.-]?[A-Za-z]\\w*)?(?![\\w.])");
    private static final Pattern CAMEL = Pattern.compile("\\b[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*\\b");
    private static final Pattern CAMEL_PART = Pattern.compile("[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\\d+");


    private DupTerms() {}

    /** Word tokens of a text, stop words removed. */
    public static List<String> words(String text) {
        return dev.switchboard.inference.text.TextAnalyzer.tokens(text);
    }

    /** Term frequencies (weighted) of a ticket: subject words count double, identifiers once each. */
    public static Map<String, Float> of(TicketText t) {
        Map<String, Float> tf = new LinkedHashMap<>();
        addText(tf, t.subject(), SUBJECT_WEIGHT);
        addText(tf, t.body(), 1f);
        for (String u : t.updates()) addText(tf, u, 1f);
        return tf;
    }

    /** Terms of one free text at weight 1. */
    public static Map<String, Float> of(String text) {
        Map<String, Float> tf = new LinkedHashMap<>();
        addText(tf, text, 1f);
        return tf;
    }

    static void addText(Map<String, Float> tf, String text, float w) {
        if (text == null || text.isBlank()) return;
        for (String tok : words(text)) tf.merge(tok, w, Float::sum);
        Matcher m = CHAIN.matcher(text);
        while (m.find()) {
            String s = m.group();
            if (s.startsWith("http") || s.length() > 120) continue;
            tf.merge(s.toLowerCase(Locale.ROOT), w, Float::sum);
        }
        m = CODE.matcher(text);
        while (m.find()) tf.merge(m.group().toLowerCase(Locale.ROOT), w, Float::sum);
        m = CAMEL.matcher(text);
        while (m.find()) {
            Matcher p = CAMEL_PART.matcher(m.group());
            int parts = 0;
            while (p.find()) parts++;
            if (parts < 2) continue;
            p.reset();
            while (p.find()) {
                String part = p.group().toLowerCase(Locale.ROOT);
                if (part.length() >= 3) tf.merge(part, w * 0.5f, Float::sum);
            }
        }
    }

    /** True for terms that look like identifiers rather than words (shown first as evidence). */
    public static boolean isIdentifier(String term) {
        boolean digit = false, letter = false;
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '.' || c == '#' || c == '-' || c == '/' || c == ':' || c == '_') return true;
            digit |= Character.isDigit(c);
            letter |= Character.isLetter(c);
        }
        return digit && letter;
    }
}
