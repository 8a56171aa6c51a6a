package dev.switchboard.app.export;

import dev.switchboard.inference.llm.PromptBuilder;
import dev.switchboard.persistence.store.ExportQuery;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything one export needs.
 *
 * @param includeUnreviewed also export tickets whose final label is a bulk accept nobody reviewed
 * @param redact            PII redaction (on by default)
 * @param redactPatterns    extra regular expressions a lead adds; matches become {@code [CUSTOM]}
 * @param seed              seed for balancing samples and the random split
 * @param overwrite         replace existing export files in {@code outDir} (only once the new ones are complete)
 * @param template          prompt template (the one the LLM engine uses; defaults to the built-in one)
 */
public record ExportOptions(ExportFormat format, Path outDir, ExportQuery query, boolean includeUnreviewed,
                            Balance balance, Split split, boolean redact, List<String> redactPatterns, long seed,
                            boolean overwrite, PromptBuilder.Template template) {

    public static final long DEFAULT_SEED = 42;

    public ExportOptions {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(outDir, "outDir");
        query = query == null ? ExportQuery.all() : query;
        balance = balance == null ? Balance.NONE : balance;
        split = split == null ? new Split.None() : split;
        redactPatterns = redactPatterns == null ? List.of() : List.copyOf(redactPatterns);
        template = template == null ? PromptBuilder.Template.defaults() : template;
    }

    /** Defaults: all decided tickets, reviewed only, no balancing, no split, redaction on. */
    public static ExportOptions defaults(ExportFormat format, Path outDir) {
        return new ExportOptions(format, outDir, ExportQuery.all(), false, Balance.NONE, new Split.None(), true,
                List.of(), DEFAULT_SEED, false, null);
    }

    public ExportOptions withQuery(ExportQuery q) {
        return new ExportOptions(format, outDir, q, includeUnreviewed, balance, split, redact, redactPatterns, seed, overwrite, template);
    }

    public ExportOptions withBalance(Balance b) {
        return new ExportOptions(format, outDir, query, includeUnreviewed, b, split, redact, redactPatterns, seed, overwrite, template);
    }

    public ExportOptions withSplit(Split s) {
        return new ExportOptions(format, outDir, query, includeUnreviewed, balance, s, redact, redactPatterns, seed, overwrite, template);
    }

    public ExportOptions withIncludeUnreviewed(boolean on) {
        return new ExportOptions(format, outDir, query, on, balance, split, redact, redactPatterns, seed, overwrite, template);
    }

    public ExportOptions withRedaction(boolean on, List<String> patterns) {
        return new ExportOptions(format, outDir, query, includeUnreviewed, balance, split, on, patterns, seed, overwrite, template);
    }

    public ExportOptions withOverwrite(boolean on) {
        return new ExportOptions(format, outDir, query, includeUnreviewed, balance, split, redact, redactPatterns, seed, on, template);
    }

    public ExportOptions withSeed(long s) {
        return new ExportOptions(format, outDir, query, includeUnreviewed, balance, split, redact, redactPatterns, s, overwrite, template);
    }
}
