package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Response;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9111 §4.2.3 and §5.1: the age of a stored response. */
@Rfc("RFC 9111 §4.2.3")
class AgeTest {

    private static final Instant REQUESTED = Instant.parse("2026-01-01T12:00:00Z");

    private static Duration age(Instant requestTime, Instant responseTime, Instant now, String... headers) {
        return Freshness.currentAge(Response.of(200, headers), requestTime, responseTime, now);
    }

    @Test
    void isTheTimeSinceReceiptForAResponseThatLeftTheOriginAtOnce() {
        assertThat(age(REQUESTED, REQUESTED, REQUESTED.plusSeconds(30), "Date", Driver.date(REQUESTED)))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void addsTheAgeAnUpstreamCacheReported() {
        assertThat(age(REQUESTED, REQUESTED, REQUESTED.plusSeconds(30), "Date", Driver.date(REQUESTED), "Age", "500"))
                .isEqualTo(Duration.ofSeconds(530));
    }

    @Test
    void addsTheResponseDelayToTheAgeValue() {
        Instant received = REQUESTED.plusSeconds(4);

        assertThat(age(REQUESTED, received, received, "Date", Driver.date(received), "Age", "10"))
                .isEqualTo(Duration.ofSeconds(14));
    }

    @Test
    void usesTheApparentAgeWhenItIsLarger() {
        Instant received = REQUESTED.plusSeconds(1);

        assertThat(age(REQUESTED, received, received, "Date", Driver.date(received.minusSeconds(90)), "Age", "10"))
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void neverLetsADateInTheFutureMakeTheAgeNegative() {
        assertThat(age(REQUESTED, REQUESTED, REQUESTED, "Date", Driver.date(REQUESTED.plusSeconds(3600)))).isZero();
    }

    @Test
    void agesAResponseWithoutDateFromItsReceipt() {
        // hishel 1.3 gave such a response age 0 forever, so max-age=1 never expired.
        assertThat(age(REQUESTED, REQUESTED, REQUESTED.plusSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    }

    @ParameterizedTest(name = "Age: {0}")
    @ValueSource(strings = {"abc", "-5", "1.5", "", "0x10"})
    @Rfc("RFC 9111 §5.1")
    void ignoresAnInvalidAge(String value) {
        assertThat(age(REQUESTED, REQUESTED, REQUESTED.plusSeconds(3), "Date", Driver.date(REQUESTED), "Age", value))
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    @Rfc("RFC 9111 §5.1")
    void usesTheFirstMemberOfAListAge() {
        assertThat(age(REQUESTED, REQUESTED, REQUESTED, "Date", Driver.date(REQUESTED), "Age", "10, 20"))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    @Rfc("RFC 9111 §1.2.2")
    void saturatesAnOverflowingAge() {
        assertThat(age(REQUESTED, REQUESTED, REQUESTED, "Age", "999999999999999999999"))
                .isEqualTo(Duration.ofSeconds(2_147_483_648L));
    }

    @Test
    void makesAStoredResponseStaleByItsUpstreamAge() {
        Driver cache = new Driver().respond(200, "Cache-Control", "max-age=100", "Age", "500", "ETag", "\"v\"");
        cache.get("https://example.com/a");

        assertThat(cache.get("https://example.com/a").fromCache()).isFalse();
    }

    @Test
    void makesAResponseWithoutDateStale() {
        Driver cache = new Driver().respond(200, "Cache-Control", "max-age=1", "ETag", "\"v\"");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(2);

        assertThat(cache.get("https://example.com/a").fromCache()).isFalse();
    }

    @Test
    @Rfc("RFC 9111 §4")
    void sendsTheCurrentAgeInWholeSeconds() {
        Driver cache = new Driver().respond(200, "Cache-Control", "max-age=100").latency(Duration.ofMillis(1500));
        cache.get("https://example.com/a");
        cache.clock.advance(Duration.ofMillis(1700));

        assertThat(cache.get("https://example.com/a").header("Age")).hasValue("3");
    }
}
