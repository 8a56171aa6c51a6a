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

/** A probable duplicate pair and what a dispatcher made of it; state changes append a new row. */
@Entity
@Table(name = "duplicate_link")
public class DuplicateLink {
    public enum State { SUGGESTED, CONFIRMED, DISMISSED, MERGED, UNDONE }

    @Id @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "ticket_id", nullable = false)
    private Ticket ticket;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "original_id", nullable = false)
    private Ticket original;
    @Column(nullable = false)
    private double score;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(nullable = false, length = 20)
    private State state;
    @Column(length = Decision.MAX_DISPATCHER)
    private String actor;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected DuplicateLink() {}

    public DuplicateLink(Ticket ticket, Ticket original, double score, State state, String actor, Instant createdAt) {
        this.ticket = ticket;
        this.original = original;
        this.score = score;
        this.state = state;
        this.actor = Decision.clip(actor, Decision.MAX_DISPATCHER);
        this.createdAt = createdAt;
    }

    public Long getId() { return id; }
    public Ticket getTicket() { return ticket; }
    public Ticket getOriginal() { return original; }
    public double getScore() { return score; }
    public State getState() { return state; }
    public String getActor() { return actor; }
    public Instant getCreatedAt() { return createdAt; }
}
