package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the engine does with date fields that are not exactly one HTTP-date (RFC 9110 §5.6.7):
 * spellings a lenient parser forgives, and fields on several lines or with several dates in one.
 * Time starts on Thursday 1 January 2026 at noon.
 */
class InvalidDateFieldsTest {

    private static final String URL = "https://example.com/a";
    /** A year after the clock's start: what each invalid spelling below would mean if it were read leniently. */
    private static final String NEXT_YEAR = "Fri, 01 Jan 2027 12:00:00 GMT";
    private static final String MODIFIED = "Mon, 29 Dec 2025 00:00:00 GMT";

    private final Driver cache = new Driver();

    private Driver.Exchange storeOnce(String... headers) {
        cache.respond(new Response(200, Headers.of(headers), Body.ofUtf8("stored")));
        return cache.get(URL);
    }

    @Test
    @Rfc("RFC 9111 §5.3")
    void aResponseWithAValidExpiresInTheFutureIsServedFresh() {
        storeOnce("Expires", NEXT_YEAR, "Date", cache.now(), "ETag", "\"v1\"");

        assertThat(cache.get(URL).fromCache()).isTrue();
    }

    @ParameterizedTest(name = "Expires: \"{0}\"")
    @ValueSource(strings = {
        "Fri, 1 Jan 2027 12:00:00 GMT",         // one-digit day
        "Fri, 01 Jan 27 12:00:00 GMT",          // two-digit year in IMF-fixdate
        "Friday, 01-Jan-2027 12:00:00 GMT",     // four-digit year in rfc850-date
        "Fri, 01-Jan-2027 12:00:00 GMT",        // dashes in IMF-fixdate
        "Fri 01 Jan 2027 12:00:00 GMT",         // no comma
        "Fri, 01 Jan 2027 12:00:00 GMT,",       // an extra comma
        "Fri,  01 Jan 2027 12:00:00 GMT",       // two spaces
        "Fri,\t01 Jan 2027 12:00:00 GMT",       // a tab
        "Fri, 01 Jan 2027 2:00:00 GMT",         // one-digit hour
        "Fri, 01 Jan 2027 12:00:60 GMT",        // a leap second in the middle of a day
        "Sat, 01 Jan 2027 12:00:00 GMT",        // a day name that is not the date's
        "Fri, 01 Jan 2027 12:00:00 UTC",
        "Fri, 01 Jan 2027 12:00:00 GMT, Fri, 01 Jan 2027 12:00:00 GMT",
        "0"})
    @Rfc("RFC 9111 §5.3")
    void aResponseWithAnInvalidExpiresIsStaleSoItIsRevalidatedNotServedFresh(String expires) {
        Driver.Exchange first = storeOnce("Expires", expires, "Date", cache.now(), "ETag", "\"v1\"");

        Driver.Exchange second = cache.get(URL);

        assertThat(first.outcome()).as("stored, for its validator").isInstanceOf(StoreAndUse.class);
        assertThat(second.fromCache()).isFalse();
        assertThat(second.decision()).isInstanceOf(NeedRevalidation.class);
        assertThat(cache.received.get(1).headers().firstValue("If-None-Match")).hasValue("\"v1\"");
    }

    @ParameterizedTest(name = "Expires: \"{0}\"")
    @ValueSource(strings = {"Fri, 1 Jan 2027 12:00:00 GMT", "Friday, 01-Jan-2027 12:00:00 GMT", "Sat, 01 Jan 2027 12:00:00 GMT"})
    @Rfc({"RFC 9111 §5.3", "RFC 9111 §3"})
    void aResponseWithAnInvalidExpiresAndNoValidatorIsNotStored(String expires) {
        Driver.Exchange first = storeOnce("Expires", expires, "Date", cache.now());

        assertThat(first.reason()).isEqualTo(Reason.NEVER_REUSABLE);
        assertThat(cache.entries).isEmpty();
    }

    @Test
    @Rfc({"RFC 9111 §4.2.1", "RFC 9111 §5.3"})
    void expiresOnTwoLinesThatDisagreeIsStale() {
        storeOnce("Expires", NEXT_YEAR, "Expires", "Thu, 01 Jan 2026 11:00:00 GMT", "Date", cache.now(), "ETag", "\"v1\"");

        assertThat(cache.get(URL).fromCache()).isFalse();
    }

    @Test
    @Rfc("RFC 9111 §4.2.1")
    void expiresOnTwoLinesThatAgreeCounts() {
        // Only lines that disagree leave the cache to choose; the same date twice is one date.
        storeOnce("Expires", NEXT_YEAR, "Expires", NEXT_YEAR, "Date", cache.now(), "ETag", "\"v1\"");

        assertThat(cache.get(URL).fromCache()).isTrue();
    }

    @Test
    @Rfc({"RFC 9111 §4.2.2", "RFC 9111 §5.3"})
    void anInvalidExpiresLeavesNoRoomForHeuristicFreshness() {
        storeOnce("Expires", "Fri, 1 Jan 2027 12:00:00 GMT", "Date", cache.now(), "Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");

        assertThat(cache.entries.get(0).response().headers().firstValue("Last-Modified")).isPresent();
        assertThat(cache.get(URL).fromCache()).isFalse();
    }

    @ParameterizedTest(name = "Date: \"{0}\"")
    @ValueSource(strings = {"Thu, 1 Jan 2026 11:00:00 GMT", "Thursday, 01-Jan-2026 11:00:00 GMT", "Wed, 01 Jan 2026 11:00:00 GMT"})
    @Rfc("RFC 9110 §6.6.1")
    void anInvalidDateIsReplacedByTheReceiptTime(String date) {
        // Read leniently, each says an hour ago, which would make the response an hour old and stale.
        storeOnce("Cache-Control", "max-age=60", "Date", date);

        assertThat(cache.entries.get(0).response().headers().allValues("Date")).containsExactly(cache.now());
        Driver.Exchange second = cache.get(URL);
        assertThat(second.fromCache()).isTrue();
        assertThat(second.header("Age")).hasValue("0");
    }

    @Test
    @Rfc({"RFC 9110 §6.6.1", "RFC 9111 §4.2.3"})
    void aDateOnTwoLinesIsReplacedByTheReceiptTime() {
        storeOnce("Cache-Control", "max-age=60", "Date", Driver.date(cache.clock.instant().minusSeconds(3600)),
                "Date", cache.now());

        assertThat(cache.entries.get(0).response().headers().allValues("Date")).containsExactly(cache.now());
        assertThat(cache.get(URL).fromCache()).isTrue();
    }

    @Test
    @Rfc({"RFC 9110 §6.6.1", "RFC 9111 §3.2"})
    void aValidationAnsweredWithAnInvalidDateGivesTheStoredResponseTheReceiptTime() {
        storeOnce("Cache-Control", "max-age=60", "ETag", "\"v1\"", "Date", cache.now());
        cache.clock.advanceSeconds(120);
        cache.respond(new Response(304, Headers.of("ETag", "\"v1\"", "Cache-Control", "max-age=60",
                "Date", "Thu, 1 Jan 2026 12:02:00 GMT")));

        cache.get(URL);

        assertThat(cache.entries.get(0).response().headers().allValues("Date")).containsExactly(cache.now());
    }

    @ParameterizedTest(name = "Last-Modified: \"{0}\"")
    @ValueSource(strings = {"Mon, 1 Dec 2025 00:00:00 GMT", "Monday, 01-Dec-2025 00:00:00 GMT", "Tue, 01 Dec 2025 00:00:00 GMT"})
    @Rfc({"RFC 9110 §8.8.2", "RFC 9111 §4.2.2"})
    void anInvalidLastModifiedIsNoValidatorAndGivesNoHeuristicFreshness(String lastModified) {
        Driver.Exchange first = storeOnce("Date", cache.now(), "Last-Modified", lastModified);

        assertThat(first.reason()).isEqualTo(Reason.NEVER_REUSABLE);
        assertThat(cache.entries).isEmpty();
    }

    @Test
    @Rfc({"RFC 9110 §8.8.2", "RFC 9111 §4.2.2"})
    void aLastModifiedOnTwoLinesIsNoValidatorAndGivesNoHeuristicFreshness() {
        Driver.Exchange first = storeOnce("Date", cache.now(), "Last-Modified", "Mon, 01 Dec 2025 00:00:00 GMT",
                "Last-Modified", "Mon, 29 Dec 2025 00:00:00 GMT");

        assertThat(first.reason()).isEqualTo(Reason.NEVER_REUSABLE);
    }

    @Test
    @Rfc({"RFC 9110 §8.8.2", "RFC 9111 §4.3.1"})
    void anInvalidLastModifiedIsNotSentAsIfModifiedSince() {
        storeOnce("Cache-Control", "max-age=0", "ETag", "\"v1\"", "Last-Modified", "Mon, 1 Dec 2025 00:00:00 GMT");

        cache.get(URL);

        assertThat(cache.received.get(1).headers().firstValue("If-None-Match")).hasValue("\"v1\"");
        assertThat(cache.received.get(1).headers().contains("If-Modified-Since")).isFalse();
    }

    @Test
    @Rfc({"RFC 9110 §8.8.2", "RFC 9111 §4.3.1"})
    void aLastModifiedOnTwoLinesIsNotSentAsIfModifiedSince() {
        storeOnce("Cache-Control", "max-age=0", "ETag", "\"v1\"",
                "Last-Modified", "Mon, 01 Dec 2025 00:00:00 GMT", "Last-Modified", MODIFIED);

        cache.get(URL);

        assertThat(cache.received.get(1).headers().firstValue("If-None-Match")).hasValue("\"v1\"");
        assertThat(cache.received.get(1).headers().contains("If-Modified-Since")).isFalse();
    }

    @ParameterizedTest(name = "If-Modified-Since: \"{0}\"")
    @ValueSource(strings = {MODIFIED, "Monday, 29-Dec-25 00:00:00 GMT", "Mon Dec 29 00:00:00 2025", "mon, 29 dec 2025 00:00:00 gmt"})
    @Rfc("RFC 9110 §13.1.3")
    void answers304ToAnIfModifiedSinceInAnyOfTheThreeFormats(String ifModifiedSince) {
        storeOnce("Cache-Control", "max-age=600", "Last-Modified", MODIFIED);

        assertThat(cache.get(URL, "If-Modified-Since", ifModifiedSince).status()).isEqualTo(304);
    }

    @ParameterizedTest(name = "If-Modified-Since: \"{0}\"")
    @ValueSource(strings = {
        "Mon, 29 Dec 2025 0:00:00 GMT", "Mon 29 Dec 2025 00:00:00 GMT", "Monday, 29-Dec-2025 00:00:00 GMT",
        "Tue, 29 Dec 2025 00:00:00 GMT", "Mon, 29 Dec 2025 00:00:00 GMT,", "Mon, 29 Dec 25 00:00:00 GMT",
        "Mon, 29 Dec 2025 00:00:00 GMT, Mon, 29 Dec 2025 00:00:00 GMT"})
    @Rfc("RFC 9110 §13.1.3")
    void ignoresAnIfModifiedSinceThatIsNotExactlyOneHttpDate(String ifModifiedSince) {
        storeOnce("Cache-Control", "max-age=600", "Last-Modified", MODIFIED);

        Driver.Exchange exchange = cache.get(URL, "If-Modified-Since", ifModifiedSince);

        assertThat(exchange.fromCache()).isTrue();
        assertThat(exchange.status()).isEqualTo(200);
    }

    @Test
    @Rfc("RFC 9110 §13.1.3")
    void ignoresAnIfModifiedSinceOnTwoLinesEvenWhenTheyAgree() {
        storeOnce("Cache-Control", "max-age=600", "Last-Modified", MODIFIED);

        assertThat(cache.get(URL, "If-Modified-Since", MODIFIED, "If-Modified-Since", MODIFIED).status()).isEqualTo(200);
    }

    @Test
    @Rfc("RFC 9111 §4.2.3")
    void theAgeOfAResponseWithAnInvalidDateCountsFromItsReceipt() {
        storeOnce("Cache-Control", "max-age=600", "Date", "Thu, 1 Jan 2026 11:00:00 GMT");
        cache.clock.advance(Duration.ofSeconds(30));

        assertThat(cache.get(URL).header("Age")).hasValue("30");
    }
}
