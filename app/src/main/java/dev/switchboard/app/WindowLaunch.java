package dev.switchboard.app;

import dev.switchboard.app.sample.DemoWorkspace;
import dev.switchboard.app.sample.SampleWorkspace;
import dev.switchboard.app.settings.Settings;
import dev.switchboard.persistence.db.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the window opens, from its options ({@code --demo}, {@code --db}): the database and the settings
 * that go with it. The real workspace's settings live in the data directory; the demo's in its own
 * directory ({@code <data dir>/demo}), so a demo starts with the defaults (local model, intake off) and
 * never reads or writes the real ones: not the intake (its port and token), not the LLM engine, not the
 * egress ledger. A fresh demo start empties that directory (settings included) like its database.
 *
 * @param demo         {@code --demo} was given
 * @param dbUrl        the database to open, null for the default one
 * @param demoDir      the demo's own directory when the demo uses it (no {@code --db}), else null: it is
 *                     emptied and locked by {@link DemoWorkspace#prepare} before the database opens
 * @param settingsFile the {@code settings.properties} of this workspace
 */
public record WindowLaunch(boolean demo, String dbUrl, Path demoDir, Path settingsFile) {

    /** The settings file's name, in the data directory or the demo's directory. */
    public static final String SETTINGS_FILE = "settings.properties";

    /** The window's options resolved against the default data directory. */
    public static WindowLaunch of(List<String> args) {
        return of(args, Database.defaultDataDir());
    }

    /** The window's options resolved against {@code dataDir} (the real workspace's data directory). */
    public static WindowLaunch of(List<String> args, Path dataDir) {
        boolean demo = args.contains("--demo");
        String url = dbUrl(args);
        Path demoHome = dataDir.resolve("demo");
        Path demoDir = url == null && demo ? demoHome : null;
        if (demoDir != null) url = Database.h2FileUrl(demoDir.resolve(DemoWorkspace.NAME));
        // a demo on a database named with --db still keeps its settings apart from the real workspace's
        Path settings = (demo ? demoHome : dataDir).resolve(SETTINGS_FILE);
        return new WindowLaunch(demo, url, demoDir, settings);
    }

    static String dbUrl(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--db") && i + 1 < args.size()) return args.get(i + 1);
            if (args.get(i).startsWith("--db=")) return args.get(i).substring(5);
        }
        return null;
    }

    public Settings settings() {
        return new Settings(settingsFile);
    }

    /**
     * The services of an opened workspace.
     *
     * @param joined a demo that another window still shows was joined (it was not reset, and its replay runs there)
     */
    public record Opened(Services services, boolean joined) {}

    /**
     * Opens the workspace (blocking: the demo directory is prepared, the database migrated, the sample
     * installed for a demo) and builds its services with this launch's settings.
     */
    public Opened open(SampleWorkspace sample) throws IOException {
        boolean joined = demoDir != null && DemoWorkspace.prepare(demoDir) == DemoWorkspace.Outcome.JOINED;
        Workspace ws = Workspace.open(dbUrl);
        try {
            StartupProbe.mark("database open");
            if (demo) sample.install(ws.store()).join();
            // read after prepare(): a fresh demo has just lost the settings of its previous run
            return new Opened(new Services(ws, settings()), joined);
        } catch (RuntimeException e) {
            ws.close();
            throw e;
        }
    }
}
