package io.hishel.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server tests use: 127.0.0.1:5432, database {@code test}, trust authentication
 * (override with {@code HISHEL_POSTGRES_URL} and {@code HISHEL_POSTGRES_USER}). When none is
 * reachable the tests are skipped with a message saying so — unless {@code HISHEL_REQUIRE_POSTGRES}
 * is set, as {@code .ci/run} sets it, in which case they fail.
 */
final class PostgresDatabase implements AutoCloseable {

    static final String URL = System.getenv().getOrDefault("HISHEL_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getenv().getOrDefault("HISHEL_POSTGRES_USER", "postgres");

    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();

    /** Skips (or, in CI, fails) the calling test when the server is not reachable. */
    static void assumeReachable() {
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "")) {
            connection.isValid(3);
        } catch (SQLException e) {
            String message = "PostgreSQL at " + URL + " is not reachable (" + e.getMessage()
                    + "); the PostgreSQL tests are skipped";
            if (System.getenv("HISHEL_REQUIRE_POSTGRES") != null) {
                fail(message.replace("are skipped", "are required here (HISHEL_REQUIRE_POSTGRES)"));
            }
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
    }

    /** A fresh schema of its own, dropped on {@link #close()}. */
    String newSchema() {
        String schema = "hishel_test_" + Long.toHexString(System.nanoTime()) + "_" + schemas.size();
        execute("CREATE SCHEMA " + schema);
        schemas.add(schema);
        return schema;
    }

    /** A pool whose connections use a schema. */
    HikariDataSource pool(String schema, int size) {
        return pool(URL, schema, size);
    }

    HikariDataSource pool(String url, String schema, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema
                + "&connectTimeout=2&socketTimeout=5");
        config.setUsername(USER);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        schemas.forEach(schema -> execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
    }
}
