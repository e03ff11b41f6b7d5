package io.hishel.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import io.hishel.ChildJvm;
import io.hishel.RedisServer;
import io.hishel.TcpProxy;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.CorruptBodyException;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StorageStatistics;
import io.hishel.storage.StoredBody;
import io.hishel.storage.StoredRequest;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Redis as the cache of a fleet: shared by instances, apart between applications, and what Redis does to it. */
class RedisStorageBehaviourTest {

    private final RedisKeys keys = new RedisKeys();
    private final List<RedisStorage> storages = new ArrayList<>();

    @BeforeAll
    static void requireRedis() {
        RedisServer.assumeReachable();
    }

    @AfterEach
    void close() {
        storages.forEach(RedisStorage::close);
        keys.close();
    }

    private RedisStorage storage(String url, String prefix, StorageOptions options) {
        RedisStorage storage = RedisStorage.builder(RedisURI.create(url)).keyPrefix(prefix)
                .options(options.toBuilder().chunkSize(16 * 1024).build()).scheduleMaintenance(false).build();
        storages.add(storage);
        return storage;
    }

    private RedisStorage storage(String prefix) {
        return storage(RedisServer.URL, prefix, StorageOptions.defaults());
    }

    private static Entry entry(String url, byte[] body) {
        return new Entry(UUID.randomUUID(), new CacheKey("GET " + url), new StoredRequest("GET", URI.create(url), ""),
                new Response(200, Headers.of("X-Sha256", sha256(body))), Instant.now(), Instant.now());
    }

    private static Entry put(RedisStorage storage, String url, byte[] body) {
        return put(storage, url, body, EntryOptions.defaults());
    }

    private static Entry put(RedisStorage storage, String url, byte[] body, EntryOptions options) {
        Entry entry = entry(url, body);
        try (EntryWriter writer = storage.create(entry, options)) {
            writer.write(body);
            writer.commit();
        }
        return entry;
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(RedisStorage storage, UUID id) throws IOException {
        try (StoredBody body = storage.openBody(id).orElseThrow()) {
            return body.stream().readAllBytes();
        }
    }

    @Test
    void storagesUnderDifferentPrefixesDoNotSeeEachOthersEntries() throws IOException {
        RedisStorage orders = storage(keys.newPrefix());
        RedisStorage billing = storage(keys.newPrefix());
        Entry ours = put(orders, "https://example.com/shared", bytes(40_000, 1));
        Entry theirs = put(billing, "https://example.com/shared", bytes(30_000, 2));

        assertThat(orders.entries(ours.key())).containsExactly(ours);
        assertThat(billing.entries(ours.key())).containsExactly(theirs);
        assertThat(billing.openBody(ours.id())).isEmpty();
        assertThat(billing.purgeAll()).isEqualTo(1);
        assertThat(billing.invalidate(URI.create("https://example.com/shared"))).isZero();

        assertThat(orders.entries(ours.key())).containsExactly(ours);
        assertThat(read(orders, ours.id())).isEqualTo(bytes(40_000, 1));
        assertThat(orders.statistics()).isEqualTo(new StorageStatistics(1, 40_000));
        assertThat(orders.list(0, 10)).hasSize(1);
    }

    @Test
    void instancesUnderOnePrefixShareEntriesAndInvalidations() throws IOException {
        String prefix = keys.newPrefix();
        RedisStorage first = storage(prefix);
        RedisStorage second = storage(prefix);

        Entry written = put(first, "https://example.com/shared", bytes(1000, 1), EntryOptions.defaults()
                .withTags(List.of("news")));

        assertThat(second.entries(written.key())).containsExactly(written);
        assertThat(read(second, written.id())).isEqualTo(bytes(1000, 1));
        assertThat(second.purgeByTag("news")).isEqualTo(1);
        assertThat(first.entries(written.key())).isEmpty();
    }

    /** As for an invalidation (RFC 9111 §4.4): a purge is not undone by a response the application made before it. */
    @Test
    void aResponseRequestedBeforeAPurgeIsNotMadeVisibleAfterIt() {
        RedisStorage storage = storage(keys.newPrefix());
        Entry template = entry("https://example.com/tagged", new byte[0]);
        // Sent before the purges by this instance's clock, or within the tolerance of another's.
        Instant before = Instant.now().plusMillis(500);
        Entry requestedBefore = new Entry(template.id(), template.key(), template.request(), template.response(),
                before, before);

        storage.purgeByTag("news");
        try (EntryWriter writer = storage.create(requestedBefore, EntryOptions.defaults().withTags(List.of("news")))) {
            writer.write(bytes(100, 1));
            writer.commit();
        }
        Entry untagged = new Entry(UUID.randomUUID(), template.key(), template.request(), template.response(),
                before, before);
        storage.purgeAll();
        try (EntryWriter writer = storage.create(untagged, EntryOptions.defaults())) {
            writer.write(bytes(100, 2));
            writer.commit();
        }
        // Requested after both, by more than the instances' clock tolerance.
        Instant later = Instant.now().plusMillis(1_100);
        Entry after = new Entry(UUID.randomUUID(), template.key(), template.request(), template.response(), later,
                later);
        try (EntryWriter writer = storage.create(after, EntryOptions.defaults().withTags(List.of("news")))) {
            writer.write(bytes(100, 3));
            writer.commit();
        }

        assertThat(storage.entries(template.key())).containsExactly(after);
    }

    @Test
    void aWriterThatDiesLeavesNothingVisibleAndNothingPastItsLease() {
        String prefix = keys.newPrefix();
        RedisStorage storage = storage(RedisServer.URL, prefix,
                StorageOptions.builder().incompleteGrace(Duration.ofMillis(500)).build());
        Entry entry = entry("https://example.com/dying", new byte[0]);
        EntryWriter writer = storage.create(entry, EntryOptions.defaults().withTags(List.of("news")));
        writer.write(bytes(50_000, 3));
        // The writer's process dies here: nothing closes it.

        assertThat(storage.entries(entry.key())).isEmpty();
        assertThat(storage.openBody(entry.id())).isEmpty();
        assertThat(storage.list(0, 10)).isEmpty();
        assertThat(keys.keys(prefix)).contains(prefix + "b:" + entry.id());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> keys.keys(prefix).stream().noneMatch(key -> key.contains(entry.id().toString())));

        assertThat(storage.cleanUp().incomplete()).isEqualTo(1);
        assertThat(keys.keys(prefix)).isEmpty();
        assertThat(storage.statistics()).isEqualTo(new StorageStatistics(0, 0));
    }

    @Test
    void aBodyRedisEvictedIsAMissAndItsEntryGoes() {
        String prefix = keys.newPrefix();
        RedisStorage storage = storage(prefix);
        Entry whole = put(storage, "https://example.com/whole", bytes(50_000, 1));
        Entry partly = put(storage, "https://example.com/partly", bytes(50_000, 2));

        keys.redis().del(prefix + "b:" + whole.id());
        keys.redis().hdel(prefix + "b:" + partly.id(), "2");

        assertThat(storage.openBody(whole.id())).isEmpty();
        assertThat(storage.openBody(partly.id())).isEmpty();
        assertThat(storage.entries(whole.key())).isEmpty();
        assertThat(storage.entries(partly.key())).isEmpty();
        assertThat(storage.statistics()).isEqualTo(new StorageStatistics(0, 0));
    }

    @Test
    void aBodyEvictedWhileItIsReadFailsTheReadInsteadOfEndingIt() throws IOException {
        String prefix = keys.newPrefix();
        RedisStorage storage = storage(prefix);
        // Larger than the memory tier keeps: read chunk by chunk, as every large body is.
        Entry entry = put(storage, "https://example.com/read", bytes(100_000, 1));

        try (StoredBody body = storage.openBody(entry.id()).orElseThrow(); InputStream in = body.stream()) {
            assertThat(in.readNBytes(20_000)).isEqualTo(Arrays.copyOf(bytes(100_000, 1), 20_000));
            keys.redis().del(prefix + "b:" + entry.id());

            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("lost chunk 2").hasMessageContaining(entry.id().toString());
        }
    }

    @Test
    void aChangedChunkIsNeverHandedOnAndItsEntryGoes() throws IOException {
        String prefix = keys.newPrefix();
        RedisStorage storage = storage(prefix);
        Entry entry = put(storage, "https://example.com/changed", bytes(50_000, 1));
        String chunkKey = prefix + "b:" + entry.id();
        // One byte of chunk 1 flips, as a failing medium would flip it.
        byte[] stored = keys.binary().hget(chunkKey.getBytes(), "1".getBytes());
        stored[100] ^= 1;
        keys.binary().hset(chunkKey.getBytes(), "1".getBytes(), stored);

        try (StoredBody body = storage.openBody(entry.id()).orElseThrow(); InputStream in = body.stream()) {
            assertThat(in.readNBytes(16 * 1024)).isEqualTo(Arrays.copyOf(bytes(50_000, 1), 16 * 1024));
            assertThatThrownBy(() -> in.readNBytes(10)).isInstanceOf(CorruptBodyException.class)
                    .hasMessageContaining("Chunk 1");
        }
        assertThat(storage.entries(entry.key())).isEmpty();
    }

    @Test
    void atItsMaxmemoryRedisEvictsWholeBodiesAndNoneIsServedShort() throws Exception {
        try (PrivateRedis redis = PrivateRedis.launch("--maxmemory", "3mb", "--maxmemory-policy", "allkeys-lru")) {
            RedisStorage storage = storage(redis.url(), "hishel:", StorageOptions.defaults());
            List<Entry> stored = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                try {
                    stored.add(put(storage, "https://example.com/" + i, bytes(200_000, i),
                            EntryOptions.defaults().withTtl(Duration.ofHours(1))));
                } catch (StorageException refused) {
                    // OOM while Redis frees space: the filter would serve this one without the cache.
                }
            }
            int hits = 0;
            int misses = 0;
            for (Entry entry : stored) {
                List<Entry> found = storage.entries(entry.key());
                Optional<StoredBody> body = found.isEmpty() ? Optional.empty() : storage.openBody(entry.id());
                if (body.isEmpty()) {
                    misses++;
                    continue;
                }
                try (StoredBody opened = body.get()) {
                    assertThat(sha256(opened.stream().readAllBytes()))
                            .isEqualTo(entry.response().headers().firstValue("X-Sha256").orElseThrow());
                    hits++;
                }
            }
            assertThat(misses).as("entries Redis evicted").isPositive();
            assertThat(hits).as("entries still whole").isPositive();
        }
    }

    @Test
    void aRedisThatDiesFailsCallsPromptlyAndIsUsedAgainOnceItIsBack() throws Exception {
        try (PrivateRedis redis = PrivateRedis.launch()) {
            RedisStorage storage = storage(redis.url(), "hishel:", StorageOptions.defaults());
            Entry before = put(storage, "https://example.com/a", bytes(1000, 1));

            redis.kill();

            long started = System.nanoTime();
            assertThatThrownBy(() -> storage.entries(before.key())).isInstanceOf(StorageException.class)
                    .hasMessageContaining("Redis storage");
            assertThatThrownBy(() -> storage.create(entry("https://example.com/b", new byte[0]),
                    EntryOptions.defaults())).isInstanceOf(StorageException.class);
            storage.recordAccess(before.id());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

            redis.start();

            // It came back empty, without its script: the storage reconnects and loads it again.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> storage.entries(before.key()).isEmpty());
            Entry after = put(storage, "https://example.com/a", bytes(2000, 2));
            assertThat(read(storage, after.id())).isEqualTo(bytes(2000, 2));
        }
    }

    @Test
    void aRedisThatStopsAnsweringFailsCallsWithinTheTimeout() throws Exception {
        URI shared = URI.create(RedisServer.URL);
        try (TcpProxy proxy = new TcpProxy(shared.getHost(), shared.getPort())) {
            RedisStorage storage = storage("redis://127.0.0.1:" + proxy.port(), keys.newPrefix(),
                    StorageOptions.defaults());
            Entry entry = put(storage, "https://example.com/a", bytes(1000, 1));

            proxy.stall();
            long started = System.nanoTime();
            assertThatThrownBy(() -> storage.entries(entry.key())).isInstanceOf(StorageException.class)
                    .hasMessageContaining("look up");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
            proxy.resume();

            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> storage.entries(entry.key()).size() == 1);
            assertThat(read(storage, entry.id())).isEqualTo(bytes(1000, 1));
        }
    }

    @Test
    void streamsA100MiBBodyThroughAHeapOf32MiB() throws Exception {
        ChildJvm child = ChildJvm.start("32m", LargeBodyRoundTrip.class, RedisServer.URL, keys.newPrefix(),
                Long.toString(100L * 1024 * 1024));

        String written = child.awaitLine("WRITTEN ").substring("WRITTEN ".length());
        assertThat(child.awaitLine("READ ")).startsWith("READ " + written + " " + 100L * 1024 * 1024);
        assertThat(child.awaitExit()).isZero();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
