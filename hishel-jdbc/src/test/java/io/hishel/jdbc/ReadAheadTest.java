package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.MutableClock;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.StoredRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When the open that follows a look-up may use what the look-up read, and when it must ask again. */
class ReadAheadTest {

    private static final CacheKey KEY = new CacheKey("GET https://example.com/");
    private static final long STAMP = 7;

    private final MutableClock clock = new MutableClock();
    private final AccessRecorder accesses = new AccessRecorder(clock, null);
    private final ReadAhead readAhead = new ReadAhead(accesses, Duration.ofMinutes(1));
    private final Entry entry = new Entry(UUID.randomUUID(), KEY,
            new StoredRequest("GET", URI.create("https://example.com/"), ""), new Response(200, Headers.EMPTY),
            clock.instant(), clock.instant());
    private final Lookup.Body body = new Lookup.Body(4, 42, KEY, new Lookup.FirstChunk(new byte[4], 43));

    /** What a look-up found: the entry, expiring at a time, with its body. */
    private Lookup.Answer answer(Long expiresAt) {
        return new Lookup.Answer(List.of(new Lookup.Found(entry, expiresAt, null, false, 10)), Map.of(entry.id(), body));
    }

    private long now() {
        return clock.millis();
    }

    @Test
    void theOpenAfterTheLookUpOnItsThreadUsesWhatTheLookUpRead() {
        readAhead.keep(answer(null), STAMP);

        assertThat(readAhead.take(entry.id(), STAMP, now())).containsSame(body);
    }

    @Test
    void whatALookUpReadIsUsedOnce() {
        readAhead.keep(answer(null), STAMP);
        readAhead.take(entry.id(), STAMP, now());

        assertThat(readAhead.take(entry.id(), STAMP, now())).isEmpty();
    }

    @Test
    void aChangeThisStorageMadeSinceTheLookUpSendsTheOpenToTheDatabase() {
        readAhead.keep(answer(null), STAMP);

        assertThat(readAhead.take(entry.id(), STAMP + 1, now())).isEmpty();
    }

    @Test
    void anEntryThatExpiredSinceTheLookUpIsNotOpenedFromIt() {
        readAhead.keep(answer(now() + 1_000), STAMP);
        clock.advance(Duration.ofSeconds(1));

        assertThat(readAhead.take(entry.id(), STAMP, now())).isEmpty();
    }

    @Test
    void aHitNotYetWrittenKeepsTheEntryAliveAsItDoesInTheDatabase() {
        Lookup.Answer refreshing = new Lookup.Answer(
                List.of(new Lookup.Found(entry, now() + 1_000, 1_000L, true, 10)), Map.of(entry.id(), body));
        readAhead.keep(refreshing, STAMP);
        clock.advance(Duration.ofMillis(500));
        accesses.record(entry.id());
        clock.advance(Duration.ofMillis(900));

        assertThat(readAhead.take(entry.id(), STAMP, now())).containsSame(body);
    }

    @Test
    void anOpenLaterThanTheTimeoutAfterTheLookUpAsksTheDatabase() {
        ReadAhead immediate = new ReadAhead(accesses, Duration.ZERO);
        immediate.keep(answer(null), STAMP);

        assertThat(immediate.take(entry.id(), STAMP, now())).isEmpty();
    }

    @Test
    void anotherThreadOrAnotherEntryFindsNothing() throws Exception {
        readAhead.keep(answer(null), STAMP);

        assertThat(CompletableFuture.supplyAsync(() -> readAhead.take(entry.id(), STAMP, now())).get()).isEmpty();
        assertThat(readAhead.take(UUID.randomUUID(), STAMP, now())).isEmpty();
    }
}
