package dev.switchboard.app.export;

import dev.switchboard.inference.redact.Redactor;
import java.util.Map;

/** One real row before and after redaction, for the dialog's preview. */
public record PreviewRow(long ticketId, String team, String priority, String kind, String before, String after,
                         Map<Redactor.Kind, Integer> counts) {
    public int redactions() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
