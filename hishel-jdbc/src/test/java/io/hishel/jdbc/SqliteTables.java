package io.hishel.jdbc;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * hishel's tables in a SQLite file, reached the way the storage reaches them — its file, its
 * transactions, its migration — without a storage around them: for testing the classes that
 * {@link JdbcStorage} is made of one at a time.
 */
final class SqliteTables implements AutoCloseable {

    static final String DESCRIPTION = "test storage";

    final SqliteFile file;
    final Transactions transactions;

    SqliteTables(Path file) {
        this(file, 5_000);
    }

    SqliteTables(Path file, long writeLockTimeoutMillis) {
        this.file = SqliteFile.open(file, 4, Duration.ofSeconds(5), DESCRIPTION,
                database -> Migration.run(database, Dialect.SQLITE, DESCRIPTION));
        transactions = new Transactions(this.file, Dialect.SQLITE, Duration.ofMillis(writeLockTimeoutMillis), DESCRIPTION);
    }

    /** Inserts the row of an entry, committed or not, with nothing in it worth decoding. */
    void insertEntry(UUID id, Long completedAt, Long expiresAt, Long ttlMillis, boolean refreshTtl) {
        transactions.write("insert a test entry", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hishel_entries"
                    + " (id, cache_key, url, data, created_at, completed_at, last_access, expires_at, ttl_millis,"
                    + " refresh_ttl, body_crc) VALUES (?, 'GET https://example.com/', 'https://example.com/', x'00', 0,"
                    + " ?, 0, ?, ?, ?, 0)")) {
                insert.setString(1, id.toString());
                Sql.setNullableLong(insert, 2, completedAt);
                Sql.setNullableLong(insert, 3, expiresAt);
                Sql.setNullableLong(insert, 4, ttlMillis);
                insert.setInt(5, refreshTtl ? 1 : 0);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Inserts a chunk with the checksum it is given, right or wrong. */
    void insertChunk(UUID id, int number, byte[] bytes, int checksum) {
        transactions.write("insert a test chunk", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(Sql.INSERT_CHUNK)) {
                insert.setString(1, id.toString());
                insert.setInt(2, Sql.BODY);
                insert.setInt(3, number);
                insert.setBytes(4, bytes);
                insert.setInt(5, checksum);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Runs a statement that changes rows, such as one that sets a column of a test entry. */
    void execute(String sql) {
        transactions.write("change test rows", connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.executeUpdate(sql);
            }
        });
    }

    /** The first column of the first row, as a number; null for SQL NULL. */
    Long number(String sql) {
        return transactions.read("query", connection -> {
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                result.next();
                return Sql.nullableLong(result, 1);
            }
        });
    }

    /** The first column of the first row, as text. */
    String text(String sql) {
        return transactions.read("query", connection -> {
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                result.next();
                return result.getString(1);
            }
        });
    }

    @Override
    public void close() {
        file.close();
    }
}
