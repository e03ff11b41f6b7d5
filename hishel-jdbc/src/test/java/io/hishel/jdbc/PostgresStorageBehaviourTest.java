package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.ChildJvm;
import io.hishel.PostgresServer;
import io.hishel.TcpProxy;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PostgreSQL as the cache of a fleet: shared by instances, beside the application's own tables. */
class PostgresStorageBehaviourTest {

    private final PostgresDatabase database = new PostgresDatabase();
    private final List<JdbcStorage> storages = new ArrayList<>();

    @BeforeAll
    static void requirePostgres() {
        PostgresServer.assumeReachable();
    }

    @AfterEach
    void close() {
        storages.forEach(JdbcStorage::close);
        database.close();
    }

    private JdbcStorage storage(DataSource dataSource) {
        JdbcStorage storage = JdbcStorage.builder(dataSource).scheduleMaintenance(false).build();
        storages.add(storage);
        return storage;
    }

    private static Entry entry(String url, String sha) {
        return new Entry(UUID.randomUUID(), new CacheKey("GET " + url), new StoredRequest("GET", URI.create(url), ""),
                new Response(200, Headers.of("X-Sha256", sha)), Instant.now(), Instant.now());
    }

    private static Entry put(JdbcStorage storage, String url, byte[] body) throws Exception {
        Entry entry = entry(url, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        try (EntryWriter writer = storage.create(entry, EntryOptions.defaults())) {
            writer.write(body);
            writer.commit();
        }
        return entry;
    }

    @Test
    void instancesSharingTheTablesSeeEachOthersEntriesAndInvalidations() throws Exception {
        String schema = database.newSchema();
        JdbcStorage first = storage(database.pool(schema, 4));
        JdbcStorage second = storage(database.pool(schema, 4));

        Entry written = put(first, "https://example.com/shared", new byte[1000]);

        assertThat(second.entries(written.key())).containsExactly(written);
        assertThat(second.openBody(written.id()).orElseThrow().stream().readAllBytes()).hasSize(1000);
        assertThat(second.invalidate(URI.create("https://example.com/shared"))).isEqualTo(1);
        assertThat(first.entries(written.key())).isEmpty();
    }

    @Test
    void instancesWritingAndReadingAtOnceNeverMixUpBodies() throws Exception {
        String schema = database.newSchema();
        List<JdbcStorage> instances = List.of(storage(database.pool(schema, 4)), storage(database.pool(schema, 4)),
                storage(database.pool(schema, 4)));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(thread);
                JdbcStorage storage = instances.get(thread % instances.size());
                try {
                    for (int i = 0; i < 60; i++) {
                        String url = "https://example.com/" + random.nextInt(5);
                        if (random.nextBoolean()) {
                            byte[] body = new byte[random.nextInt(200_000)];
                            random.nextBytes(body);
                            put(storage, url, body);
                        } else {
                            for (Entry entry : storage.entries(new CacheKey("GET " + url))) {
                                byte[] body;
                                try {
                                    body = storage.openBody(entry.id()).orElseThrow().stream().readAllBytes();
                                } catch (IOException | java.util.NoSuchElementException gone) {
                                    continue;
                                }
                                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
                                        .isEqualTo(entry.response().headers().firstValue("X-Sha256").orElseThrow());
                                if (random.nextInt(4) == 0) {
                                    storage.remove(entry.id());
                                }
                            }
                        }
                    }
                } catch (Throwable failure) {
                    failures.add(failure);
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(failures).isEmpty();
    }

    @Test
    void migratesBesideTheApplicationsOwnTablesAndHistoryWithoutTouchingThem() throws Exception {
        String schema = database.newSchema();
        DataSource dataSource = database.pool(schema, 2);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id INT PRIMARY KEY, item TEXT)");
            statement.execute("INSERT INTO orders VALUES (1, 'book')");
            statement.execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version TEXT)");
            statement.execute("INSERT INTO flyway_schema_history VALUES (1, '42')");
        }

        storage(dataSource).close();
        storage(dataSource);

        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT item FROM orders WHERE id = 1")).isEqualTo("book");
            assertThat(single(statement, "SELECT COUNT(*) FROM flyway_schema_history")).isEqualTo("1");
            assertThat(single(statement, "SELECT version FROM flyway_schema_history")).isEqualTo("42");
            assertThat(single(statement, "SELECT COUNT(*) FROM hishel_schema_history WHERE success AND version = '1'"))
                    .isEqualTo("1");
        }
    }

    @Test
    void aDatabaseThatGoesAwayGivesErrorsWithinABoundedTime() throws Exception {
        String schema = database.newSchema();
        URI server = URI.create(PostgresServer.URL.substring("jdbc:".length()));
        TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort());
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getPath();
        JdbcStorage storage = storage(database.pool(url, schema, 2));
        Entry entry = put(storage, "https://example.com/a", new byte[100]);

        proxy.close();
        long started = System.nanoTime();

        assertThatThrownBy(() -> storage.entries(entry.key())).isInstanceOf(StorageException.class)
                .hasMessageContaining("PostgreSQL");
        assertThatThrownBy(() -> storage.create(entry("https://example.com/b", ""), EntryOptions.defaults()))
                .isInstanceOf(StorageException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    /**
     * Issue 13: a PostgreSQL behind a network that stops answering held requests for up to a
     * minute. Every operation a request makes now fails within the storage's timeout, whether it
     * stalls on a connection already open (the socket waits) or on a new one (the pool waits), and
     * the storage answers again once the network does.
     */
    @Test
    void aStalledDatabaseFailsEveryOperationOfARequestWithinTheTimeout() throws Exception {
        String schema = database.newSchema();
        URI server = URI.create(PostgresServer.URL.substring("jdbc:".length()));
        TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort());
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getPath();
        HikariDataSource pool = database.pool(url, schema, 4);
        // The pool's own waits, which the storage cannot interrupt: a DataSource's owner sets them.
        pool.setConnectionTimeout(250);
        pool.setValidationTimeout(250);
        Duration timeout = Duration.ofMillis(600);
        JdbcStorage storage = JdbcStorage.builder(pool).timeout(timeout).scheduleMaintenance(false).build();
        storages.add(storage);
        byte[] body = new byte[200_000];
        new Random(13).nextBytes(body);
        // Written through a patient storage on the same tables: on a busy CI machine, committing
        // 200 KB through the proxy took longer than the timeout under test before anything stalled.
        JdbcStorage patient = JdbcStorage.builder(pool).timeout(Duration.ofSeconds(30)).scheduleMaintenance(false).build();
        storages.add(patient);
        Entry stored = put(patient, "https://example.com/stored", body);
        InputStream reading = storage.openBody(stored.id()).orElseThrow().stream();
        reading.readNBytes(70_000); // into the second chunk, so the next read asks the database
        Entry fresh = entry("https://example.com/fresh", "");
        EntryWriter writing = storage.create(fresh, EntryOptions.defaults());

        proxy.stall();
        // The bound: the timeout, one sweep of the deadlines, and room for a busy machine.
        Duration bound = timeout.plusMillis(900);
        List<ThrowingCallable> operations = List.of(
                () -> storage.entries(stored.key()),
                () -> storage.openBody(stored.id()),
                () -> reading.readNBytes(200_000),
                () -> {
                    // A writer whose write failed aborts without asking the database again.
                    writing.write(body);
                    writing.commit();
                },
                () -> storage.create(entry("https://example.com/new", ""), EntryOptions.defaults()),
                () -> storage.update(stored),
                () -> storage.invalidate(URI.create("https://example.com/stored")),
                () -> storage.remove(stored.id()));
        for (ThrowingCallable operation : operations) {
            long started = System.nanoTime();
            assertThatThrownBy(operation).isInstanceOfAny(StorageException.class, IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound);
        }

        proxy.resume();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(storage.entries(stored.key())).extracting(Entry::id).containsExactly(stored.id()));
        proxy.close();
    }

    /**
     * Issue 16's load benchmark: on tables filled faster than autovacuum analyzes them, the planner
     * combined the key's index with the partial listing index and read all of the latter, 97 ms a
     * look-up at 10^5 entries. The storage analyzes its tables itself each time they double.
     */
    @Test
    void aStorageThatGrowsAnalyzesItsTablesSoLookUpsKeepTheKeysIndex() throws Exception {
        String schema = database.newSchema();
        JdbcStorage storage = storage(database.pool(schema, 4));
        try (HikariDataSource reader = database.pool(schema, 1); Connection connection = reader.getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + schema + ".hishel_entries SET (autovacuum_enabled = false)");
            for (int i = 0; i < 2_100; i++) {
                put(storage, "https://example.com/grown/" + i, new byte[10]);
            }
            assertThat(Long.parseLong(single(statement, "SELECT reltuples::bigint FROM pg_class WHERE oid = '"
                    + schema + ".hishel_entries'::regclass"))).isGreaterThanOrEqualTo(1_000);
        }
    }

    @Test
    void streamsA100MiBBodyThroughAHeapOf32MiB() throws Exception {
        String schema = database.newSchema();
        storage(database.pool(schema, 2)).close(); // migrate once here, so the child measures only the body

        ChildJvm child = ChildJvm.start("32m", LargeBodyRoundTrip.class, "postgresql", PostgresServer.URL,
                PostgresServer.USER, schema, Long.toString(100L * 1024 * 1024));

        String written = child.awaitLine("WRITTEN ").substring("WRITTEN ".length());
        assertThat(child.awaitLine("READ ")).startsWith("READ " + written + " " + 100L * 1024 * 1024);
        assertThat(child.awaitExit()).isZero();
    }

    private static String single(Statement statement, String sql) throws Exception {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
