package dev.switchboard.inference.llm;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to reach the LLM and how to use it.
 *
 * <p>The API key is a {@link Supplier} so the app can read it from the OS keyring (or an environment
 * variable) at call time; it is resolved per request, only ever put into the {@code Authorization}
 * header, and never appears in {@link #toString()}, logs or surfaced error messages.
 *
 * @param provider     wire protocol
 * @param baseUrl      e.g. {@code https://api.openai.com/v1} (requests go to {@code baseUrl + "/chat/completions"})
 *                     or {@code http://localhost:11434} for Ollama (requests go to {@code baseUrl + "/api/chat"})
 * @param model        model name sent with every request
 * @param apiKey       key supplier; may return null or blank for servers without authentication
 * @param timeout      per-request timeout (connect + response)
 * @param maxRetries   extra attempts after the first for retryable failures (429, 5xx, timeout, connection refused)
 * @param concurrency  maximum requests in flight for one engine
 * @param redact       run PII redaction on ticket and example text before it leaves the machine
 * @param hybrid       when to ask the LLM at all
 * @param examples     number of similar decided tickets shown to the model (k)
 * @param responseMode how to ask for structured output
 */
public record LlmSettings(
        Provider provider,
        String baseUrl,
        String model,
        Supplier<String> apiKey,
        Duration timeout,
        int maxRetries,
        int concurrency,
        boolean redact,
        HybridPolicy hybrid,
        int examples,
        ResponseMode responseMode) {

    public enum Provider { OPENAI_COMPATIBLE, OLLAMA }

    public enum HybridPolicy {
        /** Always ask the LLM (the local model is only the fallback). */
        ALWAYS,
        /** Ask the local model first; call the LLM only when the local suggestion is not confident. */
        WHEN_LOCAL_NOT_CONFIDENT
    }

    public enum ResponseMode {
        /** JSON schema with the allowed teams/priorities as enums (OpenAI strict json_schema; Ollama format schema). */
        JSON_SCHEMA,
        /** Plain JSON mode (OpenAI json_object; Ollama format "json") for servers without schema support. */
        JSON_OBJECT
    }

    public LlmSettings {
        Objects.requireNonNull(provider, "provider");
        if (baseUrl == null || baseUrl.isBlank()) throw new IllegalArgumentException("baseUrl is required");
        baseUrl = baseUrl.strip().replaceAll("/+$", "");
        String secret = credentialsIn(baseUrl);
        if (secret != null) throw new IllegalArgumentException(secret);
        if (model == null || model.isBlank()) throw new IllegalArgumentException("model is required");
        apiKey = apiKey == null ? () -> null : apiKey;
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0");
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1");
        hybrid = hybrid == null ? HybridPolicy.ALWAYS : hybrid;
        if (examples < 0) throw new IllegalArgumentException("examples must be >= 0");
        responseMode = responseMode == null ? ResponseMode.JSON_SCHEMA : responseMode;
    }

    /** Sensible defaults: 60 s timeout, 2 retries, 4 concurrent calls, redaction on, always ask, 5 examples. */
    public static LlmSettings of(Provider provider, String baseUrl, String model, Supplier<String> apiKey) {
        return new LlmSettings(provider, baseUrl, model, apiKey, Duration.ofSeconds(60), 2, 4, true,
                HybridPolicy.ALWAYS, 5, ResponseMode.JSON_SCHEMA);
    }

    public LlmSettings withTimeout(Duration t) {
        return new LlmSettings(provider, baseUrl, model, apiKey, t, maxRetries, concurrency, redact, hybrid, examples, responseMode);
    }

    public LlmSettings withMaxRetries(int n) {
        return new LlmSettings(provider, baseUrl, model, apiKey, timeout, n, concurrency, redact, hybrid, examples, responseMode);
    }

    public LlmSettings withConcurrency(int n) {
        return new LlmSettings(provider, baseUrl, model, apiKey, timeout, maxRetries, n, redact, hybrid, examples, responseMode);
    }

    public LlmSettings withRedact(boolean on) {
        return new LlmSettings(provider, baseUrl, model, apiKey, timeout, maxRetries, concurrency, on, hybrid, examples, responseMode);
    }

    public LlmSettings withHybrid(HybridPolicy p) {
        return new LlmSettings(provider, baseUrl, model, apiKey, timeout, maxRetries, concurrency, redact, p, examples, responseMode);
    }

    public LlmSettings withExamples(int k) {
        return new LlmSettings(provider, baseUrl, model, apiKey, timeout, maxRetries, concurrency, redact, hybrid, k, responseMode);
    }

    public LlmSettings withResponseMode(ResponseMode m) {
        return new LlmSettings(provider, baseUrl, model, apiKey, timeout, maxRetries, concurrency, redact, hybrid, examples, m);
    }

    private static final String CREDENTIALS_IN_URL = "the base URL must not carry credentials or parameters"
            + " (user:password@, ?key=…): give the API key through its environment variable; the URL is written to"
            + " the settings and the egress ledger";

    /**
     * Why {@code baseUrl} must not be used as given, or null: a URL carrying a secret (user:password@host, a
     * query such as ?api-key=…, a fragment) would be written wherever the endpoint is (settings file, egress
     * ledger, logs, dialogs), which must never hold a key. The message does not repeat the URL.
     */
    public static String credentialsIn(String baseUrl) {
        if (baseUrl == null) return null;
        java.net.URI u;
        try {
            u = java.net.URI.create(baseUrl.strip());
        } catch (IllegalArgumentException e) {
            // not a URL; refused here when it still looks as if it carried a secret (user:pass@, ?key=), which
            // a password with a character a URL may not hold (a space, a stray %) would otherwise slip past
            String raw = baseUrl.strip();
            int scheme = raw.indexOf("://");
            String rest = scheme < 0 ? raw : raw.substring(scheme + 3);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            if (authority.contains("@") || raw.contains("?") || raw.contains("#")) {
                return CREDENTIALS_IN_URL;
            }
            return null; // reported as "not a valid URL" by whoever validates it
        }
        if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
            return CREDENTIALS_IN_URL;
        }
        return null;
    }

    /** The chat endpoint requests are sent to (for the egress ledger and settings UI). */
    public String endpoint() {
        return provider == Provider.OLLAMA ? baseUrl + "/api/chat" : baseUrl + "/chat/completions";
    }

    /** Never prints the key, only whether one is configured. */
    @Override
    public String toString() {
        String key;
        try {
            String k = apiKey.get();
            key = k == null || k.isBlank() ? "<none>" : "****";
        } catch (RuntimeException e) {
            key = "<unavailable>";
        }
        return "LlmSettings[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + key
                + ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", concurrency=" + concurrency
                + ", redact=" + redact + ", hybrid=" + hybrid + ", examples=" + examples + ", responseMode=" + responseMode + "]";
    }
}
