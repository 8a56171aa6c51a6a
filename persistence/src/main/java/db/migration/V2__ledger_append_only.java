package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Makes the decision ledger append-only in the database itself: any UPDATE or DELETE on
 * {@code decision} fails, whoever issues it. H2 uses a Java trigger, PostgreSQL a PL/pgSQL one.
 */
public class V2__ledger_append_only extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase();
        try (Statement st = context.getConnection().createStatement()) {
            if (product.contains("postgres")) {
                st.execute("""
                        create or replace function decision_append_only() returns trigger as $$
                        begin
                          raise exception 'the decision ledger is append-only: % is not allowed', tg_op;
                        end;
                        $$ language plpgsql""");
                st.execute("create trigger decision_no_update before update or delete on decision "
                        + "for each row execute function decision_append_only()");
            } else {
                st.execute("create trigger decision_no_update before update, delete on decision for each row "
                        + "call 'dev.switchboard.persistence.db.AppendOnlyTrigger'");
            }
        }
    }
}
