package dev.switchboard.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A support ticket. Optimistic locking guards against two dispatchers changing it at once. */
@Entity
@Table(name = "ticket")
public class Ticket {
    /** Largest subject and body the store keeps (characters). */
    public static final int MAX_SUBJECT = 1000;
    public static final int MAX_BODY = 1_000_000;

    @Id @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false, length = 40)
    private String source;
    @Column(name = "external_id", length = 200)
    private String externalId;
    @Column(name = "content_hash", nullable = false, length = 64)
    private String contentHash;
    @Column(nullable = false, length = MAX_SUBJECT)
    private String subject;
    @Column(nullable = false, length = MAX_BODY)
    private String body;
    @Column(length = 320)
    private String requester;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private TicketStatus status = TicketStatus.NEW;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "team_id")
    private Team team;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "priority_id")
    private PriorityLevel priority;
    /** Who set team/priority: HUMAN (a dispatcher), HISTORY (imported labels); null when unset. */
    @Column(name = "set_by", length = 20)
    private String setBy;
    @Column(name = "snoozed_until")
    private Instant snoozedUntil;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "duplicate_of")
    private Ticket duplicateOf;
    /** The latest suggestion (denormalised so the queue loads in one pass). */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "suggestion_id")
    private Suggestion latestSuggestion;
    @Version
    private long version;

    protected Ticket() {}

    public Ticket(String source, String externalId, String contentHash, String subject, String body,
                  String requester, Instant createdAt) {
        this.source = source;
        this.externalId = externalId;
        this.contentHash = contentHash;
        this.subject = subject;
        this.body = body;
        this.requester = requester;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    public Long getId() { return id; }
    public String getSource() { return source; }
    public String getExternalId() { return externalId; }
    public String getContentHash() { return contentHash; }
    public String getSubject() { return subject; }
    public String getBody() { return body; }
    public String getRequester() { return requester; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(Instant updatedAt) { this.updatedAt = updatedAt; }
    public TicketStatus getStatus() { return status; }
    public void setStatus(TicketStatus status) { this.status = status; }
    public Team getTeam() { return team; }
    public void setTeam(Team team) { this.team = team; }
    public PriorityLevel getPriority() { return priority; }
    public void setPriority(PriorityLevel priority) { this.priority = priority; }
    public String getSetBy() { return setBy; }
    public void setSetBy(String setBy) { this.setBy = setBy; }
    public Instant getSnoozedUntil() { return snoozedUntil; }
    public void setSnoozedUntil(Instant snoozedUntil) { this.snoozedUntil = snoozedUntil; }
    public Ticket getDuplicateOf() { return duplicateOf; }
    public void setDuplicateOf(Ticket duplicateOf) { this.duplicateOf = duplicateOf; }
    public Suggestion getLatestSuggestion() { return latestSuggestion; }
    public void setLatestSuggestion(Suggestion s) { this.latestSuggestion = s; }
    public long getVersion() { return version; }
}
