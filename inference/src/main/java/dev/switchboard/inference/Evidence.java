package dev.switchboard.inference;

/** A decided ticket a suggestion rests on: its id, the team that finally owned it, and how similar it is. */
public record Evidence(String ticketId, String team, String priority, double similarity, String subject) {}
