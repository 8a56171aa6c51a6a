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

/** What an engine suggested for a ticket at a point in time. Top-k lists are stored as "label=p;label=p". */
@Entity
@Table(name = "suggestion")
public class Suggestion {
    @Id @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "ticket_id", nullable = false)
    private Ticket ticket;
    @Column(nullable = false, length = 20)
    private String engine;
    @Column(nullable = false, length = 200)
    private String model;
    @Column(nullable = false, length = 20)
    private String status;
    @Column(name = "team_name", length = 120)
    private String teamName;
    @Column(name = "priority_name", length = 20)
    private String priorityName;
    @Column(nullable = false)
    private double confidence;
    @Column(nullable = false)
    private boolean confident;
    @Column(name = "top_teams", nullable = false, length = 4000)
    private String topTeams = "";
    @Column(name = "top_priorities", nullable = false, length = 2000)
    private String topPriorities = "";
    @Column(nullable = false, length = 2000)
    private String rationale = "";
    @Column(name = "evidence_ids", nullable = false, length = 2000)
    private String evidenceIds = "";
    @Column(nullable = false, length = 1000)
    private String note = "";
    @Column(name = "latency_ms", nullable = false)
    private double latencyMs;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Suggestion() {}

    public Suggestion(Ticket ticket, String engine, String model, String status, String teamName,
                      String priorityName, double confidence, boolean confident, String topTeams,
                      String topPriorities, String rationale, String evidenceIds, String note,
                      double latencyMs, Instant createdAt) {
        this.ticket = ticket;
        this.engine = engine;
        this.model = model;
        this.status = status;
        this.teamName = teamName;
        this.priorityName = priorityName;
        this.confidence = confidence;
        this.confident = confident;
        this.topTeams = clip(topTeams, 4000);
        this.topPriorities = clip(topPriorities, 2000);
        this.rationale = clip(rationale, 2000);
        this.evidenceIds = clip(evidenceIds, 2000);
        this.note = clip(note, 1000);
        this.latencyMs = latencyMs;
        this.createdAt = createdAt;
    }

    private static String clip(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max);
    }

    public Long getId() { return id; }
    public Ticket getTicket() { return ticket; }
    public String getEngine() { return engine; }
    public String getModel() { return model; }
    public String getStatus() { return status; }
    public String getTeamName() { return teamName; }
    public String getPriorityName() { return priorityName; }
    public double getConfidence() { return confidence; }
    public boolean isConfident() { return confident; }
    public String getTopTeams() { return topTeams; }
    public String getTopPriorities() { return topPriorities; }
    public String getRationale() { return rationale; }
    public String getEvidenceIds() { return evidenceIds; }
    public String getNote() { return note; }
    public double getLatencyMs() { return latencyMs; }
    public Instant getCreatedAt() { return createdAt; }
}
