package dev.switchboard.app;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.store.TicketStore;
import java.nio.file.Path;

/**
 * An open database and its store: what every command and the window work on. Opening migrates the
 * schema and builds Hibernate (~2 s), so the window does it on a background thread.
 */
public final class Workspace implements AutoCloseable {

    private final Database database;
    private final TicketStore store;

    private Workspace(Database database) {
        this.database = database;
        this.store = new TicketStore(database);
    }

    /** Opens (creating and migrating if needed) the database at {@code jdbcUrl}, or the default one when null. */
    public static Workspace open(String jdbcUrl) {
        return new Workspace(Database.open(jdbcUrl == null || jdbcUrl.isBlank() ? Database.defaultUrl() : jdbcUrl));
    }

    public Database database() {
        return database;
    }

    public TicketStore store() {
        return store;
    }

    /** File name suffix of the saved local model beside an H2 database file. */
    public static final String LOCAL_MODEL_SUFFIX = ".local-model";

    /**
     * Where the local model's fitted state is saved: beside the H2 database file, with its name
     * ({@code switchboard.mv.db} → {@code switchboard.local-model}); for a server database (team mode),
     * in this machine's data directory under a name derived from the URL; null for an in-memory database.
     */
    public Path localModelFile() {
        return localModelFile(database.displayUrl());
    }

    static Path localModelFile(String url) {
        if (url.startsWith("jdbc:h2:mem:")) return null;
        if (url.startsWith("jdbc:h2:file:")) {
            String path = url.substring("jdbc:h2:file:".length());
            if (path.startsWith("~")) path = System.getProperty("user.home") + path.substring(1); // as H2 reads it
            Path db = Path.of(path).toAbsolutePath();
            return db.resolveSibling(db.getFileName() + LOCAL_MODEL_SUFFIX);
        }
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(url.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Database.defaultDataDir().resolve("server-" + java.util.HexFormat.of().formatHex(h, 0, 6)
                    + LOCAL_MODEL_SUFFIX);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        store.close();
        database.close();
    }
}
