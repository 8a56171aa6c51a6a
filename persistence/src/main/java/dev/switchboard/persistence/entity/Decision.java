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
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * One row of the correction ledger. Immutable in Hibernate and, through triggers (migration V2),
 * in the database itself: a decision is never updated or deleted.
 */
@Entity
@Immutable
@Table(name = "decision")
public class Decision {
    /** Longest note kept (the column's size); a dispatcher's field stops there. */
    public static final int MAX_NOTE = 2000;
    /** Longest dispatcher name kept (the column's size). */
    public static final int MAX_DISPATCHER = 120;

    @Id @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "ticket_id", nullable = false)
    private Ticket ticket;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "suggestion_id")
    private Suggestion suggestion;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private DecisionKind kind;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "team_id")
    private Team team;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "priority_id")
    private PriorityLevel priority;
    @Column(name = "reason_code", length = 40)
    private String reasonCode;
    @Column(length = MAX_NOTE)
    private String note;
    @Column(nullable = false, length = MAX_DISPATCHER)
    private String dispatcher;
    @Column(name = "decided_at", nullable = false)
    private Instant decidedAt;
    @Column(name = "ms_to_decide")
    private Long msToDecide;
    /** Ticket status after this decision, and the values it replaced (so undo can restore them). */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private TicketStatus status;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "prev_team_id")
    private Team previousTeam;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "prev_priority_id")
    private PriorityLevel previousPriority;
    @Enumerated(EnumType.STRING)
    @Column(name = "prev_status", nullable = false, length = 20)
    private TicketStatus previousStatus;
    /** False for bulk-accepted suggestions nobody looked at: training must not feed on them blindly. */
    @Column(nullable = false)
    private boolean reviewed;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "compensates_id")
    private Decision compensates;

    protected Decision() {}

    public Decision(Ticket ticket, Suggestion suggestion, DecisionKind kind, Team team, PriorityLevel priority,
                    String reasonCode, String note, String dispatcher, Instant decidedAt, Long msToDecide,
                    boolean reviewed, Decision compensates, TicketStatus status, Team previousTeam,
                    PriorityLevel previousPriority, TicketStatus previousStatus) {
        this.status = status;
        this.previousTeam = previousTeam;
        this.previousPriority = previousPriority;
        this.previousStatus = previousStatus;
        this.ticket = ticket;
        this.suggestion = suggestion;
        this.kind = kind;
        this.team = team;
        this.priority = priority;
        this.reasonCode = reasonCode;
        // a longer value would fail the whole decision: it is cut, never lost with everything else
        this.note = clip(note, MAX_NOTE);
        this.dispatcher = clip(dispatcher, MAX_DISPATCHER);
        this.decidedAt = decidedAt;
        this.msToDecide = msToDecide;
        this.reviewed = reviewed;
        this.compensates = compensates;
    }

    /** {@code s} cut at {@code max} characters (null stays null), never inside a surrogate pair. */
    public static String clip(String s, int max) {
        if (s == null || s.length() <= max) return s;
        int cut = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, cut);
    }

    public Long getId() { return id; }
    public Ticket getTicket() { return ticket; }
    public Suggestion getSuggestion() { return suggestion; }
    public DecisionKind getKind() { return kind; }
    public Team getTeam() { return team; }
    public PriorityLevel getPriority() { return priority; }
    public String getReasonCode() { return reasonCode; }
    public String getNote() { return note; }
    public String getDispatcher() { return dispatcher; }
    public Instant getDecidedAt() { return decidedAt; }
    public Long getMsToDecide() { return msToDecide; }
    public boolean isReviewed() { return reviewed; }
    public Decision getCompensates() { return compensates; }
    public TicketStatus getStatus() { return status; }
    public Team getPreviousTeam() { return previousTeam; }
    public PriorityLevel getPreviousPriority() { return previousPriority; }
    public TicketStatus getPreviousStatus() { return previousStatus; }
}
