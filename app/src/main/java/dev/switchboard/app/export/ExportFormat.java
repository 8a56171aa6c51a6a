package dev.switchboard.app.export;

import java.util.Arrays;
import java.util.Locale;

/** Dataset file formats. */
public enum ExportFormat {
    /** OpenAI chat fine-tuning: one {@code {"messages": [system, user, assistant]}} per line. */
    OPENAI_JSONL("openai-jsonl", "jsonl", "OpenAI chat JSONL"),
    /** {@code {"instruction", "input", "output"}} per line, for LoRA / Alpaca-style tools. */
    INSTRUCTION_JSONL("instruction-jsonl", "jsonl", "Instruction JSONL"),
    /** One row per ticket with labels, suggestion and decision metadata. */
    CSV("csv", "csv", "CSV");

    private final String id;
    private final String extension;
    private final String label;

    ExportFormat(String id, String extension, String label) {
        this.id = id;
        this.extension = extension;
        this.label = label;
    }

    public String id() {
        return id;
    }

    public String extension() {
        return extension;
    }

    public String label() {
        return label;
    }

    public static ExportFormat parse(String s) {
        String k = s.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(k) || f.name().equalsIgnoreCase(k)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown format '" + s + "' (openai-jsonl, instruction-jsonl, csv)"));
    }

    @Override
    public String toString() {
        return label;
    }
}
