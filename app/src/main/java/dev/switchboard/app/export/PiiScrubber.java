package dev.switchboard.app.export;

import dev.switchboard.inference.llm.PromptBuilder;
import dev.switchboard.inference.redact.Redactor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Redacts one ticket's texts with the built-in passes, the lead's patterns and the requester's name
 * (taken from the requester field: "Jane Doe &lt;jane.doe@x.com&gt;", "Doe, Jane", or the
 * first.last local part of a bare address), and adds up what it replaced. {@link #scrub(String, List, Map)} and
 * {@link #preview} are thread-safe; the totals ({@link #scrub(String, List)}, {@link #add}) are not.
 */
public final class PiiScrubber {

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+");
    private static final Pattern LOCAL_SPLIT = Pattern.compile("[._-]+");
    private static final Pattern LETTERS = Pattern.compile("\\p{L}{2,}");
    /** "Merged duplicate #12 from Jane Doe &lt;jane@x.com&gt;: subject…", as {@code DuplicateLinks.merge} writes it. */
    private static final Pattern MERGE_NOTE = Pattern.compile("^Merged duplicate #\\d+ from (.+?): ");

    private final Redactor redactor;
    private final boolean enabled;
    private final EnumMap<Redactor.Kind, Long> totals = new EnumMap<>(Redactor.Kind.class);

    public PiiScrubber(boolean enabled, List<String> customPatterns) {
        this.enabled = enabled;
        Redactor.Builder b = Redactor.builder();
        for (String p : customPatterns) {
            try {
                b.pattern(p);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("redact pattern '" + p + "' is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        this.redactor = b.build();
    }

    public boolean enabled() {
        return enabled;
    }

    /** Redacts {@code text} (null gives ""); names come from {@code requester}. Adds to the totals. */
    public String scrub(String text, List<String> names) {
        if (text == null) return "";
        if (!enabled) return text;
        Redactor.Result r = redactor.redact(text, names);
        for (var e : r.counts().entrySet()) totals.merge(e.getKey(), (long) e.getValue(), Long::sum);
        return r.text();
    }

    /** Redacts and adds the counts to {@code into} (thread-safe when each thread has its own map). */
    public String scrub(String text, List<String> names, Map<Redactor.Kind, Integer> into) {
        if (text == null) return "";
        if (!enabled) return text;
        Redactor.Result r = redactor.redact(text, names);
        for (var e : r.counts().entrySet()) into.merge(e.getKey(), e.getValue(), Integer::sum);
        return r.text();
    }

    /**
     * Like {@link #scrub(String, List, Map)}, but only as much of {@code text} as a prompt field of
     * {@code max} characters carries is redacted and kept ({@link PromptBuilder#redactHead}: the rest is
     * cut off with the prompt's "[truncated N chars]" note), as the LLM engine does before sending.
     */
    public String scrubHead(String text, int max, List<String> names, Map<Redactor.Kind, Integer> into) {
        if (text == null) return "";
        if (!enabled) return text;
        return PromptBuilder.redactHead(text, max, t -> scrub(t, names, into));
    }

    /** Adds counts gathered by {@link #scrub(String, List, Map)} to the totals. */
    public void add(Map<Redactor.Kind, Integer> counts) {
        for (var e : counts.entrySet()) totals.merge(e.getKey(), (long) e.getValue(), Long::sum);
    }

    public Map<Redactor.Kind, Long> totals() {
        return Map.copyOf(totals);
    }

    /**
     * Redacts a ticket's updates one by one like its body (same passes, same requester names, counts
     * added to {@code into}); an update a duplicate merge wrote also has the merged ticket's requester
     * redacted (see {@link #mergedRequesterNames}).
     */
    public List<String> scrubUpdates(List<String> updates, List<String> names, Map<Redactor.Kind, Integer> into) {
        return scrubUpdates(updates, names, into, Integer.MAX_VALUE);
    }

    /** {@link #scrubUpdates(List, List, Map)} with each update redacted only up to a prompt field of {@code maxEach} ({@link #scrubHead}). */
    public List<String> scrubUpdates(List<String> updates, List<String> names, Map<Redactor.Kind, Integer> into, int maxEach) {
        if (updates == null || updates.isEmpty()) return List.of();
        List<String> out = new ArrayList<>(updates.size());
        for (String u : updates) {
            List<String> merged = mergedRequesterNames(u);
            List<String> un = names;
            if (!merged.isEmpty()) {
                un = new ArrayList<>(names);
                un.addAll(merged);
            }
            out.add(maxEach == Integer.MAX_VALUE ? scrub(u, un, into) : scrubHead(u, maxEach, un, into));
        }
        return out;
    }

    /**
     * The person names of the requester a duplicate merge copied onto the original as an update (the
     * update starts "Merged duplicate #N from REQUESTER: "): another person than the ticket's requester,
     * so the requester-name pass would not know them. Empty for any other update.
     */
    public static List<String> mergedRequesterNames(String update) {
        if (update == null || !update.startsWith("Merged duplicate #")) return List.of();
        Matcher m = MERGE_NOTE.matcher(update);
        if (!m.find() || m.group(1).equals("unknown requester")) return List.of();
        return requesterNames(m.group(1));
    }

    /** Person names found in a requester field (display name, and the parts of a first.last address). */
    public static List<String> requesterNames(String requester) {
        List<String> out = new ArrayList<>();
        if (requester == null || requester.isBlank()) return out;
        String r = requester.strip();
        int lt = r.indexOf('<');
        String display = lt >= 0 ? r.substring(0, lt) : r;
        Matcher m = ADDRESS.matcher(r);
        if (m.find()) {
            String local = m.group().substring(0, m.group().indexOf('@'));
            String[] parts = LOCAL_SPLIT.split(local);
            if (parts.length >= 2) {
                List<String> words = new ArrayList<>();
                for (String p : parts) if (LETTERS.matcher(p).matches()) words.add(p);
                if (words.size() >= 2) out.add(String.join(" ", words));
            }
            if (lt < 0) display = "";
        }
        display = display.replace("\"", "").replace("'", "").strip();
        if (!display.isEmpty() && LETTERS.matcher(display).find()) out.add(display);
        return out;
    }
}
