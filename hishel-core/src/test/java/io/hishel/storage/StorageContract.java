package io.hishel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.hishel.MutableClock;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Storage}, run against every implementation: a subclass says how to make
 * a fresh, empty storage, and inherits every test.
 */
public abstract class StorageContract {

    protected final MutableClock clock = new MutableClock();
    private final List<Storage> opened = new ArrayList<>();

    /**
     * A new, empty storage with these options. The contract closes it after each test.
     *
     * @param options the options, whose clock is {@link #clock}
     */
    protected abstract Storage newStorage(StorageOptions options);

    /** How large a body the streaming test writes. */
    protected long largeBodySize() {
        return 100L * 1024 * 1024;
    }

    protected StorageOptions.Builder options() {
        return StorageOptions.builder().clock(clock).chunkSize(16 * 1024).maxBytes(1L << 30);
    }

    protected final Storage storage(StorageOptions options) {
        Storage storage = newStorage(options);
        opened.add(storage);
        return storage;
    }

    protected final Storage storage() {
        return storage(options().build());
    }

    /** Closes the storages this test opened; a subclass that tears down more calls it first. */
    @AfterEach
    protected final void closeStorages() {
        opened.forEach(Storage::close);
        opened.clear();
    }

    // Helpers.

    protected Entry entry(String url) {
        return entry(url, "GET", "");
    }

    protected Entry entry(String url, String method, String varyKey) {
        URI uri = URI.create(url);
        CacheKey key = new CacheKey(CacheKey.methodGroup(method) + " " + CacheKey.normalizeUrl(uri)
                + (method.equals("POST") ? " body=" + varyKey : ""));
        Instant now = clock.instant();
        Response response = new Response(200, Headers.of("Content-Type", "text/plain", "Set-Cookie", "a=1",
                "Set-Cookie", "b=2", "X-Entry", url));
        return new Entry(UUID.randomUUID(), key, new StoredRequest(method, uri, varyKey), response, now, now);
    }

    protected Entry put(Storage storage, Entry entry, byte[] body) {
        return put(storage, entry, body, EntryOptions.defaults());
    }

    protected Entry put(Storage storage, Entry entry, byte[] body, EntryOptions options) {
        try (EntryWriter writer = storage.create(entry, options)) {
            writer.write(body);
            writer.commit();
        }
        return entry;
    }

    protected static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected static byte[] read(Storage storage, UUID id) {
        Optional<StoredBody> body = storage.openBody(id);
        assertThat(body).as("body of %s", id).isPresent();
        try (StoredBody stored = body.get()) {
            byte[] bytes = stored.stream().readAllBytes();
            assertThat((long) bytes.length).isEqualTo(stored.size());
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static List<UUID> ids(List<Entry> entries) {
        return entries.stream().map(Entry::id).toList();
    }

    // The contract.

    @Test
    void anEntryIsVisibleOnlyOnceCommitted() {
        Storage storage = storage();
        Entry entry = entry("https://example.com/a");

        try (EntryWriter writer = storage.create(entry, EntryOptions.defaults())) {
            writer.write(bytes(40_000, 1));
            assertThat(storage.entries(entry.key())).isEmpty();
            assertThat(storage.openBody(entry.id())).isEmpty();
            writer.write(bytes(10, 2));
            assertThat(writer.size()).isEqualTo(40_010);
            writer.commit();
        }

        assertThat(storage.entries(entry.key())).containsExactly(entry);
        assertThat(read(storage, entry.id())).hasSize(40_010);
        assertThat(storage.statistics()).isEqualTo(new StorageStatistics(1, 40_010));
    }

    @Test
    void keepsTheMetadataExactlyAsGiven() {
        Storage storage = storage();
        Entry entry = put(storage, entry("https://example.com/a?q=1"), new byte[0]);

        Entry stored = storage.entries(entry.key()).get(0);

        assertThat(stored).isEqualTo(entry);
        assertThat(stored.response().headers().allValues("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(read(storage, entry.id())).isEmpty();
    }

    @Test
    void anAbortedOrUnclosedWriterLeavesNothing() {
        Storage storage = storage();
        Entry aborted = entry("https://example.com/a");
        Entry closed = entry("https://example.com/a");

        EntryWriter writer = storage.create(aborted, EntryOptions.defaults());
        writer.write(bytes(50_000, 3));
        writer.abort();
        writer.abort();
        try (EntryWriter other = storage.create(closed, EntryOptions.defaults())) {
            other.write(bytes(50_000, 4));
        }

        assertThat(storage.entries(aborted.key())).isEmpty();
        assertThat(storage.openBody(aborted.id())).isEmpty();
        assertThat(storage.statistics()).isEqualTo(new StorageStatistics(0, 0));
        assertThatThrownBy(() -> writer.write(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCommittedWriterTakesNoMoreBytes() {
        Storage storage = storage();
        EntryWriter writer = storage.create(entry("https://example.com/a"), EntryOptions.defaults());
        writer.commit();

        assertThatThrownBy(() -> writer.write(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class);
        writer.close();
    }

    @Test
    void groupsEntriesByKey() {
        Storage storage = storage();
        Entry first = put(storage, entry("https://example.com/a"), bytes(10, 1));
        Entry variant = put(storage, new Entry(UUID.randomUUID(), first.key(), first.request(), first.response(),
                first.requestTime(), first.responseTime()), bytes(20, 2));
        Entry other = put(storage, entry("https://example.com/b"), bytes(30, 3));

        assertThat(ids(storage.entries(first.key()))).containsExactlyInAnyOrder(first.id(), variant.id());
        assertThat(ids(storage.entries(other.key()))).containsExactly(other.id());
        assertThat(storage.entries(new CacheKey("GET https://example.com/none"))).isEmpty();
    }

    @Test
    void updateReplacesTheMetadataAndKeepsTheBody() {
        Storage storage = storage();
        byte[] body = bytes(70_000, 5);
        Entry entry = put(storage, entry("https://example.com/a"), body);
        clock.advanceSeconds(30);
        Entry freshened = entry.freshened(entry.request(), new Response(200, Headers.of("ETag", "\"v2\"")),
                clock.instant(), clock.instant());

        assertThat(storage.update(freshened)).isTrue();

        assertThat(storage.entries(entry.key())).containsExactly(freshened);
        assertThat(read(storage, entry.id())).isEqualTo(body);
        assertThat(storage.update(entry("https://example.com/missing"))).isFalse();
    }

    @Test
    void removedEntriesAreNeverReturned() {
        Storage storage = storage();
        Entry entry = put(storage, entry("https://example.com/a"), bytes(100, 1));

        assertThat(storage.remove(entry.id())).isTrue();

        assertThat(storage.entries(entry.key())).isEmpty();
        assertThat(storage.openBody(entry.id())).isEmpty();
        assertThat(storage.update(entry)).isFalse();
        assertThat(storage.remove(entry.id())).isFalse();
        assertThat(storage.statistics().entries()).isZero();
    }

    @Test
    void streamsALargeBodyAndReadsBackEveryByte() throws Exception {
        Storage storage = storage(options().chunkSize(64 * 1024).maxBytes(largeBodySize() * 2).build());
        Entry entry = entry("https://example.com/large");
        MessageDigest written = sha256();
        byte[] piece = new byte[8 * 1024 + 7];
        Random random = new Random(42);
        long remaining = largeBodySize();
        try (EntryWriter writer = storage.create(entry, EntryOptions.defaults())) {
            while (remaining > 0) {
                random.nextBytes(piece);
                int length = (int) Math.min(piece.length, remaining);
                writer.write(piece, 0, length);
                written.update(piece, 0, length);
                remaining -= length;
            }
            writer.commit();
        }

        MessageDigest read = sha256();
        long size;
        try (StoredBody body = storage.openBody(entry.id()).orElseThrow(); InputStream in = body.stream()) {
            size = body.size();
            byte[] buffer = new byte[13_001];
            for (int n; (n = in.read(buffer)) > 0; ) {
                read.update(buffer, 0, n);
            }
        }
        assertThat(size).isEqualTo(largeBodySize());
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(HexFormat.of().formatHex(written.digest()));
    }

    @Test
    void readsStreamByteByByteAndInChunksAlike() throws IOException {
        Storage storage = storage(options().chunkSize(1024).build());
        byte[] body = bytes(5_000, 9);
        Entry entry = put(storage, entry("https://example.com/a"), body);

        try (StoredBody stored = storage.openBody(entry.id()).orElseThrow()) {
            InputStream in = stored.stream();
            assertThat(in.read()).isEqualTo(body[0] & 0xff);
            byte[] rest = new byte[body.length - 1];
            assertThat(in.readNBytes(rest, 0, rest.length)).isEqualTo(rest.length);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(body, 1, body.length));
        }
    }

    @Test
    void concurrentWritersReadersUpdatersAndRemoversNeverMixUpBodies() throws Exception {
        Storage storage = storage(options().chunkSize(4 * 1024).build());
        int threads = 8;
        int operations = 150;
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(thread);
                try {
                    start.await();
                    for (int i = 0; i < operations; i++) {
                        String url = "https://example.com/item/" + random.nextInt(12);
                        Entry template = entry(url);
                        switch (random.nextInt(4)) {
                            case 0, 1 -> {
                                byte[] body = bytes(random.nextInt(20_000), random.nextLong());
                                Entry entry = new Entry(template.id(), template.key(), template.request(),
                                        new Response(200, Headers.of("X-Sha256", sha256Hex(body), "X-Url", url)),
                                        template.requestTime(), template.responseTime());
                                put(storage, entry, body);
                            }
                            case 2 -> {
                                for (Entry entry : storage.entries(template.key())) {
                                    assertThat(entry.request().url().toString()).isEqualTo(url);
                                    Optional<StoredBody> body = storage.openBody(entry.id());
                                    if (body.isPresent()) {
                                        byte[] bytes;
                                        try (StoredBody stored = body.get()) {
                                            bytes = stored.stream().readAllBytes();
                                        } catch (IOException gone) {
                                            continue; // removed while reading: allowed, never mixed up
                                        }
                                        assertThat(sha256Hex(bytes)).isEqualTo(
                                                entry.response().headers().firstValue("X-Sha256").orElseThrow());
                                        reads.incrementAndGet();
                                    }
                                    storage.recordAccess(entry.id());
                                }
                            }
                            default -> {
                                List<Entry> entries = storage.entries(template.key());
                                if (!entries.isEmpty()) {
                                    Entry victim = entries.get(random.nextInt(entries.size()));
                                    if (random.nextBoolean()) {
                                        storage.remove(victim.id());
                                    } else {
                                        storage.update(victim.freshened(victim.request(), victim.response()
                                                .withHeaders(victim.response().headers().with("X-Updated", "yes")),
                                                victim.requestTime(), victim.responseTime()));
                                    }
                                }
                            }
                        }
                    }
                } catch (Throwable failure) {
                    failures.add(failure);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
        for (int i = 0; i < 12; i++) {
            for (Entry entry : storage.entries(entry("https://example.com/item/" + i).key())) {
                assertThat(sha256Hex(read(storage, entry.id())))
                        .isEqualTo(entry.response().headers().firstValue("X-Sha256").orElseThrow());
            }
        }
    }

    @Test
    void anEntryPastItsTtlIsNeverReturned() {
        Storage storage = storage(options().defaultTtl(Duration.ofMinutes(10)).refreshTtlOnAccess(false).build());
        Entry byDefault = put(storage, entry("https://example.com/a"), bytes(10, 1));
        Entry shorter = put(storage, entry("https://example.com/b"), bytes(10, 1),
                EntryOptions.defaults().withTtl(Duration.ofMinutes(1)));

        clock.advanceSeconds(59);
        assertThat(storage.entries(shorter.key())).hasSize(1);
        clock.advanceSeconds(1);
        assertThat(storage.entries(shorter.key())).isEmpty();
        assertThat(storage.openBody(shorter.id())).isEmpty();
        assertThat(storage.entries(byDefault.key())).hasSize(1);
        clock.advanceSeconds(540);
        assertThat(storage.entries(byDefault.key())).isEmpty();
    }

    @Test
    void aZeroTtlExpiresAtOnce() {
        Storage storage = storage();
        Entry entry = put(storage, entry("https://example.com/a"), bytes(10, 1),
                EntryOptions.defaults().withTtl(Duration.ZERO));

        assertThat(storage.entries(entry.key())).isEmpty();
    }

    @Test
    void withoutATtlAnEntryStays() {
        Storage storage = storage();
        Entry entry = put(storage, entry("https://example.com/a"), bytes(10, 1));

        clock.advance(Duration.ofDays(365));
        storage.cleanUp();

        assertThat(storage.entries(entry.key())).hasSize(1);
    }

    @Test
    void aHitRestartsTheTtlOfAnEntryThatRefreshesOnAccess() {
        Storage storage = storage(options().defaultTtl(Duration.ofMinutes(10)).build());
        Entry refreshing = put(storage, entry("https://example.com/a"), bytes(10, 1));
        Entry fixed = put(storage, entry("https://example.com/b"), bytes(10, 1),
                EntryOptions.defaults().withRefreshTtlOnAccess(false));

        for (int minute = 0; minute < 30; minute += 5) {
            clock.advance(Duration.ofMinutes(5));
            storage.recordAccess(refreshing.id());
            storage.recordAccess(fixed.id());
        }

        assertThat(storage.entries(refreshing.key())).hasSize(1);
        assertThat(storage.entries(fixed.key())).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(storage.entries(refreshing.key())).isEmpty();
    }

    @Test
    void cleanUpDeletesExpiredEntries() {
        Storage storage = storage(options().defaultTtl(Duration.ofMinutes(1)).build());
        put(storage, entry("https://example.com/a"), bytes(1000, 1));
        put(storage, entry("https://example.com/b"), bytes(1000, 2),
                EntryOptions.defaults().withTtl(Duration.ofDays(1)));

        clock.advance(Duration.ofMinutes(2));
        storage.cleanUp();

        assertThat(storage.statistics()).isEqualTo(new StorageStatistics(1, 1000));
    }

    @Test
    void staysWithinItsSizeBoundEvictingTheLeastRecentlyUsedFirst() {
        Storage storage = storage(options().maxBytes(100_000).build());
        Entry favourite = put(storage, entry("https://example.com/favourite"), bytes(10_000, 0));
        for (int i = 0; i < 40; i++) {
            clock.advanceSeconds(1);
            storage.recordAccess(favourite.id());
            storage.entries(favourite.key());
            put(storage, entry("https://example.com/" + i), bytes(10_000, i));
        }
        storage.cleanUp();

        StorageStatistics statistics = storage.statistics();
        assertThat(statistics.bytes()).isLessThanOrEqualTo(100_000);
        assertThat(statistics.entries()).isGreaterThanOrEqualTo(5);
        assertThat(storage.entries(favourite.key())).hasSize(1);
    }

    @Test
    void staysWithinItsEntryBound() {
        Storage storage = storage(options().maxEntries(5).build());
        for (int i = 0; i < 20; i++) {
            clock.advanceSeconds(1);
            put(storage, entry("https://example.com/" + i), bytes(10, i));
        }
        storage.cleanUp();

        assertThat(storage.statistics().entries()).isBetween(1L, 5L);
    }

    @Test
    void invalidatingAUriRemovesEveryMethodAndVariant() {
        Storage storage = storage();
        Entry get = put(storage, entry("https://example.com/items?page=1"), bytes(10, 1));
        Entry variant = put(storage, entry("https://EXAMPLE.com:443/items?page=1", "GET", "vary-de"), bytes(10, 2));
        Entry post = put(storage, entry("https://example.com/items?page=1", "POST", "digest"), bytes(10, 3));
        Entry otherQuery = put(storage, entry("https://example.com/items?page=2"), bytes(10, 4));

        assertThat(storage.invalidate(URI.create("https://example.com/items?page=1"))).isEqualTo(3);

        assertThat(storage.entries(get.key())).isEmpty();
        assertThat(storage.entries(variant.key())).isEmpty();
        assertThat(storage.entries(post.key())).isEmpty();
        assertThat(storage.entries(otherQuery.key())).hasSize(1);
    }

    @Test
    void anEntryInvalidatedWhileItWasWrittenNeverAppears() {
        Storage storage = storage();
        Entry racing = entry("https://example.com/items");
        Entry purged = entry("https://example.com/other");
        EntryWriter first = storage.create(racing, EntryOptions.defaults());
        EntryWriter second = storage.create(purged, EntryOptions.defaults().withTags(List.of("t")));
        first.write(bytes(100, 1));
        second.write(bytes(100, 2));

        storage.invalidate(URI.create("https://example.com/items"));
        storage.purgeByTag("t");
        first.commit();
        second.commit();

        assertThat(storage.entries(racing.key())).isEmpty();
        assertThat(storage.entries(purged.key())).isEmpty();
    }

    /** RFC 9111 §4.4: a response the application produced before an unsafe request completed must not undo it. */
    @Test
    void aResponseRequestedBeforeAnInvalidationIsNotMadeVisibleAfterIt() {
        Storage storage = storage();
        Entry requestedBefore = entry("https://example.com/items");
        clock.advanceSeconds(10);
        storage.invalidate(URI.create("https://example.com/items"));

        put(storage, requestedBefore, bytes(100, 1));

        assertThat(storage.entries(requestedBefore.key())).isEmpty();
        assertThat(storage.statistics().entries()).isZero();
    }

    /**
     * A purge is an operator's or the application's write (an {@code HttpCacheEvictor}, the
     * Actuator endpoint): a miss whose request was sent before it must not store the old version
     * after it, whether it purged a tag, a prefix or everything (issue 18: seen in a fleet).
     */
    @Test
    void aResponseRequestedBeforeAPurgeIsNotMadeVisibleAfterIt() {
        Storage storage = storage();
        EntryOptions tagged = EntryOptions.defaults().withTags(List.of("catalog"));
        Entry beforeTagPurge = entry("https://example.com/tagged");
        Entry beforePrefixPurge = entry("https://example.com/shop/items");
        Entry beforePurgeAll = entry("https://example.com/anything");
        Entry otherBefore = entry("https://example.com/untagged");
        clock.advanceSeconds(10);
        storage.purgeByTag("catalog");
        storage.purgeByPrefix("https://example.com/shop/");

        put(storage, beforeTagPurge, bytes(100, 1), tagged);
        put(storage, beforePrefixPurge, bytes(100, 2));
        put(storage, otherBefore, bytes(100, 3), EntryOptions.defaults().withTags(List.of("other")));

        assertThat(storage.entries(beforeTagPurge.key())).isEmpty();
        assertThat(storage.entries(beforePrefixPurge.key())).isEmpty();
        // Neither purge reached it: it is not held back.
        assertThat(ids(storage.entries(otherBefore.key()))).containsExactly(otherBefore.id());

        storage.purgeAll();
        put(storage, beforePurgeAll, bytes(100, 4));
        assertThat(storage.entries(beforePurgeAll.key())).isEmpty();
        assertThat(storage.statistics().entries()).isZero();
    }

    @Test
    void aResponseRequestedAfterAPurgeIsStored() {
        Storage storage = storage();
        EntryOptions tagged = EntryOptions.defaults().withTags(List.of("catalog"));
        storage.purgeByTag("catalog");
        storage.purgeByPrefix("https://example.com/shop/");
        storage.purgeAll();
        clock.advanceSeconds(5);

        Entry taggedAfter = put(storage, entry("https://example.com/tagged"), bytes(100, 1), tagged);
        Entry underPrefixAfter = put(storage, entry("https://example.com/shop/items"), bytes(100, 2));

        assertThat(ids(storage.entries(taggedAfter.key()))).containsExactly(taggedAfter.id());
        assertThat(ids(storage.entries(underPrefixAfter.key()))).containsExactly(underPrefixAfter.id());
    }

    @Test
    void aResponseRequestedAfterAnInvalidationIsStoredAndOtherUrlsAreNotHeldBack() {
        Storage storage = storage();
        Entry otherUrl = entry("https://example.com/other");
        storage.invalidate(URI.create("https://example.com/items"));
        clock.advanceSeconds(5);

        Entry requestedAfter = put(storage, entry("https://example.com/items"), bytes(100, 1));
        put(storage, otherUrl, bytes(100, 2));

        assertThat(ids(storage.entries(requestedAfter.key()))).containsExactly(requestedAfter.id());
        assertThat(ids(storage.entries(otherUrl.key()))).containsExactly(otherUrl.id());
    }

    @Test
    void aBodyBeingReadIsReadToItsEndWhenItsEntryIsRemovedEvictedAndExpiredMeanwhile() throws IOException {
        Storage storage = storage(options().maxBytes(200_000).build());
        byte[] body = bytes(100_000, 7);
        Entry read = put(storage, entry("https://example.com/read"), body,
                EntryOptions.defaults().withTtl(Duration.ofMinutes(1)));
        Optional<StoredBody> opened = storage.openBody(read.id());
        assertThat(opened).isPresent();
        try (StoredBody stored = opened.get(); InputStream in = stored.stream()) {
            byte[] first = in.readNBytes(20_000);

            storage.remove(read.id());
            storage.purgeAll();
            for (int i = 0; i < 6; i++) {
                clock.advanceSeconds(1);
                put(storage, entry("https://example.com/filler/" + i), bytes(60_000, i));
            }
            clock.advance(Duration.ofMinutes(2));
            storage.cleanUp();
            storage.cleanUp();

            byte[] rest = in.readAllBytes();
            assertThat(concat(first, rest)).isEqualTo(body);
        }
    }

    @Test
    void anEntryBeingWrittenIsNotEvictedBeforeItCommits() {
        Storage storage = storage(options().maxBytes(200_000).build());
        Entry written = entry("https://example.com/written");
        byte[] body = bytes(50_000, 3);
        try (EntryWriter writer = storage.create(written, EntryOptions.defaults())) {
            writer.write(body, 0, 40_000);
            // Enough to evict while the writer is open; short-lived, so that the commit finds room in any storage.
            for (int i = 0; i < 6; i++) {
                clock.advanceSeconds(1);
                put(storage, entry("https://example.com/filler/" + i), bytes(60_000, i),
                        EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
            }
            storage.cleanUp();
            writer.write(body, 40_000, 10_000);
            clock.advanceSeconds(30);
            storage.cleanUp();
            writer.commit();
        }

        assertThat(ids(storage.entries(written.key()))).containsExactly(written.id());
        assertThat(read(storage, written.id())).isEqualTo(body);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @Test
    void purgesByUrlPrefix() {
        Storage storage = storage();
        put(storage, entry("https://example.com/api/a"), bytes(10, 1));
        put(storage, entry("https://example.com/api/b/c"), bytes(10, 2));
        Entry kept = put(storage, entry("https://example.com/apix"), bytes(10, 3));
        Entry otherHost = put(storage, entry("https://other.example/api/a"), bytes(10, 4));

        assertThat(storage.purgeByPrefix("https://example.com/api/")).isEqualTo(2);

        assertThat(storage.statistics().entries()).isEqualTo(2);
        assertThat(storage.entries(kept.key())).hasSize(1);
        assertThat(storage.entries(otherHost.key())).hasSize(1);
        assertThat(storage.purgeByPrefix("https://example.com/api_%")).isZero();
    }

    @Test
    void purgesByTag() {
        Storage storage = storage();
        put(storage, entry("https://example.com/a"), bytes(10, 1), EntryOptions.defaults().withTags(List.of("news", "home")));
        put(storage, entry("https://example.com/b"), bytes(10, 2), EntryOptions.defaults().withTags(List.of("news")));
        Entry kept = put(storage, entry("https://example.com/c"), bytes(10, 3),
                EntryOptions.defaults().withTags(List.of("sport")));

        assertThat(storage.purgeByTag("news")).isEqualTo(2);
        assertThat(storage.purgeByTag("News")).isZero();

        assertThat(ids(storage.entries(kept.key()))).containsExactly(kept.id());
        assertThat(storage.statistics().entries()).isEqualTo(1);
    }

    @Test
    void purgesEverything() {
        Storage storage = storage();
        for (int i = 0; i < 5; i++) {
            put(storage, entry("https://example.com/" + i), bytes(10, i));
        }

        assertThat(storage.purgeAll()).isEqualTo(5);

        assertThat(storage.statistics()).isEqualTo(new StorageStatistics(0, 0));
    }

    @Test
    void listsVisibleEntriesNewestFirstWithWhatTheyHold() {
        Storage storage = storage();
        Entry tagged = put(storage, entry("https://EXAMPLE.com:443/items?page=1"), bytes(1234, 1),
                EntryOptions.defaults().withTtl(Duration.ofMinutes(10)).withTags(List.of("news", "home")));
        clock.advanceSeconds(10);
        Entry post = put(storage, entry("https://example.com/graphql", "POST", "digest"), bytes(20, 2));
        clock.advanceSeconds(10);
        Entry template = entry("http://example.com:8080/missing");
        Entry notFound = put(storage, new Entry(template.id(), template.key(), template.request(),
                new Response(404, Headers.of("Content-Type", "text/plain")), template.requestTime(),
                template.responseTime()), new byte[0]);

        assertThat(storage.list(0, 10)).containsExactly(
                new EntrySummary(notFound.id(), "GET", "http://example.com:8080/missing", 404, 0,
                        MutableClock.START.plusSeconds(20), null, Set.of()),
                new EntrySummary(post.id(), "POST", "https://example.com/graphql", 200, 20,
                        MutableClock.START.plusSeconds(10), null, Set.of()),
                new EntrySummary(tagged.id(), "GET", "https://example.com/items?page=1", 200, 1234,
                        MutableClock.START, MutableClock.START.plus(Duration.ofMinutes(10)), Set.of("news", "home")));
    }

    @Test
    void listsAFreshenedEntryAtItsNewResponseTime() {
        Storage storage = storage();
        Entry older = put(storage, entry("https://example.com/a"), bytes(10, 1));
        clock.advanceSeconds(10);
        Entry newer = put(storage, entry("https://example.com/b"), bytes(10, 2));
        clock.advanceSeconds(10);

        storage.update(older.freshened(older.request(), new Response(200, Headers.of("ETag", "\"v2\"")),
                clock.instant(), clock.instant()));

        assertThat(storage.list(0, 10)).extracting(EntrySummary::id, EntrySummary::storedAt).containsExactly(
                tuple(older.id(), MutableClock.START.plusSeconds(20)),
                tuple(newer.id(), MutableClock.START.plusSeconds(10)));
    }

    @Test
    void doesNotListUncommittedRemovedOrExpiredEntries() {
        Storage storage = storage();
        Entry visible = put(storage, entry("https://example.com/visible"), bytes(10, 1));
        Entry removed = put(storage, entry("https://example.com/removed"), bytes(10, 2));
        Entry expired = put(storage, entry("https://example.com/expired"), bytes(10, 3),
                EntryOptions.defaults().withTtl(Duration.ofMinutes(1)));
        Entry aborted = entry("https://example.com/aborted");
        EntryWriter abortedWriter = storage.create(aborted, EntryOptions.defaults());
        abortedWriter.write(bytes(10, 4));
        abortedWriter.abort();
        storage.remove(removed.id());
        clock.advance(Duration.ofMinutes(1));

        try (EntryWriter open = storage.create(entry("https://example.com/open"), EntryOptions.defaults())) {
            open.write(bytes(40_000, 5));

            assertThat(storage.list(0, 10)).extracting(EntrySummary::id).containsExactly(visible.id());
        }
        assertThat(storage.list(0, 10)).extracting(EntrySummary::id).containsExactly(visible.id());
        assertThat(storage.entries(expired.key())).isEmpty();
        assertThat(storage.entries(aborted.key())).isEmpty();
    }

    @Test
    void pagesWithOffsetAndLimitWithoutOverlapOrGaps() {
        Storage storage = storage();
        List<Entry> stored = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Three entries to a second: ties that only the id can order.
            if (i % 3 == 0) {
                clock.advanceSeconds(1);
            }
            stored.add(put(storage, entry("https://example.com/" + i), bytes(10, i)));
        }
        List<UUID> newestFirst = stored.stream()
                .sorted(Comparator.comparing(Entry::responseTime).thenComparing(entry -> entry.id().toString())
                        .reversed())
                .map(Entry::id).toList();

        List<UUID> paged = new ArrayList<>();
        for (int offset = 0; offset < 25; offset += 7) {
            List<EntrySummary> page = storage.list(offset, 7);
            assertThat(page).hasSize(Math.min(7, 25 - offset));
            page.forEach(summary -> paged.add(summary.id()));
        }

        assertThat(paged).isEqualTo(newestFirst);
        assertThat(storage.list(0, 1000)).extracting(EntrySummary::id).isEqualTo(newestFirst);
        assertThat(storage.list(24, 7)).extracting(EntrySummary::id).containsExactly(newestFirst.get(24));
        assertThat(storage.list(25, 7)).isEmpty();
        assertThat(storage.list(Integer.MAX_VALUE, 1)).isEmpty();
    }

    @Test
    void rejectsABadOffsetOrLimitNamingIt() {
        Storage storage = storage();

        assertThatThrownBy(() -> storage.list(-1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset").hasMessageContaining("-1");
        assertThatThrownBy(() -> storage.list(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit").hasMessageContaining("was 0");
        assertThatThrownBy(() -> storage.list(0, -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit").hasMessageContaining("-5");
        assertThatThrownBy(() -> storage.list(0, 1001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit").hasMessageContaining("1001");
        assertThat(storage.list(0, 1)).isEmpty();
        assertThat(storage.list(0, 1000)).isEmpty();
    }

    @Test
    void expiresAtIsNullForAnEntryWithoutATtl() {
        Storage storage = storage();
        Entry entry = put(storage, entry("https://example.com/a"), bytes(10, 1));
        clock.advance(Duration.ofDays(365));

        assertThat(storage.list(0, 10)).extracting(EntrySummary::id, EntrySummary::expiresAt)
                .containsExactly(tuple(entry.id(), null));
    }

    @Test
    void expiresAtFollowsTheDefaultTtlWhenConfigured() {
        Storage storage = storage(options().defaultTtl(Duration.ofMinutes(10)).refreshTtlOnAccess(false).build());
        Entry byDefault = put(storage, entry("https://example.com/a"), bytes(10, 1));
        clock.advanceSeconds(1);
        Entry ownTtl = put(storage, entry("https://example.com/b"), bytes(10, 2),
                EntryOptions.defaults().withTtl(Duration.ofMinutes(1)));

        assertThat(storage.list(0, 10)).extracting(EntrySummary::id, EntrySummary::expiresAt).containsExactly(
                tuple(ownTtl.id(), MutableClock.START.plusSeconds(61)),
                tuple(byDefault.id(), MutableClock.START.plus(Duration.ofMinutes(10))));
    }

    @Test
    void aHitMovesTheListedExpiryOfAnEntryThatRefreshesOnAccess() {
        Storage storage = storage(options().defaultTtl(Duration.ofMinutes(10)).build());
        Entry refreshing = put(storage, entry("https://example.com/a"), bytes(10, 1));
        Entry fixed = put(storage, entry("https://example.com/b"), bytes(10, 2),
                EntryOptions.defaults().withRefreshTtlOnAccess(false));
        clock.advance(Duration.ofMinutes(8));

        storage.recordAccess(refreshing.id());
        storage.recordAccess(fixed.id());

        assertThat(storage.list(0, 10)).extracting(EntrySummary::id, EntrySummary::expiresAt)
                .containsExactlyInAnyOrder(
                        tuple(refreshing.id(), MutableClock.START.plus(Duration.ofMinutes(18))),
                        tuple(fixed.id(), MutableClock.START.plus(Duration.ofMinutes(10))));
    }

    @Test
    void listingIsNotAHit() {
        Storage storage = storage(options().defaultTtl(Duration.ofMinutes(1)).build());
        put(storage, entry("https://example.com/a"), bytes(10, 1));

        clock.advanceSeconds(50);
        assertThat(storage.list(0, 10)).hasSize(1);
        clock.advanceSeconds(10);

        assertThat(storage.list(0, 10)).isEmpty();
    }

    @Test
    void aMissingEntryHasNoBody() {
        assertThat(storage().openBody(UUID.randomUUID())).isEmpty();
    }

    @Test
    void tagsAreChecked() {
        assertThatThrownBy(() -> EntryOptions.defaults().withTags(Set.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }

    protected static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
