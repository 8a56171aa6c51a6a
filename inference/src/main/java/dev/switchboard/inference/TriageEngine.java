package dev.switchboard.inference;

/**
 * Suggests a team and priority for a ticket. Implementations must be safe to call from several
 * background threads and must never be called on the JavaFX thread.
 */
public interface TriageEngine {

    /** Never returns null; failures come back as a suggestion with status ERROR or FALLBACK. */
    TriageSuggestion suggest(TicketText ticket, TriageContext context);

    /** Short engine id recorded with every suggestion ("local", "llm"). */
    String id();
}
