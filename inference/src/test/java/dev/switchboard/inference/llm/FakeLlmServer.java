package dev.switchboard.inference.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted chat server on 127.0.0.1 speaking OpenAI chat-completions ({@code POST /v1/chat/completions})
 * and Ollama ({@code POST /api/chat}). Each request takes the next scripted reply (the last one repeats).
 */
final class FakeLlmServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What the server saw. */
    record Seen(String method, String path, Map<String, List<String>> headers, String body, long atNanos) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }

        ObjectNode json() {
            try {
                return (ObjectNode) JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** All message contents joined (system + user + ...). */
        String allContent() {
            StringBuilder sb = new StringBuilder();
            json().withArray("messages").forEach(m -> sb.append(m.path("content").asText()).append('\n'));
            return sb.toString();
        }

        String content(int index) {
            return json().withArray("messages").get(index).path("content").asText();
        }
    }

    /** One scripted reply. */
    record Reply(int status, Map<String, String> headers, String content, String rawBody, CountDownLatch holdUntil,
                 long streamBytes, boolean declareLength) {
        /** 200 with this assistant content. */
        static Reply ok(String content) {
            return new Reply(200, Map.of(), content, null, null, 0, false);
        }

        static Reply status(int status, String rawBody, Map<String, String> headers) {
            return new Reply(status, headers, null, rawBody, null, 0, false);
        }

        /** Waits (up to 20 s) for the latch before answering with content. */
        static Reply held(CountDownLatch latch, String content) {
            return new Reply(200, Map.of(), content, null, latch, 0, false);
        }

        /**
         * 200 with a chat completion whose content is {@code bytes} letters, written in 64 KB chunks as
         * they are generated (never held in memory), chunked or with the full Content-Length declared up front.
         */
        static Reply huge(long bytes, boolean declareLength) {
            return new Reply(200, Map.of(), null, null, null, bytes, declareLength);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-llm");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Function<Seen, Reply>> script = new ConcurrentLinkedQueue<>();
    private volatile Function<Seen, Reply> last = s -> Reply.status(500, "{\"error\":\"no script\"}", Map.of());
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    /** Bytes of {@link Reply#huge} bodies written before the client stopped reading (or all of them). */
    final java.util.concurrent.atomic.AtomicLong streamedBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Counted down once per request received (reset with {@link #expectRequests}). */
    private volatile CountDownLatch arrivals = new CountDownLatch(0);

    FakeLlmServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String openAiBaseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    String ollamaBaseUrl() {
        return "http://127.0.0.1:" + port();
    }

    FakeLlmServer then(Reply r) {
        return then(s -> r);
    }

    FakeLlmServer then(Function<Seen, Reply> f) {
        script.add(f);
        last = f;
        return this;
    }

    CountDownLatch expectRequests(int n) {
        arrivals = new CountDownLatch(n);
        return arrivals;
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Seen s = new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body, System.nanoTime());
            seen.add(s);
            arrivals.countDown();
            Function<Seen, Reply> f = script.poll();
            Reply r = (f == null ? last : f).apply(s);
            if (r.holdUntil() != null) {
                try {
                    r.holdUntil().await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (r.streamBytes() > 0) {
                stream(ex, s, r);
                return;
            }
            String out;
            if (r.content() != null) {
                out = s.path().endsWith("/api/chat") ? ollama(r.content()) : openAi(r.content());
            } else {
                out = r.rawBody() == null ? "" : r.rawBody();
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(bytes);
                }
            }
        } catch (IOException e) {
            // client went away (timeout / cancellation): fine
        } finally {
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    private void stream(HttpExchange ex, Seen s, Reply r) throws IOException {
        String json = s.path().endsWith("/api/chat") ? ollama("\u0000") : openAi("\u0000");
        int cut = json.indexOf("\\u0000");
        byte[] head = json.substring(0, cut).getBytes(StandardCharsets.UTF_8);
        byte[] tail = json.substring(cut + 6).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, r.declareLength() ? head.length + r.streamBytes() + tail.length : 0);
        byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(head);
            for (long left = r.streamBytes(); left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                os.write(chunk, 0, n);
                streamedBytes.addAndGet(n);
                left -= n;
            }
            os.write(tail);
        }
    }

    private static String openAi(String content) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1_700_000_000L).put("model", "test-model");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        root.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
        return root.toString();
    }

    private static String ollama(String content) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", "test-model").put("created_at", "2024-01-01T00:00:00Z");
        root.putObject("message").put("role", "assistant").put("content", content);
        root.put("done", true).put("done_reason", "stop").put("prompt_eval_count", 10).put("eval_count", 5);
        return root.toString();
    }

    static String reply(String team, String priority, double confidence, String rationale) {
        ObjectNode o = JSON.createObjectNode();
        o.put("team", team).put("priority", priority).put("confidence", confidence).put("rationale", rationale).putNull("duplicate_of");
        return o.toString();
    }

    List<Seen> requests() {
        return new ArrayList<>(seen);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
