package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.FilterPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request's fields that are not in the cache key must not decide what other clients are
 * served (RFC 9111 §7.1), and one user's response must never reach another.
 */
@Rfc("RFC 9111 §7.1")
class CachePoisoningTest {

    private final Driver cache = new Driver();

    @Test
    @Rfc("RFC 9111 §4.3.2")
    void aPreconditionFailureIsNeverStoredForPlainRequests() {
        // A global filter that sets Cache-Control before the application evaluates If-Match.
        cache.respond(request -> request.headers().contains("If-Match")
                ? new Response(412, Headers.of("Cache-Control", "max-age=31536000"), Body.EMPTY)
                : new Response(200, Headers.of("Cache-Control", "max-age=600"), Body.ofUtf8("script")));

        cache.get("https://example.com/app.js", "If-Match", "\"bogus\"");
        Driver.Exchange plain = cache.get("https://example.com/app.js");

        assertThat(plain.status()).isEqualTo(200);
        assertThat(cache.entries).singleElement()
                .satisfies(entry -> assertThat(entry.response().status()).isEqualTo(200));
    }

    @Test
    @Rfc("RFC 9111 §3.3")
    void aRangeIsNeverForwardedSoAnUnsatisfiableOneCannotBeStored() {
        cache.respond(request -> request.headers().contains("Range")
                ? new Response(416, Headers.of("Cache-Control", "max-age=31536000"), Body.EMPTY)
                : new Response(200, Headers.of("Cache-Control", "max-age=600"), Body.ofUtf8("script")));

        Driver.Exchange ranged = cache.get("https://example.com/app.js", "Range", "bytes=999999-", "If-Range", "\"x\"");

        assertThat(cache.received.get(0).headers().names()).doesNotContain("Range", "If-Range");
        assertThat(ranged.status()).isEqualTo(200);
        assertThat(cache.get("https://example.com/app.js").body()).isEqualTo(Body.ofUtf8("script"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"private=\"Vary\"", "no-cache=\"Vary\"", "no-cache=\"Cache-Control\", must-revalidate",
        "private=\"ETag\"", "no-cache=\"CDN-Cache-Control\"", "private=\"Date\"", "private=\"Expires\""})
    @Rfc({"RFC 9111 §3.1", "RFC 9111 §4.1"})
    void neverStoresAResponseThatWithholdsAFieldTheCacheDependsOn(String directive) {
        cache.respond(new Response(200, Headers.of("Cache-Control", "max-age=600, " + directive, "Vary", "Cookie",
                "ETag", "\"v\""), Body.ofUtf8("alice's page")));

        Driver.Exchange alice = cache.get("https://example.com/me", "Cookie", "session=alice");

        assertThat(alice.reason()).isEqualTo(Reason.CACHE_FIELD_EXCLUDED);
        assertThat(cache.entries).isEmpty();
    }

    @Test
    @Rfc({"RFC 9111 §3.1", "RFC 9111 §4.1", "RFC 9213 §2.2"})
    void aTargetedFieldCannotWithholdVaryEither() {
        cache.respond(200, "Hishel-Cache-Control", "max-age=600, no-cache=\"Vary\"", "Vary", "Cookie");

        assertThat(cache.get("https://example.com/me", "Cookie", "session=alice").reason())
                .isEqualTo(Reason.CACHE_FIELD_EXCLUDED);
    }

    @Test
    @Rfc({"RFC 9111 §3.1", "RFC 9111 §4.1"})
    void neverStoresAResponseWhoseConnectionFieldNamesVary() {
        cache.respond(200, "Cache-Control", "public, max-age=600", "Vary", "Cookie", "Connection", "Vary");

        assertThat(cache.get("https://example.com/me", "Cookie", "session=alice").reason())
                .isEqualTo(Reason.CACHE_FIELD_EXCLUDED);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.5")
    void noPolicyStoresSpringSecuritysNoStore() {
        cache.policy(new FilterPolicy(List.of(), List.of()))
                .respond(new Response(200, Headers.of("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"),
                        Body.ofUtf8("account of alice")));

        cache.get("https://example.com/account", "Cookie", "JSESSIONID=alice");
        cache.respond(new Response(200, Headers.EMPTY, Body.ofUtf8("account of bob")));

        assertThat(cache.get("https://example.com/account", "Cookie", "JSESSIONID=bob").body())
                .isEqualTo(Body.ofUtf8("account of bob"));
    }

    @Test
    @Rfc("RFC 9111 §2")
    void aPostIsNeverAnsweredWithTheResponseToAnotherBody() {
        cache.options(CacheOptions.builder().supportedMethods("GET", "HEAD", "POST").build())
                .respond(request -> new Response(200, Headers.of("Cache-Control", "max-age=600"), request.body()));

        cache.send(new io.hishel.http.Request("POST", java.net.URI.create("https://example.com/graphql"), Headers.EMPTY)
                .withBody(Body.ofUtf8("user=alice")));
        Driver.Exchange bob = cache.send(new io.hishel.http.Request("POST",
                java.net.URI.create("https://example.com/graphql"), Headers.EMPTY).withBody(Body.ofUtf8("user=bob")));

        assertThat(bob.reason()).isEqualTo(Reason.BODY_KEY_REQUIRED);
        assertThat(bob.body()).isEqualTo(Body.ofUtf8("user=bob"));
        assertThat(cache.entries).isEmpty();
    }
}
