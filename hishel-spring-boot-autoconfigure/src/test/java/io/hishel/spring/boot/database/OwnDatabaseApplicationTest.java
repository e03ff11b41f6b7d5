package io.hishel.spring.boot.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.spring.boot.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with its own DataSource, JPA and Flyway migrations keeps them unchanged: hishel's
 * SQLite pool is not a bean, its migrations run on its own database with its own history table,
 * and the application's Flyway sees only the application's scripts.
 */
@SpringBootTest(classes = OwnDatabaseApplicationTest.PeopleApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:people;DB_CLOSE_DELAY=-1",
                "spring.jpa.hibernate.ddl-auto=validate",
                "hishel.storage.sqlite.path=target/test-caches/own-database.db",
                "spring.autoconfigure.exclude="
                        + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration"})
class OwnDatabaseApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Autowired
    Flyway flyway;

    @Test
    void theApplicationKeepsItsOwnDataSourceJpaAndMigrations() throws Exception {
        assertThat(context.getBeansOfType(DataSource.class)).hasSize(1);
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getURL()).startsWith("jdbc:h2:mem:people");
        }
        assertThat(flyway.info().applied()).extracting(info -> info.getDescription()).containsExactly("people");
        List<Map<String, Object>> hishelTablesInH2 = new JdbcTemplate(dataSource).queryForList(
                "select table_name from information_schema.tables where lower(table_name) like 'hishel%'");
        assertThat(hishelTablesInH2).isEmpty();

        HttpResponse<String> first = new Http(port).get("/people/1");
        HttpResponse<String> second = new Http(port).get("/people/1");
        assertThat(first.body()).isEqualTo("Ada");
        assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).contains("hit");
    }

    @Test
    void hishelMigratesItsOwnDatabaseWithItsOwnHistoryTable() throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(
                "jdbc:sqlite:" + Path.of("target/test-caches/own-database.db").toAbsolutePath());
             ResultSet rows = connection.createStatement().executeQuery(
                     "select name from sqlite_master where type = 'table' order by name")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        assertThat(tables).contains("hishel_entries", "hishel_streams", "hishel_schema_history")
                .doesNotContain("person", "flyway_schema_history");
    }

    @SpringBootApplication
    static class PeopleApplication {

        @RestController
        static class Endpoints {
            private final People people;

            Endpoints(People people) {
                this.people = people;
            }

            @GetMapping("/people/{id}")
            org.springframework.http.ResponseEntity<String> person(@PathVariable long id) {
                return org.springframework.http.ResponseEntity.ok().header("Cache-Control", "max-age=60")
                        .body(people.findById(id).map(person -> person.name).orElse("nobody"));
            }
        }
    }
}
