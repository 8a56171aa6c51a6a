package dev.switchboard.app.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CliSupportTest {

    @Test
    void aFileProblemSaysWhatIsWrongNotOnlyThePath() {
        // these exceptions' own message is only the path ("Export failed: /proc/x" told the user nothing)
        assertThat(new AccessDeniedException("/srv/out").getMessage()).isEqualTo("/srv/out");
        assertThat(CliSupport.message(new AccessDeniedException("/srv/out"))).isEqualTo("/srv/out: permission denied");
        assertThat(CliSupport.message(new CompletionException(new UncheckedIOException(new NoSuchFileException("/proc/x")))))
                .isEqualTo("/proc/x: no such file or folder");
        assertThat(CliSupport.message(new IllegalStateException("writing failed", new FileSystemException("/mnt/usb/a.csv", null, "No space left on device"))))
                .isEqualTo("/mnt/usb/a.csv: No space left on device");
        assertThat(CliSupport.message(new IllegalArgumentException("--from is after --to"))).isEqualTo("--from is after --to");
    }
}
