package dev.switchboard.app.export;

import java.util.concurrent.CancellationException;

/** The export was cancelled; its temporary files were removed and no file was written under a final name. */
public final class ExportCancelledException extends CancellationException {
    public ExportCancelledException() {
        super("export cancelled; nothing was written");
    }
}
