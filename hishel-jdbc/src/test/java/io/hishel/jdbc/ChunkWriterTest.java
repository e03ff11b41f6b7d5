package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.hishel.MutableClock;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.memory.tier.Tier;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One entry written: its row first, full chunks as they fill, then the last chunk with the completion. */
class ChunkWriterTest {

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock();
    private final Set<ChunkWriter> open = ConcurrentHashMap.newKeySet();
    private final Entry entry = new Entry(UUID.randomUUID(), new CacheKey("GET https://example.com/a"),
            new StoredRequest("GET", URI.create("https://example.com/a"), ""), new Response(200, Headers.EMPTY),
            clock.instant(), clock.instant());
    private SqliteTables tables;
    private StorageOptions options;

    @BeforeEach
    void open() {
        tables = new SqliteTables(folder.resolve("writer.db"));
        options = StorageOptions.builder().chunkSize(1024).maxBytes(4096).defaultTtl(Duration.ofMinutes(1))
                .clock(clock).build();
    }

    @AfterEach
    void close() {
        tables.close();
    }

    private ChunkWriter start() {
        Cleanup cleanup = new Cleanup(options, tables.transactions, new AccessRecorder(clock, tables.transactions), Tier.off());
        return ChunkWriter.start(entry, EntryOptions.defaults(), options, 0, tables.transactions, cleanup, Tier.off(), open);
    }

    private long count(String sql) {
        return tables.number(sql);
    }

    @Test
    void writesEachFullChunkAsItFillsAndTheLastWithTheCompletion() {
        ChunkWriter writer = start();
        assertThat(count("SELECT COUNT(*) FROM hishel_entries WHERE completed_at IS NULL")).isEqualTo(1);

        writer.write(new byte[2500]);
        assertThat(count("SELECT COUNT(*) FROM hishel_streams WHERE chunk_number >= 0")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM hishel_entries WHERE completed_at IS NULL")).isEqualTo(1);

        clock.advanceSeconds(5);
        writer.commit();

        assertThat(count("SELECT COUNT(*) FROM hishel_streams WHERE chunk_number >= 0")).isEqualTo(3);
        assertThat(count("SELECT length(chunk_data) FROM hishel_streams WHERE chunk_number = 2")).isEqualTo(452);
        long committedAt = clock.millis();
        assertThat(count("SELECT completed_at FROM hishel_entries")).isEqualTo(committedAt);
        assertThat(count("SELECT size FROM hishel_entries")).isEqualTo(2500);
        assertThat(count("SELECT expires_at FROM hishel_entries")).isEqualTo(committedAt + 60_000);
        assertThat(count("SELECT COUNT(*) FROM hishel_streams WHERE chunk_number < 0")).as("no end marker").isZero();
    }

    @Test
    void anEmptyBodyIsCommittedWithoutAnyChunk() {
        ChunkWriter writer = start();

        writer.commit();

        assertThat(count("SELECT COUNT(*) FROM hishel_streams")).isZero();
        assertThat(count("SELECT size FROM hishel_entries WHERE completed_at IS NOT NULL")).isZero();
    }

    @Test
    void aBodyEndingOnAChunkBoundaryIsNotCommittedIfItsRowWasDeletedMeanwhile() {
        ChunkWriter writer = start();
        writer.write(new byte[1024]);
        tables.transactions.write("purge", connection -> {
            try (var delete = connection.createStatement()) {
                return delete.executeUpdate("DELETE FROM hishel_entries");
            }
        });

        assertThatThrownBy(writer::commit).isInstanceOf(StorageException.class)
                .hasMessage(SqliteTables.DESCRIPTION + ": could not commit entry " + entry.id()
                        + ": the entry row is gone (deleted by clean-up or purge while written)");
        assertThat(count("SELECT COUNT(*) FROM hishel_entries")).isZero();
    }

    @Test
    void staysAmongTheOpenWritersUntilItCommits() {
        ChunkWriter writer = start();
        assertThat(open).containsExactly(writer);

        writer.commit();

        assertThat(open).isEmpty();
    }

    @Test
    void anAbortDeletesTheRowAndItsChunks() {
        ChunkWriter writer = start();
        writer.write(new byte[2048]);

        writer.abort();

        assertThat(open).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM hishel_entries")).isZero();
        assertThat(count("SELECT COUNT(*) FROM hishel_streams")).isZero();
    }

    /**
     * Issue 13: a write that met a stalled database at its deadline was followed by an abort that
     * waited for the same database again, doubling the request's wait. The rows are clean-up's.
     */
    @Test
    void aWriterWhoseWriteTheDatabaseFailedAbortsWithoutAskingItAgain() {
        ChunkWriter writer = start();
        tables.execute("CREATE TRIGGER full_disk BEFORE INSERT ON hishel_streams"
                + " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");

        assertThatThrownBy(() -> writer.write(new byte[1500])).isInstanceOf(StorageException.class)
                .hasMessageContaining("database or disk is full");

        assertThat(open).doesNotContain(writer);
        assertThat(count("SELECT COUNT(*) FROM hishel_entries WHERE completed_at IS NULL"))
                .as("left for clean-up").isEqualTo(1);
        tables.execute("DROP TRIGGER full_disk");
        clock.advance(options.incompleteGrace().plusSeconds(1));
        new Cleanup(options, tables.transactions, new AccessRecorder(clock, tables.transactions), Tier.off()).run();
        assertThat(count("SELECT COUNT(*) FROM hishel_entries")).isZero();
    }

    @Test
    void anEntryLargerThanTheWholeStorageIsRefusedAndNothingOfItStays() {
        ChunkWriter writer = start();
        writer.write(new byte[4097]);

        assertThatThrownBy(writer::commit).isInstanceOf(StorageException.class)
                .hasMessage(SqliteTables.DESCRIPTION + ": an entry of 4097 bytes does not fit in a storage of 4096 bytes");

        assertThat(open).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM hishel_entries")).isZero();
    }

    @Test
    void aCommitFailsIfTheRowWasDeletedWhileTheBodyWasWritten() {
        ChunkWriter writer = start();
        writer.write(new byte[10]);
        tables.transactions.write("purge", connection -> {
            try (var delete = connection.createStatement()) {
                return delete.executeUpdate("DELETE FROM hishel_entries");
            }
        });

        assertThatThrownBy(writer::commit).isInstanceOf(StorageException.class)
                .hasMessageStartingWith(SqliteTables.DESCRIPTION + ": could not commit entry " + entry.id() + ": ");
        assertThat(count("SELECT COUNT(*) FROM hishel_streams")).isZero();
    }
}
