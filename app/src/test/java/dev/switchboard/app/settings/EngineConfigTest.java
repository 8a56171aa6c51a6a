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
        return new EngineConfig(true, LlmSettings.Provider.OPENAI_COMPATIBLE, url, "m", d.apiKeyEnv(), 60, 4, true, true, 5, null);
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
                true, true, 5, null).store(s);
        new EngineConfig(false, LlmSettings.Provider.OPENAI_COMPATIBLE, "https://me:sk-SECRET-1@llm.example.com/v1", "m",
                d.apiKeyEnv(), 60, 4, true, true, 5, null).store(s);
        s.save();
        assertThat(Files.readString(dir.resolve("settings.properties"))).doesNotContain("SECRET")
                .contains("127.0.0.1\\:8000/v1");
        // a file an older version wrote with a key in the URL: the URL is not used (the default instead)
        s.set(EngineConfig.BASE_URL, "https://llm.example.com/v1?api-key=sk-SECRET-2");
        assertThat(EngineConfig.load(s).baseUrl()).doesNotContain("SECRET");
    }
}
