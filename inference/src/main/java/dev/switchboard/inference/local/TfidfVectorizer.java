package dev.switchboard.inference.local;

import dev.switchboard.inference.text.TextAnalyzer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TF-IDF over two blocks: word uni- and bigrams (stop words removed) and character 3-5-grams taken
 * inside word boundaries. Sublinear term frequency, smoothed idf, each block L2-normalised and the
 * whole vector scaled to unit length. The vocabulary is fixed when fitted; unseen terms are ignored.
 */
final class TfidfVectorizer {

    /** Features are computed from at most this many characters (5 MB tickets stay cheap). */
    static final int MAX_CHARS = 8000;

    final Map<String, Integer> wordVocab;
    final Map<String, Integer> charVocab;
    final float[] idf;
    final String[] wordNames;
    final int docs;

    TfidfVectorizer(Map<String, Integer> wordVocab, Map<String, Integer> charVocab, float[] idf,
                            String[] wordNames, int docs) {
        this.docs = docs;
        this.wordVocab = wordVocab;
        this.charVocab = charVocab;
        this.idf = idf;
        this.wordNames = wordNames;
    }

    int dimension() {
        return idf.length;
    }

    int wordFeatures() {
        return wordVocab.size();
    }

    /** Name of a word feature, or null for a character feature. */
    String name(int feature) {
        return feature < wordNames.length ? wordNames[feature] : null;
    }

    static TfidfVectorizer fit(List<String> docs, int minDf) {
        Map<String, int[]> wordDf = new HashMap<>();
        Map<String, int[]> charDf = new HashMap<>();
        for (String d : docs) {
            Terms t = terms(d);
            for (String w : t.words.keySet()) wordDf.computeIfAbsent(w, k -> new int[1])[0]++;
            for (String c : t.chars.keySet()) charDf.computeIfAbsent(c, k -> new int[1])[0]++;
        }
        int n = docs.size();
        int effMinDf = n < 50 ? 1 : minDf;
        Map<String, Integer> wv = new HashMap<>();
        Map<String, Integer> cv = new HashMap<>();
        List<Float> idfs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (var e : wordDf.entrySet()) {
            if (e.getValue()[0] >= effMinDf) {
                wv.put(e.getKey(), idfs.size());
                names.add(e.getKey());
                idfs.add(idf(n, e.getValue()[0]));
            }
        }
        for (var e : charDf.entrySet()) {
            if (e.getValue()[0] >= effMinDf) {
                cv.put(e.getKey(), idfs.size());
                idfs.add(idf(n, e.getValue()[0]));
            }
        }
        float[] idf = new float[idfs.size()];
        for (int i = 0; i < idf.length; i++) idf[i] = idfs.get(i);
        return new TfidfVectorizer(wv, cv, idf, names.toArray(String[]::new), n);
    }

    private static float idf(int n, int df) {
        return (float) (Math.log((1.0 + n) / (1.0 + df)) + 1.0);
    }

    SparseVec transform(String text) {
        Terms t = terms(text);
        int[] idx = new int[t.words.size() + t.chars.size()];
        float[] val = new float[idx.length];
        int m = 0;
        int wordEnd;
        double wn = 0;
        for (var e : t.words.entrySet()) {
            Integer f = wordVocab.get(e.getKey());
            if (f == null) continue;
            float v = (float) ((1 + Math.log(e.getValue()[0])) * idf[f]);
            idx[m] = f;
            val[m++] = v;
            wn += v * v;
        }
        wordEnd = m;
        double cn = 0;
        for (var e : t.chars.entrySet()) {
            Integer f = charVocab.get(e.getKey());
            if (f == null) continue;
            float v = (float) ((1 + Math.log(e.getValue()[0])) * idf[f]);
            idx[m] = f;
            val[m++] = v;
            cn += v * v;
        }
        int blocks = (wn > 0 ? 1 : 0) + (cn > 0 ? 1 : 0);
        if (blocks == 0) return SparseVec.EMPTY;
        double bs = 1.0 / Math.sqrt(blocks);
        double ws = wn > 0 ? bs / Math.sqrt(wn) : 0;
        double cs = cn > 0 ? bs / Math.sqrt(cn) : 0;
        for (int i = 0; i < m; i++) val[i] = (float) (val[i] * (i < wordEnd ? ws : cs));
        return new SparseVec(java.util.Arrays.copyOf(idx, m), java.util.Arrays.copyOf(val, m));
    }

    /** Buckets for words outside the fitted vocabulary in {@link #wordVector}. */
    static final int RARE_BUCKETS = 1 << 18;

    /** Size of the {@link #wordVector} index space. */
    int wordVectorDimension() {
        return wordVocab.size() + RARE_BUCKETS;
    }

    /**
     * The word block alone (uni- and bigrams), unit length: for lexical nearest neighbours. Words the
     * vocabulary lacks (rare at fit time, or new since) are hashed into buckets after the vocabulary
     * with the idf of an unseen term, so tickets learned after training still match on them.
     */
    SparseVec wordVector(String text) {
        Terms t = terms(text);
        java.util.TreeMap<Integer, Float> out = new java.util.TreeMap<>();
        float rareIdf = idf(docs, 0);
        double wn = 0;
        for (var e : t.words.entrySet()) {
            Integer f = wordVocab.get(e.getKey());
            float id = f == null ? rareIdf : idf[f];
            int feature = f != null ? f : wordVocab.size() + Math.floorMod(e.getKey().hashCode(), RARE_BUCKETS);
            float v = (float) ((1 + Math.log(e.getValue()[0])) * id);
            out.merge(feature, v, Float::sum);
            wn += v * v;
        }
        if (out.isEmpty()) return SparseVec.EMPTY;
        int[] idx = new int[out.size()];
        float[] val = new float[out.size()];
        int m = 0;
        double sc = 1.0 / Math.sqrt(wn);
        for (var e : out.entrySet()) {
            idx[m] = e.getKey();
            val[m++] = (float) (e.getValue() * sc);
        }
        return new SparseVec(idx, val);
    }

    record Terms(Map<String, int[]> words, Map<String, int[]> chars) {}

    private static final java.util.regex.Pattern EMAIL =
            java.util.regex.Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");
    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile("(https?://|www\\.)\\S+");

    /** Generic masking before tokenising: e-mail addresses and URLs become one token each. */
    static String mask(String s) {
        if (s.indexOf('@') >= 0) s = EMAIL.matcher(s).replaceAll(" emailaddress ");
        if (s.contains("http") || s.contains("www.")) s = URL.matcher(s).replaceAll(" urladdress ");
        return s;
    }

    static Terms terms(String text) {
        String s = text == null ? "" : text;
        if (s.length() > MAX_CHARS) s = s.substring(0, MAX_CHARS);
        s = mask(s);
        Map<String, int[]> words = new HashMap<>();
        List<String> toks = TextAnalyzer.tokens(s);
        String prev = null;
        for (String w : toks) {
            words.computeIfAbsent(w, k -> new int[1])[0]++;
            if (prev != null) words.computeIfAbsent(prev + ' ' + w, k -> new int[1])[0]++;
            prev = w;
        }
        Map<String, int[]> chars = new HashMap<>();
        String norm = TextAnalyzer.normalise(s);
        int n = norm.length();
        int i = 0;
        StringBuilder sb = new StringBuilder();
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(norm.charAt(i))) i++;
            int start = i;
            while (i < n && Character.isLetterOrDigit(norm.charAt(i))) i++;
            if (i == start) continue;
            int len = Math.min(i - start, 30);
            sb.setLength(0);
            sb.append(' ').append(norm, start, start + len).append(' ');
            String p = sb.toString();
            int pl = p.length();
            for (int g = 3; g <= 5; g++) {
                for (int a = 0; a + g <= pl; a++) chars.computeIfAbsent(p.substring(a, a + g), k -> new int[1])[0]++;
                if (g >= pl) break;
            }
        }
        return new Terms(words, chars);
    }

    /** Distinct word unigrams of a text (for BM25), in first-seen order. */
    static List<String> unigrams(String text) {
        String s = text == null ? "" : text;
        if (s.length() > MAX_CHARS) s = s.substring(0, MAX_CHARS);
        s = mask(s);
        return TextAnalyzer.tokens(s);
    }

    static Set<String> distinct(List<String> toks) {
        return new HashSet<>(toks);
    }
}
