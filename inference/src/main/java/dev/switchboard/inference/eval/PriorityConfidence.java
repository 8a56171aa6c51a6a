package dev.switchboard.inference.eval;

import dev.switchboard.inference.TriageSuggestion;

/** Optional: an engine that can say whether a suggestion's top priority clears its threshold. */
public interface PriorityConfidence {
    boolean priorityConfident(TriageSuggestion suggestion);
}
