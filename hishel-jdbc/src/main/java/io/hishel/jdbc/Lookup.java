package io.hishel.jdbc;

import static io.hishel.jdbc.Sql.nullableLong;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which stored entries may be returned: the alive ones under a key, and one by its id. Each
 * question is one statement on one borrowed connection, which selects the committed rows not
 * removed ({@link Sql#COMMITTED_NOT_REMOVED}); whether a row has expired is then decided by
 * {@link AccessRecorder#alive}, so that a hit not yet written counts. This is the hit path:
 * {@link #found} reads the entries under a key with what opening their bodies needs, and the
 * first chunk of each body of at most {@link #BODY_WITH_ENTRY} bytes, so that a hit on a small
 * body is that one statement ({@link ReadAhead}); {@link #body} asks again for an open that no
 * look-up on its thread prepared. Thread-safe.
 */
final class Lookup {

    /**
     * The largest body read in the look-up of its entry: one chunk at the default chunk size, so that
     * the bytes a variant not chosen costs stay small. Larger bodies are read chunk by chunk.
     */
    static final long BODY_WITH_ENTRY = 64 * 1024;

    private final Clock clock;
    private final Transactions transactions;
    private final Dialect dialect;
    private final AccessRecorder accesses;
    private final CorruptEntries corrupt;

    /**
     * @param corrupt where an entry whose stored data cannot be read is reported; it is left out
     */
    Lookup(Clock clock, Transactions transactions, AccessRecorder accesses, CorruptEntries corrupt) {
        this.clock = clock;
        this.transactions = transactions;
        this.dialect = transactions.dialect();
        this.accesses = accesses;
        this.corrupt = corrupt;
    }

    /** The alive entries under a key, decoded. */
    List<Entry> entries(CacheKey key) {
        return found(key).entries();
    }

    /**
     * The alive entries under a key, decoded, with what decides when they expire, and what opens
     * their bodies: their sizes and checksums, and the first chunks of the small ones.
     */
    Answer found(CacheKey key) {
        long now = clock.millis();
        List<Row> rows = transactions.query("look up " + key, Sql.SELECT_ENTRIES, select -> {
            select.setLong(1, BODY_WITH_ENTRY);
            select.setString(2, key.value());
            try (ResultSet result = select.executeQuery()) {
                List<Row> found = new ArrayList<>(2);
                while (result.next()) {
                    found.add(new Row(dialect.readId(result, 1), result.getBytes(2), nullableLong(result, 3),
                            nullableLong(result, 4), result.getInt(5) != 0, result.getLong(6),
                            nullableLong(result, 7), result.getBytes(8), result.getInt(9)));
                }
                return found;
            }
        });
        List<Found> entries = new ArrayList<>(rows.size());
        Map<UUID, Body> bodies = new HashMap<>();
        for (Row row : rows) {
            if (!accesses.alive(row.id(), row.expiresAt(), row.ttlMillis(), row.refreshTtl(), now)) {
                continue;
            }
            try {
                entries.add(new Found(EntryCodec.decode(row.id(), key, row.data()), row.expiresAt(), row.ttlMillis(),
                        row.refreshTtl(), row.data().length));
            } catch (EntryCodec.CorruptEntryException e) {
                corrupt.report(row.id(), e);
                continue;
            }
            // An entry without a body checksum was stored by a version before checksums: its body is not served.
            if (row.bodyChecksum() != null) {
                bodies.put(row.id(), new Body(row.size(), row.bodyChecksum().intValue(), key,
                        row.firstChunk() != null ? new FirstChunk(row.firstChunk(), row.firstChunkChecksum()) : null));
            }
        }
        return new Answer(entries, bodies);
    }

    /** The size and checksum of an alive entry's body, or empty if the entry is not alive. */
    Optional<Body> body(UUID id) {
        long now = clock.millis();
        return transactions.query("open the body of " + id, Sql.SELECT_BODY_SIZE, select -> {
            dialect.bindId(select, 1, id);
            try (ResultSet result = select.executeQuery()) {
                return result.next() && accesses.alive(id, nullableLong(result, 3), nullableLong(result, 4),
                        result.getInt(5) != 0, now)
                        ? Optional.of(new Body(result.getLong(1), result.getInt(2), new CacheKey(result.getString(6)),
                                null))
                        : Optional.empty();
            }
        });
    }

    boolean isAlive(UUID id) {
        return keyOfAlive(id).isPresent();
    }

    /** The key of an alive entry, or empty if the entry is not alive. */
    Optional<CacheKey> keyOfAlive(UUID id) {
        long now = clock.millis();
        return transactions.read("find entry " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_LIFETIME)) {
                dialect.bindId(select, 1, id);
                try (ResultSet result = select.executeQuery()) {
                    return result.next() && accesses.alive(id, nullableLong(result, 1), nullableLong(result, 2),
                            result.getInt(3) != 0, now) ? Optional.of(new CacheKey(result.getString(4)))
                            : Optional.empty();
                }
            }
        });
    }

    /**
     * What a reader of a body needs to know before the first chunk: where it ends, and its
     * checksum; the key of its entry, under which the memory tier finds it; and its first chunk, if
     * it was read with the entry.
     *
     * @param first null if the first chunk is to be fetched
     */
    record Body(long size, int checksum, CacheKey key, FirstChunk first) {
    }

    /** The first chunk of a body, and the checksum stored with it, as read; not yet checked. */
    record FirstChunk(byte[] bytes, int checksum) {
    }

    /**
     * What a look-up found under a key.
     *
     * @param found  the alive entries
     * @param bodies what opens the body of each of them that may be served, by id
     */
    record Answer(List<Found> found, Map<UUID, Body> bodies) {

        /** The entries, as the storage returns them. */
        List<Entry> entries() {
            List<Entry> entries = new ArrayList<>(found.size());
            for (Found one : found) {
                entries.add(one.entry());
            }
            return entries;
        }
    }

    /**
     * An alive entry and what its expiry depends on, as {@link AccessRecorder#alive} takes it.
     *
     * @param dataBytes the size of its stored metadata, for the memory tier's bound
     */
    record Found(Entry entry, Long expiresAt, Long ttlMillis, boolean refreshTtl, int dataBytes) {
    }

    /** A looked-up row, before its data is decoded; the first chunk is null for a body read apart. */
    private record Row(UUID id, byte[] data, Long expiresAt, Long ttlMillis, boolean refreshTtl, long size,
                       Long bodyChecksum, byte[] firstChunk, int firstChunkChecksum) {
    }
}
