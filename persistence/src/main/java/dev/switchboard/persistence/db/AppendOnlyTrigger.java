package dev.switchboard.persistence.db;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/** H2 trigger that rejects every UPDATE and DELETE on the table it is attached to. */
public final class AppendOnlyTrigger implements Trigger {
    private String table = "?";

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        this.table = tableName;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("the " + table.toLowerCase() + " ledger is append-only: rows cannot be changed or deleted",
                "45000");
    }
}
