package dev.switchboard.inference.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Shared tokenizer for lexical features (TF-IDF, BM25, duplicate evidence): Unicode-normalised,
 * lower-cased word tokens of letters and digits, with common English and German stop words removed.
 */
public final class TextAnalyzer {

    private static final Set<String> STOP = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "do", "does",
            "for", "from", "had", "has", "have", "he", "her", "his", "i", "if", "in", "into", "is", "it",
            "its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "so", "that", "the", "their",
            "them", "then", "there", "these", "they", "this", "to", "us", "was", "we", "were", "what",
            "when", "which", "while", "who", "will", "with", "would", "you", "your", "am", "im", "pls",
            "please", "hi", "hello", "dear", "regards", "thanks", "thank",
            "der", "die", "das", "und", "ist", "nicht", "ich", "sie", "mit", "den", "ein", "eine", "zu",
            "von", "auf", "für", "es", "bitte", "dem", "des", "sich", "auch", "wir");

    private TextAnalyzer() {}

    public static String normalise(String text) {
        if (text == null) return "";
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(java.util.Locale.ROOT);
    }

    /** Word tokens, stop words removed; tokens are 2..40 characters long. */
    public static List<String> tokens(String text) {
        String s = normalise(text);
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(s.charAt(i))) i++;
            int start = i;
            while (i < n && Character.isLetterOrDigit(s.charAt(i))) i++;
            int len = i - start;
            if (len >= 2 && len <= 40) {
                String tok = s.substring(start, i);
                if (!STOP.contains(tok)) out.add(tok);
            }
        }
        return out;
    }
}
