package dev.switchboard.inference.dup;

import java.time.Instant;
import java.util.List;

/**
 * One probable duplicate of a query ticket.
 *
 * @param id           the candidate ticket's id
 * @param probability  duplicate likelihood in [0, 1] from the finder's calibration (feedback-adapted)
 * @param cosine       semantic similarity: mean of the full-text and the subject embedding cosines
 * @param lexical      TF-IDF cosine over words and identifiers, in [0, 1]
 * @param sharedTerms  salient shared terms, most telling first (identifiers, rare words), for highlighting
 * @param created      when the candidate was created
 * @param open         whether the candidate is still open
 * @param suggested    probability is at or above the finder's suggestion threshold
 * @param confirmed    a dispatcher already confirmed this pair
 * @param verdict      the optional LLM check's verdict, {@link IssueRewriter.Verdict#UNCHECKED} if none ran
 */
public record DuplicateCandidate(String id, double probability, double cosine, double lexical,
                                 List<String> sharedTerms, Instant created, boolean open, boolean suggested,
                                 boolean confirmed, IssueRewriter.Verdict verdict) {

    public DuplicateCandidate {
        sharedTerms = List.copyOf(sharedTerms);
    }

    DuplicateCandidate withVerdict(IssueRewriter.Verdict v, double p, double suggestAt) {
        return new DuplicateCandidate(id, p, cosine, lexical, sharedTerms, created, open, p >= suggestAt, confirmed, v);
    }
}
