package dev.switchboard.app.intake;

import dev.switchboard.app.Workspace;
import java.nio.file.Path;

/** Runs an intake server in a JVM of its own (args: data directory, token) until stdin closes. */
final class IntakeStallChild {
    private IntakeStallChild() {}

    public static void main(String[] args) throws Exception {
        try (Workspace ws = Workspace.open("jdbc:h2:file:" + Path.of(args[0]).resolve("db"));
                IntakeServer server = new IntakeServer(ws.store(), args[1]).start(0)) {
            System.out.println("port=" + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our stdin
            }
        }
    }
}
