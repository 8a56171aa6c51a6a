package dev.switchboard.app.settings;

import dev.switchboard.inference.llm.LlmEngine;
import dev.switchboard.inference.llm.LlmSettings;
import dev.switchboard.inference.llm.PromptBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The non-secret engine configuration as stored in {@link Settings}. The API key is not part of it:
 * only the NAME of the environment variable it is read from ({@link #apiKeyEnv}).
 *
 * @param llm             true: LLM engine (local model as fallback); false: local model only
 * @param hybrid          true: ask the LLM only when the local model is not confident
 * @param timeoutSeconds  per-request timeout
 * @param examples        similar decided tickets shown to the LLM (k)
 * @param template        the prompt template (defaults unless edited)
 * @param confidentAbove  the LLM's self-reported confidence from which its suggestion may be marked confident (when the
 *                        local model's first choice is the same team), {@value #MIN_CONFIDENT_ABOVE}–{@value #MAX_CONFIDENT_ABOVE};
 *                        NaN when what was entered is not a number
 */
public record EngineConfig(boolean llm, LlmSettings.Provider provider, String baseUrl, String model, String apiKeyEnv,
                           int timeoutSeconds, int concurrency, boolean hybrid, boolean redact, int examples,
                           PromptBuilder.Template template, double confidentAbove) {

    public static final String DEFAULT_KEY_ENV = "OPENAI_API_KEY";
    public static final String OPENAI_URL = "https://api.openai.com/v1";
    public static final String OPENAI_MODEL = "gpt-4o-mini";
    public static final String OLLAMA_URL = "http://localhost:11434";
    public static final String OLLAMA_MODEL = "llama3.1";
    /**
     * Below one half the LLM would be "confident" when it rates its own answer a coin toss; 1.0 would never be
     * reached by most models, which report 0.95 or so at most.
     */
    public static final double MIN_CONFIDENT_ABOVE = 0.5;
    public static final double MAX_CONFIDENT_ABOVE = 0.99;

    static final String MODE = "engine.mode";
    static final String PROVIDER = "llm.provider";
    static final String BASE_URL = "llm.baseUrl";
    static final String MODEL = "llm.model";
    static final String KEY_ENV = "llm.apiKeyEnv";
    static final String TIMEOUT = "llm.timeoutSeconds";
    static final String CONCURRENCY = "llm.concurrency";
    static final String HYBRID = "llm.hybrid";
    static final String REDACT = "llm.redact";
    static final String EXAMPLES = "llm.examples";
    static final String CONFIDENT_ABOVE = "llm.confidentAbove";
    static final String SYSTEM = "llm.prompt.system";
    static final String USER = "llm.prompt.user";

    public EngineConfig {
        provider = provider == null ? LlmSettings.Provider.OPENAI_COMPATIBLE : provider;
        baseUrl = baseUrl == null ? "" : baseUrl.strip();
        model = model == null ? "" : model.strip();
        apiKeyEnv = apiKeyEnv == null || apiKeyEnv.isBlank() ? DEFAULT_KEY_ENV : apiKeyEnv.strip();
        template = template == null ? PromptBuilder.Template.defaults() : template;
    }

    public static EngineConfig defaults() {
        return new EngineConfig(false, LlmSettings.Provider.OPENAI_COMPATIBLE, OPENAI_URL, OPENAI_MODEL, DEFAULT_KEY_ENV,
                60, 4, true, true, 5, PromptBuilder.Template.defaults(), LlmEngine.DEFAULT_CONFIDENT_ABOVE);
    }

    public static EngineConfig load(Settings s) {
        EngineConfig d = defaults();
        LlmSettings.Provider p;
        try {
            p = LlmSettings.Provider.valueOf(s.get(PROVIDER, d.provider.name()));
        } catch (IllegalArgumentException e) {
            p = d.provider;
        }
        PromptBuilder.Template t;
        try {
            t = new PromptBuilder.Template(s.get(SYSTEM, PromptBuilder.DEFAULT_SYSTEM_TEMPLATE),
                    s.get(USER, PromptBuilder.DEFAULT_USER_TEMPLATE));
        } catch (IllegalArgumentException e) {
            t = PromptBuilder.Template.defaults(); // a broken stored template must not stop the app
        }
        String defaultUrl = p == LlmSettings.Provider.OLLAMA ? OLLAMA_URL : OPENAI_URL;
        String url = s.get(BASE_URL, defaultUrl);
        if (LlmSettings.credentialsIn(url) != null) url = defaultUrl; // saved by an older version: never used or shown
        return new EngineConfig("llm".equals(s.get(MODE, "local")), p, url,
                s.get(MODEL, p == LlmSettings.Provider.OLLAMA ? OLLAMA_MODEL : OPENAI_MODEL), s.get(KEY_ENV, DEFAULT_KEY_ENV),
                s.getInt(TIMEOUT, d.timeoutSeconds), s.getInt(CONCURRENCY, d.concurrency), s.getBoolean(HYBRID, d.hybrid),
                s.getBoolean(REDACT, d.redact), s.getInt(EXAMPLES, d.examples), t,
                parseConfidence(s.get(CONFIDENT_ABOVE, Double.toString(d.confidentAbove))));
    }

    /** A threshold as typed or stored ("0.8", "0,8"); NaN when it is not a number. */
    static double parseConfidence(String text) {
        try {
            return Double.parseDouble(text.strip().replace(',', '.'));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The threshold as the settings file and the dialog show it ("0.75"). */
    public static String formatConfidence(double v) {
        return Double.isNaN(v) ? "" : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Why {@code v} cannot be the LLM's confidence threshold, or null. */
    public static String confidenceProblem(double v) {
        if (v >= MIN_CONFIDENT_ABOVE && v <= MAX_CONFIDENT_ABOVE) return null;
        return String.format(Locale.ROOT, "must be a number from %.2f to %.2f (the LLM's own confidence; default %.2f)",
                MIN_CONFIDENT_ABOVE, MAX_CONFIDENT_ABOVE, LlmEngine.DEFAULT_CONFIDENT_ABOVE);
    }

    /** Writes every field (never a key) into {@code s}; the caller saves. Default templates are not stored. */
    public void store(Settings s) {
        s.set(MODE, llm ? "llm" : "local");
        s.set(PROVIDER, provider.name());
        // never a URL carrying a key (user:password@, ?key=): the file is not a place for secrets
        if (LlmSettings.credentialsIn(baseUrl) == null) s.set(BASE_URL, baseUrl);
        else if (LlmSettings.credentialsIn(s.get(BASE_URL, "")) != null) s.set(BASE_URL, null);
        s.set(MODEL, model);
        s.set(KEY_ENV, apiKeyEnv);
        s.set(TIMEOUT, Integer.toString(timeoutSeconds));
        s.set(CONCURRENCY, Integer.toString(concurrency));
        s.set(HYBRID, Boolean.toString(hybrid));
        s.set(REDACT, Boolean.toString(redact));
        s.set(EXAMPLES, Integer.toString(examples));
        // one the LLM engine could not use (entered while it was off) leaves the stored value as it was
        if (confidenceProblem(confidentAbove) == null) s.set(CONFIDENT_ABOVE, formatConfidence(confidentAbove));
        boolean isDefault = template.equals(PromptBuilder.Template.defaults());
        s.set(SYSTEM, isDefault ? null : template.system());
        s.set(USER, isDefault ? null : template.user());
    }

    /** Why the base URL carries a secret, as a sentence for the dialog ({@link LlmSettings#credentialsIn}); or null. */
    static String credentialProblem(String baseUrl) {
        String secret = LlmSettings.credentialsIn(baseUrl);
        return secret == null ? null : Character.toUpperCase(secret.charAt(0)) + secret.substring(1);
    }

    /** Problems that stop the LLM settings from being used; empty when fine. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (baseUrl.isBlank()) {
            out.add("Enter the base URL");
        } else {
            try {
                URI u = URI.create(baseUrl);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                String secret = credentialProblem(baseUrl);
                if (secret != null) {
                    out.add(secret);
                } else if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                    out.add("The base URL must start with http:// or https:// and name a host");
                } else if (provider == LlmSettings.Provider.OPENAI_COMPATIBLE && !u.getPath().contains("/v1")) {
                    out.add("An OpenAI-compatible base URL must include /v1 (e.g. " + OPENAI_URL + ")");
                }
            } catch (IllegalArgumentException e) {
                out.add("The base URL is not a valid URL");
            }
        }
        if (model.isBlank()) out.add("Enter the model name");
        if (timeoutSeconds < 1 || timeoutSeconds > 600) out.add("Timeout must be 1–600 seconds");
        if (concurrency < 1 || concurrency > 64) out.add("Concurrency must be 1–64");
        if (examples < 0 || examples > 20) out.add("Examples must be 0–20");
        String confidence = confidenceProblem(confidentAbove);
        if (confidence != null) out.add("Confident at " + confidence);
        if (!apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) out.add("The environment variable name may use letters, digits and _ only");
        return out;
    }

    public LlmSettings toLlmSettings(Supplier<String> apiKey) {
        return new LlmSettings(provider, baseUrl, model, apiKey, Duration.ofSeconds(timeoutSeconds), 2, concurrency, redact,
                hybrid ? LlmSettings.HybridPolicy.WHEN_LOCAL_NOT_CONFIDENT : LlmSettings.HybridPolicy.ALWAYS, examples,
                LlmSettings.ResponseMode.JSON_SCHEMA);
    }

    public EngineConfig withLlm(boolean on) {
        return new EngineConfig(on, provider, baseUrl, model, apiKeyEnv, timeoutSeconds, concurrency, hybrid, redact, examples, template,
                confidentAbove);
    }

    public EngineConfig withTemplate(PromptBuilder.Template t) {
        return new EngineConfig(llm, provider, baseUrl, model, apiKeyEnv, timeoutSeconds, concurrency, hybrid, redact, examples, t,
                confidentAbove);
    }
}
