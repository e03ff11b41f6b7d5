package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.RequestMetadata;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.SpecificationPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9111 §3: when a response may be stored. */
@Rfc("RFC 9111 §3")
class StoringResponsesTest {

    private final Driver cache = new Driver();

    private CacheMiss.Next storing(Response response) {
        return storing(Request.of("GET", "https://example.com/a"), response);
    }

    private CacheMiss.Next storing(Request request, Response response) {
        return storing(request, response, CacheOptions.defaults());
    }

    private CacheMiss.Next storing(Request request, Response response, CacheOptions options) {
        Idle.Next next = new Idle(new SpecificationPolicy(options), cache.clock).next(request, List.of());
        return ((CacheMiss) next).next(response);
    }

    @Test
    void storesResponseWithMaxAge() {
        assertThat(storing(Response.of(200, "Cache-Control", "max-age=60"))).isInstanceOf(StoreAndUse.class)
                .extracting(CacheMiss.Next::reason).isEqualTo(Reason.STORED);
    }

    @Test
    @Rfc("RFC 9111 §5.3")
    void storesResponseWithExpires() {
        String inAMinute = Driver.date(cache.clock.instant().plusSeconds(60));
        assertThat(storing(Response.of(200, "Expires", inAMinute, "Date", Driver.date(cache.clock.instant()))))
                .isInstanceOf(StoreAndUse.class);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.9")
    void storesPublicResponseWhoseStatusIsNotHeuristicallyCacheable() {
        Response found = Response.of(302, "Cache-Control", "public", "Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");

        assertThat(storing(found)).isInstanceOf(StoreAndUse.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501})
    @Rfc("RFC 9111 §4.2.2")
    void storesHeuristicallyCacheableStatusesWithoutExplicitFreshness(int status) {
        Response response = Response.of(status, "Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");

        assertThat(storing(response)).isInstanceOf(StoreAndUse.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {201, 302, 303, 307, 400, 403, 500, 503})
    void neverStoresOtherStatusesWithoutExplicitFreshness(int status) {
        Response response = Response.of(status, "Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT", "ETag", "\"x\"");

        assertThat(storing(response).reason()).isEqualTo(Reason.NOT_CACHEABLE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {201, 302, 307, 403, 500})
    void storesOtherStatusesWithExplicitFreshness(int status) {
        assertThat(storing(Response.of(status, "Cache-Control", "max-age=60"))).isInstanceOf(StoreAndUse.class);
    }

    @Test
    void neverStoresResponsesToMethodsTheCacheDoesNotUnderstand() {
        Request options = Request.of("OPTIONS", "https://example.com/a");

        assertThat(storing(options, Response.of(200, "Cache-Control", "max-age=60")).reason())
                .isEqualTo(Reason.METHOD_NOT_CACHEABLE);
    }

    @Test
    void neverStoresResponsesToPostUnlessConfiguredAndKeyedByTheBody() {
        Request post = Request.of("POST", "https://example.com/search");
        Request keyed = post.withMetadata(RequestMetadata.builder().bodyKey(true).build());
        Response response = Response.of(200, "Cache-Control", "max-age=60");
        CacheOptions withPost = CacheOptions.builder().supportedMethods("GET", "HEAD", "POST").build();

        assertThat(storing(keyed, response)).isNotInstanceOf(StoreAndUse.class);
        assertThat(storing(post, response, withPost).reason()).isEqualTo(Reason.BODY_KEY_REQUIRED);
        assertThat(storing(keyed, response, withPost)).isInstanceOf(StoreAndUse.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {100, 101, 102, 103})
    void neverStoresNonFinalStatuses(int status) {
        assertThat(storing(Response.of(status, "Cache-Control", "max-age=60")).reason())
                .isEqualTo(Reason.NON_FINAL_STATUS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {206, 304})
    @Rfc("RFC 9111 §3.3")
    void neverStoresStatusesItDoesNotUnderstand(int status) {
        Response response = Response.of(status, "Cache-Control", "max-age=60, public", "Content-Range", "bytes 0-1/2");

        assertThat(storing(response).reason()).isEqualTo(Reason.STATUS_NOT_UNDERSTOOD);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.5")
    void neverStoresNoStore() {
        assertThat(storing(Response.of(200, "Cache-Control", "max-age=60, no-store")).reason())
                .isEqualTo(Reason.RESPONSE_NO_STORE);
        assertThat(storing(Response.of(200, "Cache-Control", "public, No-Store, s-maxage=60")).reason())
                .isEqualTo(Reason.RESPONSE_NO_STORE);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.5")
    void neverStoresSpringSecuritysDefaultHeaders() {
        // CVE-2026-59427: these must be read directive by directive.
        Response secured = Response.of(200, "Cache-Control", "no-cache, no-store, max-age=0, must-revalidate",
                "Pragma", "no-cache", "Expires", "0");

        assertThat(storing(secured)).isInstanceOf(CouldNotBeStored.class);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.3")
    void mustUnderstandLetsAnUnderstoodStatusOverrideNoStore() {
        Response response = Response.of(200, "Cache-Control", "must-understand, no-store, max-age=60");

        assertThat(storing(response)).isInstanceOf(StoreAndUse.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {299, 418, 599, 999})
    @Rfc("RFC 9111 §5.2.2.3")
    void mustUnderstandRefusesAStatusItDoesNotUnderstand(int status) {
        Response response = Response.of(status, "Cache-Control", "must-understand, no-store, max-age=60");

        assertThat(storing(response).reason()).isEqualTo(Reason.STATUS_NOT_UNDERSTOOD);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.7")
    void neverStoresPrivateResponseInSharedCache() {
        assertThat(storing(Response.of(200, "Cache-Control", "private, max-age=60")).reason())
                .isEqualTo(Reason.PRIVATE_IN_SHARED_CACHE);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.7")
    void storesPrivateResponseInPrivateCacheEvenWithoutFreshness() {
        CacheOptions privateCache = CacheOptions.builder().shared(false).build();
        Response response = Response.of(302, "Cache-Control", "private", "ETag", "\"v\"");

        assertThat(storing(Request.of("GET", "https://example.com/a"), response, privateCache))
                .isInstanceOf(StoreAndUse.class);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.10")
    void sMaxAgeMakesAResponseStorableOnlyInASharedCache() {
        Request request = Request.of("GET", "https://example.com/a");
        Response response = Response.of(302, "Cache-Control", "s-maxage=60");

        assertThat(storing(request, response)).isInstanceOf(StoreAndUse.class);
        assertThat(storing(request, response, CacheOptions.builder().shared(false).build()).reason())
                .isEqualTo(Reason.NOT_CACHEABLE);
    }

    @Test
    void doesNotWriteResponsesThatCouldNeverBeReused() {
        // hishel 1.3 stored one of these on every request and never served any.
        assertThat(storing(Response.of(200)).reason()).isEqualTo(Reason.NEVER_REUSABLE);
        assertThat(storing(Response.of(200, "Cache-Control", "max-age=0")).reason()).isEqualTo(Reason.NEVER_REUSABLE);
        assertThat(storing(Response.of(200, "Cache-Control", "no-cache, max-age=60")).reason())
                .isEqualTo(Reason.NEVER_REUSABLE);
    }

    @Test
    void storesAStaleResponseThatCanBeValidated() {
        assertThat(storing(Response.of(200, "Cache-Control", "max-age=0", "ETag", "\"v1\"")))
                .isInstanceOf(StoreAndUse.class);
        assertThat(storing(Response.of(200, "Cache-Control", "no-cache", "Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")))
                .isInstanceOf(StoreAndUse.class);
    }

    @Test
    @Rfc("RFC 5861 §4")
    void storesAStaleResponseThatMayStandInForErrors() {
        assertThat(storing(Response.of(200, "Cache-Control", "max-age=0, stale-if-error=60")))
                .isInstanceOf(StoreAndUse.class);
    }

    @Test
    @Rfc("RFC 9111 §7.3")
    void neverStoresResponsesThatSetCookiesInASharedCacheByDefault() {
        Response response = Response.of(200, "Cache-Control", "max-age=60", "Set-Cookie", "session=abc");

        assertThat(storing(response).reason()).isEqualTo(Reason.SET_COOKIE);
        assertThat(storing(Request.of("GET", "https://example.com/a"), response,
                CacheOptions.builder().storeSetCookie(true).build())).isInstanceOf(StoreAndUse.class);
        assertThat(storing(Request.of("GET", "https://example.com/a"), response,
                CacheOptions.builder().shared(false).build())).isInstanceOf(StoreAndUse.class);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.4")
    void storesACookieSettingResponseWhoseCookieNoCacheExcludes() {
        Response response = Response.of(200, "Cache-Control", "max-age=60, no-cache=\"Set-Cookie\"",
                "Set-Cookie", "session=abc");

        CacheMiss.Next next = storing(response);

        assertThat(next).isInstanceOf(StoreAndUse.class);
        assertThat(((StoreAndUse) next).response().headers().contains("Set-Cookie")).isFalse();
    }

    @Test
    void neverStoresABodyLargerThanTheMaximumEntrySize() {
        Request request = Request.of("GET", "https://example.com/a");
        CacheOptions small = CacheOptions.builder().maxEntrySize(1000).build();

        assertThat(storing(request, Response.of(200, "Cache-Control", "max-age=60", "Content-Length", "1001"), small)
                .reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(storing(request, Response.of(200, "Cache-Control", "max-age=60", "Content-Length", "1000"), small))
                .isInstanceOf(StoreAndUse.class);
        assertThat(storing(request, Response.of(200, "Cache-Control", "max-age=60", "Content-Length", "x"), small))
                .isInstanceOf(StoreAndUse.class);
    }

    @Test
    @Rfc("RFC 9111 §4.1")
    void neverStoresVaryStarWhichCouldNeverMatch() {
        assertThat(storing(Response.of(200, "Cache-Control", "max-age=60", "Vary", "Accept, *")).reason())
                .isEqualTo(Reason.VARY_STAR);
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.5")
    void neverStoresTheResponseToARequestWithNoStore() {
        Request request = new Request("GET", java.net.URI.create("https://example.com/a"),
                Headers.of("Cache-Control", "no-store"));
        Response response = Response.of(200, "Cache-Control", "max-age=60");

        assertThat(storing(request, response).reason()).isEqualTo(Reason.REQUEST_NO_STORE);
        assertThat(storing(request, response, CacheOptions.builder().honorRequestDirectives(false).build()))
                .isInstanceOf(StoreAndUse.class);
    }

    @Test
    void specIgnoreStoresRegardlessOfDirectivesButKeepsTheSafetyRules() {
        Request ignoring = Request.of("GET", "https://example.com/a")
                .withMetadata(RequestMetadata.builder().specIgnore(true).build());

        assertThat(storing(ignoring, Response.of(200, "Cache-Control", "no-cache, max-age=0, must-revalidate")))
                .isInstanceOf(StoreAndUse.class).extracting(CacheMiss.Next::reason)
                .isEqualTo(Reason.STORED_IGNORING_SPECIFICATION);
        // Spring Security's defaults on a personalised page: no policy may store them (CVE-2026-59427).
        assertThat(storing(ignoring, Response.of(200, "Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"))
                .reason()).isEqualTo(Reason.RESPONSE_NO_STORE);
        // An application that means it says so to this cache alone.
        assertThat(storing(ignoring, Response.of(200, "Cache-Control", "no-store", "Hishel-Cache-Control", "max-age=60")))
                .isInstanceOf(StoreAndUse.class);
        assertThat(storing(ignoring, Response.of(200, "Cache-Control", "private")).reason())
                .isEqualTo(Reason.PRIVATE_IN_SHARED_CACHE);
        assertThat(storing(ignoring, Response.of(200, "Set-Cookie", "a=1")).reason()).isEqualTo(Reason.SET_COOKIE);
    }

    @Test
    void aResponseStoredUnderSpecIgnoreIsMarkedAndLaterRequestsReuseItTheSameWay() {
        Driver cache = new Driver().respond(200, "Cache-Control", "no-cache, max-age=0");
        Request ignoring = Request.of("GET", "https://example.com/a")
                .withMetadata(RequestMetadata.builder().specIgnore(true).build());

        Driver.Exchange stored = cache.send(ignoring);
        Driver.Exchange later = cache.get("https://example.com/a");

        assertThat(((StoreAndUse) stored.outcome()).freshness().isUnbounded()).isTrue();
        assertThat(StoreAndUse.storedIgnoringSpecification(cache.entries.get(0))).isTrue();
        assertThat(later.fromCache()).isTrue();
        assertThat(later.reason()).isEqualTo(Reason.REUSED_WITHOUT_SPECIFICATION);
        assertThat(((FromCache) later.decision()).request().metadata().specIgnore()).isTrue();
    }

    @Test
    void theStoredResponsesFreshnessIsKnownWhenItIsStored() {
        StoreAndUse store = (StoreAndUse) storing(Request.of("GET", "https://example.com/a"),
                Response.of(200, "Cache-Control", "max-age=60", "Age", "10"));

        assertThat(store.freshness().lifetime()).hasSeconds(60);
        assertThat(store.freshness().remaining()).hasSeconds(50);
    }

    @Test
    void metadataTheApplicationChoseWhileAnsweringWinsOverTheRequests() {
        Request request = Request.of("GET", "https://example.com/a")
                .withMetadata(RequestMetadata.builder().ttl(java.time.Duration.ofMinutes(1)).build());
        CacheMiss miss = (CacheMiss) new Driver().idle().next(request, java.util.List.of());

        CacheMiss.Next next = miss.next(Response.of(200, "Cache-Control", "no-cache, max-age=0"),
                RequestMetadata.builder().specIgnore(true).build());

        assertThat(next.reason()).isEqualTo(Reason.STORED_IGNORING_SPECIFICATION);
        assertThat(((StoreAndUse) next).request().metadata().ttl()).hasValue(java.time.Duration.ofMinutes(1));
    }
}
