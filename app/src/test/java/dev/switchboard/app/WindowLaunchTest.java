package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.intake.IntakeToken;
import dev.switchboard.app.sample.DemoWorkspace;
import dev.switchboard.app.sample.SampleWorkspace;
import dev.switchboard.app.settings.EgressLedger;
import dev.switchboard.app.settings.EngineControl;
import dev.switchboard.app.settings.IntakeControl;
import dev.switchboard.inference.llm.LlmEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --demo} is a workspace of its own: its settings, intake and LLM engine are never the real workspace's. */
@Timeout(120)
class WindowLaunchTest {

    @TempDir Path dataDir;
    Path realSettings;
    byte[] realBefore;
    Services demo;

    @BeforeEach
    void realWorkspaceWithIntakeAndLlmOn() throws Exception {
        realSettings = dataDir.resolve("settings.properties");
        Files.writeString(realSettings, String.join("\n",
                "intake.enabled=true",
                "intake.port=0",
                "engine.mode=llm",
                "llm.provider=OPENAI_COMPATIBLE",
                "llm.baseUrl=http://127.0.0.1:9/v1",
                "llm.model=the-users-model",
                "llm.hybrid=false",
                "dispatcher=dana", ""));
        Files.writeString(dataDir.resolve(IntakeToken.FILE_NAME), "the-real-intake-token-0123456789abcdef");
        realBefore = Files.readAllBytes(realSettings);
    }

    @AfterEach
    void close() throws Exception {
        if (demo != null) {
            IntakeControl.shutdown(demo);
            demo.close();
        }
        DemoWorkspace.release();
    }

    @Test
    void theDemoStartsWithDefaultSettingsOfItsOwnAndNeverWritesTheRealOnes() throws Exception {
        WindowLaunch launch = WindowLaunch.of(List.of("--demo"), dataDir);
        assertThat(launch.demoDir()).isEqualTo(dataDir.resolve("demo"));
        assertThat(launch.settingsFile()).isEqualTo(dataDir.resolve("demo").resolve("settings.properties"));

        WindowLaunch.Opened opened = launch.open(SampleWorkspace.create());
        demo = opened.services();
        assertThat(opened.joined()).isFalse();
        assertThat(demo.workspace().store().stats().tickets()).as("the sample is installed").isPositive();

        // what the window does once the workspace is open
        IntakeControl.restoreFromSettings(demo);
        EngineControl.restoreFromSettings(demo);
        assertThat(IntakeControl.of(demo).isRunning()).as("the real workspace's intake does not start for the demo").isFalse();
        assertThat(demo.engine()).as("the local model serves the demo, not the user's LLM").isSameAs(demo.localModel())
                .isNotInstanceOf(LlmEngine.class);
        assertThat(demo.settings().get("engine.mode", "local")).isEqualTo("local");
        assertThat(demo.settings().dispatcher()).isNotEqualTo("dana");
        assertThat(demo.settings().dataDir()).isEqualTo(dataDir.resolve("demo").toAbsolutePath());
        assertThat(IntakeControl.of(demo).tokenFile()).isEqualTo(dataDir.resolve("demo").resolve(IntakeToken.FILE_NAME).toAbsolutePath());
        assertThat(EngineControl.of(demo).active().llm()).isFalse();

        // a change made in the demo: it is remembered in the demo's settings, with a token of its own
        IntakeControl.of(demo).start(0);
        assertThat(IntakeControl.of(demo).isRunning()).isTrue();
        assertThat(Files.readAllBytes(realSettings)).as("the real settings file is untouched").isEqualTo(realBefore);
        assertThat(dataDir.resolve("demo").resolve("settings.properties")).content().contains("intake.enabled=true");
        assertThat(Files.readString(dataDir.resolve("demo").resolve(IntakeToken.FILE_NAME)).strip())
                .isNotEqualTo("the-real-intake-token-0123456789abcdef");
        assertThat(dataDir.resolve(IntakeToken.FILE_NAME)).hasContent("the-real-intake-token-0123456789abcdef");
        assertThat(dataDir.resolve("switchboard.mv.db")).as("nor is the real database created").doesNotExist();
        IntakeControl.shutdown(demo);
        demo.close();
        demo = null;

        // the next demo start is fresh again: defaults, though the demo's egress ledger is kept
        Files.writeString(dataDir.resolve("demo").resolve(EgressLedger.LOG_FILE), "time,endpoint,model,prompt_chars,outcome,purpose\n");
        DemoWorkspace.release(); // the first demo window closes
        demo = WindowLaunch.of(List.of("--demo"), dataDir).open(SampleWorkspace.create()).services();
        assertThat(demo.settings().getBoolean("intake.enabled", false)).isFalse();
        assertThat(dataDir.resolve("demo").resolve(EgressLedger.LOG_FILE)).exists();
        assertThat(Files.readAllBytes(realSettings)).isEqualTo(realBefore);
    }

    @Test
    void theRealWorkspaceKeepsItsSettingsInTheDataDirectory() {
        WindowLaunch real = WindowLaunch.of(List.of(), dataDir);
        assertThat(real.demo()).isFalse();
        assertThat(real.dbUrl()).isNull();
        assertThat(real.demoDir()).isNull();
        assertThat(real.settingsFile()).isEqualTo(realSettings);
        assertThat(real.settings().getBoolean("intake.enabled", false)).isTrue();

        WindowLaunch named = WindowLaunch.of(List.of("--db", "jdbc:h2:mem:x"), dataDir);
        assertThat(named.dbUrl()).isEqualTo("jdbc:h2:mem:x");
        assertThat(named.settingsFile()).isEqualTo(realSettings);

        WindowLaunch demoOnNamedDb = WindowLaunch.of(List.of("--demo", "--db=jdbc:h2:mem:y"), dataDir);
        assertThat(demoOnNamedDb.dbUrl()).isEqualTo("jdbc:h2:mem:y");
        assertThat(demoOnNamedDb.settingsFile()).as("a demo never uses the real settings").isNotEqualTo(realSettings);
    }
}
