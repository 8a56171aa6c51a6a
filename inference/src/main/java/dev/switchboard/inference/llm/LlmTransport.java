package dev.switchboard.inference.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP transport under langchain4j's chat models (plugged in with {@code httpClientBuilder}).
 * We own it so that: the API key is resolved per request from the supplier and put only into the
 * {@code Authorization} header (langchain4j gets a placeholder key); a {@code Retry-After} header
 * reaches the retry logic; thread interruption aborts the exchange at once; error messages are
 * scrubbed of the key before anyone sees them. Nothing is logged.
 */
final class LlmTransport implements HttpClient {

    /** Non-2xx status, carrying {@code Retry-After} when the server sent one. */
    static final class StatusException extends HttpException {
        private final Duration retryAfter;

        StatusException(int status, String message, Duration retryAfter) {
            super(status, message);
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    /** The server could not be reached (connection refused, DNS, reset...). */
    static final class UnreachableException extends RuntimeException {
        final boolean refused;

        UnreachableException(String message, boolean refused) {
            super(message, null, false, false);
            this.refused = refused;
        }
    }

    /** The API key supplier failed (keyring locked, variable missing): retrying will not help. */
    static final class KeyUnavailableException extends RuntimeException {
        KeyUnavailableException() {
            super("the API key could not be read", null, false, false);
        }
    }

    /** The calling thread was interrupted; the exchange was cancelled and the interrupt flag is set again. */
    static final class CancelledException extends RuntimeException {
        CancelledException() {
            super("cancelled", null, false, false);
        }
    }

    private static final Set<String> RESTRICTED = Set.of("authorization", "connection", "content-length", "expect", "host", "upgrade");
    private static final int MAX_ERROR_CHARS = 300;

    private final java.net.http.HttpClient client;
    private final Duration requestTimeout;
    private final Supplier<String> apiKey;

    private LlmTransport(java.net.http.HttpClient client, Duration requestTimeout, Supplier<String> apiKey) {
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.apiKey = apiKey;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        var b = java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(requestTimeout);
        request.headers().forEach((name, values) -> {
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) return;
            for (String v : values) b.header(name, v);
        });
        String key = resolveKey();
        if (key != null) b.header("Authorization", "Bearer " + key);
        String body = request.body();
        switch (request.method()) {
            case GET -> b.GET();
            case DELETE -> b.DELETE();
            default -> b.POST(body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        }
        CompletableFuture<HttpResponse<String>> future = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            // the request timeout covers the wait for headers; this bound also covers a body that trickles in
            response = future.get(requestTimeout.toMillis() + 250, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            throw new TimeoutException("no reply within " + requestTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        }
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw new StatusException(status, scrub(response.body(), key), retryAfter(response));
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(status)
                .headers(response.headers().map())
                .body(response.body())
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("streaming is not used by the triage engine");
    }

    private String resolveKey() {
        try {
            String k = apiKey.get();
            return k == null || k.isBlank() ? null : k.strip();
        } catch (RuntimeException e) {
            throw new KeyUnavailableException();
        }
    }

    private static RuntimeException translate(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) return new TimeoutException("connect timed out");
        if (cause instanceof HttpTimeoutException) return new TimeoutException("request timed out");
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) return new UnreachableException("connection refused", true);
            if (t instanceof ClosedChannelException) return new UnreachableException("connection closed", false);
        }
        if (cause instanceof IOException) return new UnreachableException("I/O error: " + cause.getClass().getSimpleName(), false);
        return new UnreachableException("transport error: " + (cause == null ? "unknown" : cause.getClass().getSimpleName()), false);
    }

    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(LlmTransport::parseRetryAfter).orElse(null);
    }

    static Duration parseRetryAfter(String v) {
        String s = v.strip();
        try {
            double secs = Double.parseDouble(s);
            return secs < 0 ? null : Duration.ofMillis((long) (secs * 1000));
        } catch (NumberFormatException ignored) {
            // HTTP date
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Removes the key (and anything that looks like a bearer token or API key) and bounds the length. */
    static String scrub(String message, String key) {
        if (message == null) return "";
        String s = message;
        if (key != null && key.length() >= 4) s = s.replace(key, "****");
        s = s.replaceAll("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+", "$1****");
        s = s.replaceAll("\\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}", "$1-****");
        s = s.replaceAll("[\\p{Cc}&&[^\\n]]", "").replaceAll("\\s+", " ").strip();
        return s.length() > MAX_ERROR_CHARS ? s.substring(0, MAX_ERROR_CHARS) + "\u2026" : s;
    }

    /** Builder handed to langchain4j; it sets the timeouts from the model's {@code timeout(...)}. */
    static final class Builder implements HttpClientBuilder {
        private final Supplier<java.net.http.HttpClient> clientFactory;
        private final Supplier<String> apiKey;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private LlmTransport built;

        Builder(Supplier<java.net.http.HttpClient> clientFactory, Supplier<String> apiKey) {
            this.clientFactory = clientFactory;
            this.apiKey = apiKey;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration d) {
            if (d != null) connectTimeout = d;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration d) {
            if (d != null) readTimeout = d;
            return this;
        }

        @Override
        public HttpClient build() {
            built = new LlmTransport(clientFactory.get(), readTimeout, apiKey);
            return built;
        }
    }
}
