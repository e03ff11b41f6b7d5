package io.hishel.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.hishel.http.Headers;
import io.hishel.storage.CacheKey;
import io.hishel.storage.ChunkingWriter;
import io.hishel.storage.CleanupResult;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntrySummary;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StorageStatistics;
import io.hishel.storage.StoredBody;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Entries in the heap, bounded by the bytes of their bodies — a {@link Caffeine} cache with a
 * weigher and per-entry expiry.
 *
 * <p>Bodies are held as the chunks they were written in. Eviction follows Caffeine's
 * W-TinyLFU, which keeps what is used often as well as what was used last — in practice better
 * than plain LRU. A bound on the number of entries is met by giving each entry a weight of at
 * least {@code maxBytes / maxEntries}. Removal is immediate: there is nothing to soft-delete or
 * to clean up later, and nothing survives a restart.
 *
 * <p>Readers, writers and eviction do not race: a reader holds the chunks it reads, so an entry
 * evicted, expired or purged meanwhile is still read to its end; a writer's entry enters the
 * cache only when it commits, so nothing can evict it half written. A commit of a response whose
 * request was sent before its URL was last {@linkplain #invalidate invalidated} does not stay
 * visible (RFC 9111 §4.4). Bodies carry no checksum, unlike those of storages on a disk or a
 * network: they never leave this process's heap, where no medium can change them unseen.
 *
 * <p>Thread-safe. Lookups do not count as use; {@link #recordAccess} does.
 */
public final class MemoryStorage implements Storage {

    /**
     * What every stored entry costs beyond its body, its URL and its fields: the objects that hold
     * it (entry, request, response, key, id, dates, the cache's node, two index slots). With the
     * per-field and per-URL-character costs below, a stored 1 KiB response with four header fields
     * weighs 2,380 bytes; heap histograms (jcmd GC.class_histogram) before and after storing
     * 64,000 of them measured 2,370 bytes each. The flat 512 bytes used before let a bound of
     * 256 MiB hold 500 MB of heap.
     */
    private static final int OVERHEAD = 600;
    /** A header field's name and value objects and its slot, beyond the characters. */
    private static final int FIELD_OVERHEAD = 80;
    /** The URL is held as text by the URI, again in parts, in the key and in the URL index. */
    private static final int URL_COPIES = 6;
    private static final int MAX_PAGE = 1000;
    /** The order of {@link #list}, the same as the JDBC storage's: by time, then by the id's text. */
    private static final Comparator<EntrySummary> NEWEST_FIRST = Comparator.comparing(EntrySummary::storedAt)
            .thenComparing(summary -> summary.id().toString()).reversed();

    private final StorageOptions options;
    private final Cache<UUID, Stored> cache;
    private final Map<CacheKey, Set<UUID>> byKey = new ConcurrentHashMap<>();
    private final Map<String, Set<UUID>> byUrl = new ConcurrentHashMap<>();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final Set<Writer> openWriters = ConcurrentHashMap.newKeySet();
    /**
     * When each URL was last invalidated, epoch milliseconds: a commit of a response whose request
     * was sent before that is undone (RFC 9111 §4.4). Purges leave marks here too, under keys no
     * normalised URL can have ({@link #TAG_MARK}, {@link #PREFIX_MARK}, {@link #ALL_MARK}). Kept an
     * incomplete-entry grace.
     */
    private final Map<String, Long> invalidatedAt = new ConcurrentHashMap<>();
    private static final String TAG_MARK = "#tag:";
    private static final String ALL_MARK = "#all";
    /** When each prefix was last purged: apart, so that a commit walks these few, not every URL's mark. */
    private final Map<String, Long> prefixPurgedAt = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** The bound in force: the configured one, unless that would let the cache take the heap. */
    private final long maxBytes;

    /** The share of the maximum heap the storage may hold; the application needs the rest. */
    static final double HEAP_SHARE = 0.25;

    /**
     * A bound larger than a quarter of the maximum heap is capped there, with a warning: a cache
     * that may fill the heap takes the application down with it (an {@link OutOfMemoryError}),
     * where a smaller one only answers fewer requests.
     */
    static long heapSafeBound(long configured, long maxHeap) {
        long safe = (long) (maxHeap * HEAP_SHARE);
        if (maxHeap == Long.MAX_VALUE || configured <= safe) {
            return configured;
        }
        System.getLogger(MemoryStorage.class.getName()).log(System.Logger.Level.WARNING,
                "The memory storage''s bound of {0} bytes is more than a quarter of the maximum heap ({1} bytes): "
                        + "it holds at most {2} bytes. Set StorageOptions.maxBytes (hishel.storage.max-size) to at "
                        + "most {2}, or give the JVM a larger -Xmx.", configured, maxHeap, safe);
        return safe;
    }

    /**
     * A memory storage with these options.
     *
     * @param options the bounds, TTL defaults, chunk size and clock
     */
    public MemoryStorage(StorageOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.maxBytes = heapSafeBound(options.maxBytes(), Runtime.getRuntime().maxMemory());
        long minimumWeight = options.maxEntries() > 0 ? ceilDiv(maxBytes, options.maxEntries()) : 0;
        Clock clock = options.clock();
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((UUID id, Stored stored) -> (int) Math.min(Integer.MAX_VALUE,
                        Math.max(minimumWeight, stored.size + stored.metadataWeight())))
                .expireAfter(new TtlExpiry())
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                // Maintenance runs on the calling thread, so the indexes are up to date when a call returns.
                .executor(Runnable::run)
                .removalListener(this::removed)
                .build();
    }

    /**
     * A memory storage with {@link StorageOptions#defaults()}.
     */
    public MemoryStorage() {
        this(StorageOptions.defaults());
    }

    @Override
    public List<Entry> entries(CacheKey key) {
        Set<UUID> ids = byKey.get(key);
        if (ids == null) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            Stored stored = cache.policy().getIfPresentQuietly(id);
            if (stored != null) {
                entries.add(stored.entry);
            }
        }
        return entries;
    }

    @Override
    public EntryWriter create(Entry entry, EntryOptions entryOptions) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(entryOptions, "entryOptions");
        checkOpen();
        Writer writer = new Writer(entry, entryOptions);
        openWriters.add(writer);
        return writer;
    }

    @Override
    public Optional<StoredBody> openBody(UUID id) {
        Stored stored = cache.policy().getIfPresentQuietly(id);
        if (stored == null) {
            return Optional.empty();
        }
        return Optional.of(new StoredBody(stored.size, new ChunkStream(stored.chunks)));
    }

    @Override
    public void recordAccess(UUID id) {
        cache.getIfPresent(id);
    }

    @Override
    public boolean update(Entry entry) {
        Stored updated = cache.asMap().computeIfPresent(entry.id(),
                (id, stored) -> new Stored(entry, stored.url, stored.chunks, stored.size, stored.ttl, stored.refresh,
                        stored.tags));
        return updated != null;
    }

    @Override
    public boolean remove(UUID id) {
        return cache.asMap().remove(id) != null;
    }

    @Override
    public long invalidate(URI url) {
        String normalized = CacheKey.normalizeUrl(url);
        mark(normalized);
        discardOpenWriters(writer -> writer.url.equals(normalized));
        Set<UUID> ids = byUrl.get(normalized);
        return ids == null ? 0 : removeAll(List.copyOf(ids));
    }

    /** Marked before the removal: a commit either sees the mark or is there to be removed. */
    private void mark(String what) {
        invalidatedAt.merge(what, options.clock().millis(), Math::max);
    }

    @Override
    public long purgeByPrefix(String urlPrefix) {
        prefixPurgedAt.merge(urlPrefix, options.clock().millis(), Math::max);
        discardOpenWriters(writer -> writer.url.startsWith(urlPrefix));
        return removeWhere(stored -> CacheKey.normalizeUrl(stored.entry.request().url()).startsWith(urlPrefix));
    }

    @Override
    public long purgeByTag(String tag) {
        mark(TAG_MARK + tag);
        discardOpenWriters(writer -> writer.entryOptions.tags().contains(tag));
        return removeWhere(stored -> stored.tags.contains(tag));
    }

    @Override
    public long purgeAll() {
        mark(ALL_MARK);
        discardOpenWriters(writer -> true);
        return removeWhere(stored -> true);
    }

    @Override
    public StorageStatistics statistics() {
        cache.cleanUp();
        long entries = 0;
        long bytes = 0;
        for (UUID id : cache.asMap().keySet()) {
            Stored stored = cache.policy().getIfPresentQuietly(id);
            if (stored != null) {
                entries++;
                bytes += stored.size;
            }
        }
        return new StorageStatistics(entries, bytes);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sorts the metadata of every visible entry in the heap, which the heap holds anyway; bodies
     * are not touched. {@code storedAt} keeps the entry's response time to the nanosecond.
     */
    @Override
    public List<EntrySummary> list(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, but was " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", but was " + limit);
        }
        cache.cleanUp();
        Policy.VarExpiration<UUID, Stored> expiration = cache.policy().expireVariably().orElseThrow();
        List<EntrySummary> visible = new ArrayList<>();
        for (UUID id : cache.asMap().keySet()) {
            Stored stored = cache.policy().getIfPresentQuietly(id);
            if (stored == null) {
                continue;
            }
            Instant expiresAt = null;
            if (stored.ttl != null) {
                // Caffeine holds the time left, already moved on by hits for an entry that refreshes on access.
                Optional<Duration> remaining = expiration.getExpiresAfter(id);
                if (remaining.isEmpty()) {
                    continue;
                }
                expiresAt = options.clock().instant().plus(remaining.get());
            }
            visible.add(new EntrySummary(id, stored.entry.request().method(), stored.url(),
                    stored.entry.response().status(), stored.size, stored.entry.responseTime(), expiresAt,
                    stored.tags));
        }
        if (offset >= visible.size()) {
            return List.of();
        }
        visible.sort(NEWEST_FIRST);
        return List.copyOf(visible.subList(offset, Math.min(visible.size(), offset + limit)));
    }

    @Override
    public CleanupResult cleanUp() {
        long expiredBefore = expired.get();
        long evictedBefore = evicted.get();
        cache.cleanUp();
        long oldestMark = options.clock().millis() - options.incompleteGrace().toMillis();
        invalidatedAt.values().removeIf(at -> at <= oldestMark);
        prefixPurgedAt.values().removeIf(at -> at <= oldestMark);
        return new CleanupResult(expired.get() - expiredBefore, 0, 0, 0, evicted.get() - evictedBefore);
    }

    @Override
    public void close() {
        closed = true;
        cache.invalidateAll();
    }

    /** Writers of entries that were invalidated while on their way: their commit must not bring them back. */
    private void discardOpenWriters(Predicate<Writer> condition) {
        for (Writer writer : openWriters) {
            if (condition.test(writer)) {
                writer.discarded = true;
            }
        }
    }

    private long removeAll(List<UUID> ids) {
        long removed = 0;
        for (UUID id : ids) {
            if (remove(id)) {
                removed++;
            }
        }
        return removed;
    }

    private long removeWhere(Predicate<Stored> condition) {
        List<UUID> ids = new ArrayList<>();
        cache.asMap().forEach((id, stored) -> {
            if (condition.test(stored)) {
                ids.add(id);
            }
        });
        return removeAll(ids);
    }

    private void removed(UUID id, Stored stored, RemovalCause cause) {
        if (stored == null) {
            return;
        }
        if (cause == RemovalCause.EXPIRED) {
            expired.incrementAndGet();
        } else if (cause.wasEvicted()) {
            evicted.incrementAndGet();
        }
        if (cause == RemovalCause.REPLACED) {
            return;
        }
        unindex(byKey, stored.entry.key(), id);
        unindex(byUrl, stored.url, id);
    }

    /**
     * Index sets are immutable and replaced on change: almost every key and URL has one entry, and
     * a concurrent set per entry cost some 250 bytes each, twice, where {@code Set.of(id)} costs 16.
     */
    private static <K> void index(Map<K, Set<UUID>> index, K key, UUID id) {
        index.compute(key, (k, ids) -> {
            if (ids == null) {
                return Set.of(id);
            }
            Set<UUID> grown = new HashSet<>(ids);
            grown.add(id);
            return Set.copyOf(grown);
        });
    }

    private static <K> void unindex(Map<K, Set<UUID>> index, K key, UUID id) {
        index.computeIfPresent(key, (k, ids) -> {
            if (!ids.contains(id)) {
                return ids;
            }
            Set<UUID> shrunk = new HashSet<>(ids);
            shrunk.remove(id);
            return shrunk.isEmpty() ? null : Set.copyOf(shrunk);
        });
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("The memory storage is closed");
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** A committed entry: its metadata, its body chunks, and how it expires. */
    private record Stored(Entry entry, String url, List<byte[]> chunks, long size, Duration ttl, boolean refresh,
                          Set<String> tags) {
        /** An estimate of the heap this entry holds beyond its body. */
        long metadataWeight() {
            return OVERHEAD + URL_COPIES * (long) url.length() + entry.key().value().length()
                    + entry.request().varyKey().length() + fieldsWeight(entry.response().headers());
        }

        private static long fieldsWeight(Headers headers) {
            long weight = 0;
            for (Headers.Field field : headers) {
                weight += FIELD_OVERHEAD + field.name().length() + field.value().length();
            }
            return weight;
        }
    }

    /** TTL from the entry's options, restarted by reads only for entries that refresh on access. */
    private static final class TtlExpiry implements Expiry<UUID, Stored> {
        @Override
        public long expireAfterCreate(UUID id, Stored stored, long now) {
            return stored.ttl == null ? Long.MAX_VALUE : saturatedNanos(stored.ttl);
        }

        @Override
        public long expireAfterUpdate(UUID id, Stored stored, long now, long remaining) {
            return remaining;
        }

        @Override
        public long expireAfterRead(UUID id, Stored stored, long now, long remaining) {
            return stored.refresh && stored.ttl != null ? saturatedNanos(stored.ttl) : remaining;
        }

        private static long saturatedNanos(Duration duration) {
            try {
                return duration.toNanos();
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
    }

    private StorageException tooLarge(long size) {
        return new StorageException("An entry of " + size + " bytes does not fit in a memory storage of "
                + maxBytes + " bytes");
    }

    /** Collects chunks; the entry enters the cache, whole, at commit. */
    private final class Writer extends ChunkingWriter {
        private final Entry entry;
        private final EntryOptions entryOptions;
        private final String url;
        private final List<byte[]> chunks = new ArrayList<>();
        private long held;
        private volatile boolean discarded;

        Writer(Entry entry, EntryOptions entryOptions) {
            super(options.chunkSize());
            this.entry = entry;
            this.entryOptions = entryOptions;
            this.url = CacheKey.normalizeUrl(entry.request().url());
        }

        @Override
        protected void writeChunk(int number, byte[] chunk) {
            held += chunk.length;
            if (held + OVERHEAD > maxBytes) {
                // The body is held on the heap until commit: stop before it outgrows the whole storage.
                discarded = true;
                chunks.clear();
                throw tooLarge(held);
            }
            chunks.add(chunk);
        }

        @Override
        protected void commitEntry(int number, byte[] last, long size) {
            openWriters.remove(this);
            checkOpen();
            if (discarded) {
                return;
            }
            if (last.length > 0) {
                chunks.add(last);
            }
            if (size + OVERHEAD > maxBytes) {
                throw tooLarge(size);
            }
            Duration ttl = entryOptions.ttl().orElse(options.defaultTtl().orElse(null));
            boolean refresh = entryOptions.refreshTtlOnAccess().orElse(options.refreshTtlOnAccess());
            Stored stored = new Stored(entry, CacheKey.normalizeUrl(entry.request().url()), List.copyOf(chunks), size,
                    ttl, refresh, entryOptions.tags());
            index(byKey, entry.key(), entry.id());
            index(byUrl, stored.url, entry.id());
            cache.put(entry.id(), stored);
            if (invalidatedSinceRequest()) {
                // An unsafe request completed after this response's request was sent: it must not undo it.
                cache.invalidate(entry.id());
            }
        }

        /** Looked at after the entry is in, so that an invalidation running meanwhile either is seen or sees it. */
        private boolean invalidatedSinceRequest() {
            long requestTime = entry.requestTime().toEpochMilli();
            if (requestTime < options.clock().millis() - options.incompleteGrace().toMillis()
                    || markedSince(url, requestTime) || markedSince(ALL_MARK, requestTime)) {
                return true;
            }
            for (String tag : entryOptions.tags()) {
                if (markedSince(TAG_MARK + tag, requestTime)) {
                    return true;
                }
            }
            // Prefix purges are rare and their marks short-lived: walking them costs less than an index.
            for (Map.Entry<String, Long> mark : prefixPurgedAt.entrySet()) {
                if (mark.getValue() >= requestTime && url.startsWith(mark.getKey())) {
                    return true;
                }
            }
            return false;
        }

        private boolean markedSince(String what, long requestTime) {
            Long mark = invalidatedAt.get(what);
            return mark != null && mark >= requestTime;
        }

        @Override
        protected void abortEntry() {
            openWriters.remove(this);
            chunks.clear();
        }
    }

    /** Reads the chunks in order without copying them. */
    private static final class ChunkStream extends InputStream {
        private final List<byte[]> chunks;
        private int chunk;
        private int position;

        ChunkStream(List<byte[]> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, target.length);
            if (length == 0) {
                return 0;
            }
            while (chunk < chunks.size() && position == chunks.get(chunk).length) {
                chunk++;
                position = 0;
            }
            if (chunk == chunks.size()) {
                return -1;
            }
            byte[] current = chunks.get(chunk);
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, target, offset, n);
            position += n;
            return n;
        }

        /** Steps over whole chunks without copying them: a range far into a body starts at once. */
        @Override
        public long skip(long n) {
            long skipped = 0;
            while (skipped < n && chunk < chunks.size()) {
                int step = (int) Math.min(n - skipped, chunks.get(chunk).length - position);
                position += step;
                skipped += step;
                if (position == chunks.get(chunk).length) {
                    chunk++;
                    position = 0;
                }
            }
            return skipped;
        }
    }
}
