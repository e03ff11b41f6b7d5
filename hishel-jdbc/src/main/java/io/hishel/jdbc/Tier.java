package io.hishel.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The memory tier: what the database answered lately for a key — its alive entries, or none — and
 * the bodies of small entries, in one Caffeine cache bounded by an estimate of their bytes
 * ({@link MemoryTier}). A lookup asks the tier first and the database on a miss; a body is served
 * from the tier only while the tier's entries of its key include it, alive.
 *
 * <p>The tier never answers what the database would not, within this process: an entry is served
 * only while it is alive by the expiry and the hits the database has ({@link AccessRecorder#alive});
 * one the tier thinks expired sends the lookup to the database, which may have a hit the tier has
 * not seen. Every write hands what it {@linkplain #changed changed} to the tier once it has
 * committed, to be forgotten at once and told to the other instances, and a
 * lookup that read the database before a write it raced with does not keep its answer: it keeps it
 * only if no write forgot anything since it started ({@link #stamp()}), checked under a lock every
 * forgetting holds. Bodies never change under an id, so a body kept is never stale, only
 * unreachable once its entry is forgotten.
 *
 * <p>Other instances' writes reach the tier through {@link TierNotifications}, on PostgreSQL; while
 * they cannot ({@link #suspend()}), the tier is not used. Nothing stays longer than
 * {@link MemoryTier#maxAge()}, whatever was lost. Thread-safe.
 */
final class Tier {

    private static final Tier OFF = new Tier();

    private final Cache<Object, Held> cache;
    private final long maxBodyBytes;
    private final AccessRecorder accesses;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean suspended;
    private volatile TierNotifications notifications;

    private Tier() {
        this.cache = null;
        this.maxBodyBytes = 0;
        this.accesses = null;
    }

    private Tier(MemoryTier settings, Clock clock, AccessRecorder accesses) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(heapSafeBound(settings.maxBytes(), Runtime.getRuntime().maxMemory()))
                .weigher((Object key, Held held) -> held.weight())
                .expireAfterWrite(settings.maxAge())
                .ticker(ticker(clock))
                // Evictions run on the caller's thread, so that the bound holds when a put returns.
                .executor(Runnable::run)
                .build();
        this.maxBodyBytes = settings.maxBodyBytes();
        this.accesses = accesses;
    }

    /** The share of the maximum heap the tier may hold, as for the memory storage: the rest is the application's. */
    private static final double HEAP_SHARE = 0.25;

    /**
     * The bound in force: the one configured, or a quarter of the maximum heap if that is less, with
     * a warning that names the setting (issue 13: a cache must never take the heap).
     */
    static long heapSafeBound(long configured, long maxHeap) {
        long safe = (long) (maxHeap * HEAP_SHARE);
        if (maxHeap == Long.MAX_VALUE || configured <= safe) {
            return configured;
        }
        Transactions.LOG.warn("The memory tier's bound of {} bytes is more than a quarter of the maximum heap ({} bytes):"
                + " it holds at most {} bytes. Set MemoryTier.Builder.maxBytes (hishel.storage.tier.max-size) to at"
                + " most {}, or give the JVM a larger -Xmx.", configured, maxHeap, safe, safe);
        return safe;
    }

    /** No tier: every lookup goes to the database. */
    static Tier off() {
        return OFF;
    }

    /** The tier of a storage: one that holds nothing when off, but whose {@link #stamp()} still moves on. */
    static Tier of(MemoryTier settings, Clock clock, AccessRecorder accesses) {
        return settings.enabled() ? new Tier(settings, clock, accesses) : new Tier();
    }

    boolean enabled() {
        return cache != null;
    }

    /**
     * Taken before a lookup reads the database; the answer is kept only if nothing was forgotten
     * since. It moves on with every change, with the tier off too: {@link ReadAhead} dates by it.
     */
    long stamp() {
        return generation.get();
    }

    /** The alive entries under a key, if the tier has them all; empty means: ask the database. */
    Optional<List<Entry>> entries(CacheKey key, long now) {
        if (cache == null || suspended || !(cache.getIfPresent(key) instanceof Listed listed)) {
            return Optional.empty();
        }
        for (Lookup.Found found : listed.found()) {
            if (!alive(found, now)) {
                // The database may know of a hit this process has not seen, or already deleted it: it decides.
                return Optional.empty();
            }
        }
        return Optional.of(listed.entries());
    }

    /** Keeps what the database answered for a key, unless a write forgot anything since {@code stamp}. */
    void keep(CacheKey key, List<Lookup.Found> found, long stamp) {
        if (cache == null) {
            return;
        }
        lock.readLock().lock();
        try {
            if (!suspended && generation.get() == stamp) {
                cache.put(key, new Listed(key, List.copyOf(found),
                        found.stream().map(Lookup.Found::entry).toList()));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The body of an entry the tier has alive under its key, if the tier keeps the body. */
    Optional<byte[]> body(UUID id, long now) {
        if (cache == null || suspended || !(cache.getIfPresent(id) instanceof Body body)
                || !(cache.getIfPresent(body.key()) instanceof Listed listed)) {
            return Optional.empty();
        }
        for (Lookup.Found found : listed.found()) {
            if (found.entry().id().equals(id)) {
                return alive(found, now) ? Optional.of(body.bytes()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The body of an entry the database says is alive, if the tier keeps it. */
    Optional<byte[]> bodyOfAlive(UUID id) {
        return cache != null && cache.getIfPresent(id) instanceof Body body ? Optional.of(body.bytes())
                : Optional.empty();
    }

    /** Whether a body of this size is one the tier keeps. */
    boolean keepsBodyOf(long size) {
        return cache != null && size <= maxBodyBytes;
    }

    /** Keeps the body of an entry; the caller has the whole body, as it was committed. */
    void keepBody(UUID id, CacheKey key, byte[] bytes) {
        if (keepsBodyOf(bytes.length)) {
            cache.put(id, new Body(key, bytes));
        }
    }

    /**
     * What a write of this storage changed, once it has committed — or once it failed, when it is
     * not known whether it did: forgotten here at once, and told to the other instances.
     */
    void changed(Change change) {
        forget(change);
        TierNotifications channel = notifications;
        if (channel != null && !change.isEmpty()) {
            channel.send(change);
        }
    }

    /** Forgets what a write changed, here or in another instance, so that the next lookup of it asks the database. */
    void forget(Change change) {
        if (change.isEmpty()) {
            return;
        }
        if (cache == null) {
            generation.incrementAndGet();
            return;
        }
        lock.writeLock().lock();
        try {
            generation.incrementAndGet();
            if (change.all()) {
                cache.invalidateAll();
            } else {
                cache.invalidateAll(change.keys());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** While other instances' changes cannot be heard: forget everything, and keep nothing. */
    void suspend() {
        suspended = true;
        forget(Change.everything());
    }

    /** Other instances' changes are heard again; what was kept before may have missed some. */
    void resume() {
        forget(Change.everything());
        suspended = false;
    }

    /** Where changes are announced to other instances, and heard from them; suspended until it listens. */
    void notifyThrough(TierNotifications channel) {
        suspend();
        this.notifications = channel;
    }

    private boolean alive(Lookup.Found found, long now) {
        return accesses.alive(found.entry().id(), found.expiresAt(), found.ttlMillis(), found.refreshTtl(), now);
    }

    /** The storage's clock, so that the tier's maximum age passes with the TTLs; the system's own ticker for it. */
    private static Ticker ticker(Clock clock) {
        if (clock.withZone(ZoneOffset.UTC).equals(Clock.systemUTC())) {
            return Ticker.systemTicker();
        }
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    /** What the tier holds, and roughly how many bytes it takes. */
    private sealed interface Held permits Listed, Body {
        int weight();
    }

    /** The alive entries of a key when it was read, and the same as the storage returns them. */
    private record Listed(CacheKey key, List<Lookup.Found> found, List<Entry> entries) implements Held {
        @Override
        public int weight() {
            long bytes = 64 + 2L * key.value().length();
            for (Lookup.Found entry : found) {
                bytes += 192 + entry.dataBytes();
            }
            return (int) Math.min(Integer.MAX_VALUE, bytes);
        }
    }

    /** A whole body, and the key of its entry. */
    private record Body(CacheKey key, byte[] bytes) implements Held {
        @Override
        public int weight() {
            return 64 + bytes.length;
        }
    }
}
