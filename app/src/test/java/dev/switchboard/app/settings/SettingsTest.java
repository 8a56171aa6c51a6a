package dev.switchboard.app.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** settings.properties names the dispatcher, the LLM endpoint and prompt: only its owner may read it. */
class SettingsTest {

    @TempDir Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theSettingsFileIsWrittenPrivateAndAnOlderOneReadableByOthersIsReplacedByAPrivateOne() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path file = dir.resolve("data/settings.properties");
        Settings s = new Settings(file);
        s.set("dispatcher", "Dana");
        s.save();
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(file.getParent())).isEqualTo("rwx------");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")); // as an older version left it
        Settings again = new Settings(file);
        assertThat(again.dispatcher()).isEqualTo("Dana");
        again.set("llm.model", "m");
        again.save();
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(new Settings(file).get("llm.model", null)).isEqualTo("m");
        assertThat(new Settings(file).dispatcher()).isEqualTo("Dana");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("settings.properties");
        }
    }
}
