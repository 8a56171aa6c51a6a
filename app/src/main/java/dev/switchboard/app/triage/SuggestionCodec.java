package dev.switchboard.app.triage;

import dev.switchboard.inference.Evidence;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.persistence.store.SuggestionData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Flattens an engine's suggestion into the store's columns and back: top lists as
 * {@code label=p;label=p}, evidence as {@code id|team|similarity;...}.
 */
public final class SuggestionCodec {
    private SuggestionCodec() {}

    public record EvidenceRef(long ticketId, String team, double similarity) {}

    public static SuggestionData encode(TriageSuggestion s) {
        return new SuggestionData(s.engine(), s.model() == null ? "" : s.model(), s.status().name(), s.topTeam(),
                s.topPriority(), s.confidence(), s.confident(), predictions(s.teams(), 8), predictions(s.priorities(), 6),
                s.rationale(), evidence(s.evidence()), s.note(), s.latencyMicros() / 1000.0);
    }

    static String predictions(List<Prediction> ps, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, ps.size()); i++) {
            if (i > 0) sb.append(';');
            sb.append(clean(ps.get(i).label())).append('=').append(String.format(Locale.ROOT, "%.4f", ps.get(i).probability()));
        }
        return sb.toString();
    }

    static String evidence(List<Evidence> ev) {
        StringBuilder sb = new StringBuilder();
        for (Evidence e : ev) {
            if (e.ticketId() == null || !e.ticketId().chars().allMatch(Character::isDigit)) continue;
            String item = e.ticketId() + '|' + clean(e.team()) + '|' + String.format(Locale.ROOT, "%.3f", e.similarity());
            if (sb.length() + item.length() + 1 > 1900) break;
            if (!sb.isEmpty()) sb.append(';');
            sb.append(item);
        }
        return sb.toString();
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace(";", ",").replace("=", "-").replace("|", "/");
    }

    public static List<Prediction> decodePredictions(String s) {
        List<Prediction> out = new ArrayList<>();
        if (s == null || s.isBlank()) return out;
        for (String part : s.split(";")) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) continue;
            try {
                out.add(new Prediction(part.substring(0, eq), Double.parseDouble(part.substring(eq + 1))));
            } catch (NumberFormatException ignored) {
                // skip a damaged entry rather than lose the card
            }
        }
        return out;
    }

    public static List<EvidenceRef> decodeEvidence(String s) {
        List<EvidenceRef> out = new ArrayList<>();
        if (s == null || s.isBlank()) return out;
        for (String part : s.split(";")) {
            String[] f = part.split("\\|", -1);
            if (f.length != 3) continue;
            try {
                out.add(new EvidenceRef(Long.parseLong(f[0]), f[1], Double.parseDouble(f[2])));
            } catch (NumberFormatException ignored) {
                // skip
            }
        }
        return out;
    }
}
