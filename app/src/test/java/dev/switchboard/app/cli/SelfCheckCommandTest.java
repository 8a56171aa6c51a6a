package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfCheckCommandTest {

    @TempDir Path dir;

    @Test
    void opensAndMigratesTheDatabaseLoadsTheModelAndMakesASuggestion() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.execute(new PrintWriter(out), new PrintWriter(err), "self-check", "--db",
                "jdbc:h2:file:" + dir.resolve("db"));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("database   ok").contains("→ Network").contains("self-check passed");
        assertThat(dir.resolve("db.mv.db")).exists();
    }
}
