package io.hishel.jdbc;

import io.hishel.memory.tier.Change;
import io.hishel.memory.tier.Tier;
import io.hishel.storage.CacheKey;
import io.hishel.storage.CleanupResult;
import io.hishel.storage.StorageOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What to delete for good, a bounded batch at a time: expired entries, removed ones past their
 * retention, incomplete ones whose writer must have died, orphaned chunks and old invalidation
 * marks; and — to stay within {@link StorageOptions#maxBytes()} and
 * {@link StorageOptions#maxEntries()} — what to evict, least recently used first.
 *
 * <p>Nothing a reader may be streaming is deleted under it: eviction only removes an entry (its
 * chunks stay), and an expired or removed entry's chunks are deleted once
 * {@link StorageOptions#readGrace()} has passed since it expired or was removed — sooner than
 * its retention when the room is needed. An entry still being written is never evicted. The
 * bounds apply to the entries not removed; the size compared with them is kept in memory,
 * measured again before each eviction and moved on by every commit, so that a commit can tell at
 * once whether to evict.
 * Thread-safe: rounds from the schedule, from callers and after commits may overlap, each in
 * transactions of its own.
 */
final class Cleanup {

    private final StorageOptions options;
    private final Clock clock;
    private final Transactions transactions;
    private final AccessRecorder accesses;
    private final Tier<Lookup.Found> tier;
    private final AtomicLong approximateBytes = new AtomicLong();
    private final AtomicLong approximateEntries = new AtomicLong();
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong heldEntries = new AtomicLong();
    /**
     * On PostgreSQL, the count of entries at which the tables are analyzed next: each time they
     * double, from 1,000. Filled faster than autovacuum analyzes them, the planner had no
     * statistics and read the whole partial listing index for every look-up (issue 16: 97 ms at
     * 10^5 entries, against a fraction of a millisecond by the key's index).
     */
    private final AtomicLong nextAnalysis = new AtomicLong(FIRST_ANALYSIS);
    private static final long FIRST_ANALYSIS = 1_000;

    /**
     * @param tier what forgets the entries evicted, in this process and in the instances it notifies
     */
    Cleanup(StorageOptions options, Transactions transactions, AccessRecorder accesses, Tier<Lookup.Found> tier) {
        this.options = options;
        this.clock = options.clock();
        this.transactions = transactions;
        this.accesses = accesses;
        this.tier = tier;
    }

    /** One round, as {@link io.hishel.storage.Storage#cleanUp()} describes it. */
    CleanupResult run() {
        accesses.flush();
        long now = clock.millis();
        long graceStart = now - options.readGrace().toMillis();
        int batch = options.cleanupBatchSize();
        long expired = deleteBatch("delete expired entries", Sql.DELETE_EXPIRED, graceStart, batch);
        long removed = deleteBatch("delete removed entries", Sql.DELETE_REMOVED,
                Math.min(graceStart, now - options.deletedRetention().toMillis()), batch);
        long incomplete = deleteBatch("delete incomplete entries", Sql.DELETE_INCOMPLETE,
                now - options.incompleteGrace().toMillis(), batch);
        transactions.write("delete old invalidation marks", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(Sql.DELETE_OLD_MARKS)) {
                delete.setLong(1, now - options.incompleteGrace().toMillis());
                return delete.executeUpdate();
            }
        });
        long orphaned = transactions.write("delete orphaned chunks", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(Sql.DELETE_ORPHANED_CHUNKS)) {
                delete.setInt(1, batch);
                return (long) delete.executeUpdate();
            }
        });
        long evicted = evict();
        CleanupResult result = new CleanupResult(expired, removed, incomplete, orphaned, evicted);
        if (result.total() > 0) {
            Transactions.LOG.debug("{}: clean-up deleted {}", transactions.description(), result);
        }
        return result;
    }

    /** Counts a committed entry, and evicts at once if it took the storage over a bound. */
    void committed(long size) {
        approximateBytes.addAndGet(size);
        long entries = approximateEntries.incrementAndGet();
        if (overBounds()) {
            transactions.quietly("evict entries", this::evict);
        }
        long next = nextAnalysis.get();
        // One committer of the many that may cross the mark runs it: a few times in a cache's life.
        if (transactions.dialect() == Dialect.POSTGRESQL && entries >= next
                && nextAnalysis.compareAndSet(next, entries * 2)) {
            transactions.quietly("analyze the tables", () -> transactions.write("analyze the tables", connection -> {
                try (Statement analyze = connection.createStatement()) {
                    analyze.execute(Sql.ANALYZE);
                }
                return null;
            }));
        }
    }

    /**
     * Measures what the tables hold: the entries not removed, visible or not, which the bounds
     * apply to, and every row.
     */
    void measure() {
        transactions.read("measure the storage", connection -> {
            try (Statement select = connection.createStatement();
                 ResultSet result = select.executeQuery(Sql.MEASURE)) {
                result.next();
                approximateEntries.set(result.getLong(1));
                nextAnalysis.set(Math.max(FIRST_ANALYSIS, result.getLong(1) * 2));
                approximateBytes.set(result.getLong(2));
                heldEntries.set(result.getLong(3));
                heldBytes.set(result.getLong(4));
            }
            return null;
        });
    }

    /** Deletes rows of entries, their chunks and tags with them, in the caller's transaction. */
    void deleteEntries(Connection connection, List<UUID> ids) throws SQLException {
        Dialect dialect = transactions.dialect();
        try (PreparedStatement delete = connection.prepareStatement(Sql.DELETE_ENTRY)) {
            for (UUID id : ids) {
                dialect.bindId(delete, 1, id);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    /**
     * Removes, least recently used first, until the entries' bytes and count are within bounds,
     * and deletes for good removed entries past their read grace while all the rows together are
     * over a bound. One call removes and deletes at most a clean-up batch each.
     */
    private long evict() {
        // Hits not yet written would otherwise make the most used entries look least recently used.
        accesses.flush();
        measure();
        if (heldOverBounds()) {
            reclaim();
        }
        if (!overBounds()) {
            return 0;
        }
        long bytesOver = approximateBytes.get() - options.maxBytes();
        long entriesOver = approximateEntries.get() - maxEntries();
        Set<CacheKey> keys = ConcurrentHashMap.newKeySet();
        try {
            return evictNow(bytesOver, entriesOver, keys);
        } finally {
            tier.changed(Change.of(keys));
        }
    }

    private long evictNow(long bytesOver, long entriesOver, Set<CacheKey> keys) {
        long now = clock.millis();
        Dialect dialect = transactions.dialect();
        return transactions.write("evict entries", connection -> {
            List<UUID> victims = new ArrayList<>();
            long bytes = 0;
            try (PreparedStatement select = connection.prepareStatement(Sql.EVICTION_CANDIDATES)) {
                select.setInt(1, options.cleanupBatchSize());
                try (ResultSet result = select.executeQuery()) {
                    while (result.next() && (bytes < bytesOver || victims.size() < entriesOver)) {
                        victims.add(dialect.readId(result, 1));
                        bytes += result.getLong(2);
                        keys.add(new CacheKey(result.getString(3)));
                    }
                }
            }
            try (PreparedStatement remove = connection.prepareStatement(Sql.EVICT_ENTRY)) {
                for (UUID id : victims) {
                    remove.setLong(1, now);
                    dialect.bindId(remove, 2, id);
                    remove.addBatch();
                }
                remove.executeBatch();
            }
            approximateBytes.addAndGet(-bytes);
            approximateEntries.addAndGet(-victims.size());
            return (long) victims.size();
        });
    }

    /** Deletes removed entries whose read grace has passed, the longest removed first. */
    private void reclaim() {
        long graceStart = clock.millis() - options.readGrace().toMillis();
        Dialect dialect = transactions.dialect();
        transactions.write("delete removed entries to make room", connection -> {
            List<UUID> deleted = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(Sql.RECLAIM_CANDIDATES)) {
                select.setLong(1, graceStart);
                select.setInt(2, options.cleanupBatchSize());
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        deleted.add(dialect.readId(result, 1));
                    }
                }
            }
            deleteEntries(connection, deleted);
            return null;
        });
    }

    private boolean overBounds() {
        return approximateBytes.get() > options.maxBytes() || approximateEntries.get() > maxEntries();
    }

    private boolean heldOverBounds() {
        return heldBytes.get() > options.maxBytes() || heldEntries.get() > maxEntries();
    }

    private long maxEntries() {
        return options.maxEntries() > 0 ? options.maxEntries() : Long.MAX_VALUE;
    }

    private long deleteBatch(String operation, String sql, long threshold, int batch) {
        return transactions.write(operation, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setLong(1, threshold);
                delete.setInt(2, batch);
                return (long) delete.executeUpdate();
            }
        });
    }
}
