package dev.switchboard.app.triage;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.app.ChatCompletionStub;
import dev.switchboard.app.Workspace;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.inference.llm.LlmEngine;
import dev.switchboard.inference.llm.LlmSettings;
import dev.switchboard.persistence.entity.DecisionKind;
import dev.switchboard.persistence.store.DecisionLedger;
import dev.switchboard.persistence.store.DecisionRequest;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A slow LLM never holds up learning, and a decision cancels the call still pending for its ticket. */
@Timeout(60)
class TriageServiceLlmTest {

    @TempDir Path dir;
    Workspace ws;
    HttpServer server;
    LlmEngine engine;
    TriageService triage;
    final CountDownLatch asked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger requests = new AtomicInteger();
    long pending;

    @BeforeEach
    void open() throws Exception {
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN, Wi-Fi", 0), new TaxonomyRow("Desktop", "Laptops, printers", 0)),
                List.of(new TaxonomyRow("P2", "", 2), new TaxonomyRow("P3", "", 3))).join();
        List<NewTicket> t = new ArrayList<>();
        String[][] history = {{"Network", "VPN drops"}, {"Network", "Wi-Fi down"}, {"Network", "VPN slow"},
                {"Desktop", "Laptop broken"}, {"Desktop", "Printer jam"}, {"Desktop", "Screen flickers"}};
        Instant t0 = Instant.now().minusSeconds(3600);
        for (int i = 0; i < history.length; i++) {
            t.add(new NewTicket("h", "h" + i, history[i][1], history[i][1] + " again", "u", t0.plusSeconds(i), history[i][0], "P3"));
        }
        t.add(new NewTicket("n", "n1", "VPN keeps dropping", "The VPN tunnel drops every hour", "ann", Instant.now(), null, null));
        ws.store().saveTickets(t, "test").join();
        pending = ws.store().queue().stream().filter(r -> r.setBy() == null).findFirst().orElseThrow().id();

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", ex -> {
            requests.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            asked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS); // the LLM takes its time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String content = "{\\\"team\\\":\\\"Desktop\\\",\\\"priority\\\":\\\"P2\\\",\\\"confidence\\\":0.9,"
                    + "\\\"rationale\\\":\\\"x\\\",\\\"duplicate_of\\\":null}";
            byte[] reply = ChatCompletionStub.reply(content);
            try {
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, reply.length);
                ex.getResponseBody().write(reply);
            } catch (java.io.IOException gone) {
                // the client hung up (cancelled): nothing to answer
            }
            ex.close();
        });
        server.start();
        LlmSettings s = new LlmSettings(LlmSettings.Provider.OPENAI_COMPATIBLE,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "m", () -> "k", Duration.ofSeconds(40), 0, 2, false,
                LlmSettings.HybridPolicy.ALWAYS, 0, LlmSettings.ResponseMode.JSON_SCHEMA);
        LocalModel local = new LocalModel();
        engine = LlmEngine.builder(s, local).build();
        triage = new TriageService(ws.store(), local, () -> engine);
    }

    @AfterEach
    void close() {
        release.countDown();
        triage.close();
        engine.close();
        server.stop(0);
        ws.close();
    }

    private QueueRow row() {
        return ws.store().rows(List.of(pending)).get(0);
    }

    @Test
    void aDecisionWhileTheLlmIsThinkingIsLearnedAtOnceAndCancelsTheCall() throws Exception {
        triage.start().get(60, TimeUnit.SECONDS);
        assertThat(asked.await(20, TimeUnit.SECONDS)).as("the new ticket went to the LLM").isTrue();
        assertThat(triage.isSuggesting(pending)).isTrue();

        var rec = new DecisionLedger(ws.store()).decide(DecisionRequest.of(pending, row().version(), DecisionKind.OVERRIDDEN,
                "Network", "P2", null, "dana")).get(10, TimeUnit.SECONDS);
        // learning runs on the same worker that hands out suggestions: it must not wait for the LLM
        triage.learn(rec).get(3, TimeUnit.SECONDS);

        org.testfx.util.WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !triage.isSuggesting(pending)); // the pending call was cancelled

        release.countDown();
        triage.awaitIdle();
        assertThat(row().team()).isEqualTo("Network");
        var shown = ws.store().detail(pending).orElseThrow().suggestion();
        assertThat(shown).as("only the local model's stand-in was shown").isNotNull();
        assertThat(shown.engine()).as("no late LLM suggestion over the decision").isEqualTo("local");
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void whileTheLlmIsThinkingTheTicketShowsTheLocalSuggestionAndTheLlmAnswerReplacesIt() throws Exception {
        triage.start().get(60, TimeUnit.SECONDS);
        assertThat(asked.await(20, TimeUnit.SECONDS)).as("the new ticket went to the LLM").isTrue();

        // the LLM takes its time (timeouts and retries can take minutes): the card is not left waiting
        org.testfx.util.WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> ws.store().detail(pending).orElseThrow().suggestion() != null);
        var meanwhile = ws.store().detail(pending).orElseThrow().suggestion();
        assertThat(meanwhile.engine()).isEqualTo("local");
        assertThat(meanwhile.team()).isEqualTo("Network");
        assertThat(meanwhile.note()).startsWith("Asking the LLM (m)");

        release.countDown();
        org.testfx.util.WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> "llm".equals(ws.store().detail(pending).orElseThrow().suggestion().engine()));
        assertThat(ws.store().detail(pending).orElseThrow().suggestion().team()).isEqualTo("Desktop");
        assertThat(requests.get()).isEqualTo(1);
    }
}
