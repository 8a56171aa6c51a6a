package dev.switchboard.persistence.store;

import dev.switchboard.persistence.entity.Decision;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.entity.PriorityLevel;
import dev.switchboard.persistence.entity.RoutingStep;
import dev.switchboard.persistence.entity.Suggestion;
import dev.switchboard.persistence.entity.Team;
import dev.switchboard.persistence.entity.Ticket;
import dev.switchboard.persistence.entity.TicketStatus;
import jakarta.persistence.OptimisticLockException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.hibernate.Session;

/**
 * The append-only correction ledger. Every dispatcher action becomes one {@link Decision} row and
 * changes the ticket accordingly, in one transaction on the store's writer thread; undo appends a
 * compensating decision. The database refuses updates and deletes of decisions (migration V2).
 */
public final class DecisionLedger {

    private final TicketStore store;

    public DecisionLedger(TicketStore store) {
        this.store = store;
    }

    /** Appends a decision and applies it to the ticket; completes once it is durable. */
    public CompletableFuture<DecisionRecord> decide(DecisionRequest r) {
        return store.write(s -> apply(s, r)).thenApply(rec -> {
            store.fireChanged(List.of(rec.ticketId()));
            return rec;
        });
    }

    /** Several decisions in one transaction (bulk accept): all or nothing. */
    public CompletableFuture<List<DecisionRecord>> decideAll(List<DecisionRequest> requests) {
        return store.write(s -> {
            List<DecisionRecord> out = new ArrayList<>();
            for (DecisionRequest r : requests) out.add(apply(s, r));
            // the tickets are stamped changed as of the end, just before the commit: a long bulk accept
            // stamped as it went would look older than the other workstations' poll window once it commits
            // (a bulk update: the tickets' versions were raised once by their decisions, not again)
            s.createMutationQuery("update Ticket t set t.updatedAt = :end where t.id in :ids")
                    .setParameter("end", store.now())
                    .setParameterList("ids", requests.stream().map(DecisionRequest::ticketId).toList())
                    .executeUpdate();
            return out;
        }).thenApply(recs -> {
            store.fireChanged(recs.stream().map(DecisionRecord::ticketId).toList());
            return recs;
        });
    }

    private DecisionRecord apply(Session s, DecisionRequest r) {
        Ticket t = s.find(Ticket.class, r.ticketId());
        if (t == null) throw new IllegalArgumentException("no ticket #" + r.ticketId());
        if (t.getVersion() != r.expectedVersion()) {
            throw new OptimisticLockException("ticket #" + r.ticketId() + " was changed by someone else; it has been reloaded");
        }
        Team prevTeam = t.getTeam();
        PriorityLevel prevPrio = t.getPriority();
        TicketStatus prevStatus = t.getStatus();
        Team team = r.team() == null ? prevTeam : team(s, r.team());
        PriorityLevel prio = r.priority() == null ? prevPrio : priority(s, r.priority());
        TicketStatus status;
        switch (r.kind()) {
            case ACCEPTED, OVERRIDDEN, BULK_ACCEPTED -> {
                if (team == null) throw new IllegalArgumentException("choose a team first");
                status = prevTeam != null && !Objects.equals(prevTeam.getId(), team.getId()) && prevStatus != TicketStatus.NEW
                        ? TicketStatus.TRANSFERRED : TicketStatus.TRIAGED;
            }
            case TRANSFERRED -> {
                if (team == null) throw new IllegalArgumentException("choose the team to transfer to");
                if (prevTeam != null && Objects.equals(prevTeam.getId(), team.getId())) {
                    throw new IllegalArgumentException("ticket #" + t.getId() + " is already with " + team.getName());
                }
                status = TicketStatus.TRANSFERRED;
            }
            case ASSIGNED -> {
                if (team == null) throw new IllegalArgumentException("choose a team before assigning");
                status = TicketStatus.ASSIGNED;
            }
            case SNOOZED -> status = TicketStatus.SNOOZED;
            case RESOLVED -> status = TicketStatus.RESOLVED;
            case CLOSED -> status = TicketStatus.CLOSED;
            case REOPENED -> status = team == null ? TicketStatus.NEW : TicketStatus.TRIAGED;
            default -> throw new IllegalArgumentException(r.kind() + " cannot be recorded directly");
        }
        Instant now = store.now();
        Suggestion sg = r.suggestionId() == null ? null : s.find(Suggestion.class, r.suggestionId());
        Decision d = new Decision(t, sg, r.kind(), team, prio, r.reasonCode(), r.note(), r.dispatcher(), now,
                r.msToDecide(), r.reviewed(), null, status, prevTeam, prevPrio, prevStatus);
        s.persist(d);
        if (team != null && (prevTeam == null || !Objects.equals(prevTeam.getId(), team.getId()))) {
            s.persist(new RoutingStep(t, prevTeam, team, d, now));
        }
        t.setTeam(team);
        t.setPriority(prio);
        if (team != null && !Objects.equals(prevTeam == null ? null : prevTeam.getId(), team.getId())
                || r.team() != null || r.priority() != null) {
            t.setSetBy(TicketStore.SET_BY_HUMAN);
        }
        t.setStatus(status);
        // kept by other decisions (only a snoozed ticket reads it), so undoing one restores the snooze with its end
        if (r.kind() == DecisionKind.SNOOZED) t.setSnoozedUntil(r.snoozeUntil());
        t.setUpdatedAt(now);
        s.flush();
        return record(d, t.getVersion());
    }

    /**
     * Undoes a decision by appending a compensating one that restores the ticket's previous team,
     * priority and status. Only the latest effective decision on a ticket can be undone.
     */
    public CompletableFuture<DecisionRecord> undo(long decisionId, String dispatcher) {
        return store.write(s -> {
            Decision d = s.find(Decision.class, decisionId);
            if (d == null) throw new IllegalArgumentException("no decision " + decisionId);
            if (d.getKind() == DecisionKind.UNDONE || d.getKind() == DecisionKind.IMPORTED) {
                throw new IllegalArgumentException("an " + d.getKind().name().toLowerCase() + " decision cannot be undone");
            }
            Ticket t = d.getTicket();
            Long latest = s.createSelectionQuery(
                            "select max(x.id) from Decision x where x.ticket.id = :t and x.kind <> :imp", Long.class)
                    .setParameter("t", t.getId()).setParameter("imp", DecisionKind.IMPORTED).getSingleResult();
            boolean alreadyUndone = s.createSelectionQuery("select count(x) from Decision x where x.compensates.id = :d", Long.class)
                    .setParameter("d", decisionId).getSingleResult() > 0;
            if (alreadyUndone) throw new IllegalArgumentException("decision " + decisionId + " was already undone");
            if (!Objects.equals(latest, decisionId)) {
                throw new IllegalArgumentException("ticket #" + t.getId() + " has a later decision; undo that one first");
            }
            Team curTeam = t.getTeam();
            PriorityLevel curPrio = t.getPriority();
            TicketStatus curStatus = t.getStatus();
            Instant now = store.now();
            Decision u = new Decision(t, null, DecisionKind.UNDONE, d.getPreviousTeam(), d.getPreviousPriority(), null,
                    "undo of decision " + d.getId(), dispatcher, now, null, true, d, d.getPreviousStatus(),
                    curTeam, curPrio, curStatus);
            s.persist(u);
            if (d.getPreviousTeam() != null && curTeam != null && !Objects.equals(curTeam.getId(), d.getPreviousTeam().getId())) {
                s.persist(new RoutingStep(t, curTeam, d.getPreviousTeam(), u, now));
            }
            t.setTeam(d.getPreviousTeam());
            t.setPriority(d.getPreviousPriority());
            t.setStatus(d.getPreviousStatus());
            if (d.getPreviousStatus() != TicketStatus.SNOOZED) t.setSnoozedUntil(null); // a restored snooze keeps its end
            if (d.getPreviousTeam() == null) t.setSetBy(null);
            t.setUpdatedAt(now);
            s.flush();
            return record(u, t.getVersion());
        }).thenApply(rec -> {
            store.fireChanged(List.of(rec.ticketId()));
            return rec;
        });
    }

    /** The ticket's decisions, oldest first. */
    public List<DecisionRecord> decisions(long ticketId) {
        return store.database().inTransaction(s -> s.createSelectionQuery(
                        "from Decision d left join fetch d.team left join fetch d.priority left join fetch d.previousTeam "
                                + "left join fetch d.previousPriority where d.ticket.id = :t order by d.id", Decision.class)
                .setParameter("t", ticketId).getResultList().stream().map(d -> record(d, -1)).toList());
    }

    /**
     * The decision that set the ticket's label: its newest decision of a kind that {@linkplain
     * DecisionKind#decidesTeam() decides the team} which no UNDONE row compensates (after an undo, the
     * decision it restored), or null. Its {@code decidedAt} bounds the text the ticket is learned and exported
     * with: the updates recorded up to then. {@code ds} is the ticket's ledger, oldest first ({@link #decisions}).
     * {@link LabelledExampleReader} and {@link TicketStore#labelledHistory()} apply the same rule in their queries.
     */
    public static DecisionRecord labelDecision(List<DecisionRecord> ds) {
        java.util.Set<Long> compensated = new java.util.HashSet<>();
        for (DecisionRecord d : ds) {
            if (d.compensatesId() != null) compensated.add(d.compensatesId());
        }
        DecisionRecord label = null;
        for (DecisionRecord d : ds) {
            if (DecisionKind.valueOf(d.kind()).decidesTeam() && !compensated.contains(d.id())) label = d;
        }
        return label;
    }

    /** Teams that have had the ticket, in order (UFTR's transfer chain). */
    public List<String> routingChain(long ticketId) {
        return store.database().inTransaction(s -> s.createSelectionQuery(
                        "select r.toTeam.name from RoutingStep r left join r.decision d where r.ticket.id = :t and "
                                + RoutingStep.IN_EFFECT + " order by r.movedAt, r.id", String.class)
                .setParameter("t", ticketId).setParameter("undone", DecisionKind.UNDONE).getResultList());
    }

    private static Team team(Session s, String name) {
        return s.createSelectionQuery("from Team where name = :n", Team.class).setParameter("n", name)
                .uniqueResultOptional().orElseThrow(() -> new IllegalArgumentException("unknown team '" + name + "'"));
    }

    private static PriorityLevel priority(Session s, String name) {
        return s.createSelectionQuery("from PriorityLevel where name = :n", PriorityLevel.class).setParameter("n", name)
                .uniqueResultOptional().orElseThrow(() -> new IllegalArgumentException("unknown priority '" + name + "'"));
    }

    private static String name(Team t) {
        return t == null ? null : t.getName();
    }

    private static String name(PriorityLevel p) {
        return p == null ? null : p.getName();
    }

    private static DecisionRecord record(Decision d, long version) {
        return new DecisionRecord(d.getId(), d.getTicket().getId(), d.getSuggestion() == null ? null : d.getSuggestion().getId(),
                d.getKind().name(), name(d.getTeam()), name(d.getPriority()), d.getStatus().name(), name(d.getPreviousTeam()),
                name(d.getPreviousPriority()), d.getPreviousStatus().name(), d.getReasonCode(), d.getNote(), d.getDispatcher(),
                d.getDecidedAt(), d.getMsToDecide(), d.isReviewed(), d.getCompensates() == null ? null : d.getCompensates().getId(),
                version);
    }
}
