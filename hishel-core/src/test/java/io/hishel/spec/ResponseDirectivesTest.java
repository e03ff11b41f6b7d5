package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import org.junit.jupiter.api.Test;

/** RFC 9111 §5.2.2: response directives, where §3 and §4.2 do not already prove them. */
@Rfc("RFC 9111 §5.2.2")
class ResponseDirectivesTest {

    private final Driver cache = new Driver();

    @Test
    @Rfc("RFC 9111 §5.2.2.1")
    void maxAgeMakesTheResponseStaleAfterThatManySeconds() {
        cache.respond(200, "Cache-Control", "max-age=30");
        cache.get("https://example.com/a");

        cache.clock.advanceSeconds(29);
        assertThat(cache.get("https://example.com/a").fromCache()).isTrue();
        cache.clock.advanceSeconds(1);
        assertThat(cache.get("https://example.com/a").fromCache()).isFalse();
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.2")
    void mustRevalidateRequiresValidationOnceStale() {
        cache.respond(200, "Cache-Control", "max-age=30, must-revalidate", "ETag", "\"v1\"");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(31);
        cache.respond(304, "ETag", "\"v1\"");

        Driver.Exchange exchange = cache.get("https://example.com/a", "Cache-Control", "max-stale=3600");

        assertThat(exchange.outcome()).isInstanceOf(NeedToBeUpdated.class);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.4")
    void anUnqualifiedNoCacheValidatesEveryReuse() {
        cache.respond(200, "Cache-Control", "no-cache, max-age=600", "ETag", "\"v1\"");
        cache.get("https://example.com/a");
        cache.respond(304, "ETag", "\"v1\"");

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.decision()).isInstanceOf(NeedRevalidation.class);
        assertThat(((NeedRevalidation) exchange.decision()).reason()).isEqualTo(Reason.RESPONSE_NO_CACHE);
        assertThat(exchange.status()).isEqualTo(200);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.4")
    void aQualifiedNoCacheServesTheResponseWithoutTheNamedFields() {
        cache.respond(200, "Cache-Control", "no-cache=\"X-Token\", max-age=600", "X-Token", "t1");
        cache.get("https://example.com/a");

        Driver.Exchange hit = cache.get("https://example.com/a");

        assertThat(hit.fromCache()).isTrue();
        assertThat(hit.response().headers().contains("X-Token")).isFalse();
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.6")
    void noTransformResponsesAreServedByteForByte() {
        Response response = new Response(200, Headers.of("Cache-Control", "max-age=60, no-transform",
                "Content-Type", "image/png", "Content-Encoding", "gzip"), Body.of(new byte[] {1, 2, 3, (byte) 0xff}));
        cache.respond(response);
        cache.get("https://example.com/a");

        Driver.Exchange hit = cache.get("https://example.com/a");

        assertThat(hit.body()).isEqualTo(response.body());
        assertThat(hit.response().headers().without(java.util.List.of("Age", "Date")))
                .isEqualTo(response.headers());
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.9")
    void publicMakesAResponseWithoutFreshnessHeuristicallyCacheable() {
        cache.respond(303, "Cache-Control", "public", "Last-Modified", Driver.date(cache.clock.instant().minusSeconds(1000)));
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(99);

        assertThat(cache.get("https://example.com/a").fromCache()).isTrue();
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.7")
    void privateResponsesAreServedToTheirUserByAPrivateCache() {
        cache.options(CacheOptions.builder().shared(false).build())
                .respond(200, "Cache-Control", "private, max-age=60");
        cache.get("https://example.com/me");

        assertThat(cache.get("https://example.com/me").fromCache()).isTrue();
    }

    @Test
    @Rfc("RFC 9111 §5.2.3")
    void ignoresUnknownExtensionsAndKeepsTheDirectivesTheyModify() {
        cache.respond(200, "Cache-Control", "private, community=\"UCI\", max-age=60");

        assertThat(cache.get("https://example.com/a").reason()).isEqualTo(Reason.PRIVATE_IN_SHARED_CACHE);
    }

    @Test
    void immutableIsReadAndChangesNothingWhileFresh() {
        cache.respond(200, "Cache-Control", "public, max-age=60, immutable");
        cache.get("https://example.com/a");

        assertThat(cache.get("https://example.com/a").fromCache()).isTrue();
        cache.clock.advanceSeconds(60);
        assertThat(cache.get("https://example.com/a").fromCache()).isFalse();
    }
}
