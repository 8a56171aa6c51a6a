package dev.switchboard.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.store.StoreStats;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Counts of tickets, teams, decisions, suggestions and duplicates, and where the database and the saved local model are.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin DbOption db;
    @Option(names = "--json", description = "Print JSON instead of a table.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StoreStats s;
        java.nio.file.Path model;
        try (Workspace ws = db.open()) {
            s = ws.store().stats();
            model = ws.localModelFile();
        }
        boolean saved = model != null && java.nio.file.Files.isRegularFile(model);
        var out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode n = om.createObjectNode();
            n.put("tickets", s.tickets());
            n.put("open", s.open());
            n.put("decided", s.decided());
            n.put("teams", s.teams());
            n.put("decisions", s.decisions());
            n.put("suggestions", s.suggestions());
            n.put("duplicates", s.duplicates());
            n.put("database", s.database());
            n.put("savedModel", saved ? model.toString() : null);
            if (saved) n.put("savedModelBytes", java.nio.file.Files.size(model));
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        } else {
            out.printf("Database     %s%n", s.database());
            out.printf("Tickets      %,d (%,d open, %,d decided)%n", s.tickets(), s.open(), s.decided());
            out.printf("Teams        %,d%n", s.teams());
            out.printf("Decisions    %,d%n", s.decisions());
            out.printf("Suggestions  %,d%n", s.suggestions());
            out.printf("Duplicates   %,d%n", s.duplicates());
            out.printf("Saved model  %s%n", saved
                    ? String.format("%s (%,d bytes, %s)", model, java.nio.file.Files.size(model),
                            java.nio.file.Files.getLastModifiedTime(model).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    : "none yet" + (model == null ? "" : " (a start trains and saves it to " + model + ")"));
        }
        out.flush();
        return 0;
    }
}
