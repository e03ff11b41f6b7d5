package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.MutableClock;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.memory.MemoryTier;
import io.hishel.memory.tier.Change;
import io.hishel.memory.tier.Tier;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.StoredRequest;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How the tier keeps what a lookup read, and when it refuses to. */
class TierTest {

    private final MutableClock clock = new MutableClock();
    private final Tier<Lookup.Found> tier = Tier.of(MemoryTier.defaults(), clock, new AccessRecorder(clock, null)::alive);
    private final CacheKey key = new CacheKey("GET https://example.com/");
    private final Entry entry = new Entry(UUID.randomUUID(), key,
            new StoredRequest("GET", URI.create("https://example.com/"), ""), new Response(200, Headers.of()),
            clock.instant(), clock.instant());
    private final List<Lookup.Found> found = List.of(new Lookup.Found(entry, null, null, false, 100));

    /** Issue 13, item 7: the tier is a cache too, and must not take the heap. */
    @Test
    void aBoundLargerThanAQuarterOfTheHeapIsCappedToIt() {
        long heap = 128L * 1024 * 1024;

        assertThat(Tier.heapSafeBound(1024L * 1024 * 1024, heap)).isEqualTo(heap / 4);
        assertThat(Tier.heapSafeBound(16L * 1024 * 1024, heap)).isEqualTo(16L * 1024 * 1024);
        assertThat(Tier.heapSafeBound(1024L * 1024 * 1024, Long.MAX_VALUE)).isEqualTo(1024L * 1024 * 1024);
    }

    @Test
    void keepsWhatALookupReadWhenNothingWasForgottenMeanwhile() {
        tier.forget(Change.of(new CacheKey("GET https://example.com/other")));
        long stamp = tier.stamp();

        tier.keep(key, found, stamp);

        assertThat(tier.entries(key, clock.millis())).contains(List.of(entry));
    }

    @Test
    void aLookupThatReadTheDatabaseBeforeAWriteDoesNotKeepItsAnswer() {
        long stamp = tier.stamp();
        tier.forget(Change.of(Set.of(new CacheKey("GET https://example.com/other"))));

        tier.keep(key, found, stamp);

        assertThat(tier.entries(key, clock.millis())).isEmpty();
    }

    @Test
    void keepsNothingWhileSuspendedAndForgetsWhatItHadOnResuming() {
        tier.keep(key, found, tier.stamp());
        tier.suspend();
        assertThat(tier.entries(key, clock.millis())).isEmpty();
        tier.keep(key, found, tier.stamp());

        tier.resume();

        assertThat(tier.entries(key, clock.millis())).isEmpty();
    }

    @Test
    void aBodyIsServedOnlyWhileTheEntriesOfItsKeyHoldItsEntry() {
        tier.keepBody(entry.id(), key, new byte[] {1, 2, 3});
        assertThat(tier.body(entry.id(), clock.millis())).isEmpty();

        tier.keep(key, found, tier.stamp());
        assertThat(tier.body(entry.id(), clock.millis())).hasValueSatisfying(
                bytes -> assertThat(bytes).containsExactly(1, 2, 3));

        tier.forget(Change.of(key));
        assertThat(tier.body(entry.id(), clock.millis())).isEmpty();
    }

    @Test
    void aChangeTravelsAsPayloadsWithinTheLimitAndTooManyKeysAreEverything() {
        Set<CacheKey> keys = Set.of(new CacheKey("GET https://example.com/a"), new CacheKey("GET https://example.com/b"),
                new CacheKey("GET https://example.com/c"));
        List<String> payloads = Change.of(keys).payloads("sender", 60);

        assertThat(payloads).hasSizeGreaterThan(1).allSatisfy(payload -> {
            assertThat(payload.length()).isLessThanOrEqualTo(60);
            assertThat(Change.senderOf(payload)).isEqualTo("sender");
        });
        assertThat(payloads.stream().flatMap(payload -> Change.parse(payload).keys().stream()))
                .containsExactlyInAnyOrderElementsOf(keys);
        assertThat(Change.parse(Change.everything().payloads("sender", 60).get(0)).all()).isTrue();
        assertThat(Change.parse(Change.of(keys).payloads("sender", 20).get(0)).all()).isTrue();
        assertThat(Change.of(IntStream.rangeClosed(0, Change.MAX_KEYS)
                .mapToObj(i -> new CacheKey("GET https://example.com/" + i)).collect(Collectors.toSet())).all())
                .isTrue();
    }
}
