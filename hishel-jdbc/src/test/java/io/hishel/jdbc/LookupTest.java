package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.MutableClock;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryCodec;
import io.hishel.storage.StoredRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hit path's reads: only committed entries not removed, alive counting the hits not yet written. */
class LookupTest {

    private static final long NOW = 1_000_000;
    private static final CacheKey KEY = new CacheKey("GET https://example.com/");

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(NOW));
    private final List<UUID> reported = new CopyOnWriteArrayList<>();
    private SqliteTables tables;
    private AccessRecorder accesses;
    private Lookup lookup;

    @BeforeEach
    void open() {
        tables = new SqliteTables(folder.resolve("lookup.db"));
        accesses = new AccessRecorder(clock, tables.transactions);
        CorruptEntries corrupt = new CorruptEntries(SqliteTables.DESCRIPTION, tables.transactions, reported::add);
        lookup = new Lookup(clock, tables.transactions, accesses, corrupt);
    }

    @AfterEach
    void close() {
        tables.close();
    }

    /** An entry under {@link #KEY} whose row holds its encoded metadata and a body of 42 bytes. */
    private Entry stored(Long completedAt, Long expiresAt, Long ttlMillis, boolean refreshTtl) {
        UUID id = UUID.randomUUID();
        Entry entry = new Entry(id, KEY, new StoredRequest("GET", URI.create("https://example.com/"), ""),
                new Response(200, Headers.EMPTY), clock.instant(), clock.instant());
        tables.insertEntry(id, completedAt, expiresAt, ttlMillis, refreshTtl);
        tables.execute("UPDATE hishel_entries SET size = 42, data = x'" + hex(EntryCodec.encode(entry))
                + "' WHERE id = '" + id + "'");
        return entry;
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    @Test
    void aKeyIsAnsweredByItsCommittedEntriesNotRemovedNotExpired() {
        Entry visible = stored(0L, NOW + 1, null, false);
        stored(null, null, null, false);
        stored(0L, NOW, null, false);
        Entry removed = stored(0L, null, null, false);
        tables.execute("UPDATE hishel_entries SET deleted_at = 1 WHERE id = '" + removed.id() + "'");

        assertThat(lookup.entries(KEY)).containsExactly(visible);
    }

    @Test
    void anExpiredEntryThatAHitNotYetWrittenKeptAliveIsStillFound() {
        Entry entry = stored(0L, NOW - 500, 1_000L, true);
        clock.set(Instant.ofEpochMilli(NOW - 600));
        accesses.record(entry.id());
        clock.set(Instant.ofEpochMilli(NOW));

        assertThat(lookup.entries(KEY)).containsExactly(entry);
        assertThat(lookup.body(entry.id()).map(Lookup.Body::size)).contains(42L);
        assertThat(lookup.isAlive(entry.id())).isTrue();
    }

    @Test
    void theBodyOfAnEntryStillBeingWrittenCannotBeOpened() {
        Entry beingWritten = stored(null, null, null, false);

        assertThat(lookup.body(beingWritten.id())).isEmpty();
        assertThat(lookup.isAlive(beingWritten.id())).isFalse();
    }

    @Test
    void theBodyOfAnExpiredEntryCannotBeOpened() {
        Entry expired = stored(0L, NOW, 1_000L, true);

        assertThat(lookup.body(expired.id())).isEmpty();
        assertThat(lookup.isAlive(expired.id())).isFalse();
    }

    @Test
    void anUnreadableRowIsLeftOutAndReported() {
        Entry good = stored(0L, null, null, false);
        UUID bad = UUID.randomUUID();
        tables.insertEntry(bad, 0L, null, null, false);

        List<Entry> found = lookup.entries(KEY);

        assertThat(found).containsExactly(good);
        assertThat(reported).containsExactly(bad);
    }
}
