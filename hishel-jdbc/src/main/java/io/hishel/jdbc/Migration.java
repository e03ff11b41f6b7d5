package io.hishel.jdbc;

import io.hishel.storage.StorageException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Creates and upgrades hishel's tables with Flyway, from the scripts of the database's
 * {@link Dialect}, recording them in a history table of hishel's own, so that the application's
 * tables and its own Flyway history are never touched. Stateless. A migration runs before the
 * storage's own operations reach the database — when the storage is built, and when a SQLite file
 * the storage owns is opened again — so none of them writes meanwhile.
 */
final class Migration {

    static final String HISTORY_TABLE = "hishel_schema_history";

    private Migration() {
    }

    /**
     * @param description the storage, as messages name it
     * @throws StorageException if the migration fails; the message names the storage
     */
    static void run(DataSource dataSource, Dialect dialect, String description) {
        try {
            Flyway.configure(JdbcStorage.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(dialect.migrations())
                    .table(HISTORY_TABLE)
                    // The schema may hold the application's own tables and Flyway history: hishel's history is its own.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StorageException(description + ": the migration of hishel's tables failed: " + e.getMessage(), e);
        }
    }
}
