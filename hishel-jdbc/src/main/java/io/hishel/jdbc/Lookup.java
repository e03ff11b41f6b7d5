package io.hishel.jdbc;

import static io.hishel.jdbc.Sql.nullableLong;

import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which stored entries may be returned: the alive ones under a key, and one by its id. Each
 * question is one statement on one borrowed connection, which selects the committed rows not
 * removed ({@link Sql#COMMITTED_NOT_REMOVED}); whether a row has expired is then decided by
 * {@link AccessRecorder#alive}, so that a hit not yet written counts. This is the hit path:
 * {@link #entries} and {@link #body} are a hit's first two statements. Thread-safe.
 */
final class Lookup {

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

    /** The alive entries under a key, decoded; their bodies are not read. */
    List<Entry> entries(CacheKey key) {
        List<Found> found = found(key);
        List<Entry> entries = new ArrayList<>(found.size());
        for (Found one : found) {
            entries.add(one.entry());
        }
        return entries;
    }

    /** The alive entries under a key, decoded, with what decides when they expire. */
    List<Found> found(CacheKey key) {
        long now = clock.millis();
        List<Row> rows = transactions.read("look up " + key, connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_ENTRIES)) {
                select.setString(1, key.value());
                try (ResultSet result = select.executeQuery()) {
                    List<Row> found = new ArrayList<>(2);
                    while (result.next()) {
                        found.add(new Row(dialect.readId(result, 1), result.getBytes(2), nullableLong(result, 3),
                                nullableLong(result, 4), result.getInt(5) != 0));
                    }
                    return found;
                }
            }
        });
        List<Found> entries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (!accesses.alive(row.id(), row.expiresAt(), row.ttlMillis(), row.refreshTtl(), now)) {
                continue;
            }
            try {
                entries.add(new Found(EntryCodec.decode(row.id(), key, row.data()), row.expiresAt(), row.ttlMillis(),
                        row.refreshTtl(), row.data().length));
            } catch (EntryCodec.CorruptEntryException e) {
                corrupt.report(row.id(), e);
            }
        }
        return entries;
    }

    /** The size and checksum of an alive entry's body, or empty if the entry is not alive. */
    Optional<Body> body(UUID id) {
        long now = clock.millis();
        return transactions.read("open the body of " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_BODY_SIZE)) {
                dialect.bindId(select, 1, id);
                try (ResultSet result = select.executeQuery()) {
                    return result.next() && accesses.alive(id, nullableLong(result, 3), nullableLong(result, 4),
                            result.getInt(5) != 0, now)
                            ? Optional.of(new Body(result.getLong(1), result.getInt(2), new CacheKey(result.getString(6))))
                            : Optional.empty();
                }
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
     * checksum; and the key of its entry, under which the memory tier finds it.
     */
    record Body(long size, int checksum, CacheKey key) {
    }

    /**
     * An alive entry and what its expiry depends on, as {@link AccessRecorder#alive} takes it.
     *
     * @param dataBytes the size of its stored metadata, for the memory tier's bound
     */
    record Found(Entry entry, Long expiresAt, Long ttlMillis, boolean refreshTtl, int dataBytes) {
    }

    /** A looked-up row, before its data is decoded. */
    private record Row(UUID id, byte[] data, Long expiresAt, Long ttlMillis, boolean refreshTtl) {
    }
}
