package dev.switchboard.inference.dup;

import java.time.Instant;
import java.util.List;

/**
 * Several similar tickets that arrived close together ("6 similar in the last 30 minutes").
 *
 * @param ids            members, oldest first
 * @param first          arrival of the oldest member
 * @param last           arrival of the newest member
 * @param meanProbability mean pairwise duplicate probability over the linking pairs
 * @param sharedTerms    terms most members share, for a label
 */
public record Burst(List<String> ids, Instant first, Instant last, double meanProbability, List<String> sharedTerms) {
    public Burst {
        ids = List.copyOf(ids);
        sharedTerms = List.copyOf(sharedTerms);
    }

    public int size() {
        return ids.size();
    }
}
