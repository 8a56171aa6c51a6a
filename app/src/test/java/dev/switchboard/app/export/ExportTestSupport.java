package dev.switchboard.app.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

final class ExportTestSupport {
    private ExportTestSupport() {}

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TEAMS = List.of("Network", "Desktop", "Identity");

    static Workspace open(Path dir) {
        Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN, Wi-Fi, LAN, firewalls", 0),
                        new TaxonomyRow("Desktop", "Laptops, printers, local software", 0),
                        new TaxonomyRow("Identity", "Accounts, passwords, MFA", 0)),
                List.of(new TaxonomyRow("P1", "Outage", 1), new TaxonomyRow("P2", "Degraded", 2),
                        new TaxonomyRow("P3", "Request", 3))).join();
        return ws;
    }

    static NewTicket ticket(String id, String subject, String body, String requester, Instant at, String team, String prio) {
        return new NewTicket("test", id, subject, body, requester, at, team, prio);
    }

    /** {@code n} labelled tickets for {@code team}, one day apart from {@code start}. */
    static List<NewTicket> many(String team, int n, Instant start, String prefix) {
        List<NewTicket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ticket(prefix + i, team + " issue " + i, "Something about " + team + " number " + i, "someone",
                    start.plusSeconds(86_400L * i + prefix.hashCode() % 1000), team, "P" + (1 + i % 3)));
        }
        return out;
    }

    static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) out.add(JSON.readTree(line));
        return out;
    }

    static JsonNode manifest(Path dir) throws IOException {
        return JSON.readTree(dir.resolve("manifest.json").toFile());
    }
}
