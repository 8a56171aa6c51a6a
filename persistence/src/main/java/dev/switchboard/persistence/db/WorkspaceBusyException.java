package dev.switchboard.persistence.db;

/**
 * The workspace's database file could not be reached because another process holds it or was handing it over
 * ({@link Handover}); the message is one sentence for the user: what, why, what to do.
 */
public final class WorkspaceBusyException extends IllegalStateException {
    public WorkspaceBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
