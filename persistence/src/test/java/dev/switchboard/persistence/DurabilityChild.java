package dev.switchboard.persistence;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TicketStore;
import java.time.Instant;
import java.util.List;

/** Child JVM for the kill -9 tests: saves one ticket, says so, then waits to be killed; or saves a stream of them. */
public final class DurabilityChild {
    public static void main(String[] args) throws Exception {
        Database db = Database.open(args[0]);
        TicketStore store = new TicketStore(db);
        var r = store.saveTickets(List.of(new NewTicket("test", "k-1", "Printer on fire", "Third floor", "ann",
                Instant.now(), "Facilities", null)), "tester").join();
        long id = r.createdIds().get(0);
        if (args.length > 1 && args[1].equals("decision")) {
            long other = store.saveTickets(List.of(new NewTicket("test", "k-2", "Mouse broken", "", "bob", Instant.now(), null, null)),
                    "tester").join().createdIds().get(0);
            long version = store.rows(List.of(other)).get(0).version();
            var rec = new dev.switchboard.persistence.store.DecisionLedger(store).decide(dev.switchboard.persistence.store.DecisionRequest.of(
                    other, version, dev.switchboard.persistence.entity.DecisionKind.OVERRIDDEN, "Facilities", null, null, "dana")).join();
            System.out.println("DECIDED " + rec.id() + " " + other);
        }
        if (args.length > 1 && args[1].equals("stream")) {
            // one ticket per commit until killed, each acknowledged only once its save completed
            for (int i = 0; ; i++) {
                long t = store.saveTickets(List.of(new NewTicket("test", "s-" + i, "Stream " + i, "", "cy", Instant.now(), null, null)),
                        "tester").join().createdIds().get(0);
                System.out.println("ACK " + t);
                System.out.flush();
            }
        }
        System.out.println("SAVED " + id);
        System.out.flush();
        System.in.read();
    }
}
