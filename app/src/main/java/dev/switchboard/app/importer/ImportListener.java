package dev.switchboard.app.importer;

/**
 * Receives progress from {@link TicketImporter#run} (on the importing thread: hop to the FX thread
 * yourself) and may cancel it. Cancelling stops between batches; batches already committed stay.
 */
public interface ImportListener {

    /**
     * @param rowsRead   data rows read so far (good and rejected)
     * @param saved      rows whose batch is committed (created + already present)
     * @param bytesRead  bytes of the file consumed so far (read ahead by up to 64 KiB)
     * @param totalBytes size of the file
     * @param message    a short status line, e.g. "saving batch 3"
     */
    record Progress(long rowsRead, long saved, long bytesRead, long totalBytes, String message) {
        /** 0..1 by bytes; 1 when the file is empty. */
        public double fraction() {
            return totalBytes <= 0 ? 1.0 : Math.min(1.0, (double) bytesRead / totalBytes);
        }
    }

    void progress(Progress p);

    /** Polled between batches. */
    default boolean isCancelled() {
        return false;
    }

    ImportListener NONE = p -> { };
}
