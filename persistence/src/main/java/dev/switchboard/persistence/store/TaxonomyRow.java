package dev.switchboard.persistence.store;

/** A team or priority level with its description/criteria; {@code rank} orders priorities (1 = most urgent). */
public record TaxonomyRow(String name, String description, int rank) {}
