package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.PostgresServer;
import io.hishel.memory.MemoryTier;
import io.hishel.storage.CacheKey;
import io.hishel.storage.StorageOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The set-ups the storage page of the documentation shows, compiled and run. */
class StorageExamplesTest {

    @TempDir
    Path folder;

    @Test
    void sqliteWithBoundsAndTtl() {
        Path file = folder.resolve("hishel_cache.db");
        // tag::sqlite[]
        StorageOptions options = StorageOptions.builder()
                .maxBytes(512L * 1024 * 1024)        // evict least recently used above 512 MiB
                .defaultTtl(Duration.ofHours(1))     // entries live an hour unless hishel_ttl says otherwise
                .cleanupInterval(Duration.ofMinutes(5))
                .build();
        try (JdbcStorage storage = JdbcStorage.sqlite(file)   // or JdbcStorage.defaultSqlitePath()
                .options(options)
                .build()) {                                   // creates folders, migrates, starts clean-up
            // end::sqlite[]
            assertThat(storage.entries(new CacheKey("GET https://example.com/"))).isEmpty();
        }
    }

    @Test
    void postgresqlSharedByInstances() {
        PostgresServer.assumeReachable();
        try (PostgresDatabase database = new PostgresDatabase()) {
            String schema = database.newSchema();
            // tag::postgresql[]
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema
                    + "&connectTimeout=5&socketTimeout=30");       // fail fast when the database goes away
            config.setUsername("postgres");
            config.setMaximumPoolSize(10);                         // Flyway needs two while it migrates
            try (HikariDataSource dataSource = new HikariDataSource(config);
                 JdbcStorage storage = JdbcStorage.builder(dataSource)
                         .options(StorageOptions.builder().maxBytes(2L * 1024 * 1024 * 1024).build())
                         .build()) {
                // end::postgresql[]
                assertThat(storage.statistics().entries()).isZero();
            }
        }
    }

    @Test
    void memoryTierWithOtherBounds() {
        Path file = folder.resolve("hishel_cache.db");
        // tag::memory-tier[]
        try (JdbcStorage storage = JdbcStorage.sqlite(file)
                .memoryTier(MemoryTier.builder()
                        .maxBytes(64L * 1024 * 1024)      // metadata and bodies together
                        .maxBodyBytes(16 * 1024)          // larger bodies are read from the database
                        .maxAge(Duration.ofSeconds(2))    // the bound on a change the tier did not hear of
                        .build())                         // or MemoryTier.off()
                .build()) {
            // end::memory-tier[]
            assertThat(storage.entries(new CacheKey("GET https://example.com/"))).isEmpty();
        }
    }
}
