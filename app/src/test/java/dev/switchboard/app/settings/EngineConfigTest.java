package dev.switchboard.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inference.llm.LlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings › Engine: a base URL with a key in it is refused before it reaches the settings file. */
class EngineConfigTest {

    @TempDir Path dir;

    private static EngineConfig withUrl(String url) {
        EngineConfig d = EngineConfig.defaults();
        return new EngineConfig(true, LlmSettings.Provider.OPENAI_COMPATIBLE, url, "m", d.apiKeyEnv(), 60, 4, true, true, 5, null, 0.75);
    }

    @Test
    void aBaseUrlCarryingCredentialsIsAProblemAndIsNeverUsable() throws Exception {
        for (String url : new String[] {"https://me:sk-SECRET-1@llm.example.com/v1", "https://llm.example.com/v1?key=sk-SECRET-1",
                "http://127.0.0.1:8000/v1#sk-SECRET-1"}) {
            assertThat(withUrl(url).problems()).as(url).singleElement().satisfies(p -> assertThat(p)
                    .startsWith("The base URL must not carry credentials").doesNotContain("SECRET"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> withUrl(url).toLlmSettings(() -> null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("SECRET");
        }
        // a password a URL cannot even hold (a space) is refused as well, not waved through as "not a URL"
        assertThat(LlmSettings.credentialsIn("https://me:sk SECRET@llm.example.com/v1")).isNotNull().doesNotContain("SECRET");
        assertThat(withUrl("http://127.0.0.1:8000/v1").problems()).isEmpty();
        assertThat(withUrl("https://api.openai.com/v1").toLlmSettings(() -> null).endpoint())
                .isEqualTo("https://api.openai.com/v1/chat/completions");
    }

    /** With the local engine selected the URL is not checked for use, but a key in it still never reaches the file. */
    @Test
    void aBaseUrlCarryingAKeyIsNeverWrittenToTheSettingsFileNorReadBackFromIt() throws Exception {
        Settings s = new Settings(dir.resolve("settings.properties"));
        EngineConfig d = EngineConfig.defaults();
        new EngineConfig(false, LlmSettings.Provider.OPENAI_COMPATIBLE, "http://127.0.0.1:8000/v1", "m", d.apiKeyEnv(), 60, 4,
                true, true, 5, null, 0.75).store(s);
        new EngineConfig(false, LlmSettings.Provider.OPENAI_COMPATIBLE, "https://me:sk-SECRET-1@llm.example.com/v1", "m",
                d.apiKeyEnv(), 60, 4, true, true, 5, null, 0.75).store(s);
        s.save();
        assertThat(Files.readString(dir.resolve("settings.properties"))).doesNotContain("SECRET")
                .contains("127.0.0.1\\:8000/v1");
        // a file an older version wrote with a key in the URL: the URL is not used (the default instead)
        s.set(EngineConfig.BASE_URL, "https://llm.example.com/v1?api-key=sk-SECRET-2");
        assertThat(EngineConfig.load(s).baseUrl()).doesNotContain("SECRET");
    }

    @Test
    void theLlmConfidenceThresholdIsStoredReadBackAndValidated() throws Exception {
        Settings s = new Settings(dir.resolve("settings.properties"));
        assertThat(EngineConfig.load(s).confidentAbove()).as("default unchanged").isEqualTo(0.75);
        EngineConfig d = EngineConfig.defaults();
        new EngineConfig(true, LlmSettings.Provider.OPENAI_COMPATIBLE, "http://127.0.0.1:8000/v1", "m", d.apiKeyEnv(), 60, 4,
                true, true, 5, null, 0.9).store(s);
        s.save();
        assertThat(Files.readString(dir.resolve("settings.properties"))).contains("llm.confidentAbove=0.9");
        EngineConfig loaded = EngineConfig.load(new Settings(dir.resolve("settings.properties")));
        assertThat(loaded.confidentAbove()).isEqualTo(0.9);
        assertThat(loaded.problems()).isEmpty();

        for (double ok : new double[] {0.5, 0.99}) assertThat(withUrl("http://127.0.0.1:8000/v1", ok).problems()).as("" + ok).isEmpty();
        for (double bad : new double[] {0.49, 1.0, 75, -0.8, Double.NaN}) {
            assertThat(withUrl("http://127.0.0.1:8000/v1", bad).problems()).as("" + bad).containsExactly(
                    "Confident at must be a number from 0.50 to 0.99 (the LLM's own confidence; default 0.75)");
        }
        assertThat(EngineConfig.parseConfidence(" 0,8 ")).isEqualTo(0.8);
        assertThat(EngineConfig.parseConfidence("high")).isNaN();
        // a value edited by hand that cannot be used: the LLM engine does not start with it, and the dialog says why
        s.set(EngineConfig.CONFIDENT_ABOVE, "1.5");
        assertThat(EngineConfig.load(s).problems()).singleElement().asString().startsWith("Confident at must be");
        s.set(EngineConfig.CONFIDENT_ABOVE, "very");
        assertThat(EngineConfig.load(s).problems()).singleElement().asString().startsWith("Confident at must be");
    }

    private static EngineConfig withUrl(String url, double confidentAbove) {
        EngineConfig d = EngineConfig.defaults();
        return new EngineConfig(true, LlmSettings.Provider.OPENAI_COMPATIBLE, url, "m", d.apiKeyEnv(), 60, 4, true, true, 5, null,
                confidentAbove);
    }
}
