package io.hishel.spring.boot.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.memory.MemoryStorage;
import io.hishel.storage.Storage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 17: an application on the memory starter, whose class path really holds none of the JDBC
 * jars, starts and caches, over HTTP, without setting {@code hishel.storage.type}.
 */
@SpringBootTest(classes = MemoryStarterApplicationTest.MemoryApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MemoryStarterApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    Storage storage;

    @Autowired
    MemoryApplication application;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theClassPathHoldsNoJdbcJar() {
        ClassLoader classLoader = getClass().getClassLoader();
        assertThat(ClassUtils.isPresent("org.sqlite.JDBC", classLoader)).isFalse();
        assertThat(ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource", classLoader)).isFalse();
        assertThat(ClassUtils.isPresent("org.flywaydb.core.Flyway", classLoader)).isFalse();
        assertThat(ClassUtils.isPresent("io.hishel.jdbc.JdbcStorage", classLoader)).isFalse();
        assertThat(ClassUtils.isPresent("com.fasterxml.jackson.databind.ObjectMapper", classLoader))
                .as("Jackson 2, which Flyway brings").isFalse();
    }

    @Test
    void startsOnMemoryStorageAndAnswersTheSecondRequestFromTheCache() throws Exception {
        assertThat(storage).isInstanceOf(MemoryStorage.class);

        HttpResponse<String> first = get("/counted");
        HttpResponse<String> second = get("/counted");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body()).isEqualTo("answer 1");
        assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).startsWith("Hishel; hit");
        assertThat(application.calls).hasValue(1);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootApplication
    @RestController
    static class MemoryApplication {

        final AtomicInteger calls = new AtomicInteger();

        @GetMapping("/counted")
        ResponseEntity<String> counted() {
            return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(1)))
                    .body("answer " + calls.incrementAndGet());
        }
    }
}
