package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.MutableClock;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.CleanupResult;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the JDBC storage keeps its tables: chunks, clean-up, eviction order, bad rows. */
class SqliteStorageBehaviourTest {

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock();
    private JdbcStorage storage;
    private Path file;

    private JdbcStorage open(StorageOptions.Builder options) {
        file = folder.resolve("cache.db");
        storage = JdbcStorage.sqlite(file).options(options.clock(clock).build()).scheduleMaintenance(false).build();
        return storage;
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private Entry entry(String url) {
        return new Entry(UUID.randomUUID(), new CacheKey("GET " + url), new StoredRequest("GET", URI.create(url), ""),
                new Response(200, Headers.of("Content-Type", "text/plain")), clock.instant(), clock.instant());
    }

    private Entry put(String url, int size) {
        Entry entry = entry(url);
        try (EntryWriter writer = storage.create(entry, EntryOptions.defaults())) {
            writer.write(new byte[size]);
            writer.commit();
        }
        return entry;
    }

    private long count(String sql) throws SQLException {
        return SqliteDurabilityTest.countRows(file, sql);
    }

    @Test
    void storesABodyInChunksWithoutAnEndMarker() throws SQLException {
        open(StorageOptions.builder().chunkSize(4096));
        Entry entry = put("https://example.com/a", 10_000);

        assertThat(count("SELECT COUNT(*) FROM hishel_streams WHERE chunk_number >= 0")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM hishel_streams WHERE chunk_number = -1")).isZero();
        assertThat(count("SELECT MAX(length(chunk_data)) FROM hishel_streams")).isEqualTo(4096);
        assertThat(count("SELECT size FROM hishel_entries WHERE id = '" + entry.id() + "'")).isEqualTo(10_000);
    }

    @Test
    void removedEntriesStayUntilTheirRetentionEnds() throws SQLException {
        open(StorageOptions.builder().deletedRetention(Duration.ofDays(7)));
        Entry entry = put("https://example.com/a", 100);
        storage.remove(entry.id());

        clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(storage.cleanUp().removed()).isZero();
        assertThat(count("SELECT COUNT(*) FROM hishel_entries")).isEqualTo(1);

        clock.advanceSeconds(1);
        assertThat(storage.cleanUp().removed()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM hishel_entries")).isZero();
        assertThat(count("SELECT COUNT(*) FROM hishel_streams")).isZero();
    }

    @Test
    void eachCleanUpRoundDoesBoundedWork() {
        open(StorageOptions.builder().cleanupBatchSize(3).defaultTtl(Duration.ofSeconds(10)).readGrace(Duration.ZERO));
        for (int i = 0; i < 8; i++) {
            put("https://example.com/" + i, 10);
        }
        clock.advanceSeconds(11);

        assertThat(storage.cleanUp().expired()).isEqualTo(3);
        assertThat(storage.cleanUp().expired()).isEqualTo(3);
        assertThat(storage.cleanUp().expired()).isEqualTo(2);
        assertThat(storage.cleanUp().expired()).isZero();
    }

    @Test
    void deletesOrphanedChunks() throws SQLException {
        open(StorageOptions.builder());
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO hishel_streams (entry_id, kind, chunk_number, chunk_data) VALUES (?, 0, ?, ?)")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA foreign_keys = OFF");
            }
            for (int i = 0; i < 3; i++) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setInt(2, i);
                insert.setBytes(3, new byte[10]);
                insert.executeUpdate();
            }
        }

        assertThat(storage.cleanUp().orphanedChunks()).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM hishel_streams")).isZero();
    }

    @Test
    void evictsTheLeastRecentlyUsedFirst() {
        open(StorageOptions.builder().maxBytes(3_000));
        Entry a = put("https://example.com/a", 1000);
        clock.advanceSeconds(1);
        Entry b = put("https://example.com/b", 1000);
        clock.advanceSeconds(1);
        Entry c = put("https://example.com/c", 1000);
        clock.advanceSeconds(1);
        storage.recordAccess(a.id());
        clock.advanceSeconds(1);

        put("https://example.com/d", 1000);

        assertThat(storage.entries(a.key())).hasSize(1);
        assertThat(storage.entries(b.key())).isEmpty();
        assertThat(storage.entries(c.key())).hasSize(1);
        assertThat(storage.statistics().bytes()).isEqualTo(3000);
    }

    @Test
    void removedEntriesAreEvictedBeforeLiveOnes() {
        open(StorageOptions.builder().maxBytes(3_000));
        Entry old = put("https://example.com/old", 1000);
        clock.advanceSeconds(1);
        Entry removed = put("https://example.com/removed", 1000);
        storage.remove(removed.id());
        clock.advanceSeconds(1);
        put("https://example.com/new", 1000);

        CleanupResult nothing = storage.cleanUp();
        put("https://example.com/newer", 1000);

        assertThat(nothing.evicted()).isZero();
        assertThat(storage.entries(old.key())).hasSize(1);
        assertThat(storage.statistics().entries()).isEqualTo(3);
    }

    @Test
    void skipsARowWhoseDataIsGarbageWithOneWarning() throws SQLException {
        open(StorageOptions.builder());
        Entry good = put("https://example.com/a", 10);
        Entry bad = put("https://example.com/a", 10);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement update = connection.prepareStatement("UPDATE hishel_entries SET data = ? WHERE id = ?")) {
            update.setBytes(1, "not an entry".getBytes(StandardCharsets.UTF_8));
            update.setString(2, bad.id().toString());
            update.executeUpdate();
        }
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(storage.entries(good.key())).containsExactly(good);
            assertThat(storage.entries(good.key())).containsExactly(good);
        } finally {
            System.setErr(originalErr);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("WARN").contains(bad.id().toString());
        assertThat(log.split(bad.id().toString(), -1)).hasSize(2);
        assertThat(count("SELECT COUNT(*) FROM hishel_entries WHERE deleted_at IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void runsCleanUpOnItsOwnSchedule() throws Exception {
        file = folder.resolve("scheduled.db");
        try (JdbcStorage scheduled = JdbcStorage.sqlite(file).options(StorageOptions.builder()
                .defaultTtl(Duration.ofMillis(1)).readGrace(Duration.ZERO).cleanupInterval(Duration.ofMillis(50))
                .build()).build()) {
            Entry entry = entry("https://example.com/a");
            try (EntryWriter writer = scheduled.create(entry, EntryOptions.defaults())) {
                writer.write(new byte[10]);
                writer.commit();
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (count("SELECT COUNT(*) FROM hishel_entries") > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(count("SELECT COUNT(*) FROM hishel_entries")).isZero();
        }
    }

    @Test
    void writesRecordedHitsInBatches() throws SQLException {
        open(StorageOptions.builder());
        Entry entry = put("https://example.com/a", 10);
        long before = count("SELECT last_access FROM hishel_entries");
        clock.advanceSeconds(30);

        storage.recordAccess(entry.id());
        assertThat(count("SELECT last_access FROM hishel_entries")).isEqualTo(before);
        storage.flushAccesses();

        assertThat(count("SELECT last_access FROM hishel_entries")).isEqualTo(before + 30_000);
    }
}
