package io.hishel.redis;

import io.hishel.http.Response;
import io.hishel.memory.MemoryTier;
import io.hishel.memory.tier.Change;
import io.hishel.memory.tier.Tier;
import io.hishel.policy.Require;
import io.hishel.storage.BodyChecksum;
import io.hishel.storage.CacheKey;
import io.hishel.storage.ChunkingWriter;
import io.hishel.storage.CleanupResult;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryCodec;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntrySummary;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StorageStatistics;
import io.hishel.storage.StoredBody;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage in Redis, through Lettuce: one cache that every instance of an application shares.
 *
 * <p>An entry is a hash of its metadata; its body is a second hash of chunks of
 * {@link StorageOptions#chunkSize()}, each with a CRC32C of its own ({@link BodyChecksum}), and
 * indexes — by cache key, URL, tag, time stored, last use and expiry — are sets and sorted sets
 * beside them. Every key starts with the storage's {@linkplain Builder#keyPrefix key prefix}, so
 * that several applications share one Redis without seeing each other's entries. Everything that
 * changes more than one key is one call of a Lua script, atomic in Redis: an entry becomes
 * visible in the call that stores its last chunk, a removal takes it out of every index at once.
 * Nothing holds a whole body: a writer holds one chunk, a reader fetches one chunk at a time.
 *
 * <p>What has expired is decided by {@link StorageOptions#clock()}, as in every storage; Redis's
 * own expiry reclaims the space afterwards. A removed, expired or evicted entry's body lives on for
 * {@link StorageOptions#readGrace()}, for the responses already reading it. A writer's chunks
 * expire {@link StorageOptions#incompleteGrace()} after its last chunk, so a writer that dies
 * leaves nothing visible, and nothing that outlives that bound but an index record that the next
 * clean-up drops.
 *
 * <p>Under {@code maxmemory}, Redis may evict a body: a body is one key, so it goes whole, and
 * {@link #openBody} — which counts the chunks before it answers — treats the entry as a miss and
 * removes it. A body evicted after it was opened ends its stream with an {@link java.io.IOException},
 * never with fewer bytes. Counts and sizes of entries whose keys Redis dropped by itself are
 * corrected by clean-up.
 *
 * <p>Every command waits at most {@link Builder#timeout(Duration)}; a Redis that is down, slow or
 * restarting fails the call with a {@link StorageException}, which the filter answers by serving
 * the request without the cache; Lettuce reconnects on its own. Redis standalone or behind
 * Sentinel; not Redis Cluster (the script reaches keys it derives).
 *
 * <p>A memory tier ({@link MemoryTier}, on by default) keeps what lookups found lately and the
 * bodies of small entries, so that a hit on a hot entry costs no round trip to Redis. Every write
 * of this storage makes it forget what the write changed at once, and the tiers of the other
 * instances on the same prefix hear of it through Redis pub/sub, on the channel
 * {@code <prefix>tier}; while this instance's subscription is down the tier is not used, and
 * nothing stays in it longer than {@link MemoryTier#maxAge()}, whatever message was lost.
 * Thread-safe.
 */
public final class RedisStorage implements Storage {

    private static final Logger log = LoggerFactory.getLogger(RedisStorage.class);
    /** At most this many ids one script call takes, so that a purge never holds Redis for long. */
    private static final int MAX_PAGE = 1000;

    private final StorageOptions options;
    private final Clock clock;
    private final RedisClient ownedClient;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final StorageScript script;
    private final Set<Writer> openWriters = ConcurrentHashMap.newKeySet();
    private final long clockToleranceMillis;
    private final MemoryTier memoryTier;
    private final Tier<Found> tier;
    /** With the memory tier: how the other instances' tiers hear of this one's writes, and it of theirs. */
    private final TierChannel channel;
    private final ScheduledExecutorService maintenance;
    private volatile boolean closed;

    private RedisStorage(Builder builder, RedisClient client, RedisClient ownedClient) {
        this.options = builder.options;
        this.clock = options.clock();
        this.ownedClient = ownedClient;
        this.clockToleranceMillis = builder.clockTolerance.toMillis();
        String description = "Redis storage " + builder.where + " (prefix " + builder.keyPrefix + ")";
        try {
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RedisException e) {
            if (ownedClient != null) {
                ownedClient.shutdown();
            }
            throw new StorageException(description + " could not connect: " + e.getMessage(), e);
        }
        connection.setTimeout(builder.timeout);
        this.script = new StorageScript(connection, builder.keyPrefix, description);
        try {
            script.list("statistics", "load its script");
        } catch (StorageException e) {
            closeConnection();
            throw e;
        }
        this.memoryTier = builder.memoryTier;
        this.tier = Tier.of(memoryTier, clock, (found, now) -> found.alive(now));
        try {
            this.channel = tier.enabled()
                    ? TierChannel.start(client, connection.async(), builder.keyPrefix, tier, description, builder.timeout)
                    : null;
        } catch (StorageException e) {
            closeConnection();
            throw e;
        }
        this.maintenance = builder.scheduled ? startMaintenance() : null;
    }

    /**
     * A storage on the Redis at a URI, on a client of its own that {@link #close()} shuts down.
     * The client reconnects by itself, rejects commands while it is disconnected instead of
     * queueing them, and gives up connecting after the {@linkplain Builder#timeout timeout}.
     *
     * @param uri for example {@code RedisURI.create("redis://127.0.0.1:6379/0")}
     * @return a builder
     */
    public static Builder builder(RedisURI uri) {
        Objects.requireNonNull(uri, "uri");
        return new Builder(uri, null, uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase());
    }

    /**
     * A storage on a client the application owns and configures; {@link #close()} closes the
     * storage's connection, not the client. Give it {@link ClientOptions} that reject commands
     * while disconnected, or a Redis that is down makes each call wait for its timeout.
     *
     * @param client the client, with its default URI set
     * @return a builder
     */
    public static Builder builder(RedisClient client) {
        return new Builder(null, Objects.requireNonNull(client, "client"), "of the given client");
    }

    @Override
    public List<Entry> entries(CacheKey key) {
        Objects.requireNonNull(key, "key");
        requireOpen();
        long now = clock.millis();
        Optional<List<Entry>> held = tier.entries(key, now);
        if (held.isPresent()) {
            return held.get();
        }
        long stamp = tier.stamp();
        List<Found> found = new ArrayList<>();
        for (Object row : script.list("entries", "look up " + key, key.value())) {
            List<?> fields = (List<?>) row;
            String expires = text(fields.get(2));
            if (!visible(expires, now)) {
                continue;
            }
            UUID id = UUID.fromString(text(fields.get(0)));
            byte[] data = (byte[]) fields.get(1);
            decode(id, key, data).ifPresent(entry -> found.add(new Found(entry, Long.parseLong(expires), data.length)));
        }
        tier.keep(key, found, stamp);
        List<Entry> entries = new ArrayList<>(found.size());
        for (Found one : found) {
            entries.add(one.entry());
        }
        return entries;
    }

    @Override
    public EntryWriter create(Entry entry, EntryOptions entryOptions) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(entryOptions, "entryOptions");
        requireOpen();
        String url = CacheKey.normalizeUrl(entry.request().url());
        List<Object> arguments = new ArrayList<>();
        arguments.add(entry.id());
        arguments.add(url);
        arguments.add(lease());
        arguments.addAll(entryOptions.tags());
        script.number("create", "start entry " + entry.id(), arguments.toArray());
        Writer writer = new Writer(entry, entryOptions);
        openWriters.add(writer);
        return writer;
    }

    @Override
    public Optional<StoredBody> openBody(UUID id) {
        Objects.requireNonNull(id, "id");
        requireOpen();
        Optional<byte[]> held = tier.body(id, clock.millis());
        if (held.isPresent()) {
            return Optional.of(stored(held.get()));
        }
        List<Object> found = script.list("open", "open the body of entry " + id, id);
        if (found.isEmpty() || !visible(text(found.get(3)), clock.millis())) {
            return Optional.empty();
        }
        long size = Long.parseLong(text(found.get(0)));
        int chunks = Integer.parseInt(text(found.get(1)));
        int checksum = Integer.parseInt(text(found.get(2)));
        long present = (Long) found.get(4);
        if (present != chunks) {
            // Redis evicted the body (maxmemory) or expired it: a miss, never a shorter body.
            log.warn("{} lost the body of entry {} ({} of its {} chunks are left); the entry is removed",
                    script.description(), id, present, chunks);
            remove(id);
            return Optional.empty();
        }
        Supplier<ChunkReader> reader = () -> new ChunkReader(script, id, size, chunks, checksum,
                () -> removeQuietly(id, "corrupt"));
        if (!tier.keepsBodyOf(size)) {
            return Optional.of(new StoredBody(size, reader.get()));
        }
        Optional<byte[]> kept = tier.bodyOfAlive(id);
        if (kept.isPresent()) {
            return Optional.of(stored(kept.get()));
        }
        byte[] bytes;
        try (ChunkReader whole = reader.get()) {
            bytes = whole.readAllBytes();
        } catch (IOException e) {
            // Read again, lazily, the reader fails the way a reader of this body always does.
            return Optional.of(new StoredBody(size, reader.get()));
        }
        tier.keepBody(id, new CacheKey(text(found.get(5))), bytes);
        return Optional.of(stored(bytes));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sent without waiting for Redis: a hit never waits for its record, and a record lost to a
     * Redis that is down only lets the entry expire on time.
     */
    @Override
    public void recordAccess(UUID id) {
        if (!closed) {
            script.send("access", "record a hit of entry " + id, id, clock.millis(), options.readGrace().toMillis());
        }
    }

    @Override
    public boolean update(Entry entry) {
        Objects.requireNonNull(entry, "entry");
        requireOpen();
        try {
            return script.number("update", "update entry " + entry.id(), entry.id(), EntryCodec.encode(entry),
                    entry.responseTime().toEpochMilli(), clock.millis()) == 1;
        } finally {
            tier.changed(Change.of(entry.key()));
        }
    }

    @Override
    public boolean remove(UUID id) {
        Objects.requireNonNull(id, "id");
        requireOpen();
        Change reached = Change.everything();
        try {
            List<Object> removed = script.list("remove", "remove entry " + id, id, clock.millis(),
                    options.readGrace().toMillis());
            reached = Change.of(keysTaken(removed, 1));
            return (Long) removed.get(0) == 1;
        } finally {
            tier.changed(reached);
        }
    }

    @Override
    public long invalidate(URI url) {
        String normalized = CacheKey.normalizeUrl(Objects.requireNonNull(url, "url"));
        requireOpen();
        return pages(() -> script.list("invalidate", "invalidate " + normalized,
                normalized, clock.millis(), options.incompleteGrace().toMillis(), options.readGrace().toMillis(),
                batch()));
    }

    @Override
    public long purgeByPrefix(String urlPrefix) {
        Objects.requireNonNull(urlPrefix, "urlPrefix");
        requireOpen();
        long now = clock.millis();
        return pages(() -> script.list("purgePrefix", "purge " + urlPrefix + "*",
                urlPrefix, now, options.readGrace().toMillis(), batch(), options.incompleteGrace().toMillis()));
    }

    @Override
    public long purgeByTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        requireOpen();
        long now = clock.millis();
        return pages(() -> script.list("purgeTag", "purge tag " + tag, tag, now, options.readGrace().toMillis(),
                batch(), options.incompleteGrace().toMillis()));
    }

    @Override
    public long purgeAll() {
        requireOpen();
        try {
            script.number("doomWriters", "purge the entries being written", clock.millis(),
                    options.incompleteGrace().toMillis());
            return pages(() -> script.list("purgeAll", "purge everything", clock.millis(),
                    options.readGrace().toMillis(), batch()));
        } finally {
            tier.changed(Change.everything());
        }
    }

    @Override
    public StorageStatistics statistics() {
        requireOpen();
        List<Object> counts = script.list("statistics", "count its entries");
        return new StorageStatistics((Long) counts.get(0), (Long) counts.get(1));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script call walks the index of stored-at times from its newest end, stepping over the
     * entries before the offset: a far offset costs the entries before it.
     */
    @Override
    public List<EntrySummary> list(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, but was " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", but was " + limit);
        }
        requireOpen();
        List<EntrySummary> page = new ArrayList<>();
        for (Object row : script.list("list", "list entries from " + offset, offset, limit, clock.millis())) {
            List<?> fields = (List<?>) row;
            UUID id = UUID.fromString(text(fields.get(0)));
            Optional<Entry> entry = decode(id, new CacheKey(text(fields.get(2))), (byte[]) fields.get(1));
            if (entry.isEmpty()) {
                continue;
            }
            String expires = text(fields.get(5));
            Set<String> tags = new LinkedHashSet<>();
            for (Object tag : (List<?>) fields.get(6)) {
                tags.add(text(tag));
            }
            Response response = entry.get().response();
            page.add(new EntrySummary(id, entry.get().request().method(), text(fields.get(3)), response.status(),
                    Long.parseLong(text(fields.get(4))), entry.get().responseTime(),
                    expires.equals("-1") ? null : Instant.ofEpochMilli(Long.parseLong(expires)), tags));
        }
        return page;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Redis deletes removed entries itself once their read grace has passed, so
     * {@link CleanupResult#removed()} is always 0; {@link CleanupResult#orphanedChunks()} counts
     * the index records of entries that Redis expired or evicted by itself.
     */
    @Override
    public CleanupResult cleanUp() {
        requireOpen();
        List<Object> done = script.list("cleanUp", "clean up", clock.millis(), options.readGrace().toMillis(),
                options.cleanupBatchSize(), options.maxBytes(), options.maxEntries());
        CleanupResult result = new CleanupResult((Long) done.get(0), 0, (Long) done.get(2), (Long) done.get(1),
                (Long) done.get(3));
        if (result.evicted() > 0) {
            // Eviction took alive entries; which keys, the script does not say.
            tier.changed(Change.everything());
        }
        return result;
    }

    /**
     * The memory tier in front of Redis, as the builder set it.
     *
     * @return its bounds, or {@link MemoryTier#off()}
     */
    public MemoryTier memoryTier() {
        return memoryTier;
    }

    /** Whether the tier hears the other instances' changes now; true with the tier off. */
    boolean hearsOtherInstances() {
        return channel == null || channel.listening();
    }

    /** Stops the schedule, aborts the writers still open, and closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        if (channel != null) {
            channel.close();
        }
        for (Writer writer : List.copyOf(openWriters)) {
            writer.abort();
        }
        closeConnection();
    }

    @Override
    public String toString() {
        return script.description();
    }

    private Optional<Entry> decode(UUID id, CacheKey key, byte[] data) {
        try {
            return Optional.of(EntryCodec.decode(id, key, data));
        } catch (EntryCodec.CorruptEntryException e) {
            log.warn("{}: {}; the entry is removed", script.description(), e.getMessage());
            removeQuietly(id, "corrupt");
            return Optional.empty();
        }
    }

    private void removeQuietly(UUID id, String why) {
        try {
            remove(id);
        } catch (StorageException e) {
            log.debug("{} could not remove the {} entry {}: {}", script.description(), why, id, e.getMessage());
        }
    }

    /**
     * Runs a batched removal until a call takes less than a batch; sums what it removed. The tier
     * forgets the keys each call reached as it returns — everything, if one failed.
     */
    private long pages(Supplier<List<Object>> page) {
        long removed = 0;
        while (true) {
            Change reached = Change.everything();
            try {
                List<Object> result = page.get();
                reached = Change.of(keysTaken(result, 2));
                removed += (Long) result.get(0);
                if ((Long) result.get(1) < batch()) {
                    return removed;
                }
            } finally {
                tier.changed(reached);
            }
        }
    }

    /** The cache keys the script says it removed entries of, after its counts. */
    private static Set<CacheKey> keysTaken(List<Object> result, int from) {
        Set<CacheKey> keys = new LinkedHashSet<>();
        for (int i = from; i < result.size(); i++) {
            keys.add(new CacheKey(text(result.get(i))));
        }
        return keys;
    }

    private static StoredBody stored(byte[] bytes) {
        return new StoredBody(bytes.length, new ByteArrayInputStream(bytes));
    }

    private int batch() {
        return Math.min(options.cleanupBatchSize(), MAX_PAGE);
    }

    private long lease() {
        return options.incompleteGrace().toMillis();
    }

    private static boolean visible(String expiresAt, long now) {
        return expiresAt.equals("-1") || Long.parseLong(expiresAt) > now;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private void requireOpen() {
        if (closed) {
            throw new StorageException(script.description() + " is closed");
        }
    }

    private ScheduledExecutorService startMaintenance() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hishel-redis-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        long millis = options.cleanupInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                cleanUp();
            } catch (RuntimeException e) {
                log.warn("{} could not clean up; it tries again in {}: {}", script.description(),
                        options.cleanupInterval(), e.getMessage());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return scheduler;
    }

    private void closeConnection() {
        try {
            connection.close();
        } finally {
            if (ownedClient != null) {
                ownedClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    /** What a lookup found of one entry: the entry, its expiry ({@code -1}: none) and its metadata's bytes. */
    private record Found(Entry entry, long expiresAt, int dataBytes) implements Tier.Found {

        /** Alive by its expiry as Redis had it; once past, Redis — which may have a later hit — decides. */
        boolean alive(long now) {
            return expiresAt == -1 || expiresAt > now;
        }
    }

    /** Writes one entry's chunks, each in a call of its own, and commits with the last one. */
    private final class Writer extends ChunkingWriter {

        private final Entry entry;
        private final Long ttl;
        private final boolean refresh;
        private final BodyChecksum checksum = new BodyChecksum();

        Writer(Entry entry, EntryOptions entryOptions) {
            super(options.chunkSize());
            this.entry = entry;
            this.ttl = entryOptions.ttl().or(options::defaultTtl).map(Duration::toMillis).orElse(null);
            this.refresh = entryOptions.refreshTtlOnAccess().orElse(options.refreshTtlOnAccess());
        }

        @Override
        protected void writeChunk(int number, byte[] chunk) {
            script.number("chunk", "write chunk " + number + " of entry " + entry.id(), entry.id(), number,
                    stored(number, chunk), lease());
        }

        @Override
        protected void commitEntry(int number, byte[] last, long size) {
            openWriters.remove(this);
            int chunks = last.length > 0 ? number + 1 : number;
            byte[] lastValue = last.length > 0 ? stored(number, last) : new byte[0];
            long now = clock.millis();
            long expiresAt = ttl == null ? -1 : now + ttl;
            long space = ttl == null ? -1 : ttl + options.readGrace().toMillis();
            long committed;
            try {
                committed = script.number("commit", "commit entry " + entry.id(), entry.id(), number, lastValue,
                        chunks, size, checksum.body(), EntryCodec.encode(entry), entry.key().value(),
                        // Compared with the marks as the earliest the request may have been sent by another instance's clock.
                        entry.responseTime().toEpochMilli(), entry.requestTime().toEpochMilli() - clockToleranceMillis,
                        now, expiresAt, space,
                        refresh ? 1 : 0, ttl == null ? -1 : ttl, options.incompleteGrace().toMillis(),
                        options.maxBytes(), options.maxEntries());
            } finally {
                // A new entry under its key: what the tiers hold of the key is incomplete.
                tier.changed(Change.of(entry.key()));
            }
            if (committed == 2) {
                // Above a bound: evict now, not at the next scheduled round.
                try {
                    cleanUp();
                } catch (StorageException e) {
                    log.debug("{} could not evict after a commit: {}", script.description(), e.getMessage());
                }
            }
        }

        @Override
        protected void abortEntry() {
            openWriters.remove(this);
            try {
                script.number("discard", "discard entry " + entry.id(), entry.id());
            } catch (StorageException e) {
                // Its lease expires it anyway.
                log.debug("{}", e.getMessage());
            }
        }

        private byte[] stored(int number, byte[] chunk) {
            int sum = checksum.chunk(number, chunk);
            byte[] value = new byte[chunk.length + 4];
            value[0] = (byte) (sum >>> 24);
            value[1] = (byte) (sum >>> 16);
            value[2] = (byte) (sum >>> 8);
            value[3] = (byte) sum;
            System.arraycopy(chunk, 0, value, 4, chunk.length);
            return value;
        }
    }

    /** Builds a {@link RedisStorage}. Not thread-safe. */
    public static final class Builder {

        /** As the JDBC storage's: a hit never waits longer than this for the cache. */
        static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);

        private final RedisURI uri;
        private final RedisClient client;
        private final String where;
        private StorageOptions options = StorageOptions.defaults();
        private String keyPrefix = "hishel:";
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration clockTolerance = Duration.ofSeconds(1);
        private MemoryTier memoryTier = MemoryTier.defaults();
        private boolean scheduled = true;

        private Builder(RedisURI uri, RedisClient client, String where) {
            this.uri = uri;
            this.client = client;
            this.where = where;
        }

        /**
         * Sets the storage options (default {@link StorageOptions#defaults()}).
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(StorageOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Sets what every key of this storage starts with (default {@code hishel:}). Storages with
         * different prefixes on one Redis do not see each other's entries; give each application
         * its own, and every instance of one application the same.
         *
         * @param keyPrefix 1 to 200 characters, for example {@code hishel:orders:}
         * @return this builder
         * @throws IllegalArgumentException if empty or longer
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.isEmpty() || keyPrefix.length() > 200) {
                throw new IllegalArgumentException("keyPrefix must be 1 to 200 characters, but was \""
                        + keyPrefix + "\"");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Sets how long a command may take before it fails with a {@link StorageException}
         * (default 500 ms), and, for a client of the storage's own, how long connecting may take.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Require.positive(timeout, "timeout");
            return this;
        }

        /**
         * Sets how far apart the clocks of the instances sharing the Redis may be (default one
         * second, as for {@code JdbcStorage} on PostgreSQL): a response whose request was sent
         * less than this after another instance invalidated its URL, or purged one of its tags or
         * everything, counts as sent before, and is not made visible — so that no instance whose
         * clock is behind brings back what another removed.
         *
         * @param tolerance zero or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder clockTolerance(Duration tolerance) {
            this.clockTolerance = Require.notNegative(tolerance, "clockTolerance");
            return this;
        }

        /**
         * Sets the memory tier in front of Redis (default {@link MemoryTier#defaults()}: on, 32 MiB,
         * bodies up to 64 KiB, five seconds). The instances sharing a key prefix tell each other's
         * tiers of their writes through Redis pub/sub, so another instance's change stops being
         * served here within milliseconds, or — when a message is lost — within
         * {@link MemoryTier#maxAge()}. A change made to the keys other than through a storage is
         * seen within that maximum age.
         *
         * @param tier the tier's bounds, or {@link MemoryTier#off()}
         * @return this builder
         */
        public Builder memoryTier(MemoryTier tier) {
            this.memoryTier = Objects.requireNonNull(tier, "memoryTier");
            return this;
        }

        /**
         * Sets whether clean-up runs on a daemon thread every
         * {@link StorageOptions#cleanupInterval()} (default true); tests turn it off and call
         * {@link RedisStorage#cleanUp()}.
         *
         * @param scheduled whether to schedule clean-up
         * @return this builder
         */
        public Builder scheduleMaintenance(boolean scheduled) {
            this.scheduled = scheduled;
            return this;
        }

        /**
         * Connects and builds the storage.
         *
         * @return the storage
         * @throws StorageException if Redis cannot be reached within the timeout
         */
        public RedisStorage build() {
            if (client != null) {
                return new RedisStorage(this, client, null);
            }
            RedisClient own = RedisClient.create(uri);
            own.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .build());
            return new RedisStorage(this, own, own);
        }
    }
}
