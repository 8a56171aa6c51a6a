package dev.switchboard.persistence.store;

import dev.switchboard.persistence.entity.DuplicateLink;
import dev.switchboard.persistence.entity.Ticket;
import dev.switchboard.persistence.entity.TicketStatus;
import dev.switchboard.persistence.entity.TicketUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Probable-duplicate pairs and what dispatchers made of them. Every change appends a row; the latest
 * row of a pair is its state. Merge closes the duplicate pointing at the original and copies its
 * requester and text onto the original's record as an update, so nothing is lost.
 */
public final class DuplicateLinks {

    /** The current state of a pair (its latest row). */
    public record Link(long id, long ticketId, long originalId, double score, String state, String actor, Instant at) {
        /** Latest state SUGGESTED, or UNDONE (a verdict taken back): the pair awaits a verdict. */
        public boolean awaitsVerdict() {
            return state.equals("SUGGESTED") || state.equals("UNDONE");
        }
    }

    /**
     * Whether a pair awaits a dispatcher's verdict: its latest state SUGGESTED or UNDONE, and neither ticket merged
     * into another one ({@code merged}: {@link #mergedTickets}). A suggested pair whose other ticket was merged into a
     * third one is moot (that report lives on in the third ticket, and the merged one takes no further merge): the
     * queue's badge, the detail pane's count and the compare view leave it out; {@code G} still groups through it.
     */
    public static boolean awaitsVerdict(Link l, java.util.Set<Long> merged) {
        return l.awaitsVerdict() && !merged.contains(l.ticketId()) && !merged.contains(l.originalId());
    }

    /** Tickets merged into another one (closed, {@code duplicate_of} set). */
    public java.util.Set<Long> mergedTickets() {
        try (Connection c = store.database().jdbc();
             PreparedStatement ps = c.prepareStatement("select id from ticket where duplicate_of is not null");
             ResultSet rs = ps.executeQuery()) {
            java.util.Set<Long> out = new java.util.HashSet<>();
            while (rs.next()) out.add(rs.getLong(1));
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading merged tickets failed: " + e.getMessage(), e);
        }
    }

    /**
     * The tickets in pairs with {@code ticketId} whose latest state awaits a verdict: their badges change when
     * {@code ticketId} is merged into another ticket, or that merge is undone.
     */
    private List<Long> partners(long ticketId) {
        List<Long> out = new ArrayList<>();
        for (Link l : pending(ticketId)) out.add(l.ticketId() == ticketId ? l.originalId() : l.ticketId());
        return out;
    }

    /** Tells the queue of {@code ids} and of the partners of {@code merged} (its pairs' badges changed too). */
    private void fireChangedWithPartners(List<Long> ids, long merged) {
        List<Long> all = new ArrayList<>(ids);
        try {
            all.addAll(partners(merged));
        } catch (RuntimeException e) {
            // the verdict is stored; only the partners' badges wait for the next refresh
        }
        store.fireChanged(all);
    }

    private final TicketStore store;

    public DuplicateLinks(TicketStore store) {
        this.store = store;
    }

    /** Records suggested pairs that have no state yet; returns how many were new. */
    public CompletableFuture<Integer> suggest(long ticketId, List<long[]> originals, List<Double> scores) {
        return store.write(s -> {
            List<Long> changed = new ArrayList<>();
            for (int i = 0; i < originals.size(); i++) {
                long orig = originals.get(i)[0];
                // one indexed lookup per direction: an "or" across the two columns scans every pair on H2
                if (pairRows(s, ticketId, orig) + pairRows(s, orig, ticketId) > 0) continue;
                s.persist(new DuplicateLink(s.getReference(Ticket.class, ticketId), s.getReference(Ticket.class, orig),
                        scores.get(i), DuplicateLink.State.SUGGESTED, null, store.now()));
                changed.add(orig);
            }
            return changed;
        }).thenApply(changed -> {
            // both ends' badges count the new pair: the original's row is refreshed too
            if (!changed.isEmpty()) {
                List<Long> ids = new ArrayList<>(changed);
                ids.add(0, ticketId);
                store.fireChanged(ids);
            }
            return changed.size();
        });
    }

    private static long pairRows(org.hibernate.Session s, long ticket, long original) {
        return s.createSelectionQuery("select count(l) from DuplicateLink l where l.ticket.id = :a and l.original.id = :b", Long.class)
                .setParameter("a", ticket).setParameter("b", original).getSingleResult();
    }

    /** Appends a dispatcher's verdict (CONFIRMED, DISMISSED, UNDONE) for a pair. */
    public CompletableFuture<Void> resolve(long ticketId, long originalId, DuplicateLink.State state, double score, String actor) {
        return store.<Void>write(s -> {
            append(s, ticketId, originalId, state, score, actor);
            return null;
        }).thenApply(v -> {
            // an UNDONE may take a merge back: the ticket's other suggested pairs await a verdict again
            if (state == DuplicateLink.State.UNDONE) fireChangedWithPartners(List.of(ticketId, originalId), ticketId);
            else store.fireChanged(List.of(ticketId, originalId));
            return v;
        });
    }

    /**
     * Undoes the verdict {@code given} on a pair (appends UNDONE), but only while it is still the pair's latest row:
     * on a shared database another dispatcher may have judged the pair again since, and an undo must not take
     * back their verdict instead. Fails with an {@link IllegalStateException} that says so.
     */
    public CompletableFuture<Void> undoVerdict(long ticketId, long originalId, DuplicateLink.State given, String actor) {
        return store.<Void>write(s -> {
            DuplicateLink latest = null;
            for (long[] dir : new long[][] {{ticketId, originalId}, {originalId, ticketId}}) {
                // one indexed lookup per direction (an "or" across the two columns scans every pair on H2)
                List<DuplicateLink> l = s.createSelectionQuery("from DuplicateLink l where l.ticket.id = :a and l.original.id = :b"
                                + " order by l.id desc", DuplicateLink.class)
                        .setParameter("a", dir[0]).setParameter("b", dir[1]).setMaxResults(1).getResultList();
                if (!l.isEmpty() && (latest == null || l.get(0).getId() > latest.getId())) latest = l.get(0);
            }
            if (latest == null || latest.getState() != given) {
                throw new IllegalStateException("#" + ticketId + " and #" + originalId + " were judged again since"
                        + (latest == null ? "" : " (" + latest.getState().name().toLowerCase(java.util.Locale.ROOT)
                        + " by " + latest.getActor() + ")") + "; not undone");
            }
            append(s, ticketId, originalId, DuplicateLink.State.UNDONE, 0, actor);
            return null;
        }).thenApply(v -> {
            if (given == DuplicateLink.State.MERGED) fireChangedWithPartners(List.of(ticketId, originalId), ticketId);
            else store.fireChanged(List.of(ticketId, originalId));
            return v;
        });
    }

    private void append(org.hibernate.Session s, long ticketId, long originalId, DuplicateLink.State state, double score,
                        String actor) {
        s.persist(new DuplicateLink(s.getReference(Ticket.class, ticketId), s.getReference(Ticket.class, originalId),
                score, state, actor, store.now()));
        if (state == DuplicateLink.State.UNDONE) {
            Ticket t = s.find(Ticket.class, ticketId);
            if (t.getDuplicateOf() != null && t.getDuplicateOf().getId() == originalId) {
                t.setDuplicateOf(null);
                if (t.getStatus() == TicketStatus.CLOSED) t.setStatus(t.getTeam() == null ? TicketStatus.NEW : TicketStatus.TRIAGED);
                t.setUpdatedAt(store.now());
            }
        }
    }

    /**
     * Merges: the duplicate is closed pointing at the original; the original gets an update carrying
     * the duplicate's requester, subject and body, linked to the MERGED row ({@code merge_link_id}). An undo
     * ({@link #resolve} with UNDONE) deletes nothing: readers of the original's text leave that update out
     * ({@link #MERGE_NOT_UNDONE}).
     */
    public CompletableFuture<Void> merge(long duplicateId, long originalId, double score, String actor) {
        return store.<Void>write(s -> {
            Ticket dup = s.find(Ticket.class, duplicateId);
            Ticket orig = s.find(Ticket.class, originalId);
            if (dup == null || orig == null) throw new IllegalArgumentException("both tickets must exist");
            if (duplicateId == originalId) throw new IllegalArgumentException("a ticket cannot be merged into itself");
            if (!isOpen(orig.getStatus())) throw new IllegalStateException(notOpenToMerge(originalId, orig.getStatus().name()));
            if (dup.getDuplicateOf() != null) {
                throw new IllegalStateException("#" + duplicateId + " is already merged into #" + dup.getDuplicateOf().getId()
                        + "; undo that merge first");
            }
            Instant now = store.now();
            DuplicateLink link = new DuplicateLink(dup, orig, score, DuplicateLink.State.MERGED, actor, now);
            s.persist(link);
            String requester = dup.getRequester() == null || dup.getRequester().isBlank() ? "unknown requester" : dup.getRequester();
            String text = "Merged duplicate #" + dup.getId() + " from " + requester + ": " + dup.getSubject()
                    + (dup.getBody().isBlank() ? "" : "\n" + dup.getBody());
            if (text.length() > Ticket.MAX_BODY) text = text.substring(0, Ticket.MAX_BODY);
            TicketUpdate update = new TicketUpdate(orig, actor, text, now);
            // the update names its merge, so readers can leave the text out once the merge is undone
            update.setMergeLinkId(link.getId());
            s.persist(update);
            dup.setDuplicateOf(orig);
            dup.setStatus(TicketStatus.CLOSED);
            dup.setUpdatedAt(now);
            return null;
        }).thenApply(v -> {
            // the duplicate's other suggested pairs no longer await a verdict: their partners' badges drop
            fireChangedWithPartners(List.of(duplicateId, originalId), duplicateId);
            return v;
        });
    }

    /**
     * SQL condition on a {@code ticket_update} row aliased {@code u}: true unless it is the text of a merge that
     * was undone later (an UNDONE row of the same pair, either way round, after the MERGED row it names).
     * The dataset export and the local model's history read updates with it alike.
     */
    public static final String MERGE_NOT_UNDONE = "(u.merge_link_id is null or not exists (select 1 from duplicate_link ml"
            // one lookup per direction through the pair's index: with an "or" H2 range-scanned every later link
            + " where ml.id = u.merge_link_id and (exists (select 1 from duplicate_link ux where ux.ticket_id = ml.ticket_id"
            + " and ux.original_id = ml.original_id and ux.id > ml.id and ux.state = 'UNDONE')"
            + " or exists (select 1 from duplicate_link ux where ux.ticket_id = ml.original_id"
            + " and ux.original_id = ml.ticket_id and ux.id > ml.id and ux.state = 'UNDONE'))))";

    /** Whether a ticket in this status can take a merged duplicate: one still being worked on. */
    public static boolean isOpen(TicketStatus status) {
        return status != TicketStatus.RESOLVED && status != TicketStatus.CLOSED;
    }

    /**
     * Why a merge into {@code originalId} is refused: it is resolved or closed, so the merged request would be
     * closed with nobody working on it (a recurrence of a solved problem is linked instead).
     */
    public static String notOpenToMerge(long originalId, String status) {
        return "#" + originalId + " is " + status.toLowerCase(java.util.Locale.ROOT)
                + ": merging would close this request with nobody working on it. L links it to #" + originalId + " instead.";
    }

    /** The current state of every pair, oldest first (to restore the finder's feedback at start-up). */
    public List<Link> current() {
        // one pass in id order, the latest row of each pair kept: a correlated "max(id) … or …" subquery per
        // row scanned the whole table on H2 for every row (minutes for 25,000 pairs)
        return latestPerPair(query("select id, ticket_id, original_id, score, state, actor, created_at from duplicate_link order by id", null));
    }

    /** The latest row of each pair (either direction) among {@code rows}, oldest first. */
    private static List<Link> latestPerPair(List<Link> rows) {
        record Pair(long a, long b) {}
        Map<Pair, Link> latest = new HashMap<>();
        for (Link l : rows) {
            Pair key = new Pair(Math.min(l.ticketId(), l.originalId()), Math.max(l.ticketId(), l.originalId()));
            Link seen = latest.get(key);
            if (seen == null || seen.id() < l.id()) latest.put(key, l);
        }
        List<Link> out = new ArrayList<>(latest.values());
        out.sort(java.util.Comparator.comparingLong(Link::id));
        return out;
    }

    /**
     * Pairs involving the ticket that await a verdict (latest state SUGGESTED, or UNDONE: a verdict taken
     * back), best first. Reads only the ticket's own pair rows (two indexed lookups).
     */
    public List<Link> pending(long ticketId) {
        List<Link> own = new ArrayList<>(query("select id, ticket_id, original_id, score, state, actor, created_at"
                + " from duplicate_link where ticket_id = ?", new long[] {ticketId}));
        own.addAll(query("select id, ticket_id, original_id, score, state, actor, created_at"
                + " from duplicate_link where original_id = ? and ticket_id <> original_id", new long[] {ticketId}));
        return latestPerPair(own).stream().filter(Link::awaitsVerdict)
                .sorted((a, b) -> Double.compare(b.score(), a.score())).toList();
    }

    /**
     * The ticket's duplicate group: every ticket reachable from it through pairs that are suggested,
     * linked or merged (latest state; dismissed pairs do not connect). The ticket itself is included.
     */
    public java.util.Set<Long> group(long ticketId) {
        Map<Long, List<Long>> edges = new HashMap<>();
        for (Link l : current()) {
            if (l.state().equals("DISMISSED")) continue;
            edges.computeIfAbsent(l.ticketId(), k -> new ArrayList<>()).add(l.originalId());
            edges.computeIfAbsent(l.originalId(), k -> new ArrayList<>()).add(l.ticketId());
        }
        java.util.Set<Long> seen = new java.util.LinkedHashSet<>();
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>(List.of(ticketId));
        while (!todo.isEmpty()) {
            long t = todo.poll();
            if (seen.add(t)) todo.addAll(edges.getOrDefault(t, List.of()));
        }
        return seen;
    }

    /** Every row of the pair, oldest first (the audit trail: who and when). */
    public List<Link> history(long a, long b) {
        // one indexed lookup per direction (an "or" across the two columns scans every pair on H2)
        String sql = "select id, ticket_id, original_id, score, state, actor, created_at from duplicate_link"
                + " where ticket_id = ? and original_id = ?";
        List<Link> out = new ArrayList<>(query(sql, new long[] {a, b}));
        if (a != b) out.addAll(query(sql, new long[] {b, a}));
        out.sort(java.util.Comparator.comparingLong(Link::id));
        return out;
    }

    private List<Link> query(String sql, long[] params) {
        try (Connection c = store.database().jdbc(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (params != null) for (int i = 0; i < params.length; i++) ps.setLong(i + 1, params[i]);
            List<Link> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Link(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getString(5),
                            rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading duplicate links failed: " + e.getMessage(), e);
        }
    }
}
