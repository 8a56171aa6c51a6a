package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.sample.DemoReplay;
import dev.switchboard.app.sample.SampleWorkspace;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo-data", mixinStandardHelpOptions = true,
        description = {"Installs the sample workspace: 8 teams, priorities P1-P4 with SLA targets and ~200 labelled history tickets.",
                "Installing again adds nothing. With --replay, then feeds ~100 new unlabelled tickets, one every --interval seconds, until done or Ctrl-C."})
public final class DemoDataCommand implements Callable<Integer> {

    @Mixin DbOption db;
    @Option(names = "--replay", description = "After installing, replay the unlabelled tickets live.") boolean replay;
    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2.5",
            description = "Seconds between replayed tickets (default ${DEFAULT-VALUE}).") double interval;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (interval < 0) {
            spec.commandLine().getErr().println("switchboard demo-data: --interval must not be negative");
            return 2;
        }
        SampleWorkspace sample = SampleWorkspace.create();
        try (Workspace ws = db.open()) {
            SampleWorkspace.InstallResult r = sample.install(ws.store()).join();
            out.printf("Sample workspace: %d teams, %d priorities, %d history ticket(s) added, %d already present.%n",
                    SampleWorkspace.TEAMS.size(), SampleWorkspace.PRIORITIES.size(), r.created(), r.alreadyPresent());
            out.flush();
            if (!replay) return 0;
            DemoReplay rep = sample.replay(ws.store(), Duration.ofMillis(Math.round(interval * 1000)));
            rep.onTicket(id -> {
                out.printf("replayed ticket #%d (%d/%d)%n", id, rep.replayed(), rep.total());
                out.flush();
            });
            Thread hook = new Thread(rep::stop);
            Runtime.getRuntime().addShutdownHook(hook);
            rep.start();
            rep.awaitFinished(Duration.ofDays(365));
            rep.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        return 0;
    }
}
