package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.importer.ColumnMapping;
import dev.switchboard.app.importer.ImportListener;
import dev.switchboard.app.importer.ImportReport;
import dev.switchboard.app.importer.TicketImporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import summary's rows add up: read = new + already present + rejected, rows the reader rejected included. */
class ImportCountsTest {

    @TempDir Path dir;

    @Test
    void rowsTheReaderRejectedCountAsReadSoTheSummaryAddsUp() throws Exception {
        Path f = dir.resolve("mixed.csv");
        Files.writeString(f, "subject,body\n"
                + "ct one,fine\n"
                + "ct two,a,b,c\n"                  // wrong number of fields: rejected while reading
                + ",\n"                              // subject and body empty: rejected after reading
                + "ct three,\"broken\"quote,more\n" // broken quoting: rejected while reading
                + "ct four,after\n");
        try (Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("w"))) {
            ImportReport r = new TicketImporter(ws.store()).run(f, ColumnMapping.of("subject", "body"), ImportListener.NONE);
            assertThat(r.created()).isEqualTo(2);
            assertThat(r.rejected()).isEqualTo(3);
            // before: 3 rows read (the two the reader rejected left out), so 2 new + 3 rejected came "from 3 row(s)"
            assertThat(r.rowsRead()).isEqualTo(5).isEqualTo(r.created() + r.alreadyPresent() + r.rejected());
            assertThat(r.summary()).contains("2 new ticket(s), 0 already present, 3 rejected, from 5 row(s)");

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = ImportCommand.runImport(new TicketImporter(ws.store()), f, ColumnMapping.of("subject", "body"), true,
                    new PrintWriter(out), new PrintWriter(err));
            assertThat(code).isEqualTo(3); // some rows rejected
            assertThat(out.toString()).containsPattern("rows read\\s+5\\n").containsPattern("created\\s+0\\n")
                    .containsPattern("already present\\s+2\\n").containsPattern("rejected\\s+3\\n");
        }
    }
}
