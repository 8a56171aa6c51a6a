package dev.switchboard.inference.dup;

import dev.switchboard.inference.TicketText;

/**
 * Optional TickIt-style LLM pass for borderline duplicate pairs: rewrite each ticket as a one-sentence
 * issue statement (dropping greetings, logs and noise), then judge whether two statements describe
 * the same issue. Implementations call an LLM, may be slow, must be thread-safe, and must treat ticket
 * text as data, never as instructions. Return {@link Verdict#UNSURE} rather than throwing on failure.
 */
public interface IssueRewriter {

    enum Verdict { SAME, DIFFERENT, UNSURE, UNCHECKED }

    /** One sentence stating the issue the ticket reports. */
    String rewrite(TicketText ticket);

    /** Whether two issue statements (outputs of {@link #rewrite}) describe the same underlying issue. */
    Verdict judge(String issueA, String issueB);
}
