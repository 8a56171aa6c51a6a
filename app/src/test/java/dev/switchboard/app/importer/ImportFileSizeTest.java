package dev.switchboard.app.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import gives back the space of the index pages it replaced, and leaves a compact file (the mechanism:
 * {@code BulkSpaceTest}): measured 4.1 MB after its final pass, and the close left it so. Without the import's bulk
 * write, 11 MB, which H2's compaction at the close took to 4.4 MB in 10 s (or to 8.6 MB: it goes round in circles).
 */
class ImportFileSizeTest {

    @TempDir Path dir;

    @Test
    void aLargeImportEndsWithAFileTheCloseNeedNotShrink() throws Exception {
        StringBuilder csv = new StringBuilder("subject,body\n");
        for (int i = 0; i < 10_000; i++) {
            csv.append("printer ").append(i).append(" broken,The printer on floor ").append(i % 40)
                    .append(" does not print since this morning.\n");
        }
        Path f = dir.resolve("printers.csv");
        Files.writeString(f, csv);
        Path db = dir.resolve("db.mv.db");
        long afterImport;
        try (Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"))) {
            ImportReport r = new TicketImporter(ws.store()).run(f, new ColumnMapping("subject", List.of("body"),
                    null, null, null, null, null), ImportListener.NONE);
            assertThat(r.created()).isEqualTo(10_000);
            ws.database().awaitBulkWrites(); // the final pass starts 2 s after the last batch, on its own thread
            afterImport = Files.size(db);
        }
        long closed = Files.size(db);
        assertThat(afterImport).as("%,d bytes after the import, %,d once closed", afterImport, closed)
                .isLessThan(closed + closed / 4);
    }
}
