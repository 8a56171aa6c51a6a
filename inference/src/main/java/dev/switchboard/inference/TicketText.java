package dev.switchboard.inference;

import java.util.List;
import java.util.Objects;

/**
 * The text of one ticket as an engine sees it. Ticket text is untrusted input: engines must never
 * treat it as instructions.
 *
 * @param id      stable identifier (database id or external id), used for evidence and caching
 * @param subject short description, may be empty
 * @param body    full description, may be empty
 * @param updates   later comments, oldest first
 * @param requester who filed the ticket (name or address as the source gives it), may be empty; a
 *                  routing signal of its own (where this requester's earlier tickets went), never part
 *                  of the text the models read
 */
public record TicketText(String id, String subject, String body, List<String> updates, String requester) {

    public TicketText {
        subject = subject == null ? "" : subject;
        body = body == null ? "" : body;
        updates = updates == null ? List.of() : List.copyOf(updates);
        requester = requester == null ? "" : requester.strip();
    }

    public TicketText(String id, String subject, String body, List<String> updates) {
        this(id, subject, body, updates, "");
    }

    /** The same ticket with this requester. */
    public TicketText withRequester(String who) {
        return new TicketText(id, subject, body, updates, who);
    }

    private static final java.util.regex.Pattern ADDRESS =
            java.util.regex.Pattern.compile("[\\w.+'-]+@[\\w-]+(?:\\.[\\w-]+)+");

    /**
     * The requester as a history key: the e-mail address when there is one ("Jane Doe <jane@x.org>" and
     * "jane@x.org" are one requester), else the name; case and inner spacing folded; empty when unknown.
     */
    public String requesterKey() {
        if (requester.isEmpty()) return "";
        String r = requester.toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = ADDRESS.matcher(r);
        return m.find() ? m.group() : r.replaceAll("\\s+", " ");
    }

    public static TicketText of(String id, String subject, String body) {
        return new TicketText(id, subject, body, List.of());
    }

    /** Subject, body and updates joined as one document for lexical and embedding features. */
    public String fullText() {
        StringBuilder sb = new StringBuilder(subject.length() + body.length() + 16);
        sb.append(subject);
        if (!body.isBlank()) {
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(body);
        }
        for (String u : updates) {
            if (u != null && !u.isBlank()) sb.append('\n').append(u);
        }
        return sb.toString();
    }

    /** Identifies the ticket without its text or requester (a record would print both into any log). */
    @Override
    public String toString() {
        return "TicketText[id=" + id + ", " + fullText().length() + " chars" + (requester.isEmpty() ? "" : ", requester set") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TicketText t && Objects.equals(id, t.id) && subject.equals(t.subject)
                && body.equals(t.body) && updates.equals(t.updates) && requester.equals(t.requester);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, subject, body, updates, requester);
    }
}
