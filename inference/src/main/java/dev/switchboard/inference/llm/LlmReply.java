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
import java.util.regex.Pattern;

/**
 * The model's reply as parsed, before validation against the taxonomy. Parsing is lenient: code
 * fences, {@code <think>} blocks and prose around the JSON object are ignored; single quotes,
 * comments, trailing commas and differently-cased keys are accepted; a confidence given as
 * {@code "85%"} or {@code 85} becomes 0.85.
 *
 * @param confidence 0..1, or NaN when the model gave none
 */
public record LlmReply(String team, String priority, double confidence, String rationale, String duplicateOf) {

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

    private static final Pattern THINK = Pattern.compile("(?is)<think>.*?</think>");
    private static final Pattern FENCE = Pattern.compile("(?s)```[a-zA-Z]*\\s*(.*?)```");
    private static final int MAX_RATIONALE = 500;

    public static LlmReply parse(String raw) throws MalformedReplyException {
        if (raw == null || raw.isBlank()) throw new MalformedReplyException("the reply was empty");
        String s = THINK.matcher(raw).replaceAll("").strip();
        var fence = FENCE.matcher(s);
        if (fence.find() && fence.group(1).contains("{")) s = fence.group(1).strip();
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
        double confidence = confidence(field(node, "confidence", "probability", "score"));
        String rationale = text(field(node, "rationale", "reason", "explanation"));
        String dup = text(field(node, "duplicate_of", "duplicateof", "duplicate"));
        if (rationale != null) {
            rationale = rationale.replaceAll("[\\p{Cc}\\p{Cf}&&[^\\n]]", "").replaceAll("\\s+", " ").strip();
            if (rationale.length() > MAX_RATIONALE) rationale = rationale.substring(0, MAX_RATIONALE) + "\u2026";
        }
        return new LlmReply(team, priority, confidence, rationale == null ? "" : rationale, dup);
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

    private static double confidence(JsonNode v) {
        if (v == null || v.isNull()) return Double.NaN;
        double d;
        if (v.isNumber()) {
            d = v.asDouble();
        } else {
            String s = v.asText().strip();
            boolean pct = s.endsWith("%");
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
        if (d > 1.0 && d <= 100.0) d /= 100.0;
        return Math.max(0.0, Math.min(1.0, d));
    }

    public Optional<String> duplicate() {
        return Optional.ofNullable(duplicateOf);
    }
}
