package dev.switchboard.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 200,000 decisions exported by a child JVM with a 64 MB heap: the export streams, it does not load the ledger. */
class ExportMemoryTest {

    @TempDir Path dir;

    @Test
    void twoHundredThousandDecisionsExportInA64MbHeap() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db");
        long tickets;
        try (Workspace ws = Workspace.open(url)) {
            assertThat(ScratchData.fill(ws.database(), 200_000)).isGreaterThanOrEqualTo(200_000);
            tickets = ws.store().stats().tickets();
        }
        Path out = dir.resolve("out");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ExportMemoryChild.class.getName(), url, out.toString(), "csv")
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
            r.lines().forEach(output::add);
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", output)).isZero();
        String last = output.stream().filter(l -> l.startsWith("rows=")).findFirst().orElseThrow();
        assertThat(last).startsWith("rows=" + tickets + " ");
        long lines = 0;
        for (String f : List.of("train.csv", "validation.csv")) {
            try (var rd = Files.newBufferedReader(out.resolve(f));
                 var csv = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(rd)) {
                for (var rec : csv) lines++; // records, not physical lines: texts contain newlines
            }
        }
        assertThat(lines).isEqualTo(tickets);
    }
}
