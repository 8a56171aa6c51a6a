package dev.switchboard.app.triage;

import static dev.switchboard.app.TriageWindowFixture.HISTORY;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.app.ChatCompletionStub;
import dev.switchboard.app.TriageWindowFixture;
import dev.switchboard.app.Workspace;
import dev.switchboard.app.queue.TriageActions;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.inference.llm.LlmEngine;
import dev.switchboard.inference.llm.LlmSettings;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An LLM's self-reported confidence alone never makes a suggestion confident (Enter's "Confident", the bulk
 * accept): the real local model, trained on the workspace's decided tickets, must rank the same team first.
 */
@Timeout(120)
class LlmConfidenceTest {

    @TempDir Path dir;
    Workspace ws;
    HttpServer server;
    LlmEngine engine;
    TriageService triage;
    final AtomicReference<String> llmTeam = new AtomicReference<>("Network");
    final AtomicInteger requests = new AtomicInteger();
    long pending;

    /** A workspace with the given decided history and one new VPN ticket; the LLM stub answers {@link #llmTeam} at 0.95. */
    private void open(boolean withHistory) throws Exception {
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"));
        ws.store().saveTaxonomy(TriageWindowFixture.teams(),
                List.of(new TaxonomyRow("P2", "", 2), new TaxonomyRow("P3", "", 3))).join();
        List<NewTicket> t = new ArrayList<>();
        Instant t0 = Instant.now().minusSeconds(9000);
        for (int i = 0; withHistory && i < HISTORY.length; i++) {
            t.add(new NewTicket("hist", "h" + i, HISTORY[i][1], HISTORY[i][2], "u" + i, t0.plusSeconds(i), HISTORY[i][0], "P3"));
        }
        t.add(new NewTicket("new", "n1", "VPN tunnel keeps dropping", "VPN disconnects from home", "ann", Instant.now(), null, null));
        ws.store().saveTickets(t, "test").join();
        pending = ws.store().queue().stream().filter(r -> r.team() == null).findFirst().orElseThrow().id();

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            requests.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            String content = "{\\\"team\\\":\\\"" + llmTeam.get() + "\\\",\\\"priority\\\":\\\"P2\\\",\\\"confidence\\\":0.95,"
                    + "\\\"rationale\\\":\\\"x\\\",\\\"duplicate_of\\\":null}";
            ChatCompletionStub.answer(ex, content);
        });
        server.start();
        LlmSettings s = new LlmSettings(LlmSettings.Provider.OPENAI_COMPATIBLE,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "m", () -> "k", Duration.ofSeconds(20), 0, 2, false,
                LlmSettings.HybridPolicy.ALWAYS, 0, LlmSettings.ResponseMode.JSON_SCHEMA);
        LocalModel local = new LocalModel();
        engine = LlmEngine.builder(s, local).build();
        triage = new TriageService(ws.store(), local, () -> engine);
        triage.start().get(60, TimeUnit.SECONDS);
        triage.awaitIdle(); // the backlog's first suggestion is in
    }

    @AfterEach
    void close() {
        if (triage != null) triage.close();
        if (engine != null) engine.close();
        if (server != null) server.stop(0);
        if (ws != null) ws.close();
    }

    private QueueRow row() {
        return ws.store().rows(List.of(pending)).get(0);
    }

    private boolean bulkAccepted(QueueRow r) {
        return TriageActions.bulkCandidates(List.of(r), false).contains(r);
    }

    @Test
    void aReplyAt095IsConfidentWhenTheLocalModelRanksItsTeamFirstAndOnlyThen() throws Exception {
        open(true);

        llmTeam.set("Network"); // the local model's first choice for a VPN ticket
        TriageSuggestion agreed = triage.suggestAndSave(pending);
        assertThat(agreed.engine()).isEqualTo("llm");
        assertThat(agreed.topTeam()).isEqualTo("Network");
        assertThat(agreed.confident()).isTrue();
        assertThat(agreed.note()).isEmpty();
        assertThat(row().confident()).isTrue();
        assertThat(bulkAccepted(row())).isTrue();

        llmTeam.set("Identity");
        TriageSuggestion disputed = triage.suggestAndSave(pending);
        assertThat(disputed.engine()).isEqualTo("llm");
        assertThat(disputed.topTeam()).isEqualTo("Identity");
        assertThat(disputed.confidence()).isEqualTo(0.95);
        assertThat(disputed.confident()).as("the LLM's 0.95 alone is not enough").isFalse();
        assertThat(disputed.note()).isEqualTo("Not marked confident: the local model's first choice is Network");
        QueueRow r = row();
        assertThat(r.suggestedTeam()).isEqualTo("Identity");
        assertThat(r.confidence()).isEqualTo(0.95);
        assertThat(r.confident()).isFalse();
        assertThat(bulkAccepted(r)).as("Ctrl+Shift+A leaves it for a human").isFalse();
        assertThat(TriageActions.bulkCandidates(List.of(r), true)).as("unless the dispatcher selected it").containsExactly(r);
    }

    @Test
    void withNoDecidedTicketsAReplyAt095IsNeverConfident() throws Exception {
        open(false);

        TriageSuggestion s = triage.suggestAndSave(pending);

        assertThat(requests.get()).isPositive();
        assertThat(s.engine()).isEqualTo("llm");
        assertThat(s.topTeam()).isEqualTo("Network");
        assertThat(s.confident()).isFalse();
        assertThat(s.note()).isEqualTo("Not marked confident: the local model has no suggestion to agree with yet");
        assertThat(row().confident()).isFalse();
        assertThat(bulkAccepted(row())).isFalse();
    }
}
