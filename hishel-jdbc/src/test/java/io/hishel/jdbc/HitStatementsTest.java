package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.MutableClock;
import io.hishel.PostgresServer;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.CorruptBodyException;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredBody;
import io.hishel.storage.StoredRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a hit asks of the database when the memory tier cannot answer it, counted on the
 * DataSource: a look-up followed by the opening and reading of the chosen body, as the filter
 * makes them. A small body is read with its entry, so the hit is one statement on one borrowed
 * connection; what it read is still checked, and never outlives a change this storage made.
 */
class HitStatementsTest {

    private static final String URL = "https://example.com/hit";
    private static final CacheKey KEY = new CacheKey("GET " + URL);

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock();
    private final PostgresDatabase postgres = new PostgresDatabase();
    private HikariDataSource pool;
    private CountingDataSource counting;
    private JdbcStorage storage;

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
        if (pool != null) {
            pool.close();
        }
        postgres.close();
    }

    private JdbcStorage open(String database, MemoryTier tier) {
        if (database.equals("postgresql")) {
            PostgresServer.assumeReachable();
            pool = postgres.pool(postgres.newSchema(), 4);
        } else {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:sqlite:" + folder.resolve("hits.db"));
            config.setMaximumPoolSize(4);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("foreign_keys", "true");
            pool = new HikariDataSource(config);
        }
        counting = new CountingDataSource(pool);
        storage = JdbcStorage.builder(counting.dataSource()).options(StorageOptions.builder().clock(clock).build())
                .memoryTier(tier).scheduleMaintenance(false).build();
        return storage;
    }

    private Entry put(byte[] body) {
        Entry entry = new Entry(UUID.randomUUID(), KEY, new StoredRequest("GET", URI.create(URL), ""),
                new Response(200, Headers.of("Content-Type", "application/octet-stream")), clock.instant(),
                clock.instant());
        try (EntryWriter writer = storage.create(entry, EntryOptions.defaults().withTtl(Duration.ofMinutes(1)))) {
            writer.write(body);
            writer.commit();
        }
        counting.reset();
        return entry;
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** What the filter does on a hit: look up, open the body of the entry found, read it to the end. */
    private byte[] hit() throws IOException {
        List<Entry> entries = storage.entries(KEY);
        assertThat(entries).hasSize(1);
        try (StoredBody body = storage.openBody(entries.get(0).id()).orElseThrow();
             InputStream stream = body.stream()) {
            return stream.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aHitOnASmallBodyIsOneStatementOnOneBorrowedConnection(String database) throws IOException {
        open(database, MemoryTier.off());
        byte[] body = bytes(1024);
        put(body);

        assertThat(hit()).isEqualTo(body);
        assertThat(counting.counts()).isEqualTo(new CountingDataSource.Counts(1, 1, 1));

        counting.reset();
        assertThat(hit()).isEqualTo(body);
        assertThat(counting.counts()).as("every hit, not only the first").isEqualTo(new CountingDataSource.Counts(1, 1, 1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aLargerBodyCostsOneStatementPerChunkBeyondTheLookUp(String database) throws IOException {
        open(database, MemoryTier.off());
        byte[] body = bytes(100 * 1024);
        put(body);

        assertThat(hit()).isEqualTo(body);
        // Chunks of 64 KiB: the look-up, which also read the body's size and checksum, then two chunks.
        assertThat(counting.counts()).isEqualTo(new CountingDataSource.Counts(3, 3, 3));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void withTheMemoryTierAHitItCannotAnswerIsOneStatementAndTheNextNone(String database) throws IOException {
        open(database, MemoryTier.defaults());
        byte[] body = bytes(1024);
        put(body);

        assertThat(hit()).isEqualTo(body);
        assertThat(counting.counts()).isEqualTo(new CountingDataSource.Counts(1, 1, 1));

        counting.reset();
        assertThat(hit()).isEqualTo(body);
        assertThat(counting.counts()).isEqualTo(new CountingDataSource.Counts(0, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anOpenWithoutALookUpBeforeItOnItsThreadAsksTheDatabase(String database) throws Exception {
        open(database, MemoryTier.off());
        byte[] body = bytes(1024);
        Entry entry = put(body);
        storage.entries(KEY);

        byte[] read = CompletableFuture.supplyAsync(() -> {
            try (StoredBody opened = storage.openBody(entry.id()).orElseThrow(); InputStream in = opened.stream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).get();

        assertThat(read).isEqualTo(body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anEntryRemovedBetweenTheLookUpAndTheOpenIsNotOpened(String database) {
        open(database, MemoryTier.off());
        Entry entry = put(bytes(1024));

        assertThat(storage.entries(KEY)).hasSize(1);
        storage.remove(entry.id());

        assertThat(storage.openBody(entry.id())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anEntryThatExpiredBetweenTheLookUpAndTheOpenIsNotOpened(String database) {
        open(database, MemoryTier.off());
        Entry entry = put(bytes(1024));

        assertThat(storage.entries(KEY)).hasSize(1);
        clock.advance(Duration.ofMinutes(1));

        assertThat(storage.openBody(entry.id())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aBodyReadWithItsEntryIsCheckedBeforeAnyOfItIsHandedOnAndItsEntryRemoved(String database) throws Exception {
        open(database, MemoryTier.off());
        Entry entry = put(bytes(1024));
        damageFirstChunk(pool, entry.id(), database);

        List<Entry> entries = storage.entries(KEY);
        try (StoredBody body = storage.openBody(entries.get(0).id()).orElseThrow();
             InputStream stream = body.stream()) {
            assertThatThrownBy(stream::read).isInstanceOf(CorruptBodyException.class);
        }

        assertThat(storage.entries(KEY)).isEmpty();
    }

    /** Changes a byte of chunk 0, keeping its length and its stored checksum: what a damaged disk does. */
    private static void damageFirstChunk(DataSource dataSource, UUID id, String database) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(database.equals("postgresql")
                     ? "UPDATE hishel_streams SET chunk_data = set_byte(chunk_data, 7, 255 - get_byte(chunk_data, 7))"
                     + " WHERE entry_id = ? AND chunk_number = 0"
                     : "UPDATE hishel_streams SET chunk_data = zeroblob(length(chunk_data))"
                     + " WHERE entry_id = ? AND chunk_number = 0")) {
            if (database.equals("postgresql")) {
                update.setObject(1, id);
            } else {
                update.setString(1, id.toString());
            }
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
