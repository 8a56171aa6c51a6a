package dev.switchboard.app;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.store.TicketStore;

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

    @Override
    public void close() {
        store.close();
        database.close();
    }
}
