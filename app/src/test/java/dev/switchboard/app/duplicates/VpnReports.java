package dev.switchboard.app.duplicates;

import dev.switchboard.app.Workspace;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.persistence.store.NewTicket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Test fixture: a workspace with two reports of one VPN problem in other words, an hour apart, and a
 * running duplicate service that has checked the later one (so the pair awaits a verdict).
 */
public record VpnReports(Workspace ws, DuplicateService dups, long original, long duplicate) implements AutoCloseable {

    public static VpnReports open(Path file) {
        Workspace ws = Workspace.open("jdbc:h2:file:" + file);
        long original = ws.store().saveTickets(List.of(new NewTicket("t", "1", "VPN drops every 10 minutes",
                        "The VPN client disconnects every ten minutes from home", "ann", Instant.now().minus(Duration.ofHours(1)),
                        null, null)), "t").join().createdIds().get(0);
        DuplicateService dups = new DuplicateService(ws.store(), new LocalModel());
        dups.start().join();
        long duplicate = ws.store().saveTickets(List.of(new NewTicket("t", "2", "VPN keeps disconnecting",
                "My VPN disconnects all the time when working from home", "bob", Instant.now(), null, null)), "t").join()
                .createdIds().get(0);
        dups.awaitIdle();
        return new VpnReports(ws, dups, original, duplicate);
    }

    @Override
    public void close() {
        dups.close();
        ws.close();
    }
}
