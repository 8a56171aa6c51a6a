package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import picocli.CommandLine.Option;

/** The {@code --db} option every command takes (mixin). */
public final class DbOption {
    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Database (default: H2 file under ~/.local/share/switchboard, or $SWITCHBOARD_HOME).")
    String url;

    public String url() {
        return url;
    }

    public Workspace open() {
        return Workspace.open(url);
    }
}
