package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9111 §3.5: responses to requests with Authorization. */
@Rfc("RFC 9111 §3.5")
class AuthenticatedRequestsTest {

    private final Driver cache = new Driver();

    @Test
    void aSharedCacheNeverStoresTheResponseToAnAuthorisedRequest() {
        cache.respond(200, "Cache-Control", "max-age=60");

        Driver.Exchange exchange = cache.get("https://example.com/me", "Authorization", "Bearer alice");

        assertThat(exchange.reason()).isEqualTo(Reason.AUTHORIZATION_IN_SHARED_CACHE);
        assertThat(cache.entries).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"public, max-age=60", "s-maxage=60", "must-revalidate, max-age=60"})
    void storesItWhenADirectiveAllowsSharedCaching(String cacheControl) {
        cache.respond(200, "Cache-Control", cacheControl);

        cache.get("https://example.com/news", "Authorization", "Bearer alice");
        Driver.Exchange second = cache.get("https://example.com/news", "Authorization", "Bearer bob");

        assertThat(second.fromCache()).isTrue();
    }

    @Test
    void aSignedInUsersRequestCountsAsAuthorisedWithoutAnAuthorizationField() {
        cache.respond(request -> Response.of(200, "Cache-Control", "max-age=60", "X-Audience",
                request.authenticated() ? "alice" : "anyone"));

        Driver.Exchange alice = cache.send(Request.of("GET", "https://example.com/home").withAuthenticated(true));
        Driver.Exchange anonymous = cache.get("https://example.com/home");

        assertThat(alice.reason()).isEqualTo(Reason.AUTHORIZATION_IN_SHARED_CACHE);
        assertThat(anonymous.header("X-Audience")).hasValue("anyone");
        assertThat(cache.entries).hasSize(1);
    }

    @Test
    void aSignedInUserIsNotAnsweredByAPageStoredForAnonymousVisitors() {
        cache.respond(request -> Response.of(200, "Cache-Control", "max-age=60", "X-Audience",
                request.authenticated() ? "alice" : "anyone"));
        cache.get("https://example.com/home");

        Driver.Exchange alice = cache.send(Request.of("GET", "https://example.com/home").withAuthenticated(true));

        assertThat(alice.fromCache()).isFalse();
        assertThat(alice.header("X-Audience")).hasValue("alice");
    }

    @Test
    void aSignedInUsersPublicAnswerIsShared() {
        cache.respond(200, "Cache-Control", "public, max-age=60");

        cache.send(Request.of("GET", "https://example.com/news").withAuthenticated(true));
        Driver.Exchange bob = cache.send(Request.of("GET", "https://example.com/news").withAuthenticated(true));

        assertThat(bob.fromCache()).isTrue();
    }

    @Test
    void aPrivateCacheStoresResponsesToAuthorisedRequests() {
        cache.options(CacheOptions.builder().shared(false).build()).respond(200, "Cache-Control", "max-age=60");

        cache.get("https://example.com/me", "Authorization", "Bearer alice");

        assertThat(cache.get("https://example.com/me", "Authorization", "Bearer alice").fromCache()).isTrue();
    }

    @Test
    void anAuthorisedRequestIsNeverAnsweredByAResponseNotMarkedShareable() {
        cache.respond(200, "Cache-Control", "max-age=60", "X-Audience", "anonymous");
        cache.get("https://example.com/profile");

        cache.respond(200, "Cache-Control", "private, max-age=60", "X-Audience", "alice");
        Driver.Exchange authorised = cache.get("https://example.com/profile", "Authorization", "Bearer alice");

        assertThat(authorised.fromCache()).isFalse();
        assertThat(authorised.decision()).extracting(s -> ((Idle.Next) s).reason())
                .isEqualTo(Reason.AUTHORIZATION_NOT_SHAREABLE);
        assertThat(authorised.header("X-Audience")).hasValue("alice");
    }

    @Test
    void anAuthorisedRequestIsAnsweredByAPublicResponse() {
        cache.respond(200, "Cache-Control", "public, max-age=60");
        cache.get("https://example.com/logo.png");

        assertThat(cache.get("https://example.com/logo.png", "Authorization", "Bearer alice").fromCache()).isTrue();
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.2")
    void mustRevalidateAllowsSharingButNotServingStale() {
        cache.options(CacheOptions.builder().allowStale(java.time.Duration.ofHours(1)).build())
                .respond(200, "Cache-Control", "must-revalidate, max-age=10", "ETag", "\"v1\"");
        cache.get("https://example.com/a", "Authorization", "Bearer alice");
        cache.clock.advanceSeconds(11);

        cache.respond(503);
        Driver.Exchange exchange = cache.get("https://example.com/a", "Authorization", "Bearer bob");

        assertThat(exchange.status()).isEqualTo(503);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.10")
    void sMaxAgeAllowsSharingOnlyWhileFresh() {
        cache.respond(200, "Cache-Control", "s-maxage=10", "ETag", "\"v1\"");
        cache.get("https://example.com/a", "Authorization", "Bearer alice");
        cache.clock.advanceSeconds(11);
        cache.respond(304, "ETag", "\"v1\"");

        Driver.Exchange bob = cache.get("https://example.com/a", "Authorization", "Bearer bob", "Cache-Control", "max-stale");

        assertThat(bob.applicationCalls()).isEqualTo(1);
        assertThat(bob.outcome()).isInstanceOf(NeedToBeUpdated.class);
    }
}
