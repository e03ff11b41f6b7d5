package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.MutableClock;
import io.hishel.memory.tier.Tier;
import io.hishel.storage.CleanupResult;
import io.hishel.storage.StorageOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a round of clean-up deletes, at which thresholds, and what eviction chooses. */
class CleanupTest {

    private static final long NOW = 1_000_000;

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(NOW));
    private SqliteTables tables;
    private AccessRecorder accesses;

    @BeforeEach
    void open() {
        tables = new SqliteTables(folder.resolve("cleanup.db"));
        accesses = new AccessRecorder(clock, tables.transactions);
    }

    @AfterEach
    void close() {
        tables.close();
    }

    private Cleanup cleanup(StorageOptions.Builder options) {
        Cleanup cleanup = new Cleanup(options.clock(clock).build(), tables.transactions, accesses, Tier.off());
        cleanup.measure();
        return cleanup;
    }

    /** A committed entry, used last at a time. */
    private UUID entry(long lastAccess) {
        UUID id = UUID.randomUUID();
        tables.insertEntry(id, 0L, null, null, false);
        tables.execute("UPDATE hishel_entries SET last_access = " + lastAccess + " WHERE id = '" + id + "'");
        return id;
    }

    private boolean exists(UUID id) {
        return tables.number("SELECT COUNT(*) FROM hishel_entries WHERE id = '" + id + "'") == 1;
    }

    /** Removed: no longer returned, its row and chunks still there for readers. */
    private boolean removed(UUID id) {
        return tables.number("SELECT COUNT(*) FROM hishel_entries WHERE deleted_at IS NOT NULL AND id = '" + id + "'")
                == 1;
    }

    private long notRemoved() {
        return tables.number("SELECT COUNT(*) FROM hishel_entries WHERE deleted_at IS NULL");
    }

    @Test
    void deletesEachKindAtItsThresholdAndNotBefore() {
        Duration retention = Duration.ofMinutes(10);
        Duration grace = Duration.ofHours(1);
        UUID expired = entry(0);
        UUID expiresLater = entry(0);
        UUID removed = entry(0);
        UUID removedLater = entry(0);
        UUID abandoned = UUID.randomUUID();
        UUID beingWritten = UUID.randomUUID();
        tables.insertEntry(abandoned, null, null, null, false);
        tables.insertEntry(beingWritten, null, null, null, false);
        tables.execute("UPDATE hishel_entries SET expires_at = " + NOW + " WHERE id = '" + expired + "'");
        tables.execute("UPDATE hishel_entries SET expires_at = " + (NOW + 1) + " WHERE id = '" + expiresLater + "'");
        long removedAt = NOW - retention.toMillis();
        tables.execute("UPDATE hishel_entries SET deleted_at = " + removedAt + " WHERE id = '" + removed + "'");
        tables.execute("UPDATE hishel_entries SET deleted_at = " + (removedAt + 1) + " WHERE id = '" + removedLater + "'");
        long createdAt = NOW - grace.toMillis();
        tables.execute("UPDATE hishel_entries SET created_at = " + createdAt + " WHERE id = '" + abandoned + "'");
        tables.execute("UPDATE hishel_entries SET created_at = " + (createdAt + 1) + " WHERE id = '" + beingWritten + "'");

        CleanupResult result = cleanup(StorageOptions.builder().deletedRetention(retention).incompleteGrace(grace)
                .readGrace(Duration.ZERO)).run();

        assertThat(result).isEqualTo(new CleanupResult(1, 1, 1, 0, 0));
        assertThat(exists(expired)).isFalse();
        assertThat(exists(removed)).isFalse();
        assertThat(exists(abandoned)).isFalse();
        assertThat(exists(expiresLater)).isTrue();
        assertThat(exists(removedLater)).isTrue();
        assertThat(exists(beingWritten)).isTrue();
    }

    @Test
    void aCommitThatTakesTheStorageOverItsBoundEvictsAtOnce() {
        UUID oldest = entry(1);
        UUID newer = entry(2);
        Cleanup cleanup = cleanup(StorageOptions.builder().maxEntries(2));
        UUID committed = entry(3);

        cleanup.committed(0);

        assertThat(removed(oldest)).isTrue();
        assertThat(removed(newer)).isFalse();
        assertThat(removed(committed)).isFalse();
    }

    @Test
    void aCommitWithinTheBoundsDeletesNothing() {
        entry(1);
        Cleanup cleanup = cleanup(StorageOptions.builder().maxEntries(2));
        entry(2);

        cleanup.committed(0);

        assertThat(tables.number("SELECT COUNT(*) FROM hishel_entries")).isEqualTo(2);
    }

    @Test
    void evictsAtMostABatchPerRound() {
        for (int i = 0; i < 5; i++) {
            entry(i);
        }

        CleanupResult result = cleanup(StorageOptions.builder().maxEntries(1).cleanupBatchSize(2)).run();

        assertThat(result.evicted()).isEqualTo(2);
        assertThat(notRemoved()).isEqualTo(3);
    }

    @Test
    void writesTheHitsNotYetWrittenBeforeChoosingWhatToEvict() {
        UUID usedJustNow = entry(1);
        UUID unused = entry(2);
        entry(3);
        accesses.record(usedJustNow);

        cleanup(StorageOptions.builder().maxEntries(2)).run();

        assertThat(removed(usedJustNow)).isFalse();
        assertThat(removed(unused)).isTrue();
    }

    @Test
    void theBoundsCountTheEntriesNotRemovedAndAnEntryBeingWrittenIsNeverEvicted() {
        UUID live = entry(1);
        UUID removed = entry(2);
        tables.execute("UPDATE hishel_entries SET deleted_at = " + NOW + " WHERE id = '" + removed + "'");
        UUID beingWritten = UUID.randomUUID();
        tables.insertEntry(beingWritten, null, null, null, false);
        tables.execute("UPDATE hishel_entries SET created_at = " + NOW + ", last_access = 0 WHERE id = '"
                + beingWritten + "'");

        CleanupResult result = cleanup(StorageOptions.builder().maxEntries(1)).run();

        assertThat(result.evicted()).isEqualTo(1);
        assertThat(removed(live)).isTrue();
        assertThat(removed(beingWritten)).isFalse();
        assertThat(exists(removed)).as("removed within the read grace").isTrue();
    }

    @Test
    void keepsTheRowsOfRemovedAndExpiredEntriesForTheReadGraceThenDeletesThem() {
        Duration readGrace = Duration.ofMinutes(10);
        UUID leastUsed = entry(0);
        UUID lessUsed = entry(1);
        UUID expired = entry(2);
        tables.execute("UPDATE hishel_entries SET expires_at = " + NOW + " WHERE id = '" + expired + "'");
        Cleanup cleanup = cleanup(StorageOptions.builder().maxEntries(1).readGrace(readGrace)
                .deletedRetention(Duration.ofDays(7)));

        CleanupResult first = cleanup.run();
        clock.advance(readGrace.minusMillis(1));
        cleanup.run();

        assertThat(first.expired()).isZero();
        assertThat(first.evicted()).isEqualTo(2);
        assertThat(exists(expired)).isTrue();
        assertThat(removed(leastUsed)).isTrue();
        assertThat(removed(lessUsed)).isTrue();

        clock.advance(Duration.ofMillis(1));
        CleanupResult afterGrace = cleanup.run();

        assertThat(afterGrace.expired()).isEqualTo(1);
        assertThat(exists(expired)).isFalse();
        assertThat(exists(leastUsed)).as("deleted to make room, before its retention").isFalse();
        assertThat(exists(lessUsed)).isFalse();
    }
}
