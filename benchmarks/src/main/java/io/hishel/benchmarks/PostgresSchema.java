package io.hishel.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A fresh schema on the PostgreSQL server the benchmarks use, created for one run and dropped
 * when it is closed, with the HikariCP pools opened on it.
 *
 * <p>The server is {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}, without
 * a password (the one the tests use); the system properties {@code hishel.postgres.url},
 * {@code hishel.postgres.user} and {@code hishel.postgres.password} point at another.
 */
final class PostgresSchema implements AutoCloseable {

    private final String name;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private PostgresSchema(String name) {
        this.name = name;
    }

    /**
     * Creates a schema with a new name.
     *
     * @param prefix the start of its name
     * @return the schema
     * @throws IllegalStateException if the server cannot be reached, with what to do about it
     */
    static PostgresSchema create(String prefix) {
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        try {
            execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url() + " (user " + user() + ") is not reachable: "
                    + e.getMessage() + " — start it, or point -Dhishel.postgres.url=jdbc:postgresql://HOST:PORT/DB"
                    + " and -Dhishel.postgres.user=USER at another server", e);
        }
        return new PostgresSchema(name);
    }

    /**
     * A pool of a fixed size whose connections use this schema; closed with it.
     *
     * @param poolName what HikariCP calls it in its logs
     * @param size     its connections, all opened at once
     * @return the pool
     */
    HikariDataSource pool(String poolName, int size) {
        return pool(poolName, size, null);
    }

    /**
     * A pool as {@link #pool(String, int)}, whose connections first run {@code initSql}.
     *
     * @param poolName what HikariCP calls it in its logs
     * @param size     its connections, all opened at once
     * @param initSql  a statement for each new connection, or null
     * @return the pool
     */
    HikariDataSource pool(String poolName, int size, String initSql) {
        HikariConfig config = new HikariConfig();
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        config.setPoolName(poolName);
        config.setJdbcUrl(url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + name);
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(5_000);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** Closes the pools and drops the schema with everything in it. */
    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        try {
            execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        } catch (SQLException e) {
            System.err.println("Could not drop the schema " + name + ": " + e.getMessage());
        }
    }

    private static void execute(String sql) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("password", password());
        properties.setProperty("connectTimeout", "3");
        try (Connection connection = DriverManager.getConnection(url(), properties);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String url() {
        return System.getProperty("hishel.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    private static String user() {
        return System.getProperty("hishel.postgres.user", "postgres");
    }

    private static String password() {
        return System.getProperty("hishel.postgres.password", "");
    }
}
