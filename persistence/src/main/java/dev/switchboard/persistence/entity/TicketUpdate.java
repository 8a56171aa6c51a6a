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

/** A later comment on a ticket; a ticket that changes is re-suggested. */
@Entity
@Table(name = "ticket_update")
public class TicketUpdate {
    @Id @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "ticket_id", nullable = false)
    private Ticket ticket;
    @Column(length = 320)
    private String author;
    @Column(nullable = false, length = Ticket.MAX_BODY)
    private String body;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    /** The MERGED duplicate_link row of the merge that wrote this update; null for other updates. */
    @Column(name = "merge_link_id")
    private Long mergeLinkId;

    protected TicketUpdate() {}

    public TicketUpdate(Ticket ticket, String author, String body, Instant createdAt) {
        this.ticket = ticket;
        this.author = author;
        this.body = body;
        this.createdAt = createdAt;
    }

    public Long getId() { return id; }
    public Ticket getTicket() { return ticket; }
    public String getAuthor() { return author; }
    public String getBody() { return body; }
    public Instant getCreatedAt() { return createdAt; }
    public Long getMergeLinkId() { return mergeLinkId; }
    public void setMergeLinkId(Long id) { this.mergeLinkId = id; }
}
