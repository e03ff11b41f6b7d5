package io.hishel.jdbc;

import io.hishel.storage.StorageException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Creates and upgrades hishel's tables with Flyway, from the scripts of the database's
 * {@link Dialect}, recording them in a history table of hishel's own, so that the application's
 * tables and its own Flyway history are never touched. Stateless; a migration runs as the only
 * writer of the storage.
 */
final class Migration {

    static final String HISTORY_TABLE = "hishel_schema_history";

    private Migration() {
    }

    /**
     * @throws StorageException if the migration fails; the message names the storage
     */
    static void run(DataSource dataSource, Transactions transactions) {
        ClassLoader loader = JdbcStorage.class.getClassLoader();
        Runnable migration = () -> Flyway.configure(loader)
                .dataSource(dataSource)
                .locations(transactions.dialect().migrations())
                .table(HISTORY_TABLE)
                // The schema may hold the application's own tables and Flyway history: hishel's history is its own.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        try {
            transactions.exclusively(migration);
        } catch (RuntimeException e) {
            throw new StorageException(transactions.description() + ": the migration of hishel's tables failed: "
                    + e.getMessage(), e);
        }
    }
}
