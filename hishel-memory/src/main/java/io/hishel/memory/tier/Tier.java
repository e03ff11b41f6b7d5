package io.hishel.memory.tier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.hishel.memory.MemoryTier;
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
 * The memory tier of a shared storage (the JDBC and Redis storages): what the store answered lately
 * for a key — its alive entries, or none — and the bodies of small entries, in one Caffeine cache
 * bounded by an estimate of their bytes ({@link MemoryTier}). A lookup asks the tier first and the
 * store on a miss; a body is served from the tier only while the tier's entries of its key include
 * it, alive. Internal to Hishel's storages: not an API, and it may change in any release.
 *
 * <p>The tier never answers what the store would not, within this process: an entry is served
 * only while the storage's {@link Alive} says it is, counting what the store knows (its expiry and
 * the hits it has); one the tier thinks expired sends the lookup to the store, which may have a hit
 * the tier has not seen. Every write hands what it {@linkplain #changed changed} to the tier once it has
 * committed, to be forgotten at once and told to the other instances, and a
 * lookup that read the database before a write it raced with does not keep its answer: it keeps it
 * only if no write forgot anything since it started ({@link #stamp()}), checked under a lock every
 * forgetting holds. Bodies never change under an id, so a body kept is never stale, only
 * unreachable once its entry is forgotten.
 *
 * <p>Other instances' writes reach the tier through the storage's channel (PostgreSQL
 * {@code LISTEN/NOTIFY}, Redis pub/sub), which also announces this one's ({@link #notifyThrough});
 * while they cannot be heard ({@link #suspend()}), the tier is not used. Nothing stays longer than
 * {@link MemoryTier#maxAge()}, whatever was lost. Thread-safe.
 *
 * @param <F> what the storage's lookup found for one entry: the entry, and what decides whether it
 *            is alive
 */
public final class Tier<F extends Tier.Found> {

    private static final System.Logger LOG = System.getLogger(Tier.class.getName());
    @SuppressWarnings("rawtypes")
    private static final Tier OFF = new Tier();

    private final Cache<Object, Held> cache;
    private final long maxBodyBytes;
    private final Alive<F> alive;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean suspended;
    private volatile Announcer announcer;

    /** One entry a lookup found, as the storage knows it: what the tier returns, and what it weighs. */
    public interface Found {
        /**
         * The entry, as the storage returns it.
         *
         * @return the entry
         */
        Entry entry();

        /**
         * The bytes of the entry's encoded metadata, for the tier's weigher.
         *
         * @return bytes
         */
        int dataBytes();
    }

    /**
     * Whether an entry the tier holds is alive now, as the store would say: its expiry, and the hits
     * the store has or this process has not yet written.
     *
     * @param <F> what the storage's lookup found
     */
    @FunctionalInterface
    public interface Alive<F> {
        /**
         * Whether the entry is alive.
         *
         * @param found what the lookup found
         * @param now   the storage's clock, in epoch milliseconds
         * @return false to send the lookup to the store
         */
        boolean alive(F found, long now);
    }

    /** Where this process's changes are announced to the other instances. */
    @FunctionalInterface
    public interface Announcer {
        /**
         * Announces a change; never waits for the other instances.
         *
         * @param change not empty
         */
        void send(Change change);
    }

    private Tier() {
        this.cache = null;
        this.maxBodyBytes = 0;
        this.alive = null;
    }

    private Tier(MemoryTier settings, Clock clock, Alive<F> alive) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(heapSafeBound(settings.maxBytes(), Runtime.getRuntime().maxMemory()))
                .weigher((Object key, Held held) -> held.weight())
                .expireAfterWrite(settings.maxAge())
                .ticker(ticker(clock))
                // Evictions run on the caller's thread, so that the bound holds when a put returns.
                .executor(Runnable::run)
                .build();
        this.maxBodyBytes = settings.maxBodyBytes();
        this.alive = alive;
    }

    /** The share of the maximum heap the tier may hold, as for the memory storage: the rest is the application's. */
    private static final double HEAP_SHARE = 0.25;

    /**
     * The bound in force: the one configured, or a quarter of the maximum heap if that is less, with
     * a warning that names the setting (issue 13: a cache must never take the heap).
     *
     * @param configured the bound configured
     * @param maxHeap    the JVM's maximum heap
     * @return the bound in force
     */
    public static long heapSafeBound(long configured, long maxHeap) {
        long safe = (long) (maxHeap * HEAP_SHARE);
        if (maxHeap == Long.MAX_VALUE || configured <= safe) {
            return configured;
        }
        LOG.log(System.Logger.Level.WARNING, "The memory tier''s bound of {0} bytes is more than a quarter of the"
                + " maximum heap ({1} bytes): it holds at most {2} bytes. Set MemoryTier.Builder.maxBytes"
                + " (hishel.storage.tier.max-size) to at most {2}, or give the JVM a larger -Xmx.",
                configured, maxHeap, safe);
        return safe;
    }

    /**
     * No tier, shared: every lookup goes to the store. For tests; a storage takes {@link #of}.
     *
     * @param <F> what the storage's lookup found
     * @return the tier that holds nothing
     */
    @SuppressWarnings("unchecked")
    public static <F extends Found> Tier<F> off() {
        return OFF;
    }

    /**
     * The tier of a storage: one that holds nothing when off, but whose {@link #stamp()} still moves on.
     *
     * @param <F>      what the storage's lookup found
     * @param settings its bounds
     * @param clock    the storage's clock
     * @param alive    whether an entry held is alive
     * @return a tier of its own
     */
    public static <F extends Found> Tier<F> of(MemoryTier settings, Clock clock, Alive<F> alive) {
        return settings.enabled() ? new Tier<>(settings, clock, alive) : new Tier<>();
    }

    /**
     * Whether the tier holds anything at all.
     *
     * @return false when off
     */
    public boolean enabled() {
        return cache != null;
    }

    /**
     * Taken before a lookup reads the store; the answer is kept only if nothing was forgotten
     * since. It moves on with every change, with the tier off too: a storage may date what it read
     * ahead by it.
     *
     * @return the number of changes forgotten so far
     */
    public long stamp() {
        return generation.get();
    }

    /**
     * The alive entries under a key, if the tier has them all.
     *
     * @param key the cache key
     * @param now the storage's clock
     * @return the entries; empty means: ask the store
     */
    public Optional<List<Entry>> entries(CacheKey key, long now) {
        if (cache == null || suspended || !(cache.getIfPresent(key) instanceof Listed<?> listed)) {
            return Optional.empty();
        }
        for (Found found : listed.found()) {
            if (!alive(found, now)) {
                // The store may know of a hit this process has not seen, or already deleted it: it decides.
                return Optional.empty();
            }
        }
        return Optional.of(listed.entries());
    }

    /**
     * Keeps what the store answered for a key, unless a write forgot anything since {@code stamp}.
     *
     * @param key   the cache key
     * @param found the alive entries the store has under it
     * @param stamp {@link #stamp()} before the store was asked
     */
    public void keep(CacheKey key, List<F> found, long stamp) {
        if (cache == null) {
            return;
        }
        lock.readLock().lock();
        try {
            if (!suspended && generation.get() == stamp) {
                cache.put(key, new Listed<>(key, List.copyOf(found), found.stream().map(Found::entry).toList()));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The body of an entry the tier has alive under its key, if the tier keeps the body.
     *
     * @param id  the entry's id
     * @param now the storage's clock
     * @return the whole body, or empty: ask the store
     */
    public Optional<byte[]> body(UUID id, long now) {
        if (cache == null || suspended || !(cache.getIfPresent(id) instanceof Body body)
                || !(cache.getIfPresent(body.key()) instanceof Listed<?> listed)) {
            return Optional.empty();
        }
        for (Found found : listed.found()) {
            if (found.entry().id().equals(id)) {
                return alive(found, now) ? Optional.of(body.bytes()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The body of an entry the store says is alive, if the tier keeps it.
     *
     * @param id the entry's id
     * @return the whole body, or empty
     */
    public Optional<byte[]> bodyOfAlive(UUID id) {
        return cache != null && cache.getIfPresent(id) instanceof Body body ? Optional.of(body.bytes())
                : Optional.empty();
    }

    /**
     * Whether a body of this size is one the tier keeps.
     *
     * @param size the body's bytes
     * @return false when off, or larger than {@link MemoryTier#maxBodyBytes()}
     */
    public boolean keepsBodyOf(long size) {
        return cache != null && size <= maxBodyBytes;
    }

    /**
     * Keeps the body of an entry; the caller has the whole body, as it was committed and checked.
     *
     * @param id    the entry's id
     * @param key   its cache key
     * @param bytes the whole body
     */
    public void keepBody(UUID id, CacheKey key, byte[] bytes) {
        if (keepsBodyOf(bytes.length)) {
            cache.put(id, new Body(key, bytes));
        }
    }

    /**
     * What a write of this storage changed, once it has committed — or once it failed, when it is
     * not known whether it did: forgotten here at once, and told to the other instances.
     *
     * @param change what it changed
     */
    public void changed(Change change) {
        forget(change);
        Announcer channel = announcer;
        if (channel != null && !change.isEmpty()) {
            channel.send(change);
        }
    }

    /**
     * Forgets what a write changed, here or in another instance, so that the next lookup of it asks the store.
     *
     * @param change what it changed
     */
    public void forget(Change change) {
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
    public void suspend() {
        suspended = true;
        forget(Change.everything());
    }

    /** Other instances' changes are heard again; what was kept before may have missed some. */
    public void resume() {
        forget(Change.everything());
        suspended = false;
    }

    /**
     * Whether the tier is suspended: it is not used.
     *
     * @return true from {@link #suspend()} until {@link #resume()}
     */
    public boolean suspended() {
        return suspended;
    }

    /**
     * Where changes are announced to other instances, and heard from them; suspended until it listens.
     *
     * @param channel what sends this process's changes
     */
    public void notifyThrough(Announcer channel) {
        suspend();
        this.announcer = channel;
    }

    @SuppressWarnings("unchecked")
    private boolean alive(Found found, long now) {
        return alive.alive((F) found, now);
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
    private record Listed<F extends Found>(CacheKey key, List<F> found, List<Entry> entries) implements Held {
        @Override
        public int weight() {
            long bytes = 64 + 2L * key.value().length();
            for (Found entry : found) {
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
