package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hishel.Rfc;
import io.hishel.policy.CacheOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9111 §4.2.4 and RFC 5861: serving stale responses. */
@Rfc("RFC 9111 §4.2.4")
class ServingStaleTest {

    private final Driver cache = new Driver();

    private void storeAndAge(String cacheControl, long secondsPastFreshness) {
        cache.respond(200, "Cache-Control", cacheControl, "ETag", "\"v1\"");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(10 + secondsPastFreshness);
    }

    @Test
    void neverServesAStaleResponseWithoutPermission() {
        storeAndAge("max-age=10", 5);
        cache.respond(200, "Cache-Control", "max-age=10", "ETag", "\"v2\"");

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.applicationCalls()).isEqualTo(1);
        assertThat(exchange.header("ETag")).hasValue("\"v2\"");
    }

    @Test
    void neverServesStaleWhenTheApplicationAnswersEvenIfTheOptionsAllowStale() {
        // hishel 1.3's allow_stale served stale responses although the origin was reachable.
        cache.options(CacheOptions.builder().allowStale(Duration.ofHours(1)).build());
        storeAndAge("max-age=10", 5);
        cache.respond(200, "Cache-Control", "max-age=10", "ETag", "\"v2\"");

        assertThat(cache.get("https://example.com/a").header("ETag")).hasValue("\"v2\"");
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.2")
    void maxStaleWithoutAValueAcceptsAnyStaleness() {
        storeAndAge("max-age=10", 100_000);

        Driver.Exchange exchange = cache.get("https://example.com/a", "Cache-Control", "max-stale");

        assertThat(exchange.fromCache()).isTrue();
        assertThat(exchange.reason()).isEqualTo(Reason.STALE_ALLOWED_BY_REQUEST);
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.2")
    void maxStaleWithAValueBoundsTheStaleness() {
        storeAndAge("max-age=10", 30);
        cache.respond(200, "Cache-Control", "max-age=10");

        assertThat(cache.get("https://example.com/a", "Cache-Control", "max-stale=30").fromCache()).isTrue();
        assertThat(cache.get("https://example.com/a", "Cache-Control", "max-stale=29").fromCache()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"max-age=10, must-revalidate", "max-age=10, proxy-revalidate", "s-maxage=10",
        "max-age=10, no-cache"})
    @Rfc({"RFC 9111 §5.2.2.2", "RFC 9111 §5.2.2.8", "RFC 9111 §5.2.2.10", "RFC 9111 §5.2.2.4"})
    void directivesThatForbidStaleWinOverEveryPermission(String cacheControl) {
        cache.options(CacheOptions.builder().allowStale(Duration.ofDays(1)).grace(Duration.ofDays(1)).build());
        String forbidding = cacheControl + ", stale-while-revalidate=600, stale-if-error=600";
        storeAndAge(forbidding, 5);
        cache.respond(200, "Cache-Control", forbidding, "ETag", "\"v2\"");

        assertThat(cache.get("https://example.com/a", "Cache-Control", "max-stale").fromCache()).isFalse();
        cache.clock.advanceSeconds(15);
        cache.respond(503);
        assertThat(cache.get("https://example.com/a").status()).isEqualTo(503);
        cache.respond(504);
        assertThat(cache.get("https://example.com/a").status()).isEqualTo(504);
        cache.respond(request -> null);
        assertThatThrownBy(() -> cache.get("https://example.com/a")).isInstanceOf(Driver.ApplicationFailure.class);
        assertThat(cache.entries).hasSize(1);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.8")
    void proxyRevalidateDoesNotBindAPrivateCache() {
        cache.options(CacheOptions.builder().shared(false).build());
        storeAndAge("max-age=10, proxy-revalidate", 5);

        assertThat(cache.get("https://example.com/a", "Cache-Control", "max-stale").fromCache()).isTrue();
    }

    @Test
    @Rfc("RFC 5861 §3")
    void staleWhileRevalidateServesAtOnceAndAsksForABackgroundValidation() {
        storeAndAge("max-age=10, stale-while-revalidate=60", 30);

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.fromCache()).isTrue();
        FromCache hit = (FromCache) exchange.outcome();
        assertThat(hit.reason()).isEqualTo(Reason.STALE_WHILE_REVALIDATE);
        assertThat(hit.revalidateInBackground()).isTrue();
        assertThat(hit.freshness().remaining()).isEqualTo(Duration.ofSeconds(-30));

        cache.respond(304, "ETag", "\"v1\"", "Cache-Control", "max-age=10, stale-while-revalidate=60");
        Driver.Exchange background = cache.revalidateInBackground(hit);
        assertThat(background.outcome()).isInstanceOf(NeedToBeUpdated.class);
        assertThat(cache.received.get(cache.received.size() - 1).headers().firstValue("If-None-Match")).hasValue("\"v1\"");
        assertThat(cache.get("https://example.com/a").reason()).isEqualTo(Reason.FRESH);
    }

    @Test
    @Rfc("RFC 5861 §3")
    void staleWhileRevalidateEndsWithItsWindow() {
        storeAndAge("max-age=10, stale-while-revalidate=60", 61);
        cache.respond(200, "Cache-Control", "max-age=10");

        assertThat(cache.get("https://example.com/a").fromCache()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no-cache", "max-age=0", "min-fresh=1"})
    @Rfc("RFC 5861 §3")
    void staleWhileRevalidateYieldsToARequestThatWantsAValidatedResponse(String requestDirective) {
        storeAndAge("max-age=10, stale-while-revalidate=60", 5);
        cache.respond(304, "ETag", "\"v1\"");

        Driver.Exchange exchange = cache.get("https://example.com/a", "Cache-Control", requestDirective);

        assertThat(exchange.applicationCalls()).isEqualTo(1);
        assertThat(exchange.outcome()).isInstanceOf(NeedToBeUpdated.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {500, 502, 503, 504})
    @Rfc({"RFC 5861 §4", "RFC 9111 §4.3.3"})
    void staleIfErrorServesTheStoredResponseWhenTheApplicationFails(int status) {
        storeAndAge("max-age=10, stale-if-error=60", 30);
        cache.respond(status);

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.reason()).isEqualTo(Reason.STALE_IF_ERROR);
        assertThat(cache.entries).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {404, 501, 505, 429})
    @Rfc("RFC 5861 §4")
    void staleIfErrorIgnoresOtherStatuses(int status) {
        storeAndAge("max-age=10, stale-if-error=60", 30);
        cache.respond(status);

        assertThat(cache.get("https://example.com/a").status()).isEqualTo(status);
    }

    @Test
    @Rfc("RFC 5861 §4")
    void staleIfErrorEndsWithItsWindow() {
        storeAndAge("max-age=10, stale-if-error=60", 61);
        cache.respond(503);

        assertThat(cache.get("https://example.com/a").status()).isEqualTo(503);
    }

    @Test
    @Rfc("RFC 5861 §4")
    void aRequestMayAskForStaleIfError() {
        storeAndAge("max-age=10", 30);
        cache.respond(503);

        assertThat(cache.get("https://example.com/a", "Cache-Control", "stale-if-error=60").status()).isEqualTo(200);
        assertThat(cache.get("https://example.com/a", "Cache-Control", "stale-if-error=10").status()).isEqualTo(503);
    }

    @Test
    @Rfc("RFC 5861 §4")
    void staleIfErrorCoversAnApplicationThatDoesNotAnswer() {
        storeAndAge("max-age=10, stale-if-error=60", 30);
        cache.respond(request -> null);

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.reason()).isEqualTo(Reason.STALE_IF_ERROR);
    }

    @Test
    void theAllowStaleOptionIsABoundedStaleIfError() {
        cache.options(CacheOptions.builder().allowStale(Duration.ofMinutes(5)).grace(Duration.ZERO).build());
        storeAndAge("max-age=10", 300);
        cache.respond(request -> null);

        Driver.Exchange exchange = cache.get("https://example.com/a");
        assertThat(exchange.reason()).isEqualTo(Reason.STALE_ALLOWED_BY_OPTIONS);

        cache.clock.advanceSeconds(1);
        assertThatThrownBy(() -> cache.get("https://example.com/a")).isInstanceOf(Driver.ApplicationFailure.class);
    }

    @Test
    void aFailingApplicationReachesTheClientWhenNothingAllowsStale() {
        cache.options(CacheOptions.builder().grace(Duration.ZERO).build());
        storeAndAge("max-age=10", 1);
        cache.respond(request -> null);

        assertThatThrownBy(() -> cache.get("https://example.com/a")).isInstanceOf(Driver.ApplicationFailure.class);
    }

    @Test
    @Rfc("RFC 5861 §4")
    void staleIfErrorAlsoCoversStoredResponsesWithoutValidators() {
        cache.respond(200, "Cache-Control", "max-age=10, stale-if-error=60");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(30);
        cache.respond(500);

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.decision()).isInstanceOf(CacheMiss.class);
        assertThat(exchange.status()).isEqualTo(200);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.2")
    void mustRevalidateLetsTheFailureReachTheClientWhenTheApplicationDoesNotAnswer() {
        cache.options(CacheOptions.builder().allowStale(Duration.ofDays(1)).build());
        storeAndAge("max-age=10, must-revalidate, stale-if-error=600", 5);
        cache.respond(request -> null);

        assertThatThrownBy(() -> cache.get("https://example.com/a")).isInstanceOf(Driver.ApplicationFailure.class);
    }

    @Test
    void anApplicationThatCannotBeReachedIsCoveredByTenMinutesOfGraceByDefault() {
        storeAndAge("max-age=10", 600);
        cache.respond(request -> null);

        Driver.Exchange exchange = cache.get("https://example.com/a");
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.reason()).isEqualTo(Reason.STALE_WHILE_DISCONNECTED);
        assertThat(exchange.header("ETag")).hasValue("\"v1\"");

        cache.clock.advanceSeconds(1);
        assertThatThrownBy(() -> cache.get("https://example.com/a")).isInstanceOf(Driver.ApplicationFailure.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {502, 504})
    @Rfc({"RFC 9111 §4.2.4", "RFC 9110 §15.6.3", "RFC 9110 §15.6.5"})
    void aGatewayThatFoundNoUpstreamIsCoveredByTheGrace(int status) {
        storeAndAge("max-age=10", 60);
        cache.respond(status);

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.reason()).isEqualTo(Reason.STALE_WHILE_DISCONNECTED);
        assertThat(cache.entries).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {500, 503})
    void anErrorTheApplicationAnsweredItselfIsNotCoveredByTheGrace(int status) {
        storeAndAge("max-age=10", 60);
        cache.respond(status);

        assertThat(cache.get("https://example.com/a").status()).isEqualTo(status);
    }

    @ParameterizedTest(name = "Cache-Control: {0}")
    @ValueSource(strings = {"no-cache", "max-age=0", "min-fresh=5"})
    @Rfc({"RFC 9111 §5.2.1.4", "RFC 9111 §5.2.1.1", "RFC 9111 §5.2.1.3"})
    void aClientThatAsksForAValidatedResponseGetsTheFailureNotTheGrace(String requestDirective) {
        storeAndAge("max-age=10", 60);
        cache.respond(request -> null);

        assertThatThrownBy(() -> cache.get("https://example.com/a", "Cache-Control", requestDirective))
                .isInstanceOf(Driver.ApplicationFailure.class);
    }

    @Test
    void aGraceOfZeroTurnsItOff() {
        cache.options(CacheOptions.builder().grace(Duration.ZERO).build());
        storeAndAge("max-age=10", 1);
        cache.respond(502);

        assertThat(cache.get("https://example.com/a").status()).isEqualTo(502);
    }

    @Test
    @Rfc("RFC 9111 §4.2.4")
    void theGraceStoresNothingMore() {
        // A response never fresh and without a validator stays unstored: grace serves what is stored anyway.
        cache.respond(200, "Cache-Control", "max-age=0");

        assertThat(cache.get("https://example.com/a").reason()).isEqualTo(Reason.NEVER_REUSABLE);
        assertThat(cache.entries).isEmpty();
    }
}
