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
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + folder.resolve("upgraded.db"));
        dataSource.setEnforceForeignKeys(true);
        upgradesKeepingBodies(dataSource, Dialect.SQLITE);
    }

    @Test
    void version3DeletesTheEndMarkersOfPostgresqlEntriesAndKeepsTheirBodies() throws Exception {
        PostgresServer.assumeReachable();
        try (PostgresDatabase database = new PostgresDatabase()) {
            upgradesKeepingBodies(database.pool(database.newSchema(), 4), Dialect.POSTGRESQL);
        }
    }

    private static void upgradesKeepingBodies(DataSource dataSource, Dialect dialect) throws Exception {
        migrateTo("2", dataSource, dialect);
        UUID id = UUID.randomUUID();
        byte[] body = new byte[3000];
        Arrays.fill(body, (byte) 'x');
        Entry entry = new Entry(id, new CacheKey("GET https://example.com/old"),
                new StoredRequest("GET", URI.create("https://example.com/old"), ""), new Response(200, Headers.EMPTY),
                Instant.now(), Instant.now());
        try (JdbcStorage older = JdbcStorage.builder(dataSource).migrate(false).scheduleMaintenance(false).build();
             EntryWriter writer = older.create(entry, EntryOptions.defaults())) {
            writer.write(body);
            writer.commit();
        }
        // What a version before 3 wrote on commit, besides the chunks.
        execute(dataSource, dialect, "INSERT INTO hishel_streams (entry_id, kind, chunk_number, chunk_data)"
                + " VALUES (?, 0, -1, ?)", id);

        try (JdbcStorage upgraded = JdbcStorage.builder(dataSource).scheduleMaintenance(false).build()) {
            assertThat(count(dataSource, "SELECT COUNT(*) FROM hishel_streams WHERE chunk_number = -1")).isZero();
            assertThat(count(dataSource, "SELECT COUNT(*) FROM hishel_streams")).isEqualTo(1);
            assertThat(count(dataSource, "SELECT COUNT(*) FROM hishel_schema_history WHERE version = '3'"))
                    .isEqualTo(1);
            assertThat(upgraded.entries(entry.key())).containsExactly(entry);
            try (StoredBody stored = upgraded.openBody(id).orElseThrow()) {
                assertThat(stored.stream().readAllBytes()).isEqualTo(body);
            }
        }
    }

    private static void migrateTo(String version, DataSource dataSource, Dialect dialect) {
        Flyway.configure(MigrationTest.class.getClassLoader()).dataSource(dataSource).locations(dialect.migrations())
                .table(Migration.HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0").target(version).load()
                .migrate();
    }

    private static void execute(DataSource dataSource, Dialect dialect, String sql, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            dialect.bindId(statement, 1, id);
            statement.setBytes(2, new byte[0]);
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
