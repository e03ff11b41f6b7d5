package io.hishel.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Schemas of their own and pools on them, in the {@link PostgresServer} the tests use. */
final class PostgresDatabase implements AutoCloseable {

    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();

    /** A fresh schema of its own, dropped on {@link #close()}. */
    String newSchema() {
        String schema = "hishel_test_" + Long.toHexString(System.nanoTime()) + "_" + schemas.size();
        execute("CREATE SCHEMA " + schema);
        schemas.add(schema);
        return schema;
    }

    /** A pool whose connections use a schema. */
    HikariDataSource pool(String schema, int size) {
        return pool(PostgresServer.URL, schema, size);
    }

    HikariDataSource pool(String url, String schema, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema
                + "&connectTimeout=2&socketTimeout=5");
        config.setUsername(PostgresServer.USER);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(PostgresServer.URL, PostgresServer.USER, "");
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
