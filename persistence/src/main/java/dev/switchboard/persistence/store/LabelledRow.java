package dev.switchboard.persistence.store;

import java.time.Instant;

/** A decided ticket for training: its text and the final human team/priority. */
public record LabelledRow(long id, String subject, String body, String team, String priority,
                          Instant decidedAt, boolean reviewed) {}
