package dev.switchboard.app.sample;

/**
 * One generated sample ticket. {@code team}/{@code priority} are the right answer: stored for history
 * tickets, withheld from the store for replayed ones (available here to score a demo).
 * {@code minutesAgo} places history tickets in the past relative to install time.
 */
public record SampleTicket(String key, String subject, String body, String requester, String team, String priority,
                           long minutesAgo) {}
