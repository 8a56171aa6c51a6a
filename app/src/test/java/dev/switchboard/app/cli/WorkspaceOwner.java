package dev.switchboard.app.cli;

import dev.switchboard.persistence.db.Database;

/**
 * Child JVM for {@link HandoverCliTest}: a window that has the workspace open. It opens the database first (so it
 * owns the file and serves it to the commands), prints {@code OPEN}, and on {@code close MS} from stdin closes as H2
 * does, stretched: its server stops (prints {@code STOPPED}), the file is held MS more (the close's compaction),
 * then released. With a second argument {@code exclusive} it holds the file as another program would, unshared.
 */
public final class WorkspaceOwner {
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
        System.out.println("OPEN");
        System.out.flush();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
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
        db.close();
    }
}
