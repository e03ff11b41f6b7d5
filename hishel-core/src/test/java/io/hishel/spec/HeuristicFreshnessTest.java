package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 9111 §4.2.2: heuristic freshness. */
@Rfc("RFC 9111 §4.2.2")
class HeuristicFreshnessTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-01T12:00:00Z");

    private static Duration lifetime(CacheOptions options, int status, String... headers) {
        Response response = Response.of(status, headers);
        return Freshness.freshnessLifetime(response, ResponseDirectives.of(response.headers(), options), options, RECEIVED);
    }

    private static String daysBefore(double days) {
        return Driver.date(RECEIVED.minusSeconds((long) (days * 86_400)));
    }

    @Test
    void isTenPercentOfTheTimeSinceLastModifiedByDefault() {
        assertThat(lifetime(CacheOptions.defaults(), 200, "Last-Modified", daysBefore(5), "Date", daysBefore(0)))
                .isEqualTo(Duration.ofHours(12));
    }

    @Test
    void isCappedByTheMaximumLifetime() {
        assertThat(lifetime(CacheOptions.defaults(), 200, "Last-Modified", daysBefore(365))).isEqualTo(Duration.ofDays(1));
        CacheOptions week = CacheOptions.builder().heuristicMaxLifetime(Duration.ofDays(7)).build();
        assertThat(lifetime(week, 200, "Last-Modified", daysBefore(365))).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void usesTheConfiguredFractionAndZeroTurnsItOff() {
        CacheOptions half = CacheOptions.builder().heuristicFraction(0.5).build();
        CacheOptions off = CacheOptions.builder().heuristicFraction(0).build();

        assertThat(lifetime(half, 200, "Last-Modified", daysBefore(1))).isEqualTo(Duration.ofHours(12));
        assertThat(lifetime(off, 200, "Last-Modified", daysBefore(1))).isZero();
    }

    @Test
    void appliesOnlyToHeuristicallyCacheableStatusesOrResponsesMarkedCacheable() {
        assertThat(lifetime(CacheOptions.defaults(), 302, "Last-Modified", daysBefore(1))).isZero();
        assertThat(lifetime(CacheOptions.defaults(), 302, "Last-Modified", daysBefore(1), "Cache-Control", "public"))
                .isEqualTo(Duration.ofMillis(8_640_000));
        CacheOptions privateCache = CacheOptions.builder().shared(false).build();
        assertThat(lifetime(privateCache, 302, "Last-Modified", daysBefore(1), "Cache-Control", "private"))
                .isEqualTo(Duration.ofMillis(8_640_000));
    }

    @Test
    void needsALastModified() {
        assertThat(lifetime(CacheOptions.defaults(), 200, "Date", daysBefore(0))).isZero();
        assertThat(lifetime(CacheOptions.defaults(), 200, "Last-Modified", "invalid")).isZero();
    }

    @Test
    void isZeroWhenLastModifiedIsAfterDate() {
        assertThat(lifetime(CacheOptions.defaults(), 200, "Last-Modified", daysBefore(-1), "Date", daysBefore(0))).isZero();
    }

    @Test
    void doesNotGrowWhileTheResponseIsStored() {
        // hishel 1.3 measured from "now", so a stored response could become fresh again.
        Driver cache = new Driver().respond(200, "Last-Modified", daysBefore(1), "Date", daysBefore(0));
        cache.clock.set(RECEIVED);
        cache.get("https://example.com/a");

        cache.clock.advance(Duration.ofMinutes(143));
        assertThat(cache.get("https://example.com/a").fromCache()).isTrue();
        cache.clock.advance(Duration.ofMinutes(1));
        assertThat(cache.get("https://example.com/a").fromCache()).isFalse();
        cache.clock.advance(Duration.ofDays(30));
        cache.respond(304, "Last-Modified", daysBefore(1));
        assertThat(cache.get("https://example.com/a").decision()).isInstanceOf(NeedRevalidation.class);
    }
}
