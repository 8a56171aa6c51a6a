package dev.switchboard.app.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which column of the file holds which ticket field. Only {@code body} is required (the subject falls
 * back to the body's first line); {@code body} may name several columns, joined with a blank line.
 * Null or blank names mean "not mapped".
 */
public record ColumnMapping(String subject, List<String> body, String id, String requester, String created,
                            String team, String priority) {

    public ColumnMapping {
        body = body == null ? List.of() : body.stream().filter(Objects::nonNull).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        subject = blankToNull(subject);
        id = blankToNull(id);
        requester = blankToNull(requester);
        created = blankToNull(created);
        team = blankToNull(team);
        priority = blankToNull(priority);
        if (subject == null && body.isEmpty()) {
            throw new IllegalArgumentException("map at least a subject or a body column");
        }
    }

    /** Subject and body only. */
    public static ColumnMapping of(String subject, String... body) {
        return new ColumnMapping(subject, List.of(body), null, null, null, null, null);
    }

    public ColumnMapping withId(String c) { return new ColumnMapping(subject, body, c, requester, created, team, priority); }
    public ColumnMapping withRequester(String c) { return new ColumnMapping(subject, body, id, c, created, team, priority); }
    public ColumnMapping withCreated(String c) { return new ColumnMapping(subject, body, id, requester, c, team, priority); }
    public ColumnMapping withTeam(String c) { return new ColumnMapping(subject, body, id, requester, created, c, priority); }
    public ColumnMapping withPriority(String c) { return new ColumnMapping(subject, body, id, requester, created, team, c); }

    /** Field name → column, in a stable order, for messages ("subject", "body", "body#2", ...). */
    public Map<String, String> mapped() {
        Map<String, String> m = new LinkedHashMap<>();
        if (subject != null) m.put("subject", subject);
        for (int i = 0; i < body.size(); i++) m.put(i == 0 ? "body" : "body#" + (i + 1), body.get(i));
        if (id != null) m.put("id", id);
        if (requester != null) m.put("requester", requester);
        if (created != null) m.put("created", created);
        if (team != null) m.put("team", team);
        if (priority != null) m.put("priority", priority);
        return m;
    }

    /** The same mapping with every column name replaced through {@code resolve}. */
    ColumnMapping resolve(java.util.function.UnaryOperator<String> resolve) {
        List<String> b = new ArrayList<>();
        for (String c : body) b.add(resolve.apply(c));
        return new ColumnMapping(r(resolve, subject), b, r(resolve, id), r(resolve, requester), r(resolve, created),
                r(resolve, team), r(resolve, priority));
    }

    private static String r(java.util.function.UnaryOperator<String> f, String s) {
        return s == null ? null : f.apply(s);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
