package dev.switchboard.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** P1..P4 with the criteria a dispatcher applies and the SLA target. */
@Entity
@Table(name = "priority_level")
public class PriorityLevel {
    @Id @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false, length = 20, unique = true)
    private String name;
    @Column(name = "rank_order", nullable = false)
    private int rank;
    @Column(nullable = false, length = 2000)
    private String criteria = "";
    @Column(name = "sla_minutes")
    private Integer slaMinutes;
    @Version
    private long version;

    protected PriorityLevel() {}

    public PriorityLevel(String name, int rank, String criteria, Integer slaMinutes) {
        this.name = name;
        this.rank = rank;
        this.criteria = criteria == null ? "" : criteria;
        this.slaMinutes = slaMinutes;
    }

    public Long getId() { return id; }
    public String getName() { return name; }
    public int getRank() { return rank; }
    public String getCriteria() { return criteria; }
    public Integer getSlaMinutes() { return slaMinutes; }
}
