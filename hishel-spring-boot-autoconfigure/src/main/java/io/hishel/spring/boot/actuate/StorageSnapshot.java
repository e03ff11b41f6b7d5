package io.hishel.spring.boot.actuate;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.storage.StorageStatistics;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The storage's entries and bytes, read at most once per {@link #MAX_AGE}: a scrape or a health
 * probe costs the database one counting query every ten seconds, however often they come. A failed
 * read keeps the last figures and is retried after the same interval. Thread-safe.
 */
final class StorageSnapshot {

    static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final Supplier<HishelCacheFilter> filter;
    private volatile Reading last = new Reading(new StorageStatistics(0, 0), Long.MIN_VALUE, false);

    StorageSnapshot(Supplier<HishelCacheFilter> filter) {
        this.filter = filter;
    }

    /** The last figures read, refreshed when older than {@link #MAX_AGE}. */
    Reading read() {
        Reading current = last;
        long now = System.nanoTime();
        if (current.readAt() != Long.MIN_VALUE && now - current.readAt() < MAX_AGE.toNanos()) {
            return current;
        }
        HishelCacheFilter cache = filter.get();
        if (cache == null) {
            return current;
        }
        Reading fresh;
        try {
            fresh = new Reading(cache.storage().statistics(), now, false);
        } catch (RuntimeException e) {
            fresh = new Reading(current.statistics(), now, true);
        }
        last = fresh;
        return fresh;
    }

    /**
     * @param statistics what the storage said, or said last
     * @param readAt     {@link System#nanoTime()} of the read, or {@link Long#MIN_VALUE} before the first
     * @param failed     whether the last read failed, so the figures are older
     */
    record Reading(StorageStatistics statistics, long readAt, boolean failed) {
    }
}
