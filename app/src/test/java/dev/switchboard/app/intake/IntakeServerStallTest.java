package dev.switchboard.app.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local processes that open connections and never finish their request (the audit's four sockets sending
 * only a request line and one header) neither keep other clients waiting nor hold the server for ever.
 */
class IntakeServerStallTest {

    private static final String TOKEN = "stall-test-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    /** Opens a connection that sends the start of a request and then nothing. */
    private static Socket stall(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = s.getOutputStream();
        out.write("POST /api/tickets HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static HttpResponse<String> health(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsThatNeverFinishDoNotKeepAWellFormedOneWaiting() throws Exception {
        try (Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"));
                IntakeServer server = new IntakeServer(ws.store(), TOKEN).start(0)) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) stalled.add(stall(server.port())); // three times the old pool
                assertThat(health(server.port()).statusCode()).isEqualTo(200);
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"VPN drops\",\"body\":\"every hour\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                assertThat(ws.store().queue()).anyMatch(q -> q.subject().equals("VPN drops"));
            } finally {
                for (Socket s : stalled) s.close();
            }
        }
    }

    /**
     * In a JVM of its own: the JDK reads the request time limit when the process creates its first
     * HttpServer, and other tests in this JVM start servers (fake LLM endpoints) before this one may run.
     */
    @Test
    void theServerClosesARequestThatNeverFinishes() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                IntakeStallChild.class.getName(), dir.toString(), TOKEN).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            for (String line; port < 0 && (line = in.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith("port=")) port = Integer.parseInt(line.substring(5).strip());
            }
            assertThat(port).as("child output:\n" + String.join("\n", output)).isPositive();
            Thread drain = new Thread(() -> in.lines().forEach(l -> { }), "child-output");
            drain.setDaemon(true);
            drain.start();

            try (Socket s = stall(port)) {
                s.setSoTimeout(60_000); // generous: the limit is MAX_REQUEST_SECONDS; without one this times out
                int first;
                try {
                    first = s.getInputStream().read();
                } catch (SocketException reset) {
                    first = -1;
                }
                assertThat(first).as("the server closes the connection without an answer").isEqualTo(-1);
            }
            assertThat(health(port).statusCode()).isEqualTo(200);
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }
}
