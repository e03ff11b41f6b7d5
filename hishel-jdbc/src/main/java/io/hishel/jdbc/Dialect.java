package io.hishel.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.sqlite.SQLiteConnection;

/** What differs between the databases hishel stores in: its scripts, ids, and writers. Immutable. */
enum Dialect {

    /** One file, one writer at a time: writes are serialised inside the storage. */
    SQLITE("sqlite", true) {
        @Override
        void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setString(index, id.toString());
        }

        @Override
        UUID readId(ResultSet rows, int index) throws SQLException {
            return UUID.fromString(rows.getString(index));
        }

        /** Stops the statement running, which fails with {@code SQLITE_INTERRUPT}; the connection stays usable. */
        @Override
        void interrupt(Connection connection) throws SQLException {
            connection.unwrap(SQLiteConnection.class).getDatabase().interrupt();
        }
    },

    /** Many writers, many instances. */
    POSTGRESQL("postgresql", false) {
        @Override
        void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setObject(index, id);
        }

        @Override
        UUID readId(ResultSet rows, int index) throws SQLException {
            return rows.getObject(index, UUID.class);
        }

        /**
         * Closes the connection's socket, which fails what waits on it, and makes a pool discard the
         * connection. A cancel request would travel over a new connection, which a stalled network
         * stalls too.
         */
        @Override
        void interrupt(Connection connection) throws SQLException {
            connection.abort(Runnable::run);
        }
    };

    private final String folder;
    private final boolean singleWriter;

    Dialect(String folder, boolean singleWriter) {
        this.folder = folder;
        this.singleWriter = singleWriter;
    }

    /** Where Flyway finds this database's migrations. */
    String migrations() {
        return "classpath:db/hishel/migration/" + folder;
    }

    boolean singleWriter() {
        return singleWriter;
    }

    abstract void bindId(PreparedStatement statement, int index, UUID id) throws SQLException;

    abstract UUID readId(ResultSet rows, int index) throws SQLException;

    /** Makes the work running on a connection in another thread fail at once; see {@link Deadlines}. */
    abstract void interrupt(Connection connection) throws SQLException;

    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("sqlite")) {
            return SQLITE;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("hishel-jdbc stores in SQLite or PostgreSQL, but the DataSource is "
                + connection.getMetaData().getDatabaseProductName());
    }
}
