package dev.switchboard.app.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.app.Workspace;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export stopped as Ctrl-C stops it (the JVM runs its shutdown hooks and halts, no finally block runs)
 * leaves no partial file behind, and what it writes is the user's only.
 */
class ExportInterruptTest {

    @TempDir Path dir;

    @Test
    void stoppingTheJvmWhileWritingRemovesThePartialFilesWhichWereTheUsersOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file permissions");
        String url = "jdbc:h2:file:" + dir.resolve("db");
        try (Workspace ws = Workspace.open(url)) {
            assertThat(ScratchData.fill(ws.database(), 3_000)).isGreaterThanOrEqualTo(3_000);
        }
        Path out = dir.resolve("new/out");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ExportInterruptChild.class.getName(), url, out.toString()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                if (!line.equals("WRITING")) continue;
                // the child is blocked mid-write: its partial files are there, private to the user
                try (Stream<Path> files = Files.list(out)) {
                    for (Path f : files.toList()) {
                        partial.add(f.getFileName().toString());
                        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
                    }
                }
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwx------");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.getParent()))).isEqualTo("rwx------");
                p.destroy(); // SIGTERM: shutdown hooks run, as on Ctrl-C (SIGINT)
                break; // destroy() also closes this end of the child's output
            }
        } finally {
            if (p.isAlive()) p.destroy(); // also when an assertion above failed
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        assertThat(output).as(String.join("\n", output)).contains("WRITING").doesNotContain("FINISHED");
        assertThat(partial).contains(".train.csv.part", ".validation.csv.part");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("left behind").isEmpty();
        }
    }

    @Test
    void aCompleteExportIsTheUsersOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file permissions");
        try (Workspace ws = ExportTestSupport.open(dir)) {
            ws.store().saveTickets(ExportTestSupport.many("Network", 5, java.time.Instant.parse("2024-03-01T09:00:00Z"), "n"),
                    "import").join();
            ExportService.of(ws).run(ExportOptions.defaults(ExportFormat.CSV, dir.resolve("done")), ExportService.Progress.NONE, () -> false);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("done")))).isEqualTo("rwx------");
        for (String f : List.of("dataset.csv", "manifest.json")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("done").resolve(f)))).as(f)
                    .isEqualTo("rw-------");
        }
    }
}
