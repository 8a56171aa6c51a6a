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

    /**
     * Function words and courtesy phrases of English and German beyond {@link #STOP}: they carry no
     * topic, so they are never shown as evidence (shared-term highlights, burst labels). Deliberately
     * display-only: the scoring vocabulary stays as it is, so no model figure moves with this list.
     */
    private static final Set<String> FUNCTION_WORDS = Set.of(
            // English
            "about", "after", "again", "all", "also", "any", "because", "before", "being", "both", "cannot", "cant",
            "did", "doing", "dont", "doesnt", "didnt", "each", "few", "got", "get", "here", "how", "just", "more",
            "most", "now", "only", "other", "out", "over", "same", "should", "since", "some", "still", "such",
            "than", "too", "under", "until", "up", "very", "why", "yet", "isnt", "wont", "ive", "anyone", "someone",
            "kind", "best", "cheers", "advance", "team", "hey", "today", "already", "always", "currently", "make",
            // German
            "aber", "alle", "als", "am", "an", "auch", "aus", "bei", "bin", "bis", "da", "damit", "dann",
            "dass", "daß", "dein", "den", "denn", "dich", "dir", "doch", "dort", "du", "durch", "einem", "einen",
            "einer", "eines", "er", "etwas", "euch", "gegen", "gibt", "hab", "habe", "haben", "hat", "hatte",
            "hier", "ihm", "ihn", "ihr", "im", "ins", "jetzt", "kann", "kein", "keine", "können", "leider", "man",
            "mehr", "mein", "meine", "meinem", "meinen", "meiner", "mich", "mir", "muss", "nach", "nichts",
            "noch", "nun", "nur", "ob", "oder", "ohne", "schon", "sehr", "sein", "seit", "sind", "soll", "über",
            "um", "uns", "unter", "vom", "vor", "war", "waren", "was", "weil", "wenn", "wer", "wie", "wieder",
            "wird", "wo", "zum", "zur", "danke", "hallo", "gruß", "grüße", "viele", "freundlichen", "liebe",
            "lieber", "vielen", "dank", "darauf", "daran", "dabei", "dafür", "dazu", "davon", "tun", "machen",
            "geht", "gerade", "heute", "bereits", "immer");

    private TextAnalyzer() {}

    /**
     * Whether a token is too common to show as evidence: a stop word or a function word of English or
     * German (see {@link #FUNCTION_WORDS}). Scoring does not use this.
     */
    public static boolean isFunctionWord(String token) {
        String t = normalise(token);
        return STOP.contains(t) || FUNCTION_WORDS.contains(t);
    }

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
