package io.hishel.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where {@link Transactions} borrows its connections. Either a DataSource the storage was given
 * ({@link Given}): its database is the application's, and its failures are only reported; or the
 * SQLite file the storage opened on a path ({@link SqliteFile}): hishel owns it, and starts again on
 * a new file when it is deleted, replaced or corrupt. Thread-safe.
 */
sealed interface Connections permits Connections.Given, SqliteFile {

    /**
     * Runs work on a borrowed connection, and gives the connection back when the work ends.
     *
     * @throws SQLException as the work or the borrowing throws it
     */
    <T> T run(Transactions.SqlWork<T> work) throws SQLException;

    /**
     * Runs work on a statement prepared on a connection that {@link #run} lent. Here it is prepared
     * for the work and closed after it: a driver that keeps statements prepared does so itself, as
     * PostgreSQL's does on each connection once a statement has run a few times.
     *
     * @throws SQLException as the work or the preparing throws it
     */
    default <T> T prepared(Connection connection, String sql, Transactions.StatementWork<T> work)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            return work.run(statement);
        }
    }

    /** Closes the connections the storage owns; later work fails. */
    void close();

    /**
     * A DataSource the storage was given.
     *
     * @param closeWithStorage whether {@link #close()} closes it: a HikariCP pool handed over to the storage
     */
    record Given(DataSource dataSource, boolean closeWithStorage) implements Connections {

        @Override
        public <T> T run(Transactions.SqlWork<T> work) throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        }

        @Override
        public void close() {
            if (closeWithStorage) {
                // The builder hands over only a HikariDataSource.
                ((HikariDataSource) dataSource).close();
            }
        }
    }
}
