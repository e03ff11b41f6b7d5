package io.hishel.jdbc;

import io.hishel.storage.StorageException;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hits not yet written, and whether an entry is alive counting them. A hit is kept in memory,
 * so that the hit path does not write, and written with the others in one batch by
 * {@link #flush()}; until then {@link #alive} counts it, so an entry a hit kept alive never looks
 * expired. Thread-safe: hits from any thread, a flush from any other.
 */
final class AccessRecorder {

    private final Map<UUID, Long> pending = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Transactions transactions;

    AccessRecorder(Clock clock, Transactions transactions) {
        this.clock = clock;
        this.transactions = transactions;
    }

    void record(UUID id) {
        pending.put(id, clock.millis());
    }

    /**
     * Whether an entry is alive at a time: not expired, or kept alive by a hit not yet written that
     * restarts its TTL. {@link Sql#VISIBLE} says the same of a row once its hits are written.
     *
     * @param expiresAt  its {@code expires_at}; null for an entry without a TTL
     * @param ttlMillis  its {@code ttl_millis}
     * @param refreshTtl its {@code refresh_ttl}: whether a hit restarts the TTL
     */
    boolean alive(UUID id, Long expiresAt, Long ttlMillis, boolean refreshTtl, long now) {
        if (expiresAt == null || expiresAt > now) {
            return true;
        }
        Long hit = pending.get(id);
        return hit != null && refreshTtl && ttlMillis != null && hit + ttlMillis > now;
    }

    /** Whether an entry a lookup found is alive now, counting the hits not yet written: the tier's test. */
    boolean alive(Lookup.Found found, long now) {
        return alive(found.entry().id(), found.expiresAt(), found.ttlMillis(), found.refreshTtl(), now);
    }

    /**
     * Writes the hits recorded since the last flush: last access for eviction, and restarted TTLs.
     * A hit stays recorded until its write has committed — until then it alone keeps its entry
     * alive, and the wait for SQLite's writer turn can be long — and a later hit of the same entry
     * stays for the next flush. Hits that cannot be written stay as well, rather than let an entry
     * expire that was in use. Two flushes at once may write the same hits; the second changes
     * nothing, as the last access only moves forward.
     *
     * @throws StorageException if the database cannot be written
     */
    void flush() {
        Map<UUID, Long> batch = Map.copyOf(pending);
        if (batch.isEmpty()) {
            return;
        }
        Dialect dialect = transactions.dialect();
        transactions.write("record hits", connection -> {
            try (PreparedStatement update = connection.prepareStatement(Sql.RECORD_HIT)) {
                for (Map.Entry<UUID, Long> access : batch.entrySet()) {
                    update.setLong(1, access.getValue());
                    update.setLong(2, access.getValue());
                    dialect.bindId(update, 3, access.getKey());
                    update.setLong(4, access.getValue());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
        for (Map.Entry<UUID, Long> written : batch.entrySet()) {
            pending.remove(written.getKey(), written.getValue());
        }
    }
}
