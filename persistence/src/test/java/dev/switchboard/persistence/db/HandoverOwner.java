package dev.switchboard.persistence.db;

import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.TicketStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Child JVM for {@link HandoverTest}: opens the database first (so it owns the file and serves it to the test's
 * JVM), saves one ticket, prints {@code OPEN}, then on a line from stdin: {@code halt} ends the JVM at once (a
 * window that crashed or was killed: its server gone, the file left locked until another process takes it).
 * {@code close} closes as H2 does, stretched: its server stops first (the other processes are refused from then
 * on), {@code STOPPED} is printed, and the file is held for the milliseconds given on the line ({@code close 4000})
 * before it is released: a window's close, whose compaction holds the file for up to 10 s
 * ({@link Database#MAX_COMPACT_MS}) after its server has stopped.
 * With a second argument {@code exclusive} it opens the file as another program would, without serving it.
 */
public final class HandoverOwner {
    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("exclusive")) {
            try (var c = java.sql.DriverManager.getConnection(args[0] + ";AUTO_SERVER=FALSE", "sa", "")) {
                System.out.println("OPEN");
                System.out.flush();
                System.in.read();
            }
            return;
        }
        Database db = Database.open(args[0]);
        TicketStore store = new TicketStore(db);
        store.saveTickets(List.of(new NewTicket("test", "owner-1", "Owner's ticket", "", "ann", Instant.now(), "Network", null)),
                "owner").join();
        System.out.println("OPEN");
        System.out.flush();
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if ("halt".equals(line)) Runtime.getRuntime().halt(0);
        if (line != null && line.startsWith("close ")) {
            try (var c = db.jdbc()) {
                var h2 = ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()).getDatabase();
                var stop = org.h2.engine.Database.class.getDeclaredMethod("stopServer");
                stop.setAccessible(true);
                stop.invoke(h2);
                System.out.println("STOPPED");
                System.out.flush();
                Thread.sleep(Long.parseLong(line.substring(6).strip()));
            }
        }
        store.close();
        db.close();
    }
}
