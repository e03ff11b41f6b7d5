package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9111 §4.2 and §4.2.1: the freshness lifetime. */
@Rfc("RFC 9111 §4.2.1")
class FreshnessLifetimeTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-01T12:00:00Z");
    private static final CacheOptions SHARED = CacheOptions.defaults();
    private static final CacheOptions PRIVATE = CacheOptions.builder().shared(false).build();

    private static Duration lifetime(CacheOptions options, String... headers) {
        Response response = Response.of(200, headers);
        return Freshness.freshnessLifetime(response, ResponseDirectives.of(response.headers(), options), options, RECEIVED);
    }

    private static String at(long secondsFromReceipt) {
        return Driver.date(RECEIVED.plusSeconds(secondsFromReceipt));
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.10")
    void sMaxAgeComesFirstInASharedCache() {
        assertThat(lifetime(SHARED, "Cache-Control", "max-age=60, s-maxage=600", "Expires", at(6000)))
                .isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.10")
    void aPrivateCacheIgnoresSMaxAge() {
        assertThat(lifetime(PRIVATE, "Cache-Control", "max-age=60, s-maxage=600")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    @Rfc({"RFC 9111 §5.2.2.1", "RFC 9111 §5.3"})
    void maxAgeOverridesExpires() {
        assertThat(lifetime(SHARED, "Cache-Control", "max-age=60", "Expires", at(6000), "Date", at(0)))
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    @Rfc("RFC 9111 §5.3")
    void aSharedCacheIgnoresExpiresWhenSMaxAgeIsPresent() {
        assertThat(lifetime(SHARED, "Cache-Control", "s-maxage=abc", "Expires", at(6000))).isZero();
    }

    @Test
    @Rfc("RFC 9111 §5.3")
    void expiresMinusDateUsesTheOriginsClock() {
        // The origin's clock runs an hour behind; the lifetime is still what it meant.
        assertThat(lifetime(SHARED, "Expires", at(-3600 + 300), "Date", at(-3600))).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    @Rfc("RFC 9110 §6.6.1")
    void expiresWithoutDateCountsFromReceipt() {
        assertThat(lifetime(SHARED, "Expires", at(120))).isEqualTo(Duration.ofSeconds(120));
    }

    @ParameterizedTest(name = "Expires: {0}")
    @ValueSource(strings = {"0", "-1", "never", "Thu, 01 Jan 2026 12:00:00 CET", ""})
    @Rfc("RFC 9111 §5.3")
    void anInvalidExpiresMeansAlreadyExpired(String expires) {
        assertThat(lifetime(SHARED, "Expires", expires, "Last-Modified", at(-100_000))).isZero();
    }

    @Test
    @Rfc("RFC 9111 §5.3")
    void anExpiresInThePastMeansStale() {
        assertThat(lifetime(SHARED, "Expires", at(-10), "Date", at(0))).isZero();
    }

    @Test
    @Rfc("RFC 9111 §4.2")
    void parsesExpiresCaseInsensitively() {
        assertThat(lifetime(SHARED, "Expires", at(60).toLowerCase(), "Date", at(0))).isEqualTo(Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "Cache-Control: {0}")
    @ValueSource(strings = {"max-age=abc", "max-age=-5", "max-age=", "max-age=1.5", "s-maxage=x, max-age=600"})
    void invalidFreshnessInformationMeansStale(String cacheControl) {
        assertThat(lifetime(SHARED, "Cache-Control", cacheControl, "Expires", at(600), "Last-Modified", at(-100_000)))
                .isZero();
    }

    @Test
    @Rfc("RFC 9111 §4.2.1")
    void aDuplicatedFreshnessDirectiveThatDisagreesMakesTheResponseStale() {
        assertThat(lifetime(SHARED, "Cache-Control", "max-age=10", "Cache-Control", "max-age=1000")).isZero();
        assertThat(lifetime(SHARED, "Cache-Control", "max-age=10", "Cache-Control", "max-age=10"))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    @Rfc({"RFC 9111 §4.2.1", "RFC 9111 §5.3"})
    void twoExpiresFieldsThatDisagreeMakeTheResponseStaleAndTwoThatAgreeCount() {
        assertThat(lifetime(SHARED, "Expires", at(10), "Expires", at(1000), "Date", at(0))).isZero();
        assertThat(lifetime(SHARED, "Expires", at(10), "Expires", at(10), "Date", at(0)))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "Expires: {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "Thu, 1 Jan 2099 00:00:00 GMT", "Thu, 01 Jan 99 00:00:00 GMT", "Thu 01 Jan 2099 00:00:00 GMT",
        "Thu,  01 Jan 2099 00:00:00 GMT", "Thu, 01-Jan-2099 00:00:00 GMT", "Thu, 01 Jan 2099 00:00:00 UTC",
        "Thu, 01 Jan 2099 00:00:00 GMT, Fri, 02 Jan 2099 00:00:00 GMT", "Mon, 01 Jan 2099 00:00:00 GMT", "0"})
    @Rfc("RFC 9111 §5.3")
    void anExpiresALenientParserWouldReadAsFarInTheFutureMeansAlreadyExpired(String expires) {
        assertThat(lifetime(SHARED, "Expires", "Thu, 01 Jan 2099 00:00:00 GMT", "Date", at(0))).isPositive();
        assertThat(lifetime(SHARED, "Expires", expires, "Date", at(0))).isZero();
    }

    @Test
    @Rfc("RFC 9111 §1.2.2")
    void anOverflowingMaxAgeSaturatesAtTwoToThe31Seconds() {
        assertThat(lifetime(SHARED, "Cache-Control", "max-age=99999999999999999999"))
                .isEqualTo(Duration.ofSeconds(2_147_483_648L));
    }

    @Test
    @Rfc("RFC 9111 §4.2.2")
    void neverUsesHeuristicsWhenAnExplicitExpirationIsPresent() {
        assertThat(lifetime(SHARED, "Cache-Control", "max-age=0", "Last-Modified", at(-100_000))).isZero();
        assertThat(lifetime(SHARED, "Expires", at(0), "Date", at(0), "Last-Modified", at(-100_000))).isZero();
    }

    @Test
    @Rfc("RFC 9111 §4.2")
    void aResponseIsFreshWhileItsLifetimeExceedsItsAge() {
        assertThat(new Freshness(Duration.ofSeconds(60), Duration.ofSeconds(59)).isFresh()).isTrue();
        assertThat(new Freshness(Duration.ofSeconds(60), Duration.ofSeconds(60)).isFresh()).isFalse();
        assertThat(new Freshness(Duration.ofSeconds(60), Duration.ofSeconds(70)).staleness())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(new Freshness(Duration.ofSeconds(60), Duration.ofSeconds(70)).remaining())
                .isEqualTo(Duration.ofSeconds(-10));
    }

    @Test
    @Rfc("RFC 9111 §4.2")
    void aStoredResponseBecomesStaleWhenItsLifetimeEnds() {
        Driver cache = new Driver().respond(200, "Cache-Control", "max-age=60", "ETag", "\"v\"");
        cache.get("https://example.com/a");

        cache.clock.advanceSeconds(59);
        assertThat(cache.get("https://example.com/a").fromCache()).isTrue();
        cache.clock.advanceSeconds(1);
        Driver.Exchange stale = cache.get("https://example.com/a");
        assertThat(stale.decision()).isInstanceOf(NeedRevalidation.class);
        assertThat(((NeedRevalidation) stale.decision()).reason()).isEqualTo(Reason.STALE);
    }

    @Test
    @Rfc("RFC 9111 §4.2")
    void theLocalTimeZoneNeverInfluencesTheLifetime() {
        java.util.TimeZone original = java.util.TimeZone.getDefault();
        try {
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Pacific/Kiritimati"));
            assertThat(lifetime(SHARED, "Expires", at(300), "Date", at(0))).isEqualTo(Duration.ofSeconds(300));
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/Adak"));
            assertThat(lifetime(SHARED, "Expires", at(300), "Date", at(0))).isEqualTo(Duration.ofSeconds(300));
        } finally {
            java.util.TimeZone.setDefault(original);
        }
    }
}
