package io.hishel.jdbc;

import io.hishel.memory.tier.Change;
import io.hishel.memory.tier.Tier;
import io.hishel.storage.BodyChecksum;
import io.hishel.storage.CacheKey;
import io.hishel.storage.ChunkingWriter;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryCodec;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes one entry: {@link #start} inserts its row and tags, then the body goes in chunk by chunk,
 * each full chunk in a short transaction of its own; {@link #commit()} writes the last chunk and
 * the completion time in one transaction — for most bodies the only one — and only then is the
 * entry visible. No row marks the end of the body: {@code completed_at} says the entry is whole,
 * and its {@code size} says where the body ends. Each chunk is stored with its checksum and the
 * entry with its body's ({@link BodyChecksum}). An abort deletes the row, and its chunks and tags
 * with it. While open, the writer is in the storage's set of open writers, so that closing the
 * storage can abort it.
 *
 * <p>A commit does not make visible a response whose request was sent before its URL was last
 * invalidated (RFC 9111 §4.4): the application produced it before the unsafe request that
 * changed the resource completed, and serving it would undo that change for the next client. As
 * instances sharing a database compare their own clocks, a request sent less than the storage's
 * clock tolerance after an invalidation counts as sent before it.
 *
 * <p>Not thread-safe: one request writes one entry.
 */
final class ChunkWriter extends ChunkingWriter {

    private final UUID id;
    private final CacheKey key;
    private final long requestTime;
    private final Long ttlMillis;
    private final long incompleteGraceMillis;
    private final BodyChecksum checksum = new BodyChecksum();
    private final long maxBytes;
    private final Clock clock;
    private final Transactions transactions;
    private final Cleanup cleanup;
    private final Tier<Lookup.Found> tier;
    private final Set<ChunkWriter> open;
    /** Whether the database failed a write of this writer; then an abort leaves the rows to clean-up. */
    private boolean databaseFailed;

    /**
     * Inserts the row of an entry, invisible until committed, and its tags, in one transaction.
     *
     * @param tier what forgets the key once the entry is committed, in this process and in the
     *             instances it notifies, and keeps a small body
     * @param open where the writer stays until it commits or aborts
     * @return the writer of its body
     * @throws StorageException if the storage cannot be written
     */
    static ChunkWriter start(Entry entry, EntryOptions entryOptions, StorageOptions options, long clockToleranceMillis,
                             Transactions transactions, Cleanup cleanup, Tier<Lookup.Found> tier, Set<ChunkWriter> open) {
        long now = options.clock().millis();
        byte[] data = EntryCodec.encode(entry);
        Duration ttl = entryOptions.ttl().orElse(options.defaultTtl().orElse(null));
        Long ttlMillis = ttl == null ? null : saturatedMillis(ttl);
        boolean refresh = entryOptions.refreshTtlOnAccess().orElse(options.refreshTtlOnAccess());
        Dialect dialect = transactions.dialect();
        transactions.write("create entry " + entry.id(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement(Sql.INSERT_ENTRY)) {
                dialect.bindId(insert, 1, entry.id());
                insert.setString(2, entry.key().value());
                insert.setString(3, CacheKey.normalizeUrl(entry.request().url()));
                insert.setBytes(4, data);
                insert.setLong(5, now);
                insert.setLong(6, now);
                Sql.setNullableLong(insert, 7, ttlMillis);
                insert.setInt(8, refresh ? 1 : 0);
                insert.setLong(9, entry.responseTime().toEpochMilli());
                insert.executeUpdate();
            }
            // Tags go in with the row, so that a purge by tag also reaches an entry still being written.
            if (!entryOptions.tags().isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement(Sql.INSERT_TAG)) {
                    for (String tag : entryOptions.tags()) {
                        dialect.bindId(insert, 1, entry.id());
                        insert.setString(2, tag);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            return null;
        });
        ChunkWriter writer = new ChunkWriter(entry, ttlMillis, options, clockToleranceMillis, transactions, cleanup,
                tier, open);
        open.add(writer);
        return writer;
    }

    private ChunkWriter(Entry entry, Long ttlMillis, StorageOptions options, long clockToleranceMillis,
                        Transactions transactions, Cleanup cleanup, Tier<Lookup.Found> tier, Set<ChunkWriter> open) {
        super(options.chunkSize());
        this.id = entry.id();
        this.key = entry.key();
        // Compared with the marks as the earliest the request may have been sent by another instance's clock.
        this.requestTime = entry.requestTime().toEpochMilli() - clockToleranceMillis;
        this.ttlMillis = ttlMillis;
        this.incompleteGraceMillis = options.incompleteGrace().toMillis();
        this.maxBytes = options.maxBytes();
        this.clock = options.clock();
        this.transactions = transactions;
        this.cleanup = cleanup;
        this.tier = tier;
        this.open = open;
    }

    @Override
    protected void writeChunk(int number, byte[] chunk) {
        int crc = checksum.chunk(number, chunk);
        write("write chunk " + number + " of entry " + id, connection -> {
            insertChunk(connection, number, chunk, crc);
            return null;
        });
    }

    @Override
    protected void commitEntry(int number, byte[] last, long size) {
        if (size > maxBytes) {
            throw new StorageException(transactions.description() + ": an entry of " + size
                    + " bytes does not fit in a storage of " + maxBytes + " bytes");
        }
        long now = clock.millis();
        int lastCrc = last.length > 0 ? checksum.chunk(number, last) : 0;
        // Invalidation marks are kept an incomplete-entry grace: an older request cannot be checked against them.
        boolean unverifiable = requestTime < now - incompleteGraceMillis;
        Change change = Change.of(key);
        try {
            commit(number, last, size, now, lastCrc, unverifiable);
        } finally {
            tier.changed(change);
        }
        open.remove(this);
        if (number == 0) {
            // A body of one chunk is whole here: keep it now, so that even the first hit does not read it.
            tier.keepBody(id, key, last);
        }
        cleanup.committed(size);
    }

    private void commit(int number, byte[] last, long size, long now, int lastCrc, boolean unverifiable) {
        write("commit entry " + id, connection -> {
            if (last.length > 0) {
                insertChunk(connection, number, last, lastCrc);
            }
            try (PreparedStatement update = connection.prepareStatement(Sql.COMPLETE_ENTRY)) {
                update.setLong(1, now);
                update.setLong(2, now);
                update.setLong(3, size);
                Sql.setNullableLong(update, 4, ttlMillis == null ? null : now + ttlMillis);
                update.setInt(5, checksum.body());
                update.setInt(6, unverifiable ? 1 : 0);
                update.setLong(7, requestTime);
                update.setLong(8, now);
                transactions.dialect().bindId(update, 9, id);
                if (update.executeUpdate() != 1) {
                    throw new SQLException("the entry row is gone (deleted by clean-up or purge while written)");
                }
            }
            return null;
        });
    }

    @Override
    protected void abortEntry() {
        open.remove(this);
        if (databaseFailed) {
            // The database has just failed, perhaps at its deadline: asking it again would make the
            // request wait twice. Clean-up deletes an entry never completed after the incomplete grace.
            return;
        }
        transactions.quietly("abort entry " + id, () -> transactions.write("abort entry " + id, connection -> {
            cleanup.deleteEntries(connection, List.of(id));
            return null;
        }));
    }

    private void write(String operation, Transactions.SqlWork<Void> work) {
        try {
            transactions.write(operation, work);
        } catch (StorageException e) {
            databaseFailed = true;
            throw e;
        }
    }

    private void insertChunk(Connection connection, int number, byte[] chunk, int crc) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(Sql.INSERT_CHUNK)) {
            transactions.dialect().bindId(insert, 1, id);
            insert.setInt(2, Sql.BODY);
            insert.setInt(3, number);
            insert.setBytes(4, chunk);
            insert.setInt(5, crc);
            insert.executeUpdate();
        }
    }

    private static long saturatedMillis(Duration duration) {
        try {
            return duration.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
