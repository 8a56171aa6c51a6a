package dev.switchboard.app.importer;

/** The import could not start (no such file, unknown columns, empty file); nothing was imported. */
public final class ImportException extends Exception {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
