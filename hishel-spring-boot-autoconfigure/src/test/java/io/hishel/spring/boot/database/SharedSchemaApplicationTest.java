package io.hishel.spring.boot.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.PostgresServer;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.spring.boot.Http;
import io.hishel.storage.Storage;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 17: {@code hishel.storage.type=jdbc} without a URL keeps the cache in the application's own
 * PostgreSQL schema, a fresh one that the application's Flyway creates. hishel's storage is made
 * after the application's database initialisation ({@code @DependsOnDatabaseInitialization}):
 * before it, the schema would not exist yet, or the application's Flyway would find it not empty
 * and refuse to migrate. Skipped without a server, except in CI ({@code HISHEL_REQUIRE_POSTGRES}).
 */
class SharedSchemaApplicationTest {

    private final String schema = "shared_" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void reachable() {
        PostgresServer.assumeReachable();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(PostgresServer.URL, PostgresServer.USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void theApplicationsFlywayAndHishelsShareOneFreshSchema() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(
                OwnDatabaseApplicationTest.PeopleApplication.class)
                .properties("server.port=0", "spring.main.banner-mode=off",
                        "spring.datasource.url=" + PostgresServer.URL + "?currentSchema=" + schema,
                        "spring.datasource.username=" + PostgresServer.USER,
                        "spring.flyway.schemas=" + schema,
                        "spring.jpa.hibernate.ddl-auto=validate",
                        "hishel.storage.type=jdbc",
                        "spring.autoconfigure.exclude="
                                + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration")
                .run()) {
            assertThat(context.getBean(Storage.class)).isInstanceOf(JdbcStorage.class);
            assertThat(context.getBean(Flyway.class).info().applied()).extracting(info -> info.getDescription())
                    .contains("people");
            List<String> tables = new JdbcTemplate(context.getBean(javax.sql.DataSource.class)).queryForList(
                    "select table_name from information_schema.tables where table_schema = ? order by table_name",
                    String.class, schema);
            assertThat(tables).contains("person", "flyway_schema_history", "hishel_entries", "hishel_streams",
                    "hishel_schema_history");

            Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
            HttpResponse<String> first = http.get("/people/1");
            HttpResponse<String> second = http.get("/people/1");
            assertThat(first.body()).isEqualTo("Ada");
            assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).startsWith("Hishel; hit");
            assertThat(new JdbcTemplate(context.getBean(javax.sql.DataSource.class))
                    .queryForObject("select count(*) from " + schema + ".hishel_entries", Long.class)).isPositive();
        }
    }
}
