package dev.switchboard.app.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.embed.Embedder;
import dev.switchboard.inference.embed.HashingEmbedder;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.inference.local.LocalModelConfig;
import dev.switchboard.inference.local.VectorCache;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once the model is ready, the sentence embedder is started (and the team descriptions embedded) on a
 * background thread, so the first suggestion after a load embeds only its own ticket; a failing warm-up
 * is logged and changes nothing else.
 */
@Timeout(60)
class TriageServiceWarmUpTest {

    /** Records on which thread each text was embedded; can fail its first call. */
    static final class RecordingEmbedder implements Embedder {
        record Call(String text, String thread) {}

        final Embedder inner = new HashingEmbedder();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final AtomicBoolean failFirst = new AtomicBoolean();

        @Override public String modelId() {
            return inner.modelId();
        }

        @Override public int dimension() {
            return inner.dimension();
        }

        @Override public float[] embed(String text) {
            calls.add(new Call(text, Thread.currentThread().getName()));
            if (failFirst.getAndSet(false)) throw new IllegalStateException("ONNX Runtime could not start");
            return inner.embed(text);
        }
    }

    @TempDir Path dir;
    Workspace ws;
    final List<TriageService> services = new ArrayList<>();

    @BeforeEach
    void seed() {
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN, Wi-Fi", 0), new TaxonomyRow("Desktop", "Laptops, printers", 0)),
                List.of(new TaxonomyRow("P3", "", 3))).join();
        String[][] history = {{"Network", "VPN drops"}, {"Network", "Wi-Fi down"}, {"Network", "VPN slow"},
                {"Desktop", "Laptop broken"}, {"Desktop", "Printer jam"}, {"Desktop", "Screen flickers"}};
        List<NewTicket> t = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < history.length; i++) {
            t.add(new NewTicket("h", "h" + i, history[i][1], history[i][1] + " again", "u", t0.plusSeconds(i), history[i][0], "P3"));
        }
        ws.store().saveTickets(t, "test").join();
    }

    @AfterEach
    void close() {
        services.forEach(TriageService::close);
        ws.close();
    }

    private TriageService start(RecordingEmbedder embedder) throws Exception {
        LocalModel local = new LocalModel(embedder, VectorCache.inMemory(), LocalModelConfig.defaults().withThreads(1));
        TriageService s = new TriageService(ws.store(), local, () -> local, ws.localModelFile());
        services.add(s);
        s.start().get(30, TimeUnit.SECONDS);
        return s;
    }

    @Test
    void afterALoadTheEmbedderIsWarmedUpInTheBackgroundAndTheFirstSuggestionEmbedsOnlyItsTicket() throws Exception {
        start(new RecordingEmbedder()).close(); // trains, stores every vector and saves the model

        RecordingEmbedder embedder = new RecordingEmbedder();
        TriageService s = start(embedder);
        assertThat(s.loadedFrom()).as("loaded, nothing to embed").isNotNull();
        assertThat(s.loadedFrom().vectorsComputed()).isZero();
        s.warmedUp().get(30, TimeUnit.SECONDS);
        assertThat(embedder.calls).isNotEmpty()
                .allSatisfy(c -> assertThat(c.thread()).isEqualTo("switchboard-warm-up"))
                .extracting(RecordingEmbedder.Call::text).contains("Network: VPN, Wi-Fi", "Desktop: Laptops, printers");

        embedder.calls.clear();
        TriageSuggestion first = s.localModel().suggest(TicketText.of("q", "VPN drops again", "the VPN drops"),
                TriageContext.of(s.taxonomy()));
        assertThat(first.status()).isEqualTo(TriageSuggestion.Status.OK);
        assertThat(embedder.calls).extracting(RecordingEmbedder.Call::text).containsExactly("VPN drops again\nthe VPN drops");
    }

    @Test
    void aFailedWarmUpIsNotFatal() throws Exception {
        RecordingEmbedder embedder = new RecordingEmbedder();
        TriageService first = start(embedder);
        first.close(); // trained and saved
        embedder = new RecordingEmbedder();
        embedder.failFirst.set(true);
        TriageService s = start(embedder);
        s.warmedUp().get(30, TimeUnit.SECONDS);
        assertThat(embedder.calls).first().satisfies(c -> assertThat(c.thread()).isEqualTo("switchboard-warm-up"));
        assertThat(s.isReady()).isTrue();
        TriageSuggestion after = s.localModel().suggest(TicketText.of("q", "Printer jam", "the printer jams"),
                TriageContext.of(s.taxonomy()));
        assertThat(after.status()).isEqualTo(TriageSuggestion.Status.OK);
        assertThat(after.topTeam()).isEqualTo("Desktop");
    }
}
