package io.hishel.servlet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.PostgresServer;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.memory.MemoryStorage;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Real storages for filter tests, one of each kind: memory, a SQLite file in a folder of its own,
 * and a schema of its own in the PostgreSQL server the tests use. Several storages opened on one
 * instance of this share the SQLite file or the schema, as application instances share a
 * database. {@link #close()} closes them and removes what they stored.
 */
final class TestStorages implements AutoCloseable {

    /** The storages the filter runs on. */
    enum Kind {
        MEMORY, SQLITE, POSTGRESQL
    }

    static final java.time.Duration CLOCK_TOLERANCE = java.time.Duration.ofMillis(50);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private Path folder;
    private String schema;

    /**
     * Opens a storage of a kind; PostgreSQL is skipped, or in CI fails, when the server is not
     * reachable.
     */
    Storage open(Kind kind, StorageOptions options) {
        Storage storage = switch (kind) {
            case MEMORY -> new MemoryStorage(options);
            case SQLITE -> JdbcStorage.sqlite(folder().resolve("cache.db")).options(options).build();
            // The instances of a test share one machine's clock: a tolerance of their skew short enough to wait out.
            case POSTGRESQL -> JdbcStorage.builder(postgres()).options(options).clockTolerance(CLOCK_TOLERANCE)
                    .build();
        };
        opened.add(0, storage);
        return storage;
    }

    private Path folder() {
        if (folder == null) {
            try {
                folder = Files.createTempDirectory("hishel-storages");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }

    /** A pool of its own on the shared schema: one per storage, as each instance has its own. */
    private HikariDataSource postgres() {
        PostgresServer.assumeReachable();
        if (schema == null) {
            schema = "hishel_filter_" + Long.toHexString(System.nanoTime());
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresServer.URL + (PostgresServer.URL.contains("?") ? "&" : "?")
                + "currentSchema=" + schema);
        config.setUsername(PostgresServer.USER);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(0);
        config.setConnectionInitSql("CREATE SCHEMA IF NOT EXISTS " + schema);
        HikariDataSource pool = new HikariDataSource(config);
        opened.add(pool);
        return pool;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        if (schema != null) {
            try (Connection connection = java.sql.DriverManager.getConnection(PostgresServer.URL, PostgresServer.USER,
                    ""); Statement drop = connection.createStatement()) {
                drop.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("Could not drop " + schema, e);
            }
        }
        if (folder != null) {
            try (var files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
