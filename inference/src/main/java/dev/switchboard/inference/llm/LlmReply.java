package dev.switchboard.inference.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The model's reply as parsed, before validation against the taxonomy. Parsing is lenient: code
 * fences, {@code <think>} blocks and prose around the JSON object are ignored; single quotes,
 * comments, trailing commas and differently-cased keys are accepted; a confidence given as
 * {@code "85%"} or {@code 85} becomes 0.85, "high"/"medium"/"low" 0.85/0.6/0.3. A confidence that is
 * not a number or falls outside 0–1 (after the percent conversion: {@code "9999%"}, {@code 250},
 * {@code -3}) is invalid: it counts as missing and {@code confidenceProblem} says why.
 *
 * @param confidence        0..1, or NaN when the model gave none or an invalid one
 * @param confidenceProblem why a confidence the model gave was ignored, or null
 */
public record LlmReply(String team, String priority, double confidence, String rationale, String duplicateOf,
                       String confidenceProblem) {

    /** The reply is not a JSON object we can read. The message never contains the reply text. */
    public static final class MalformedReplyException extends Exception {
        public MalformedReplyException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_TRAILING_COMMA,
                    JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
                    JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS, JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final int MAX_RATIONALE = 500;

    public static LlmReply parse(String raw) throws MalformedReplyException {
        if (raw == null || raw.isBlank()) throw new MalformedReplyException("the reply was empty");
        String s = stripThink(raw).strip();
        String fenced = fenced(s);
        if (fenced != null && fenced.contains("{")) s = fenced.strip();
        int start = s.indexOf('{');
        int end = s.lastIndexOf('}');
        if (start < 0 || end <= start) throw new MalformedReplyException("the reply was not a JSON object");
        JsonNode node;
        try (JsonParser p = LENIENT.createParser(s.substring(start, end + 1))) {
            node = LENIENT.readTree(p);
        } catch (Exception e) {
            throw new MalformedReplyException("the reply was not valid JSON");
        }
        if (node == null || !node.isObject()) throw new MalformedReplyException("the reply was not a JSON object");
        String team = text(field(node, "team", "assigned_team", "assignment_group"));
        String priority = text(field(node, "priority"));
        JsonNode conf = field(node, "confidence", "probability", "score");
        double confidence = confidence(conf);
        String confidenceProblem = conf == null || conf.isNull() || !Double.isNaN(confidence) ? null
                : "the LLM's confidence " + quote(conf.isValueNode() ? conf.asText() : conf.toString())
                        + " is not a number from 0 to 1 (or 0 to 100%), so it counts as missing";
        String rationale = text(field(node, "rationale", "reason", "explanation"));
        String dup = text(field(node, "duplicate_of", "duplicateof", "duplicate"));
        if (rationale != null) {
            rationale = rationale.replaceAll("[\\p{Cc}\\p{Cf}&&[^\\n]]", "").replaceAll("\\s+", " ").strip();
            if (rationale.length() > MAX_RATIONALE) rationale = rationale.substring(0, MAX_RATIONALE) + "\u2026";
        }
        return new LlmReply(team, priority, confidence, rationale == null ? "" : rationale, dup, confidenceProblem);
    }

    /*
     * The two helpers below replace the regular expressions (?is)<think>.*?</think> (all removed) and
     * (?s)```[a-zA-Z]*\s*(.*?)``` (first match, group 1) with the same results in linear time: the fence
     * pattern backtracked quadratically on "```" followed by a long run of letters (the reply can be 2 MB).
     */

    /** {@code raw} without its {@code <think>…</think>} blocks (case-insensitive; an unclosed one stays). */
    static String stripThink(String raw) {
        int i = indexOfIgnoreCase(raw, "<think>", 0);
        if (i < 0) return raw;
        StringBuilder out = new StringBuilder(raw.length());
        int last = 0;
        while (i >= 0) {
            int close = indexOfIgnoreCase(raw, "</think>", i + 7);
            if (close < 0) break;
            out.append(raw, last, i);
            last = close + 8;
            i = indexOfIgnoreCase(raw, "<think>", last);
        }
        return out.append(raw, last, raw.length()).toString();
    }

    /** What the first {@code ```lang … ```} fence holds (after the language tag and whitespace), or null. */
    static String fenced(String s) {
        int open = s.indexOf("```");
        if (open < 0) return null;
        int p = open + 3;
        while (p < s.length() && ((s.charAt(p) >= 'a' && s.charAt(p) <= 'z') || (s.charAt(p) >= 'A' && s.charAt(p) <= 'Z'))) p++;
        while (p < s.length() && " \t\n\u000B\f\r".indexOf(s.charAt(p)) >= 0) p++;
        int close = s.indexOf("```", p);
        return close < 0 ? null : s.substring(p, close);
    }

    private static int indexOfIgnoreCase(String s, String needle, int from) {
        for (int i = s.indexOf('<', from); i >= 0 && i + needle.length() <= s.length(); i = s.indexOf('<', i + 1)) {
            if (s.regionMatches(true, i, needle, 0, needle.length())) return i;
        }
        return -1;
    }

    private static JsonNode field(JsonNode obj, String... names) {
        for (String n : names) {
            JsonNode v = obj.get(n);
            if (v != null) return v;
        }
        // case-insensitive / camelCase keys
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            var e = it.next();
            String k = e.getKey().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").strip();
            for (String n : names) if (k.equals(n.replace("_", ""))) return e.getValue();
        }
        return null;
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return null;
        String s = v.isValueNode() ? v.asText() : v.toString();
        s = s.strip();
        return s.isEmpty() || s.equalsIgnoreCase("null") || s.equalsIgnoreCase("none") ? null : s;
    }

    /** A short, printable rendering of a value the model sent. */
    private static String quote(String raw) {
        String t = raw.replaceAll("[\\p{Cc}\\p{Cf}]", "").strip();
        if (t.length() > 24) t = t.substring(0, 24) + "\u2026";
        return "\"" + t + "\"";
    }

    /** 0..1, or NaN when missing, unreadable or out of range. */
    private static double confidence(JsonNode v) {
        if (v == null || v.isNull()) return Double.NaN;
        double d;
        boolean pct = false;
        if (v.isNumber()) {
            d = v.asDouble();
        } else {
            String s = v.asText().strip();
            pct = s.endsWith("%");
            try {
                d = Double.parseDouble(pct ? s.substring(0, s.length() - 1).strip() : s);
            } catch (NumberFormatException e) {
                return switch (s.toLowerCase(Locale.ROOT)) {
                    case "high" -> 0.85;
                    case "medium" -> 0.6;
                    case "low" -> 0.3;
                    default -> Double.NaN;
                };
            }
            if (pct) d /= 100.0;
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) return Double.NaN;
        // a bare number above 1 is read as a percentage (85 -> 0.85); one with '%' already was
        if (!pct && d > 1.0 && d <= 100.0) d /= 100.0;
        return d >= 0.0 && d <= 1.0 ? d : Double.NaN;
    }

    public Optional<String> duplicate() {
        return Optional.ofNullable(duplicateOf);
    }
}
