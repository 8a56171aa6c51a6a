package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.db.Handover;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command run while a window (another JVM) has the workspace open and is closing: it waits for the file and
 * succeeds; on a file another program holds unshared it fails with one sentence, never H2's or Hibernate's text.
 */
class HandoverCliTest {

    @TempDir
    Path dir;

    private static Process start(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), WorkspaceOwner.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(readLine(p)).isEqualTo("OPEN");
        return p;
    }

    private static String readLine(Process p) throws Exception {
        var b = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = p.getInputStream().read()) >= 0 && c != '\n') b.write(c);
        return b.toString(StandardCharsets.UTF_8).strip();
    }

    private record Run(int code, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void anImportRunWhileTheWindowClosesWaitsForTheWorkspaceAndStoresEveryRow() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("ws"));
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "subject,body\nVPN down,since 9\nPrinter jam,floor 3\nNo mail,since Monday\n");
        Process window = start(url);
        try {
            window.getOutputStream().write("close 4000\n".getBytes(StandardCharsets.UTF_8));
            window.getOutputStream().flush();
            assertThat(readLine(window)).isEqualTo("STOPPED");
            Run imp = cli("import", "--quiet", "--subject=subject", "--body=body", "--db=" + url, csv.toString());
            assertThat(imp.err()).doesNotContain("Exception", "Hibernate", "[900", "Connection is broken");
            assertThat(imp.code()).as(imp.err()).isZero();
            assertThat(window.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            window.destroyForcibly();
        }
        Run status = cli("status", "--db=" + url);
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).containsPattern("Tickets\\s+3 ");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCommandOnAWorkspaceAnotherProgramHoldsFailsWithOneSentence() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("held"));
        Database.open(url).close();
        String before = System.getProperty(Handover.WAIT_PROPERTY);
        System.setProperty(Handover.WAIT_PROPERTY, "1500");
        Process other = start(url, "exclusive");
        try {
            Run r = cli("quality", "--db=" + url);
            assertThat(r.code()).isNotZero();
            assertThat(r.err().strip().lines()).singleElement().asString()
                    .startsWith("switchboard: The workspace database " + dir.resolve("held").toAbsolutePath() + ".mv.db is in use by another program")
                    .endsWith("close that program, then try again.")
                    .doesNotContain("Exception", "org.", "[900");
        } finally {
            other.destroyForcibly();
            if (before == null) System.clearProperty(Handover.WAIT_PROPERTY);
            else System.setProperty(Handover.WAIT_PROPERTY, before);
        }
    }
}
