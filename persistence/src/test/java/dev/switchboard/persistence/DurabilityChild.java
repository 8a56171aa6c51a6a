package dev.switchboard.persistence;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TicketStore;
import java.time.Instant;
import java.util.List;

/** Child JVM for the kill -9 test: saves one ticket, says so, then waits to be killed. */
public final class DurabilityChild {
    public static void main(String[] args) throws Exception {
        Database db = Database.open(args[0]);
        TicketStore store = new TicketStore(db);
        var r = store.saveTickets(List.of(new NewTicket("test", "k-1", "Printer on fire", "Third floor", "ann",
                Instant.now(), "Facilities", null)), "tester").join();
        System.out.println("SAVED " + r.createdIds().get(0));
        System.out.flush();
        System.in.read();
    }
}
