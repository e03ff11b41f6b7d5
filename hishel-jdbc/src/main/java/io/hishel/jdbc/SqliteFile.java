package io.hishel.jdbc;

import io.hishel.storage.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The SQLite file the storage owns at its path, opened and migrated when the storage is built. A
 * deleted file keeps working for open connections — on a file nobody can see, lost on restart —
 * while a new connection would create an empty one in its place: once the pool notices
 * ({@link SqlitePool#isStillItsFile}), every call fails saying so. Thread-safe.
 */
final class SqliteFile implements Connections {

    private final SqlitePool pool;
    private final String description;

    private SqliteFile(SqlitePool pool, String description) {
        this.pool = pool;
        this.description = description;
    }

    /**
     * Opens the file at a path ready for use.
     *
     * @param size   the connections of the pool
     * @param schema what makes the database ready: the migration, or nothing where the schema is
     *               managed elsewhere
     * @throws StorageException if the file cannot be opened or migrated; the message names it
     */
    static SqliteFile open(Path file, int size, Duration connectionTimeout, String description,
                           Consumer<DataSource> schema) {
        SqlitePool pool = SqlitePool.open(file, size, connectionTimeout);
        try {
            schema.accept(pool.connections());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new SqliteFile(pool, description);
    }

    @Override
    public <T> T run(Transactions.SqlWork<T> work) throws SQLException {
        if (!pool.isStillItsFile()) {
            throw new StorageException(description + ": the database file was deleted or replaced");
        }
        try (Connection connection = pool.connections().getConnection()) {
            return work.run(connection);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
