package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `evaluate --engine llm` against a local OpenAI-protocol server, through the real langchain4j client. */
class EvaluateLlmCommandTest {

    @TempDir Path dir;
    HttpServer server;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    volatile String replyTeam = "Network";
    volatile int status = 200;
    final StringWriter lastOut = new StringWriter();

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (status != 200) {
                byte[] e = "{\"error\":{\"message\":\"Incorrect API key provided\"}}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(status, e.length);
                ex.getResponseBody().write(e);
                ex.close();
                return;
            }
            ObjectMapper om = new ObjectMapper();
            var reply = om.createObjectNode().put("team", replyTeam).putNull("priority").put("confidence", 0.9).put("rationale", "r");
            var root = om.createObjectNode().put("id", "x").put("object", "chat.completion").put("created", 1).put("model", "m");
            var choice = root.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", reply.toString());
            root.putObject("usage").put("prompt_tokens", 1).put("completion_tokens", 1).put("total_tokens", 2);
            String json = root.toString();
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        StringBuilder csv = new StringBuilder("subject,body,team\n");
        String[][] rows = {
                {"VPN drops", "vpn tunnel disconnects", "Network"}, {"Wi-Fi slow", "wireless very slow", "Network"},
                {"Switch port dead", "no link on ethernet port", "Network"}, {"VPN login fails", "cannot connect vpn", "Network"},
                {"Laptop broken", "laptop screen cracked", "Desktop"}, {"Printer jam", "printer jams paper", "Desktop"},
                {"Mouse dead", "mouse does not move", "Desktop"}, {"Keyboard keys", "keys stuck on keyboard", "Desktop"}};
        for (String[] r : rows) csv.append(String.join(",", r)).append('\n');
        Files.writeString(dir.resolve("train.csv"), csv);
        Files.writeString(dir.resolve("test.csv"), "subject,body,team\nVPN down,vpn disconnects again,Network\n"
                + "Printer broken,printer jams again,Desktop\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The command with its output thrown away and its errors in {@code err}, for the runs that are refused. */
    private CommandLine commandLine(StringWriter err) {
        EvaluateCommand cmd = new EvaluateCommand();
        cmd.egressLog = () -> dir.resolve("egress.csv");
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return cl;
    }

    /** {@code evaluate --engine llm} on train.csv and test.csv with the given protocol and base URL, then {@code extra}. */
    private String[] llmArgs(String llm, String baseUrl, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--train", dir.resolve("train.csv").toString(),
                "--test", dir.resolve("test.csv").toString(), "--text", "subject,body", "--team", "team",
                "--engine", "llm", "--llm", llm, "--base-url", baseUrl, "--model", "test-model"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private int run(String... extra) {
        lastOut.getBuffer().setLength(0);
        CommandLine cl = commandLine(new StringWriter());
        cl.setOut(new PrintWriter(lastOut));
        List<String> args = new java.util.ArrayList<>(List.of("--api-key-env", "SWITCHBOARD_TEST_NO_SUCH_VAR",
                "--report", dir.resolve("r.json").toString()));
        args.addAll(List.of(extra));
        return cl.execute(llmArgs("openai", baseUrl(), args.toArray(String[]::new)));
    }

    @Test
    void evaluatesTheLlmWithTheAppsPromptAndCountsFallbacks() throws Exception {
        assertThat(run()).isEqualTo(0);
        JsonNode r = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
        assertThat(r.path("n_test").asInt()).isEqualTo(2);
        assertThat(r.path("team").path("accuracy").asDouble()).isEqualTo(0.5); // the server always says Network
        // at 0.9 both times, but confident only where the local model also ranks Network first (the VPN ticket)
        assertThat(r.path("team").path("threshold_coverage").asDouble()).isEqualTo(0.5);
        assertThat(r.path("team").path("threshold_precision").asDouble()).isEqualTo(1.0);
        assertThat(r.path("fallback").asInt()).isZero();
        assertThat(bodies).isNotEmpty();
        assertThat(bodies.get(0)).contains("Network").contains("Desktop").contains("VPN down");

        // A server that invents a team is repaired once, then the local model answers: counted as fallback.
        bodies.clear();
        replyTeam = "Security";
        assertThat(run()).isEqualTo(0);
        JsonNode r2 = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
        assertThat(r2.path("fallback").asInt()).isEqualTo(2);
        assertThat(r2.path("team").path("accuracy").asDouble()).isEqualTo(1.0);
    }

    @Test
    void theConfidenceThresholdIsTheOneGivenAndOneOutsideItsRangeIsRefused() throws Exception {
        // the server says 0.9: over a threshold of 0.95 nothing is confident, whatever the local model thinks
        assertThat(run("--confident-above", "0.95")).isEqualTo(0);
        JsonNode r = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
        assertThat(r.path("team").path("threshold_coverage").asDouble()).isZero();
        assertThat(run("--confident-above", "0.9")).isEqualTo(0);
        assertThat(new ObjectMapper().readTree(dir.resolve("r.json").toFile()).path("team").path("threshold_coverage").asDouble())
                .isEqualTo(0.5);

        bodies.clear();
        StringWriter err = new StringWriter();
        CommandLine cl = commandLine(err);
        for (String bad : List.of("1.5", "0.3", "75")) {
            int code = cl.execute(llmArgs("openai", baseUrl(), "--confident-above", bad));
            assertThat(code).as(bad).isEqualTo(2);
        }
        assertThat(err.toString()).contains("--confident-above 1.5: must be a number from 0.50 to 0.99 (the LLM's own confidence;"
                + " default 0.75)").contains("--confident-above 0.3: must be").contains("--confident-above 75: must be");
        assertThat(bodies).isEmpty();
    }

    @Test
    void whenEveryRequestFailsTheReportSaysWhyAndThatTheFiguresAreTheFallbacks() throws Exception {
        status = 401; // a wrong key: every ticket falls back to the local model
        assertThat(run()).isEqualTo(0);
        String text = lastOut.toString();
        assertThat(text).contains("fallback 2, errors 0")
                .contains("2× LLM rejected the request (HTTP 401")
                .contains("every test ticket fell back");
        JsonNode r = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
        assertThat(r.path("fallback").asInt()).isEqualTo(2);
        JsonNode reasons = r.path("fallback_reasons");
        assertThat(reasons.size()).isEqualTo(1);
        assertThat(reasons.fieldNames().next()).startsWith("LLM rejected the request (HTTP 401").doesNotContain("local model used");
        assertThat(reasons.elements().next().asInt()).isEqualTo(2);

        // a server that answers: no reasons, no warning
        status = 200;
        assertThat(run()).isEqualTo(0);
        assertThat(lastOut.toString()).doesNotContain("fell back");
        assertThat(new ObjectMapper().readTree(dir.resolve("r.json").toFile()).has("fallback_reasons")).isFalse();
    }

    @Test
    void theRequestsAnEvaluationSendsAreRecordedInTheEgressLedger() throws Exception {
        assertThat(run()).isEqualTo(0);
        List<String> lines = Files.readAllLines(dir.resolve("egress.csv"));
        assertThat(lines.get(0)).isEqualTo("time,endpoint,model,prompt_chars,outcome,purpose");
        assertThat(lines).hasSize(1 + bodies.size());
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l)
                .contains(",http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions,test-model,")
                .endsWith(",ok,evaluation")
                .doesNotContain("VPN"));
        assertThat(lastOut.toString()).contains(bodies.size() + " LLM request(s) recorded in " + dir.resolve("egress.csv"));
    }

    @Test
    void aBaseUrlCarryingTheKeyIsRefusedWithoutRepeatingIt() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cl = commandLine(err);
        for (String url : List.of(baseUrl().replace("http://", "http://me:sk-SECRET-42@"), baseUrl() + "?api-key=sk-SECRET-42")) {
            int code = cl.execute(llmArgs("openai", url));
            assertThat(code).isEqualTo(2);
        }
        assertThat(err.toString()).contains("the base URL must not carry credentials").doesNotContain("SECRET");
        assertThat(bodies).isEmpty();
        assertThat(dir.resolve("egress.csv")).doesNotExist();
    }

    @Test
    void anUnknownProtocolIsRefusedInsteadOfTakenForOpenAi() {
        StringWriter err = new StringWriter();
        CommandLine cl = commandLine(err);
        int code = cl.execute(llmArgs("olama", baseUrl()));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--llm 'olama': use openai (OpenAI-compatible servers) or ollama");
        assertThat(bodies).isEmpty();
    }
}
