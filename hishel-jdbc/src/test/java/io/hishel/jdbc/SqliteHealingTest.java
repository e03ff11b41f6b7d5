package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StorageException;
import io.hishel.storage.StoredBody;
import io.hishel.storage.StoredRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * What the SQLite storage does when its file fails under it — deleted, overwritten, corrupt from
 * the start — when it owns the file, and that it does none of it on a DataSource it was given.
 */
class SqliteHealingTest {

    /** Long enough for the file check (once a second) and one retry; a heal takes well under it. */
    private static final long DEADLINE_NANOS = 15_000_000_000L;
    /** More than the page cache of a connection (2 MB), so reading it goes to the file. */
    private static final int BODY_SIZE = 4 * 1024 * 1024;

    @TempDir
    Path folder;

    private Path file;
    private JdbcStorage storage;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureTheLog() {
        file = folder.resolve("cache.db");
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() {
        System.setErr(originalErr);
        originalErr.print(log.toString(StandardCharsets.UTF_8));
        if (storage != null) {
            storage.close();
        }
    }

    @Test
    void aDeletedFileIsCreatedAgainWithItsSchemaAndTheCacheGoesOn() throws Exception {
        storage = JdbcStorage.sqlite(file).scheduleMaintenance(false).build();
        Entry before = put("https://example.com/before", body(1000, 1));

        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        Entry after = awaitStoredAndRead("https://example.com/after", body(1000, 2));

        assertThat(file).exists();
        assertThat(SqliteDurabilityTest.countRows(file, "SELECT COUNT(*) FROM hishel_schema_history WHERE success = 1"))
                .as("migrated again").isPositive();
        assertThat(SqliteDurabilityTest.countRows(file, "SELECT COUNT(*) FROM hishel_entries")).isEqualTo(1);
        assertThat(storage.entries(before.key())).as("the deleted file took it along").isEmpty();
        assertThat(storage.entries(after.key())).containsExactly(after);
        assertThat(warnings()).filteredOn(line -> line.contains(file.toString()) && line.contains("deleted or replaced"))
                .hasSize(1);
    }

    @Test
    void aDeletedFolderIsCreatedAgainWithItsFile() throws Exception {
        file = folder.resolve("cache/hishel/cache.db");
        storage = JdbcStorage.sqlite(file).scheduleMaintenance(false).build();
        put("https://example.com/before", body(1000, 13));

        deleteRecursively(folder.resolve("cache"));
        awaitStoredAndRead("https://example.com/after", body(1000, 14));

        assertThat(file).exists();
    }

    @Test
    void callsAtWorkWhileTheFileIsCreatedAgainMayFailAndTheCallsAfterItSucceed() throws Exception {
        storage = JdbcStorage.sqlite(file).scheduleMaintenance(false).build();
        int workers = 4;
        List<Call> calls = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long healed;
        try {
            long started = System.nanoTime();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                pool.submit(() -> work(worker, calls, stop));
            }
            awaitCallsStartedAfter(started, calls, workers);

            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            awaitStoredAndRead("https://example.com/main", body(1000, 15));
            healed = System.nanoTime();
            awaitCallsStartedAfter(healed, calls, workers);
        } finally {
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(calls).extracting(Call::failure).filteredOn(failure -> failure != null)
                .allMatch(failure -> failure instanceof StorageException || failure instanceof IOException);
        assertThat(calls).filteredOn(call -> call.started() - healed > 0).as("the calls once the file was back")
                .extracting(Call::failure).containsOnlyNulls();
        assertThat(warnings()).filteredOn(line -> line.contains("deleted or replaced")).hasSize(1);
    }

    /** One put and read of a worker, and how it failed, if it did. */
    private record Call(int worker, long started, Throwable failure) {
    }

    /** Puts and reads entries of its own until told to stop, or until a failure other than the storage's. */
    private void work(int worker, List<Call> calls, AtomicBoolean stop) {
        for (int n = 0; !stop.get(); n++) {
            long started = System.nanoTime();
            byte[] body = body(2000, worker * 1_000_000L + n);
            try {
                Entry entry = put("https://example.com/" + worker + "/" + n, body);
                assertThat(read(entry)).isEqualTo(body);
                calls.add(new Call(worker, started, null));
            } catch (StorageException | IOException e) {
                calls.add(new Call(worker, started, e));
            } catch (Throwable e) {
                calls.add(new Call(worker, started, e));
                return;
            }
        }
    }

    /** Waits until every worker made three calls that started after a time. */
    private static void awaitCallsStartedAfter(long time, List<Call> calls, int workers) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (true) {
            List<Call> after = calls.stream().filter(call -> call.started() - time > 0).toList();
            if (after.stream().map(Call::worker).distinct().count() == workers && after.size() >= 3 * workers) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("the workers did not make their calls in time: " + calls);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aFileWhosePagesWereOverwrittenFailsItsReadsThenIsMovedAsideAndReplaced() throws Exception {
        storage = JdbcStorage.sqlite(file).scheduleMaintenance(false).build();
        byte[] original = body(BODY_SIZE, 3);
        Entry before = put("https://example.com/before", original);
        checkpoint(file);
        byte[] corrupted = overwriteTheMiddlePages(file);

        int failedReads = 0;
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (aside().isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("the corrupt file was never moved aside; " + failedReads + " reads failed");
            }
            try {
                assertThat(read(before)).as("a read returns the stored body or fails, never other bytes")
                        .isEqualTo(original);
            } catch (StorageException | IOException e) {
                failedReads++;
            }
        }

        assertThat(failedReads).as("reads of the overwritten pages failed").isPositive();
        Path aside = aside().orElseThrow();
        assertThat(aside.getFileName().toString()).matches("cache\\.db\\.corrupt-\\d{8}T\\d{6}\\.\\d{3}Z");
        assertThat(Files.readAllBytes(aside)).as("moved, not rewritten").isEqualTo(corrupted);
        assertThat(warnings()).filteredOn(line -> line.contains(aside.toString())).hasSize(1);
        Entry after = awaitStoredAndRead("https://example.com/after", body(1000, 4));
        assertThat(storage.entries(before.key())).isEmpty();
        assertThat(storage.entries(after.key())).containsExactly(after);
        assertThat(SqliteDurabilityTest.countRows(file, "SELECT COUNT(*) FROM hishel_entries")).isEqualTo(1);
    }

    @Test
    void startsOnAFileOfRandomBytesByMovingItAside() throws Exception {
        byte[] garbage = body(64 * 1024, 5);
        Files.write(file, garbage);

        storage = JdbcStorage.sqlite(file).scheduleMaintenance(false).build();

        Path aside = aside().orElseThrow(() -> new AssertionError("nothing was moved aside"));
        assertThat(Files.readAllBytes(aside)).isEqualTo(garbage);
        assertThat(warnings()).filteredOn(line -> line.contains(aside.toString())).hasSize(1);
        Entry entry = put("https://example.com/a", body(1000, 6));
        assertThat(storage.entries(entry.key())).containsExactly(entry);
    }

    @Test
    void startsOnADatabaseWhosePagesWereOverwrittenByMovingItAside() throws Exception {
        try (JdbcStorage first = JdbcStorage.sqlite(file).scheduleMaintenance(false).build()) {
            storage = first;
            put("https://example.com/before", body(BODY_SIZE, 7));
        }
        storage = null;
        // The schema and its history sit in the first pages, which stay whole: only a check of every page sees the damage.
        overwriteTheMiddlePages(file);

        storage = JdbcStorage.sqlite(file).scheduleMaintenance(false).build();

        assertThat(aside()).as("moved aside at start-up").isPresent();
        assertThat(storage.statistics().entries()).isZero();
        Entry entry = put("https://example.com/a", body(1000, 8));
        assertThat(read(entry)).isEqualTo(body(1000, 8));
    }

    @Test
    void aStorageOnAGivenDataSourceLeavesACorruptFileWhereItIsAndKeepsFailing() throws Exception {
        storage = JdbcStorage.builder(dataSource(file)).scheduleMaintenance(false).build();
        Entry before = put("https://example.com/before", body(BODY_SIZE, 9));
        checkpoint(file);
        byte[] corrupted = overwriteTheMiddlePages(file);

        long until = System.nanoTime() + 2_500_000_000L;  // past the file check of a storage that owns its file
        int reads = 0;
        while (System.nanoTime() < until) {
            try {
                read(before);
                fail("read an overwritten body");
            } catch (StorageException | IOException expected) {
                reads++;
            }
        }

        assertThat(reads).isPositive();
        assertThat(aside()).isEmpty();
        assertThat(Files.readAllBytes(file)).as("left as it was").isEqualTo(corrupted);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aStorageOnAGivenDataSourceDoesNotCreateADeletedFileAgain() throws Exception {
        storage = JdbcStorage.builder(dataSource(file)).scheduleMaintenance(false).build();
        put("https://example.com/before", body(1000, 10));
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }

        long until = System.nanoTime() + 2_500_000_000L;
        int failures = 0;
        while (System.nanoTime() < until) {
            try {
                put("https://example.com/after", body(1000, 11));
                fail("stored in a file without tables");
            } catch (StorageException expected) {
                failures++;
            }
        }

        assertThat(failures).isPositive();
        assertThat(SqliteDurabilityTest.countRows(file,
                "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'hishel_schema_history'")).as("not migrated").isZero();
        assertThat(warnings()).isEmpty();
    }

    /**
     * Stores and reads an entry, again and again until it works and the entry is in the file at the
     * path — not in a deleted file that open connections still write to; fails past the deadline.
     */
    private Entry awaitStoredAndRead(String url, byte[] body) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        RuntimeException last = null;
        int attempts = 0;
        while (System.nanoTime() < deadline) {
            attempts++;
            try {
                Entry entry = put(url, body);
                assertThat(read(entry)).isEqualTo(body);
                if (isInTheFileAtItsPath(entry)) {
                    return entry;
                }
                last = new StorageException("stored in a file no longer at " + file);
            } catch (StorageException | IOException e) {
                last = e instanceof StorageException s ? s : new StorageException(e.getMessage(), e);
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the storage did not work again within the deadline, after " + attempts
                + " attempts", last);
    }

    private boolean isInTheFileAtItsPath(Entry entry) {
        if (!Files.exists(file)) {
            return false; // a connection of the test's would create it
        }
        try {
            return SqliteDurabilityTest.countRows(file, "SELECT COUNT(*) FROM hishel_entries WHERE id = '" + entry.id()
                    + "'") == 1;
        } catch (SQLException e) {
            return false; // not migrated yet
        }
    }

    private Entry put(String url, byte[] body) {
        Entry entry = new Entry(UUID.randomUUID(), new CacheKey("GET " + url), new StoredRequest("GET", URI.create(url),
                ""), new Response(200, Headers.of("Content-Type", "application/octet-stream")), Instant.now(),
                Instant.now());
        try (EntryWriter writer = storage.create(entry, EntryOptions.defaults())) {
            writer.write(body);
            writer.commit();
        }
        return entry;
    }

    /** The body of an entry found by its key, read to the end. */
    private byte[] read(Entry entry) throws IOException {
        if (storage.entries(entry.key()).isEmpty()) {
            throw new IOException("not found");
        }
        try (StoredBody stored = storage.openBody(entry.id()).orElseThrow(() -> new IOException("no body"))) {
            return stored.stream().readAllBytes();
        }
    }

    /** The file the storage moved aside, if it did. */
    private Optional<Path> aside() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(path -> path.getFileName().toString().matches("cache\\.db\\.corrupt-[^-]+"))
                    .findFirst();
        }
    }

    private List<String> warnings() {
        return log.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("WARN")).toList();
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static byte[] body(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Moves what the write-ahead log holds into the file, so that what is overwritten there is what is read. */
    private static void checkpoint(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            result.next();
            assertThat(result.getInt(1)).as("checkpoint blocked").isZero();
        }
    }

    /** Overwrites the middle half of the file, whole pages, with random bytes, and returns the file's bytes. */
    private static byte[] overwriteTheMiddlePages(Path file) throws IOException {
        long size = Files.size(file);
        int page = 4096;
        long from = size / 4 / page * page;
        byte[] garbage = body((int) (size / 2 / page * page), 12);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(from);
            raf.write(garbage);
        }
        return Files.readAllBytes(file);
    }

    private static SQLiteDataSource dataSource(Path file) {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        dataSource.setEnforceForeignKeys(true);
        dataSource.setJournalMode("WAL");
        return dataSource;
    }
}
