package dev.switchboard.app.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.inference.llm.EgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The egress log says what each request was for, never appends to a file of an older format, and is private. */
class EgressLedgerTest {

    @TempDir Path dir;

    @Test
    void eachAttemptIsLoggedWithItsPurposeAndAnOlderLogIsKeptAside() throws Exception {
        Path log = dir.resolve("egress.csv");
        Files.writeString(log, "time,endpoint,model,prompt_chars,outcome\n2026-01-01T00:00:00Z,http://x/v1,m,10,ok\n");
        EgressLedger ledger = new EgressLedger(log);

        ledger.sent("http://127.0.0.1:8080/v1/chat/completions", "m", 1200, Instant.parse("2026-11-22T10:00:00Z"), "ok",
                EgressListener.DUPLICATE_CHECK);
        ledger.sent("http://127.0.0.1:8080/v1/chat/completions", "m", 900, Instant.parse("2026-11-22T10:00:01Z"), "http 500");

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).containsExactly(EgressLedger.HEADER,
                "2026-11-22T10:00:00Z,http://127.0.0.1:8080/v1/chat/completions,m,1200,ok,duplicate check",
                "2026-11-22T10:00:01Z,http://127.0.0.1:8080/v1/chat/completions,m,900,http 500,triage");
        try (var old = Files.list(dir)) {
            assertThat(old.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("egress-before-")).toList())
                    .singleElement().satisfies(n -> assertThat(Files.readString(dir.resolve(n))).contains("2026-01-01T00:00:00Z"));
        }
        assertThat(ledger.total()).isEqualTo(2);
    }

    @Test
    void theLogIsPrivateAndAnOlderOneReadableByOthersIsMadePrivate() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path log = dir.resolve("data/egress.csv");
        new EgressLedger(log).sent("http://127.0.0.1:8080/v1/chat/completions", "m", 10, Instant.parse("2026-11-22T10:00:00Z"), "ok");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent()))).isEqualTo("rwx------");

        // a log an earlier version left readable by every user: made private at the next request, kept as it was
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--"));
        new EgressLedger(log).sent("http://127.0.0.1:8080/v1/chat/completions", "m", 20, Instant.parse("2026-11-22T10:00:01Z"), "ok");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(log)).hasSize(3).first().isEqualTo(EgressLedger.HEADER);

        // and one of an older format, set aside
        Path older = dir.resolve("older/egress.csv");
        Files.createDirectories(older.getParent());
        Files.writeString(older, "time,endpoint,model,prompt_chars,outcome\n");
        Files.setPosixFilePermissions(older, PosixFilePermissions.fromString("rw-r--r--"));
        new EgressLedger(older).sent("http://x/v1/chat/completions", "m", 1, Instant.parse("2026-11-22T10:00:02Z"), "ok");
        try (var files = Files.list(older.getParent())) {
            assertThat(files.toList()).hasSize(2).allSatisfy(p ->
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rw-------"));
        }
    }
}
