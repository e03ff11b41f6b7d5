package io.hishel;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server tests use: 127.0.0.1:5432, database {@code test}, trust authentication
 * (override with {@code HISHEL_POSTGRES_URL} and {@code HISHEL_POSTGRES_USER}). When none is
 * reachable the tests are skipped with a message saying so — unless {@code HISHEL_REQUIRE_POSTGRES}
 * is set, as {@code .ci/run} sets it, in which case they fail. The caller brings the JDBC driver.
 */
public final class PostgresServer {

    public static final String URL = System.getenv().getOrDefault("HISHEL_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("HISHEL_POSTGRES_USER", "postgres");

    private PostgresServer() {
    }

    /** Skips (or, in CI, fails) the calling test when the server is not reachable. */
    public static void assumeReachable() {
        try (Connection connection = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?")
                + "connectTimeout=3", USER, "")) {
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
}
