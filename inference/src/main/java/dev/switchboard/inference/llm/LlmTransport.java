package dev.switchboard.inference.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP transport under langchain4j's chat models (plugged in with {@code httpClientBuilder}).
 * We own it so that: the API key is resolved per request from the supplier and put only into the
 * {@code Authorization} header (langchain4j gets a placeholder key); a {@code Retry-After} header
 * reaches the retry logic; thread interruption aborts the exchange at once; error messages are
 * scrubbed of the key before anyone sees them; a reply body is read up to {@link #MAX_REPLY_BYTES}
 * only (a larger one fails the call with {@link ReplyTooLargeException}, the connection is dropped,
 * nothing more is read). Nothing is logged.
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

    /**
     * The largest successful reply body read: 2 MiB. A triage or duplicate-check reply is a JSON object
     * of well under 1 KB inside the provider's envelope (about 1 KB more); a reasoning model's
     * {@code <think>} block adds tens of KB at most. 2 MiB is a hundred times that, yet with
     * {@link LlmSettings#concurrency()} requests in flight and the few copies decoding makes (bytes,
     * string, JSON tree) it stays a few tens of MB of the heap, where an unbounded reply could take all of it.
     */
    static final int MAX_REPLY_BYTES = 2 * 1024 * 1024;
    /** An error (non-2xx) body is read up to this much; the rest is dropped (only 300 characters are shown). */
    static final int MAX_ERROR_BYTES = 64 * 1024;

    /** The reply body is larger than {@link #MAX_REPLY_BYTES}: a misbehaving server, not a transient fault. */
    static final class ReplyTooLargeException extends RuntimeException {
        ReplyTooLargeException() {
            super("LLM reply larger than " + (MAX_REPLY_BYTES / (1024 * 1024)) + " MB", null, false, false);
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
        CompletableFuture<HttpResponse<String>> future = client.sendAsync(b.build(), LlmTransport::boundedBody);
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

    /** The body as a string, read up to {@link #MAX_REPLY_BYTES} (2xx) or {@link #MAX_ERROR_BYTES} (anything else). */
    static HttpResponse.BodySubscriber<String> boundedBody(HttpResponse.ResponseInfo info) {
        boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
        return new BoundedBody(ok ? MAX_REPLY_BYTES : MAX_ERROR_BYTES, ok, declared, charset(info.headers()));
    }

    /** The charset of the Content-Type header (UTF-8 when absent or unknown), as {@code BodyHandlers.ofString()} does. */
    private static Charset charset(java.net.http.HttpHeaders headers) {
        String type = headers.firstValue("Content-Type").orElse("");
        for (String param : type.split(";")) {
            String p = param.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").strip());
                } catch (RuntimeException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * Collects the body up to {@code limit} bytes. Past it, the subscription is cancelled (the client
     * closes the connection; nothing more is read) and the body either fails with
     * {@link ReplyTooLargeException} ({@code failBeyond}, a reply) or ends with what was read (an error
     * body, only shown truncated anyway). A declared Content-Length beyond the limit fails before reading.
     */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<String> {
        private final int limit;
        private final boolean failBeyond;
        private final long declared;
        private final Charset charset;
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private ByteArrayOutputStream buf;
        private Flow.Subscription subscription;

        BoundedBody(int limit, boolean failBeyond, long declared, Charset charset) {
            this.limit = limit;
            this.failBeyond = failBeyond;
            this.declared = declared;
            this.charset = charset;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (failBeyond && declared > limit) {
                s.cancel();
                result.completeExceptionally(new ReplyTooLargeException());
                return;
            }
            buf = new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, limit) : 8192);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) return;
            for (ByteBuffer b : items) {
                int room = limit - buf.size();
                if (b.remaining() > room) {
                    subscription.cancel();
                    if (failBeyond) {
                        buf = null;
                        result.completeExceptionally(new ReplyTooLargeException());
                    } else {
                        byte[] part = new byte[room];
                        b.get(part);
                        buf.writeBytes(part);
                        result.complete(buf.toString(charset));
                    }
                    return;
                }
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                buf.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (!result.isDone()) result.complete(buf.toString(charset));
        }
    }

    private static RuntimeException translate(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ReplyTooLargeException r) return r;
        }
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
