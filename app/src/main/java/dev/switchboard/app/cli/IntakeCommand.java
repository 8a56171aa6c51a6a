package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.intake.IntakeServer;
import dev.switchboard.app.intake.IntakeToken;
import dev.switchboard.persistence.db.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "intake", mixinStandardHelpOptions = true,
        description = {"Runs the local HTTP intake without the window until Ctrl-C.",
                "POST /api/tickets with 'Authorization: Bearer TOKEN', 'Content-Type: application/json' and a JSON object or array",
                "{subject, body, requester?, id?, created?, team?, priority?}; GET /api/health.",
                "Listens on 127.0.0.1 only."})
public final class IntakeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", defaultValue = "8765", description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;
    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the bearer token; created with a new random token (mode 0600) if missing. Default: <data dir>/intake-token.")
    Path tokenFile;
    @Option(names = "--show-token", description = "Also print the token.") boolean showToken;
    @Mixin DbOption db;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Released to stop a running command (tests); Ctrl-C stops it through the shutdown hook. */
    final CountDownLatch stop = new CountDownLatch(1);
    /** Counted down once the server listens (tests). */
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    volatile IntakeServer server;

    @Override
    public Integer call() throws Exception {
        try {
            return serve();
        } finally {
            done.countDown();
        }
    }

    private Integer serve() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            err.println("switchboard intake: --port must be between 0 and 65535");
            return 2;
        }
        Path file = tokenFile != null ? tokenFile : IntakeToken.defaultFile(Database.defaultDataDir());
        String token;
        try {
            token = IntakeToken.loadOrCreate(file);
        } catch (IOException e) {
            err.println("switchboard intake: token file " + file + ": " + e.getMessage());
            return 2;
        }
        try (Workspace ws = db.open()) {
            IntakeServer s = new IntakeServer(ws.store(), token);
            try {
                s.start(port);
            } catch (IOException e) {
                err.println("switchboard intake: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
                return 2;
            }
            server = s;
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    done.await(10, java.util.concurrent.TimeUnit.SECONDS); // let the store finish its writes
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "switchboard-intake-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("Intake listening on " + s.url() + "  (health: http://127.0.0.1:" + s.port() + "/api/health)");
            out.println("Bearer token in " + file.toAbsolutePath() + (showToken ? ": " + token : ""));
            out.println("Example: curl -H \"Authorization: Bearer $(cat " + file.toAbsolutePath() + ")\" -H 'Content-Type: application/json' \\");
            out.println("           -d '{\"subject\":\"VPN down\",\"body\":\"Cannot connect since 9:00\"}' " + s.url());
            out.println("Press Ctrl-C to stop.");
            out.flush();
            started.countDown();
            try {
                stop.await();
            } finally {
                s.stop();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down already
                }
            }
            out.println("Intake stopped.");
            out.flush();
        }
        return 0;
    }
}
