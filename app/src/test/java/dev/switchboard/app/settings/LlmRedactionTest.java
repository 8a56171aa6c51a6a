package dev.switchboard.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.app.ChatCompletionStub;
import dev.switchboard.app.Services;
import dev.switchboard.app.Workspace;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.llm.LlmEngine;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With redaction on (the default), the LLM engine the app builds removes the requester's name from the
 * ticket, and the name of a requester whose duplicate was merged into it, before anything leaves the machine.
 */
class LlmRedactionTest {

    @TempDir Path dir;
    HttpServer llm;
    Services services;

    @AfterEach
    void close() {
        if (llm != null) llm.stop(0);
        if (services != null) services.close();
    }

    @Test
    void theRequesterAndAMergedDuplicatesRequesterAreNotSent() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        llm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        llm.createContext("/v1/chat/completions", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String content = "{\\\"team\\\":\\\"Network\\\",\\\"priority\\\":\\\"P2\\\",\\\"confidence\\\":0.8,\\\"rationale\\\":\\\"x\\\"}";
            ChatCompletionStub.answer(ex, content);
        });
        llm.start();

        Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN", 0)), List.of(new TaxonomyRow("P2", "", 2))).join();
        long id = ws.store().saveTickets(List.of(new NewTicket("t", "1", "VPN drops", "Hi, Jane Doe here: the VPN drops hourly.",
                "Jane Doe <jane.doe@example.com>", Instant.now(), null, null)), "test").join().createdIds().get(0);
        services = new Services(ws, new Settings(dir.resolve("settings.properties")));
        EngineControl control = EngineControl.of(services);
        control.sessionKey("sk-test-key");
        EngineConfig cfg = EngineConfig.defaults().withLlm(true);
        cfg = new EngineConfig(true, cfg.provider(), "http://127.0.0.1:" + llm.getAddress().getPort() + "/v1", "m", cfg.apiKeyEnv(),
                10, 1, false, true, 0, cfg.template(), cfg.confidentAbove());
        TicketText text = new TicketText(Long.toString(id), "VPN drops", "Hi, Jane Doe here: the VPN drops hourly.",
                List.of("Merged duplicate #7 from Bob Miller <bob.miller@example.com>: VPN down. Bob Miller, 2nd floor"));
        try (LlmEngine engine = control.build(cfg)) {
            var s = engine.suggest(text, TriageContext.of(new dev.switchboard.inference.Taxonomy(
                    List.of(new dev.switchboard.inference.Taxonomy.Team("Network", "VPN")),
                    List.of(new dev.switchboard.inference.Taxonomy.Priority("P2", "")))));
            assertThat(bodies).as(s.note()).hasSize(1);
        }
        assertThat(bodies.get(0)).contains("VPN drops hourly").contains("[NAME]")
                .doesNotContain("Jane").doesNotContain("Doe").doesNotContain("Bob").doesNotContain("Miller").doesNotContain("example.com");
    }
}
