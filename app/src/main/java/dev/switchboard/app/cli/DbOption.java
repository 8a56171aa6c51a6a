package dev.switchboard.app.cli;

import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.db.Database;
import java.nio.file.Path;
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

    /**
     * Opens the database for a command that only reads it (export, export-duplicates, quality): an H2 file
     * that does not exist is refused with its path instead of being created empty (a mistyped {@code --db}
     * would otherwise give an empty export or report and exit 0).
     */
    public Workspace openExisting() {
        String u = url == null || url.isBlank() ? Database.defaultUrl() : url;
        Path missing = Database.missingH2File(u);
        if (missing != null) {
            throw new IllegalArgumentException("no database at " + missing + (url == null || url.isBlank()
                    ? " (no workspace yet: start Switchboard or import tickets first, or name one with --db)"
                    : " (check --db; this command does not create one)"));
        }
        return Workspace.open(u);
    }
}
