package dev.switchboard.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** A ticket moved from one team to another: the transfer chain UFTR learns from. */
@Entity
@Table(name = "routing_step")
public class RoutingStep {
    /**
     * HQL condition (on {@code RoutingStep r left join r.decision d}, parameter {@code :undone} =
     * {@link DecisionKind#UNDONE}) for the steps still in effect: neither taken back by an undo nor the
     * undo's own step back. The ledger keeps every step; the chain a ticket went through is these.
     */
    public static final String IN_EFFECT = "(d is null or (d.kind <> :undone"
            + " and not exists (select 1 from Decision u where u.compensates = d)))";


    @Id @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "ticket_id", nullable = false)
    private Ticket ticket;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "from_team_id")
    private Team fromTeam;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "to_team_id", nullable = false)
    private Team toTeam;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "decision_id")
    private Decision decision;
    @Column(name = "moved_at", nullable = false)
    private Instant movedAt;

    protected RoutingStep() {}

    public RoutingStep(Ticket ticket, Team fromTeam, Team toTeam, Decision decision, Instant movedAt) {
        this.ticket = ticket;
        this.fromTeam = fromTeam;
        this.toTeam = toTeam;
        this.decision = decision;
        this.movedAt = movedAt;
    }

    public Long getId() { return id; }
    public Ticket getTicket() { return ticket; }
    public Team getFromTeam() { return fromTeam; }
    public Team getToTeam() { return toTeam; }
    public Decision getDecision() { return decision; }
    public Instant getMovedAt() { return movedAt; }
}
