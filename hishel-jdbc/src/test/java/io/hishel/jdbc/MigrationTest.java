package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.PostgresServer;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StoredBody;
import io.hishel.storage.StoredRequest;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Upgrading tables that already hold entries: nothing a lookup returns is lost. */
class MigrationTest {

    @TempDir
    Path folder;

    @Test
    void version3DeletesTheEndMarkersOfSqliteEntriesAndKeepsTheirBodies() throws Exception {
        version3DeletesTheEndMarkersAndKeepsTheBodies(sqlite("v3.db"), Dialect.SQLITE);
    }

    @Test
    void version3DeletesTheEndMarkersOfPostgresqlEntriesAndKeepsTheirBodies() throws Exception {
        PostgresServer.assumeReachable();
        try (PostgresDatabase database = new PostgresDatabase()) {
            version3DeletesTheEndMarkersAndKeepsTheBodies(database.pool(database.newSchema(), 4), Dialect.POSTGRESQL);
        }
    }

    @Test
    void version4DeletesTheSqliteEntriesStoredWithoutChecksumsAndTheStorageWorksOn() throws Exception {
        version4DeletesEntriesWithoutChecksums(sqlite("v4.db"), Dialect.SQLITE);
    }

    @Test
    void version4DeletesThePostgresqlEntriesStoredWithoutChecksumsAndTheStorageWorksOn() throws Exception {
        PostgresServer.assumeReachable();
        try (PostgresDatabase database = new PostgresDatabase()) {
            version4DeletesEntriesWithoutChecksums(database.pool(database.newSchema(), 4), Dialect.POSTGRESQL);
        }
    }

    private DataSource sqlite(String name) {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + folder.resolve(name));
        dataSource.setEnforceForeignKeys(true);
        return dataSource;
    }

    private static void version3DeletesTheEndMarkersAndKeepsTheBodies(DataSource dataSource, Dialect dialect)
            throws Exception {
        migrateTo("2", dataSource, dialect);
        UUID id = UUID.randomUUID();
        insertOldEntry(dataSource, dialect, id);
        // What a version before 3 wrote on commit, besides the chunks.
        execute(dataSource, dialect, "INSERT INTO hishel_streams (entry_id, kind, chunk_number, chunk_data)"
                + " VALUES (?, 0, -1, ?)", id, new byte[0]);

        migrateTo("3", dataSource, dialect);

        assertThat(count(dataSource, "SELECT COUNT(*) FROM hishel_streams WHERE chunk_number = -1")).isZero();
        assertThat(count(dataSource, "SELECT COUNT(*) FROM hishel_streams")).isEqualTo(1);
        assertThat(count(dataSource, "SELECT COUNT(*) FROM hishel_entries")).isEqualTo(1);
    }

    private static void version4DeletesEntriesWithoutChecksums(DataSource dataSource, Dialect dialect)
            throws Exception {
        migrateTo("3", dataSource, dialect);
        insertOldEntry(dataSource, dialect, UUID.randomUUID());
        byte[] body = new byte[3000];
        Arrays.fill(body, (byte) 'x');
        Entry entry = new Entry(UUID.randomUUID(), new CacheKey("GET https://example.com/new"),
                new StoredRequest("GET", URI.create("https://example.com/new"), ""), new Response(200, Headers.EMPTY),
                Instant.now(), Instant.now());

        try (JdbcStorage upgraded = JdbcStorage.builder(dataSource).scheduleMaintenance(false).build()) {
            assertThat(count(dataSource, "SELECT COUNT(*) FROM hishel_entries")).isZero();
            assertThat(count(dataSource, "SELECT COUNT(*) FROM hishel_streams")).isZero();
            try (EntryWriter writer = upgraded.create(entry, EntryOptions.defaults())) {
                writer.write(body);
                writer.commit();
            }
            assertThat(upgraded.entries(entry.key())).containsExactly(entry);
            try (StoredBody stored = upgraded.openBody(entry.id()).orElseThrow()) {
                assertThat(stored.stream().readAllBytes()).isEqualTo(body);
            }
        }
    }

    /** A committed entry with one chunk, as the versions before checksums wrote it. */
    private static void insertOldEntry(DataSource dataSource, Dialect dialect, UUID id) throws SQLException {
        execute(dataSource, dialect, "INSERT INTO hishel_entries (id, cache_key, url, data, created_at, completed_at,"
                + " last_access, refresh_ttl, size) VALUES (?, 'GET https://example.com/old', 'https://example.com/old',"
                + " ?, 1, 1, 1, 0, 3)", id, new byte[] {1});
        execute(dataSource, dialect, "INSERT INTO hishel_streams (entry_id, kind, chunk_number, chunk_data)"
                + " VALUES (?, 0, 0, ?)", id, new byte[] {'a', 'b', 'c'});
    }

    private static void migrateTo(String version, DataSource dataSource, Dialect dialect) {
        Flyway.configure(MigrationTest.class.getClassLoader()).dataSource(dataSource).locations(dialect.migrations())
                .table(Migration.HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0").target(version).load()
                .migrate();
    }

    private static void execute(DataSource dataSource, Dialect dialect, String sql, UUID id, byte[] bytes)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            dialect.bindId(statement, 1, id);
            statement.setBytes(2, bytes);
            statement.executeUpdate();
        }
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
