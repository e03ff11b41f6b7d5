package io.hishel.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.PostgresServer;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.storage.Storage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code hishel.storage.type=jdbc} with a URL, against the {@link PostgresServer} (database
 * {@code test}, trust authentication): hishel opens a pool of its own, migrates its tables with its
 * own history table, and closes the pool with the application. Skipped with a message when no
 * server is reachable, except in CI ({@code HISHEL_REQUIRE_POSTGRES}).
 */
class PostgresStorageTest {

    private final String schema = "hishel_starter_" + Long.toHexString(System.nanoTime());
    private boolean created;

    @BeforeEach
    void createSchema() throws SQLException {
        PostgresServer.assumeReachable();
        execute("CREATE SCHEMA " + schema);
        created = true;
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (created) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void aJdbcUrlGetsAPoolOfItsOwnThatClosesWithTheApplication() throws Exception {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HishelAutoConfiguration.class))
                .withPropertyValues("hishel.storage.type=jdbc",
                        "hishel.storage.jdbc.url=" + PostgresServer.URL + "?currentSchema=" + schema + "&ApplicationName=" + schema,
                        "hishel.storage.jdbc.username=" + PostgresServer.USER, "hishel.storage.jdbc.pool-size=2")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(javax.sql.DataSource.class);
                    Storage storage = context.getBean(Storage.class);
                    assertThat(storage).isInstanceOf(JdbcStorage.class);
                    assertThat(storage.statistics().entries()).isZero();
                    assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema
                            + "' AND table_name IN ('hishel_entries', 'hishel_streams', 'hishel_schema_history')"))
                            .isEqualTo(3);
                    assertThat(count("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + schema + "'"))
                            .isPositive();
                });
        // A closed connection's server process ends a moment after the client lets go.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                count("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + schema + "'") == 0);
    }

    /** Issue 17: the pool is configured as Boot's, and visible to Boot's {@code hikaricp.*} meters. */
    @Test
    void theOwnPoolTakesHikariSettingsAndReportsHikariMeters() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HishelAutoConfiguration.class))
                .withBean(io.micrometer.core.instrument.MeterRegistry.class,
                        io.micrometer.core.instrument.simple.SimpleMeterRegistry::new)
                .withPropertyValues("hishel.storage.type=jdbc",
                        "hishel.storage.jdbc.url=" + PostgresServer.URL + "?currentSchema=" + schema,
                        "hishel.storage.jdbc.username=" + PostgresServer.USER,
                        "hishel.storage.jdbc.hikari.pool-name=cache-pool",
                        "hishel.storage.jdbc.hikari.minimum-idle=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    io.micrometer.core.instrument.MeterRegistry meters =
                            context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                    assertThat(meters.find("hikaricp.connections.max").tag("pool", "cache-pool").gauge())
                            .isNotNull().extracting(gauge -> gauge.value()).isEqualTo(10.0);
                    assertThat(meters.find("hikaricp.connections.min").tag("pool", "cache-pool").gauge())
                            .isNotNull().extracting(gauge -> gauge.value()).isEqualTo(1.0);
                });
    }

    @Test
    void aBadHikariSettingNamesTheProperty() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HishelAutoConfiguration.class))
                .withPropertyValues("hishel.storage.type=jdbc",
                        "hishel.storage.jdbc.url=" + PostgresServer.URL + "?currentSchema=" + schema,
                        "hishel.storage.jdbc.hikari.minimum-idle=plenty")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(new HishelFailureAnalyzer(new StandardEnvironment()).analyze(context.getStartupFailure()).getDescription())
                            .contains("hishel.storage.jdbc.hikari");
                });
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(PostgresServer.URL, PostgresServer.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(PostgresServer.URL, PostgresServer.USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
