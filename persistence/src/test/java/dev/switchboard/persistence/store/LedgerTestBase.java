package dev.switchboard.persistence.store;

import dev.switchboard.persistence.db.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real H2 file store with a ledger and three teams (Network, Desktop, Identity; P1, P3): what the ledger readers read. */
abstract class LedgerTestBase {

    @TempDir Path dir;
    Database db;
    TicketStore store;
    DecisionLedger ledger;

    @BeforeEach
    void openStore() {
        db = Database.open(Database.h2FileUrl(dir.resolve("test")));
        store = new TicketStore(db);
        ledger = new DecisionLedger(store);
        store.saveTaxonomy(List.of(new TaxonomyRow("Network", "", 0), new TaxonomyRow("Desktop", "", 0),
                new TaxonomyRow("Identity", "", 0)), List.of(new TaxonomyRow("P1", "", 1), new TaxonomyRow("P3", "", 3))).join();
    }

    @AfterEach
    void closeStore() {
        store.close();
        db.close();
    }

    /** A new ticket (decided history when {@code team} is set, with priority P3); its id. */
    long ticket(String subject, String team, Instant at) {
        return store.saveTickets(List.of(new NewTicket("t", subject, subject, "body", "ann", at, team, team == null ? null : "P3")),
                "x").join().createdIds().get(0);
    }

    /** The ticket's version now, as a dispatcher's decision expects it. */
    long version(long id) {
        return store.rows(List.of(id)).get(0).version();
    }
}
