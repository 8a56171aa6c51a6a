package dev.switchboard.inference;

import java.util.List;
import java.util.Optional;

/** The teams and priority levels a ticket can be routed to, as a team lead defined them. */
public record Taxonomy(List<Team> teams, List<Priority> priorities) {

    public record Team(String name, String description) {}

    /** A priority level (P1 most urgent) with the criteria a dispatcher applies. */
    public record Priority(String name, String criteria) {}

    public Taxonomy {
        teams = List.copyOf(teams);
        priorities = List.copyOf(priorities);
    }

    public List<String> teamNames() {
        return teams.stream().map(Team::name).toList();
    }

    public List<String> priorityNames() {
        return priorities.stream().map(Priority::name).toList();
    }

    public Optional<Team> team(String name) {
        return teams.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
