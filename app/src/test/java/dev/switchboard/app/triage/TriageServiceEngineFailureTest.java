package dev.switchboard.app.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine that throws instead of returning an ERROR suggestion (a bug; or classes gone from a jar the
 * launcher rebuilt under the running window: NoClassDefFoundError): the ticket must not wait for a
 * suggestion for ever in silence.
 */
@Timeout(120)
class TriageServiceEngineFailureTest {

    @TempDir Path dir;

    @Test
    void anEngineThatThrowsLeavesAnErrorOnTheCardAndAWarningInTheLog() throws Exception {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Logger jul = Logger.getLogger("switchboard.triage");
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { logged.add(r); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        jul.addHandler(h);
        try (Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"))) {
            ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN, Wi-Fi", 0), new TaxonomyRow("Desktop", "Laptops", 0)),
                    List.of()).join();
            List<NewTicket> t = new ArrayList<>();
            Instant t0 = Instant.now().minusSeconds(3600);
            String[][] history = {{"Network", "VPN drops"}, {"Network", "Wi-Fi down"}, {"Desktop", "Laptop broken"}, {"Desktop", "Printer jam"}};
            for (int i = 0; i < history.length; i++) {
                t.add(new NewTicket("h", "h" + i, history[i][1], history[i][1] + " again", "u", t0.plusSeconds(i), history[i][0], null));
            }
            t.add(new NewTicket("n", "n1", "VPN keeps dropping", "The tunnel drops every hour", "ann", Instant.now(), null, null));
            ws.store().saveTickets(t, "test").join();
            long pending = ws.store().queue().stream().filter(r -> r.setBy() == null).findFirst().orElseThrow().id();

            TriageEngine broken = new TriageEngine() {
                @Override
                public TriageSuggestion suggest(TicketText ticket, TriageContext context) {
                    throw new NoClassDefFoundError("dev/switchboard/inference/Gone");
                }

                @Override
                public String id() {
                    return "broken";
                }
            };
            try (TriageService triage = new TriageService(ws.store(), new LocalModel(), () -> broken)) {
                triage.start().get(60, TimeUnit.SECONDS);
                org.testfx.util.WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                        () -> ws.store().detail(pending).orElseThrow().suggestion() != null);
                triage.awaitIdle();
            }
            var shown = ws.store().detail(pending).orElseThrow().suggestion();
            assertThat(shown.status()).isEqualTo("ERROR");
            assertThat(shown.note()).contains("broken engine failed (NoClassDefFoundError)");
            assertThat(logged).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                assertThat(r.getMessage()).contains("suggesting for ticket #" + pending + " failed");
            });
        } finally {
            jul.removeHandler(h);
        }
    }
}
