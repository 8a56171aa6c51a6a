package dev.switchboard.persistence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.Writer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written for the user only: 0600 in 0700 folders, a wider old file replaced, no half-written file seen. */
class PrivateFilesTest {

    @TempDir Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aFileWrittenAnewIsPrivateInAPrivateFolderEvenWhenTheOldOneWasNot() throws Exception {
        Path file = dir.resolve("data/sub/settings.properties");
        PrivateFiles.writeString(file, "a=1\n");
        assertThat(Files.readString(file)).isEqualTo("a=1\n");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("data"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("data/sub"))).isEqualTo("rwx------");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")); // as an older version left it
        PrivateFiles.writeString(file, "a=2\n");
        assertThat(Files.readString(file)).isEqualTo("a=2\n");
        assertThat(mode(file)).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("settings.properties"); // no temporary left
        }
    }

    @Test
    void anAppendedFileIsCreatedPrivateAndAnOlderOneReadableByOthersIsMadePrivate() throws Exception {
        Path log = dir.resolve("new/egress.csv");
        try (Writer w = PrivateFiles.appendWriter(log)) {
            w.write("one\n");
        }
        assertThat(mode(log)).isEqualTo("rw-------");
        assertThat(mode(log.getParent())).isEqualTo("rwx------");

        Path old = dir.resolve("old.csv");
        Files.writeString(old, "one\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-rw-r--"));
        try (Writer w = PrivateFiles.appendWriter(old)) {
            w.write("two\n");
        }
        assertThat(Files.readString(old)).isEqualTo("one\ntwo\n");
        assertThat(mode(old)).isEqualTo("rw-------");
    }

    /** Processes starting at once (here threads) all read the one file that won, never an empty one. */
    @Test
    void createStringIsWholeOrNothingAndTheFirstOneWins() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 50; round++) {
                Path file = dir.resolve("token-" + round);
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<String>> seen = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String mine = "token-of-thread-" + t;
                    seen.add(pool.submit(() -> {
                        start.await();
                        return PrivateFiles.createString(file, mine) ? mine : Files.readString(file);
                    }));
                }
                Set<String> values = new HashSet<>();
                for (Future<String> f : seen) values.add(f.get());
                assertThat(values).as("round " + round).singleElement().asString().startsWith("token-of-thread-");
                assertThat(Files.readString(file)).isEqualTo(values.iterator().next());
                assertThat(mode(file)).isEqualTo("rw-------");
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.matches("token-\\d+"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(PrivateFiles.createString(dir.resolve("token-0"), "other")).isFalse();
    }
}
