package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.hishel.MutableClock;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.memory.MemoryTier;
import io.hishel.storage.CacheKey;
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
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The memory tier in front of a SQLite storage: what it serves without the database, and when it stops. */
class MemoryTierTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(5);

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock();
    private Path file;
    private JdbcStorage storage;

    private JdbcStorage open(StorageOptions.Builder options, MemoryTier tier) {
        file = folder.resolve("cache.db");
        storage = JdbcStorage.sqlite(file).options(options.clock(clock).build()).memoryTier(tier)
                .scheduleMaintenance(false).build();
        return storage;
    }

    private JdbcStorage open() {
        return open(StorageOptions.builder(), MemoryTier.builder().maxAge(MAX_AGE).build());
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private Entry entry(String url) {
        return new Entry(UUID.randomUUID(), new CacheKey("GET " + url), new StoredRequest("GET", URI.create(url), ""),
                new Response(200, Headers.of("ETag", "\"1\"")), clock.instant(), clock.instant());
    }

    private Entry put(Entry entry, byte[] body, EntryOptions options) {
        try (EntryWriter writer = storage.create(entry, options.withTags(List.of(TierWrite.TAG)))) {
            writer.write(body);
            writer.commit();
        }
        return entry;
    }

    private Entry put(byte[] body) {
        return put(entry(TierWrite.URL), body, EntryOptions.defaults());
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }

    private byte[] read(UUID id) throws IOException {
        try (StoredBody body = storage.openBody(id).orElseThrow(); InputStream in = body.stream()) {
            return in.readAllBytes();
        }
    }

    private List<UUID> idsUnder(CacheKey key) {
        return storage.entries(key).stream().map(Entry::id).toList();
    }

    /** Changes the file as another process would: no storage of this process hears of it. */
    private void behindTheStoragesBack(String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Test
    void aLookedUpEntryAndItsSmallBodyAreServedWithoutTheDatabase() throws IOException {
        open();
        Entry entry = put(bytes(1000));
        assertThat(idsUnder(entry.key())).containsExactly(entry.id());

        behindTheStoragesBack("UPDATE hishel_entries SET deleted_at = 1");
        behindTheStoragesBack("DELETE FROM hishel_streams");

        assertThat(idsUnder(entry.key())).containsExactly(entry.id());
        assertThat(read(entry.id())).isEqualTo(bytes(1000));
    }

    @Test
    void aBodyLargerThanTheTierKeepsIsReadFromTheDatabase() {
        open(StorageOptions.builder(), MemoryTier.builder().maxBodyBytes(1024).build());
        Entry small = put(entry(TierWrite.URL), bytes(1024), EntryOptions.defaults());
        Entry large = put(entry("https://example.com/large"), bytes(1025), EntryOptions.defaults());
        storage.entries(small.key());
        storage.entries(large.key());

        behindTheStoragesBack("DELETE FROM hishel_streams");

        assertThat(storage.openBody(small.id())).isPresent();
        assertThatThrownBy(() -> read(large.id())).isInstanceOf(IOException.class);
    }

    @Test
    void withTheTierOffEveryLookupAsksTheDatabase() {
        open(StorageOptions.builder(), MemoryTier.off());
        Entry entry = put(bytes(10));
        storage.entries(entry.key());

        behindTheStoragesBack("UPDATE hishel_entries SET deleted_at = 1");

        assertThat(storage.entries(entry.key())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TierWrite.class)
    void aRemovalIsSeenAtOnce(TierWrite write) {
        open();
        Entry entry = put(bytes(10));
        Entry other = put(entry("https://example.org/other"), bytes(10), EntryOptions.defaults());
        assertThat(idsUnder(entry.key())).containsExactly(entry.id());
        assertThat(storage.openBody(entry.id())).isPresent();

        write.apply(storage, entry);

        assertThat(storage.entries(entry.key())).isEmpty();
        assertThat(storage.openBody(entry.id())).isEmpty();
        if (write != TierWrite.PURGE_ALL && write != TierWrite.PURGE_BY_TAG) {
            assertThat(idsUnder(other.key())).containsExactly(other.id());
        }
    }

    @Test
    void aFresheningIsSeenAtOnce() {
        open();
        Entry entry = put(bytes(10));
        storage.entries(entry.key());

        storage.update(entry.freshened(entry.request(), new Response(200, Headers.of("ETag", "\"2\"")),
                clock.instant(), clock.instant()));

        assertThat(storage.entries(entry.key())).singleElement()
                .satisfies(found -> assertThat(found.response().headers().firstValue("ETag")).contains("\"2\""));
    }

    @Test
    void aNewEntryUnderALookedUpKeyIsSeenAtOnce() {
        open();
        Entry first = put(bytes(10));
        storage.entries(first.key());
        Entry missing = entry("https://example.com/missing");
        assertThat(storage.entries(missing.key())).isEmpty();

        Entry second = put(bytes(20));
        put(missing, bytes(30), EntryOptions.defaults());

        assertThat(idsUnder(first.key())).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(idsUnder(missing.key())).containsExactly(missing.id());
    }

    @Test
    void anEvictedEntryIsSeenGoneAtOnce() {
        open(StorageOptions.builder().maxEntries(1), MemoryTier.defaults());
        Entry evicted = put(bytes(10));
        storage.entries(evicted.key());
        clock.advanceSeconds(1);

        Entry kept = put(entry("https://example.com/kept"), bytes(10), EntryOptions.defaults());

        assertThat(storage.entries(evicted.key())).isEmpty();
        assertThat(idsUnder(kept.key())).containsExactly(kept.id());
    }

    @Test
    void anEntryInTheTierIsNotServedOnceItHasExpired() {
        open();
        Entry entry = put(entry(TierWrite.URL), bytes(10), EntryOptions.defaults().withTtl(Duration.ofSeconds(3)));
        assertThat(idsUnder(entry.key())).containsExactly(entry.id());

        clock.advanceSeconds(3);

        assertThat(storage.entries(entry.key())).isEmpty();
        assertThat(storage.openBody(entry.id())).isEmpty();
    }

    @Test
    void aHitKeepsAnEntryInTheTierAliveAsInTheDatabase() {
        open();
        Entry entry = put(entry(TierWrite.URL), bytes(10), EntryOptions.defaults().withTtl(Duration.ofSeconds(3)));
        storage.entries(entry.key());

        clock.advanceSeconds(2);
        storage.recordAccess(entry.id());
        clock.advanceSeconds(2);
        assertThat(idsUnder(entry.key())).containsExactly(entry.id());
        storage.flushAccesses();
        assertThat(idsUnder(entry.key())).containsExactly(entry.id());

        clock.advanceSeconds(1);
        assertThat(storage.entries(entry.key())).isEmpty();
    }

    @Test
    void aChangeNoStorageOfThisProcessMadeIsSeenOnceTheMaximumAgeHasPassed() {
        open();
        Entry entry = put(bytes(10));
        storage.entries(entry.key());
        behindTheStoragesBack("UPDATE hishel_entries SET deleted_at = 1");

        clock.advance(MAX_AGE.minusMillis(1));
        assertThat(idsUnder(entry.key())).containsExactly(entry.id());
        clock.advance(Duration.ofMillis(1));
        assertThat(storage.entries(entry.key())).isEmpty();
    }

    /**
     * Readers look up while a writer invalidates and stores version after version: once an
     * invalidation has returned, no lookup that starts later may see a version it removed, though
     * lookups that read the database before it may still be finishing.
     */
    @Test
    void aLookupRacingAnInvalidationNeverKeepsWhatTheInvalidationRemoved() throws Exception {
        open();
        CacheKey key = entry(TierWrite.URL).key();
        AtomicInteger removedBelow = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> reads = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                reads.add(readers.submit(() -> {
                    while (writing.get()) {
                        int floor = removedBelow.get();
                        for (Entry found : storage.entries(key)) {
                            int version = Integer.parseInt(found.response().headers().firstValue("X-Version").orElseThrow());
                            if (version < floor) {
                                violations.add("read " + version + " after versions below " + floor + " were removed");
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int version = 1; version <= 300; version++) {
                storage.invalidate(URI.create(TierWrite.URL));
                removedBelow.set(version);
                clock.advance(Duration.ofMillis(1));
                Entry next = new Entry(UUID.randomUUID(), key, new StoredRequest("GET", URI.create(TierWrite.URL), ""),
                        new Response(200, Headers.of("X-Version", Integer.toString(version))), clock.instant(),
                        clock.instant());
                put(next, bytes(10), EntryOptions.defaults());
            }
            writing.set(false);
            for (Future<?> read : reads) {
                read.get(30, TimeUnit.SECONDS);
            }
        } finally {
            readers.shutdownNow();
        }

        assertThat(violations).isEmpty();
        assertThat(idsUnder(key)).hasSize(1);
    }

    @Test
    void rejectsBoundsThatCannotHoldNamingThem() {
        assertThatThrownBy(() -> MemoryTier.builder().maxBytes(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory tier maxBytes");
        assertThatThrownBy(() -> MemoryTier.builder().maxBodyBytes(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory tier maxBodyBytes");
        assertThatThrownBy(() -> MemoryTier.builder().maxAge(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory tier maxAge");
        assertThatThrownBy(() -> MemoryTier.builder().maxBytes(2048).maxBodyBytes(4096).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes (4096)");
    }
}
