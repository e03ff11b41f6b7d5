package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.policy.CacheOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9111 §5.2.1: request directives, and §5.4 Pragma. */
@Rfc("RFC 9111 §5.2.1")
class RequestDirectivesTest {

    private final Driver cache = new Driver();

    private void storeFresh(String... extraHeaders) {
        String[] headers = new String[extraHeaders.length + 2];
        headers[0] = "Cache-Control";
        headers[1] = "max-age=600";
        System.arraycopy(extraHeaders, 0, headers, 2, extraHeaders.length);
        cache.respond(200, headers);
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(100);
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.4")
    void noCacheValidatesAFreshResponse() {
        storeFresh("ETag", "\"v1\"");
        cache.respond(304, "ETag", "\"v1\"");

        Driver.Exchange exchange = cache.get("https://example.com/a", "Cache-Control", "no-cache");

        assertThat(exchange.decision()).isInstanceOf(NeedRevalidation.class);
        assertThat(((NeedRevalidation) exchange.decision()).reason()).isEqualTo(Reason.REQUEST_NO_CACHE);
        assertThat(Reason.REQUEST_NO_CACHE.forward()).hasValue("request");
        assertThat(exchange.status()).isEqualTo(200);
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.4")
    void noCacheWithoutValidatorsGoesToTheApplication() {
        storeFresh();
        cache.respond(200, "Cache-Control", "max-age=600", "X-Fresh", "yes");

        Driver.Exchange exchange = cache.get("https://example.com/a", "Cache-Control", "no-cache");

        assertThat(exchange.header("X-Fresh")).hasValue("yes");
        assertThat(cache.entries).hasSize(1);
    }

    @Test
    @Rfc("RFC 9111 §5.4")
    void pragmaNoCacheCountsWhenThereIsNoCacheControl() {
        storeFresh("ETag", "\"v1\"");
        cache.respond(304, "ETag", "\"v1\"");

        assertThat(cache.get("https://example.com/a", "Pragma", "no-cache").applicationCalls()).isEqualTo(1);
        assertThat(cache.get("https://example.com/a", "Pragma", "no-cache", "Cache-Control", "max-stale").fromCache())
                .isTrue();
        assertThat(cache.get("https://example.com/a", "Pragma", "x-other").fromCache()).isTrue();
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.1")
    void maxAgeAcceptsOnlyAResponseNoOlderThanIt() {
        storeFresh("ETag", "\"v1\"");
        cache.respond(304, "ETag", "\"v1\"");

        assertThat(cache.get("https://example.com/a", "Cache-Control", "max-age=100").fromCache()).isTrue();
        Driver.Exchange tooOld = cache.get("https://example.com/a", "Cache-Control", "max-age=99");
        assertThat(tooOld.decision().getClass()).isEqualTo(NeedRevalidation.class);
        assertThat(((NeedRevalidation) tooOld.decision()).reason()).isEqualTo(Reason.REQUEST_MAX_AGE);
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.1")
    void maxAgeZeroAsABrowserReloadSendsValidates() {
        storeFresh("ETag", "\"v1\"");
        cache.respond(304, "ETag", "\"v1\"");

        assertThat(cache.get("https://example.com/a", "Cache-Control", "max-age=0").applicationCalls()).isEqualTo(1);
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.3")
    void minFreshAsksForRemainingFreshness() {
        storeFresh("ETag", "\"v1\"");
        cache.respond(304, "ETag", "\"v1\"");

        assertThat(cache.get("https://example.com/a", "Cache-Control", "min-fresh=500").fromCache()).isTrue();
        Driver.Exchange tooShort = cache.get("https://example.com/a", "Cache-Control", "min-fresh=501");
        assertThat(((NeedRevalidation) tooShort.decision()).reason()).isEqualTo(Reason.REQUEST_MIN_FRESH);
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.5")
    void noStoreMayStillBeAnsweredFromStorage() {
        storeFresh();

        assertThat(cache.get("https://example.com/a", "Cache-Control", "no-store").fromCache()).isTrue();
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.7")
    void onlyIfCachedAnswers504WhenNothingIsStored() {
        Driver.Exchange exchange = cache.get("https://example.com/a", "Cache-Control", "only-if-cached");

        assertThat(exchange.outcome()).isInstanceOf(GatewayTimeout.class);
        assertThat(exchange.status()).isEqualTo(504);
        assertThat(exchange.applicationCalls()).isZero();
        assertThat(exchange.reason()).isEqualTo(Reason.ONLY_IF_CACHED);
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.7")
    void onlyIfCachedIsAnsweredByAUsableStoredResponse() {
        storeFresh("ETag", "\"v1\"");

        assertThat(cache.get("https://example.com/a", "Cache-Control", "only-if-cached").fromCache()).isTrue();
        cache.clock.advanceSeconds(600);
        assertThat(cache.get("https://example.com/a", "Cache-Control", "only-if-cached").status()).isEqualTo(504);
        assertThat(cache.get("https://example.com/a", "Cache-Control", "only-if-cached, max-stale").fromCache()).isTrue();
        assertThat(cache.get("https://example.com/b", "Cache-Control", "only-if-cached").status()).isEqualTo(504);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"max-age=abc", "min-fresh=-1", "max-age=", "max-stale=x, max-age=1.5"})
    void ignoresArgumentsThatAreNotDeltaSeconds(String directives) {
        storeFresh();

        assertThat(cache.get("https://example.com/a", "Cache-Control", directives).fromCache()).isTrue();
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.2")
    void anInvalidMaxStaleAcceptsNoStaleness() {
        storeFresh("ETag", "\"v1\"");
        cache.clock.advanceSeconds(600);
        cache.respond(304, "ETag", "\"v1\"");

        assertThat(cache.get("https://example.com/a", "Cache-Control", "max-stale=soon").fromCache()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no-cache", "max-age=0", "min-fresh=100000", "only-if-cached", "no-store"})
    void aServerSideCacheCanIgnoreClientDirectives(String directive) {
        cache.options(CacheOptions.builder().honorRequestDirectives(false).build());
        storeFresh("ETag", "\"v1\"");

        assertThat(cache.get("https://example.com/a", "Cache-Control", directive).fromCache()).isTrue();
        assertThat(cache.get("https://example.com/a", "Pragma", "no-cache").fromCache()).isTrue();
    }
}
