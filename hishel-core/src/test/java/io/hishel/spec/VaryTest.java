package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.StoredRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §4.1: selecting among stored responses with Vary. */
@Rfc("RFC 9111 §4.1")
class VaryTest {

    private final Driver cache = new Driver().respond(request -> new Response(200,
            Headers.of("Cache-Control", "max-age=60", "Vary", "Accept-Encoding, Accept-Language"),
            Body.ofUtf8(request.headers().combinedValue("Accept-Language").orElse("none"))));

    @Test
    void servesTheVariantWhoseNominatedFieldsMatch() {
        cache.get("https://example.com/a", "Accept-Language", "en");

        Driver.Exchange same = cache.get("https://example.com/a", "Accept-Language", "en", "User-Agent", "other");

        assertThat(same.fromCache()).isTrue();
        assertThat(same.body()).isEqualTo(Body.ofUtf8("en"));
    }

    @Test
    void aDifferentNominatedFieldIsAVaryMiss() {
        cache.get("https://example.com/a", "Accept-Language", "en");

        Driver.Exchange other = cache.get("https://example.com/a", "Accept-Language", "de");

        assertThat(other.fromCache()).isFalse();
        assertThat(((CacheMiss) other.decision()).reason()).isEqualTo(Reason.VARY_MISMATCH);
        assertThat(Reason.VARY_MISMATCH.forward()).hasValue("vary-miss");
        assertThat(other.body()).isEqualTo(Body.ofUtf8("de"));
    }

    @Test
    void keepsVariantsSideBySide() {
        cache.get("https://example.com/a", "Accept-Language", "en");
        cache.get("https://example.com/a", "Accept-Language", "de");

        assertThat(cache.get("https://example.com/a", "Accept-Language", "en").body()).isEqualTo(Body.ofUtf8("en"));
        assertThat(cache.get("https://example.com/a", "Accept-Language", "de").body()).isEqualTo(Body.ofUtf8("de"));
        assertThat(cache.received).hasSize(2);
    }

    @ParameterizedTest(name = "[{0}] matches [{1}]")
    @CsvSource(delimiter = '|', value = {
        "gzip,br            | gzip, br",
        "gzip, br           | gzip ,  br",
        "text/html;q=0.9    | text/html; q=0.9",
        "GZIP               | gzip",
        "en-US              | en-us"})
    void normalisesWhitespaceAndCaseWhereTheFieldAllows(String first, String second) {
        Response response = Response.of(200, "Vary", "Accept-Encoding, Accept, Accept-Language");
        Headers a = Headers.of("Accept-Encoding", first, "Accept", first, "Accept-Language", first);
        Headers b = Headers.of("Accept-Encoding", second, "Accept", second, "Accept-Language", second);

        assertThat(Vary.key(response.headers(), a)).isEqualTo(Vary.key(response.headers(), b));
    }

    @ParameterizedTest(name = "{0} [{1}] selects the variant of [{2}]")
    @CsvSource(delimiter = '|', value = {
        "Accept-Language | fr;q=0.5, en            | en, fr;q=0.5",
        "Accept-Language | en;q=1.0, fr;q=0.50     | en, fr;q=0.5",
        "Accept-Language | EN;Q=1, de;q=0.7, fr;q=0.9 | en, fr;q=0.9, de;q=0.7",
        "Accept-Language | da, en-gb;q=0.8, en;q=0.7 | en-gb;q=0.800, da;q=1, en;q=0.7",
        "Accept-Encoding | gzip;q=0.8, br          | br;q=1.0, gzip;q=0.8",
        "Accept-Encoding | identity;q=0, gzip      | gzip, identity;q=0.000"})
    @Rfc({"RFC 9111 §4.1", "RFC 9110 §12.4.2"})
    void weightedPreferencesInAnotherOrderSelectTheSameVariant(String field, String first, String second) {
        Headers vary = Headers.of("Vary", field);

        assertThat(Vary.key(vary, Headers.of(field, first))).isEqualTo(Vary.key(vary, Headers.of(field, second)));
    }

    @ParameterizedTest(name = "{0} [{1}] and [{2}] stay apart")
    @CsvSource(delimiter = '|', value = {
        // A tie is broken by order: a server may answer each in another language.
        "Accept-Language | en, fr                 | fr, en",
        "Accept-Encoding | gzip, br               | br, gzip",
        // Other weights are other preferences, whatever a server would make of them.
        "Accept-Language | en, fr;q=0.5           | en, fr;q=0.6",
        "Accept-Language | en;q=0                 | en",
        // Not weighted preferences as this reads them: compared as written.
        "Accept-Language | en;q=abc, fr           | fr, en;q=abc",
        "Accept-Language | en;q=1.5, fr           | fr, en;q=1.5",
        "Accept-Encoding | gzip;level=1, br       | br, gzip;level=1",
        "Accept          | text/html;q=0.5, application/json | application/json, text/html;q=0.5"})
    @Rfc("RFC 9111 §4.1")
    void aNormalisationNeverJoinsPreferencesThatMayBeAnsweredDifferently(String field, String first, String second) {
        Headers vary = Headers.of("Vary", field);

        assertThat(Vary.key(vary, Headers.of(field, first))).isNotEqualTo(Vary.key(vary, Headers.of(field, second)));
    }

    @Test
    @Rfc("RFC 9111 §4.1")
    void aReorderedAcceptLanguageIsAHitOfTheStoredVariant() {
        cache.get("https://example.com/a", "Accept-Language", "de;q=0.5, en");

        Driver.Exchange reordered = cache.get("https://example.com/a", "Accept-Language", "en, de;q=0.5");

        assertThat(reordered.fromCache()).isTrue();
        assertThat(reordered.body()).isEqualTo(Body.ofUtf8("de;q=0.5, en"));
        assertThat(cache.get("https://example.com/a", "Accept-Language", "de, en").fromCache()).isFalse();
    }

    @Test
    void combinesSeparateFieldLinesLikeOne() {
        Headers vary = Headers.of("Vary", "Accept-Encoding");

        assertThat(Vary.key(vary, Headers.of("Accept-Encoding", "gzip", "Accept-Encoding", "br")))
                .isEqualTo(Vary.key(vary, Headers.of("Accept-Encoding", "gzip, br")));
    }

    @Test
    void ignoresTheCaseOfNominatedFieldNames() {
        Headers request = Headers.of("accept-encoding", "gzip");

        assertThat(Vary.key(Headers.of("Vary", "ACCEPT-ENCODING"), request))
                .isEqualTo(Vary.key(Headers.of("vary", "Accept-Encoding"), request));
    }

    @Test
    void keepsTheCaseOfValuesThatAreCaseSensitive() {
        Headers vary = Headers.of("Vary", "Cookie");

        assertThat(Vary.key(vary, Headers.of("Cookie", "id=ABC"))).isNotEqualTo(Vary.key(vary, Headers.of("Cookie", "id=abc")));
    }

    @Test
    void anAbsentFieldMatchesOnlyAnAbsentOne() {
        Headers vary = Headers.of("Vary", "X-Tenant");

        assertThat(Vary.key(vary, Headers.EMPTY)).isNotEqualTo(Vary.key(vary, Headers.of("X-Tenant", "")));
        assertThat(Vary.key(vary, Headers.EMPTY)).isEqualTo(Vary.key(vary, Headers.of("Other", "x")));
        cache.get("https://example.com/a");
        assertThat(cache.get("https://example.com/a", "Accept-Language", "").fromCache()).isFalse();
    }

    @Test
    void aStoredResponseWithVaryStarNeverMatches() {
        Response response = Response.of(200, "Cache-Control", "max-age=60", "Vary", "*",
                "Date", cache.now());
        Request request = Request.of("GET", "https://example.com/a");
        Entry entry = new Entry(UUID.randomUUID(), CacheKey.of(request), new StoredRequest("GET", request.url(), ""),
                response, cache.clock.instant(), cache.clock.instant());

        Idle.Next next = cache.idle().next(request, List.of(entry));

        assertThat(next.reason()).isEqualTo(Reason.VARY_MISMATCH);
    }

    @Test
    void choosesTheMostRecentMatchingVariant() {
        cache.get("https://example.com/a", "Accept-Language", "en");
        cache.clock.advanceSeconds(5);
        Entry first = cache.entries.get(0);
        cache.entries.add(new Entry(UUID.randomUUID(), first.key(), first.request(),
                first.response().withHeaders(first.response().headers().with("Date", cache.now())),
                cache.clock.instant(), cache.clock.instant()));

        Idle.Next next = cache.idle().next(Request.of("GET", "https://example.com/a")
                .withHeaders(Headers.of("Accept-Language", "en")), cache.entries);

        assertThat(((FromCache) next).entry()).isEqualTo(cache.entries.get(1));
    }

    @Test
    void prefersAResponseWithVaryOverANewerOneThatOmitsIt() {
        Request request = Request.of("GET", "https://example.com/a").withHeaders(Headers.of("Accept-Language", "en"));
        Headers withVary = Headers.of("Cache-Control", "max-age=60", "Vary", "Accept-Language",
                "Date", Driver.date(cache.clock.instant().minusSeconds(2)));
        Headers withoutVary = Headers.of("Cache-Control", "max-age=60",
                "Date", Driver.date(cache.clock.instant().minusSeconds(1)));
        Entry varied = entry(request, withVary, Vary.key(withVary, request.headers()));
        Entry forgotVary = entry(request, withoutVary, "");

        Idle.Next next = cache.idle().next(request, List.of(forgotVary, varied));

        assertThat(((FromCache) next).entry()).isEqualTo(varied);
        assertThat(((FromCache) cache.idle().next(request, List.of(forgotVary))).entry()).isEqualTo(forgotVary);
    }

    private Entry entry(Request request, Headers responseHeaders, String varyKey) {
        return new Entry(UUID.randomUUID(), CacheKey.of(request), new StoredRequest("GET", request.url(), varyKey),
                new Response(200, responseHeaders), cache.clock.instant(), cache.clock.instant());
    }

    @Test
    void anEscapedQuoteDoesNotEndAQuotedString() {
        Headers vary = Headers.of("Vary", "X-Tag");

        assertThat(Vary.key(vary, Headers.of("X-Tag", "\"a\\\" , b\"")))
                .isNotEqualTo(Vary.key(vary, Headers.of("X-Tag", "\"a\\\",b\"")));
    }
}
