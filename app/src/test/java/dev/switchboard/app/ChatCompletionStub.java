package dev.switchboard.app;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The answer of the stub OpenAI-compatible servers the app's LLM tests start on 127.0.0.1. */
public final class ChatCompletionStub {

    private ChatCompletionStub() {}

    /**
     * A chat completion (id c1, model m, finished with stop) whose assistant message is {@code content}, given as it
     * stands inside a JSON string (quotes already escaped).
     */
    public static byte[] reply(String content) {
        return ("{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
                + "\"finish_reason\":\"stop\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** Answers {@code ex} 200 with {@link #reply(String)} as JSON and closes it. */
    public static void answer(HttpExchange ex, String content) throws IOException {
        byte[] reply = reply(content);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, reply.length);
        ex.getResponseBody().write(reply);
        ex.close();
    }
}
