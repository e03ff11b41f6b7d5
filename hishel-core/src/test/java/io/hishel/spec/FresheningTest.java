package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.StoredRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** RFC 9111 §4.3.4: which stored responses a 304 freshens. */
@Rfc("RFC 9111 §4.3.4")
class FresheningTest {

    private static final String MONDAY = "Mon, 29 Dec 2025 00:00:00 GMT";
    private static final String TUESDAY = "Tue, 30 Dec 2025 00:00:00 GMT";
    private final Driver cache = new Driver();
    private final Request request = Request.of("GET", "https://example.com/a");

    private Entry stored(long ageSeconds, String... headers) {
        Instant date = cache.clock.instant().minusSeconds(ageSeconds);
        Headers all = Headers.of(headers).with("Cache-Control", "max-age=0").with("Date", Driver.date(date));
        return new Entry(UUID.randomUUID(), CacheKey.of(request), new StoredRequest("GET", request.url(), ""),
                new Response(200, all), date, date);
    }

    private NeedRevalidation.Next answer(Response notModified, Entry... candidates) {
        NeedRevalidation validation = (NeedRevalidation) cache.idle().next(request, List.of(candidates));
        return validation.next(notModified);
    }

    @Test
    void aStrongValidatorSelectsEveryStoredResponseWithIt() {
        Entry a = stored(10, "ETag", "\"a\"");
        Entry b = stored(20, "ETag", "\"b\"");
        Entry alsoA = stored(30, "ETag", "\"a\"");

        NeedToBeUpdated updated = (NeedToBeUpdated) answer(Response.of(304, "ETag", "\"a\""), a, b, alsoA);

        assertThat(updated.updatedEntries()).extracting(Entry::id).containsExactlyInAnyOrder(a.id(), alsoA.id());
        assertThat(updated.obsoleteEntries()).extracting(Entry::id).containsExactly(b.id());
        assertThat(updated.entry().id()).isEqualTo(a.id());
    }

    @Test
    void aStrongValidatorThatMatchesNothingUpdatesNothingAndServesTheStoredResponseStaleInsteadOfAskingAgain() {
        Entry a = stored(10, "ETag", "\"a\"");

        NeedRevalidation.Next next = answer(Response.of(304, "ETag", "\"z\""), a);

        // Asking again would call the application twice for one client request.
        FromCache stale = (FromCache) next;
        assertThat(stale.reason()).isEqualTo(Reason.VALIDATION_SELECTED_NOTHING);
        assertThat(stale.entry()).isEqualTo(a);
        assertThat(stale.freshness().isFresh()).isFalse();
        assertThat(stale.response().headers().firstValue("Age")).hasValue("10");
    }

    @Test
    @Rfc("RFC 9111 §4.2.4")
    void aValidationThatSelectsNothingForAResponseThatMustNotBeServedStaleIsAGatewayTimeout() {
        Entry plain = stored(10, "ETag", "\"a\"");
        Entry a = new Entry(plain.id(), plain.key(), plain.request(), plain.response().withHeaders(
                plain.response().headers().with("Cache-Control", "max-age=0, must-revalidate")),
                plain.requestTime(), plain.responseTime());

        NeedRevalidation.Next next = answer(Response.of(304, "ETag", "\"z\""), a);

        assertThat(next).isInstanceOf(GatewayTimeout.class);
        assertThat(((GatewayTimeout) next).response().status()).isEqualTo(504);
        assertThat(next.reason()).isEqualTo(Reason.VALIDATION_SELECTED_NOTHING);
    }

    @Test
    void aWeakStoredTagIsNotSelectedByAStrongOne() {
        NeedRevalidation.Next next = answer(Response.of(304, "ETag", "\"a\""), stored(10, "ETag", "W/\"a\""));

        assertThat(next).isInstanceOf(FromCache.class);
        assertThat(next.reason()).isEqualTo(Reason.VALIDATION_SELECTED_NOTHING);
    }

    @Test
    void a304WithoutValidatorsFreshensTheOneStoredResponseTheConditionalRequestWasBuiltFrom() {
        Entry a = stored(10, "ETag", "\"a\"", "Last-Modified", MONDAY);

        NeedToBeUpdated updated = (NeedToBeUpdated) answer(Response.of(304, "Cache-Control", "max-age=60"), a);

        assertThat(updated.updatedEntries()).extracting(Entry::id).containsExactly(a.id());
        assertThat(updated.entry().response().headers().firstValue("Cache-Control")).hasValue("max-age=60");
        assertThat(updated.entry().response().headers().firstValue("ETag")).hasValue("\"a\"");
    }

    @Test
    void a304WithoutValidatorsToAValidationOfSeveralStoredResponsesUpdatesNoneOfThem() {
        Entry a = stored(10, "ETag", "\"a\"");
        Entry b = stored(20, "ETag", "\"b\"");

        NeedRevalidation.Next next = answer(Response.of(304), a, b);

        assertThat(next).isInstanceOf(FromCache.class);
        assertThat(((FromCache) next).entry()).isEqualTo(a);
    }

    @Test
    void aWeakValidatorSelectsTheMostRecentMatchingResponse() {
        Entry older = stored(30, "ETag", "W/\"a\"");
        Entry newer = stored(10, "ETag", "\"a\"");
        Entry other = stored(5, "ETag", "W/\"b\"");

        NeedToBeUpdated updated = (NeedToBeUpdated) answer(Response.of(304, "ETag", "W/\"a\""), older, newer, other);

        assertThat(updated.updatedEntries()).extracting(Entry::id).containsExactly(newer.id());
    }

    @Test
    void lastModifiedSelectsTheMostRecentMatchingResponse() {
        Entry older = stored(30, "Last-Modified", MONDAY);
        Entry newer = stored(10, "Last-Modified", MONDAY);
        Entry other = stored(5, "Last-Modified", TUESDAY);

        NeedToBeUpdated updated = (NeedToBeUpdated) answer(Response.of(304, "Last-Modified", MONDAY), older, newer, other);

        assertThat(updated.updatedEntries()).extracting(Entry::id).containsExactly(newer.id());
    }

    @Test
    void withoutValidatorsOnlyASingleStoredResponseWithoutValidatorsIsSelected() {
        Entry plain = stored(10);
        NeedRevalidation validation = new NeedRevalidation(request, List.of(plain), Reason.STALE,
                cache.clock.instant(), cache.policy(), cache.clock);

        assertThat(validation.next(Response.of(304))).isInstanceOf(NeedToBeUpdated.class);
    }

    @Test
    void theFreshenedResponseIsFreshAgain() {
        cache.respond(200, "Cache-Control", "max-age=10", "ETag", "\"v1\"");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(60);
        cache.respond(304, "ETag", "\"v1\"", "Cache-Control", "max-age=100");

        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(99);

        Driver.Exchange hit = cache.get("https://example.com/a");
        assertThat(hit.fromCache()).isTrue();
        assertThat(hit.header("Cache-Control")).hasValue("max-age=100");
        assertThat(hit.header("Age")).hasValue("99");
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.5")
    void aFreshenedResponseThatMayNoLongerBeStoredIsUsedOnceThenDropped() {
        Entry a = stored(10, "ETag", "\"a\"");

        NeedToBeUpdated updated = (NeedToBeUpdated) answer(Response.of(304, "ETag", "\"a\"", "Cache-Control", "no-store"), a);

        assertThat(updated.response().status()).isEqualTo(200);
        assertThat(updated.updatedEntries()).isEmpty();
        assertThat(updated.obsoleteEntries()).extracting(Entry::id).containsExactly(a.id());
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.5")
    void aRequestWithNoStoreLeavesTheStoredMetadataAlone() {
        Entry a = stored(10, "ETag", "\"a\"");
        Request noStore = request.withHeaders(Headers.of("Cache-Control", "no-store"));
        NeedRevalidation validation = (NeedRevalidation) cache.idle().next(noStore, List.of(a));

        NeedToBeUpdated updated = (NeedToBeUpdated) validation.next(Response.of(304, "ETag", "\"a\""));

        assertThat(updated.updatedEntries()).isEmpty();
        assertThat(updated.response().status()).isEqualTo(200);
    }

    @Test
    @Rfc("RFC 9111 §4.3.2")
    void theClientsOwnConditionalIsAnsweredFromTheFreshenedResponse() {
        cache.respond(200, "Cache-Control", "max-age=10", "ETag", "\"v1\"");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(60);
        cache.respond(304, "ETag", "\"v1\"");

        Driver.Exchange exchange = cache.get("https://example.com/a", "If-None-Match", "\"v1\"");

        assertThat(exchange.status()).isEqualTo(304);
        assertThat(((NeedToBeUpdated) exchange.outcome()).sendsBody()).isFalse();
        assertThat(cache.received.get(1).headers().firstValue("If-None-Match")).hasValue("\"v1\"");
    }

    @Test
    @Rfc("RFC 9111 §4.3.2")
    void aClientWhoseCopyIsOlderGetsTheFullFreshenedResponse() {
        cache.respond(200, "Cache-Control", "max-age=10", "ETag", "\"v1\"");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(60);
        cache.respond(304, "ETag", "\"v1\"");

        Driver.Exchange exchange = cache.get("https://example.com/a", "If-None-Match", "\"v0\"");

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.body()).isEqualTo(io.hishel.http.Body.ofUtf8("body 200"));
    }
}
