package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9110 §14: which part of a stored 200 a GET with Range receives. */
@Rfc("RFC 9110 §14")
class RangesTest {

    private static final Response STORED = Response.of(200, "ETag", "\"v1\"", "Content-Type", "video/mp4",
            "Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT", "Date", "Tue, 01 Dec 2026 10:00:05 GMT",
            "Content-Length", "1000", "Cache-Control", "max-age=60");

    private static Ranges.Answer answer(String... requestFields) {
        return Ranges.of(new Request("GET", java.net.URI.create("https://example.com/v"), Headers.of(requestFields)),
                STORED, 1000);
    }

    @ParameterizedTest(name = "Range: {0}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-99        | 0   | 100  | bytes 0-99/1000",
        "bytes=100-        | 100 | 900  | bytes 100-999/1000",
        "bytes=-10         | 990 | 10   | bytes 990-999/1000",
        "bytes=-5000       | 0   | 1000 | bytes 0-999/1000",
        "bytes=900-5000    | 900 | 100  | bytes 900-999/1000",
        "bytes=0-          | 0   | 1000 | bytes 0-999/1000",
        "BYTES = 5-5       | 5   | 1    | bytes 5-5/1000"})
    @Rfc({"RFC 9110 §14.1.2", "RFC 9110 §14.4", "RFC 9110 §15.3.7"})
    void oneRangeIsAPartWithItsContentRange(String range, long first, long length, String contentRange) {
        Ranges.Part part = (Ranges.Part) answer("Range", range);

        assertThat(part.first()).isEqualTo(first);
        assertThat(part.length()).isEqualTo(length);
        assertThat(part.head().status()).isEqualTo(206);
        assertThat(part.head().headers().firstValue("Content-Range")).hasValue(contentRange);
        assertThat(part.head().headers().firstValue("Content-Length")).hasValue(Long.toString(length));
    }

    @Test
    @Rfc("RFC 9110 §15.3.7")
    void aPartCarriesEveryStoredField() {
        Ranges.Part part = (Ranges.Part) answer("Range", "bytes=0-9");

        assertThat(part.head().headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(part.head().headers().firstValue("Cache-Control")).hasValue("max-age=60");
        assertThat(part.head().headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(part.head().headers().allValues("Content-Length")).containsExactly("10");
    }

    @ParameterizedTest(name = "Range: {0}")
    @ValueSource(strings = {"bytes=1000-", "bytes=5000-6000", "bytes=-0"})
    @Rfc({"RFC 9110 §14.1.2", "RFC 9110 §15.5.17"})
    void aRangeWithNoByteOfTheBodyIsA416WithTheLength(String range) {
        Ranges.Unsatisfiable refusal = (Ranges.Unsatisfiable) answer("Range", range);

        assertThat(refusal.head().status()).isEqualTo(416);
        assertThat(refusal.head().headers().firstValue("Content-Range")).hasValue("bytes */1000");
        assertThat(refusal.head().headers().firstValue("Content-Type")).isEmpty();
    }

    @ParameterizedTest(name = "Range: {0}")
    @ValueSource(strings = {"bytes=0-9, 20-29", "bytes=5-1", "bytes=a-b", "bytes=-", "items=0-9", "bytes 0-9",
        "bytes=--5", "bytes=99999999999999999999-", ""})
    @Rfc("RFC 9110 §14.2")
    void severalRangesAndRangesThatDoNotParseGetTheWholeResponse(String range) {
        assertThat(answer("Range", range)).isInstanceOf(Ranges.Whole.class);
    }

    @Test
    @Rfc("RFC 9110 §14.2")
    void twoRangeFieldsGetTheWholeResponse() {
        assertThat(answer("Range", "bytes=0-9", "Range", "bytes=10-19")).isInstanceOf(Ranges.Whole.class);
    }

    @Test
    @Rfc("RFC 9110 §14.2")
    void onlyAGetOfAStored200IsAnsweredInPart() {
        Request head = new Request("HEAD", java.net.URI.create("https://example.com/v"), Headers.of("Range", "bytes=0-9"));
        Request get = new Request("GET", java.net.URI.create("https://example.com/v"), Headers.of("Range", "bytes=0-9"));

        assertThat(Ranges.of(head, STORED, 1000)).isInstanceOf(Ranges.Whole.class);
        assertThat(Ranges.of(get, Response.of(404), 1000)).isInstanceOf(Ranges.Whole.class);
    }

    @ParameterizedTest(name = "If-Range: {0}")
    @ValueSource(strings = {"\"v1\"", "Tue, 01 Dec 2026 10:00:00 GMT"})
    @Rfc("RFC 9110 §13.1.5")
    void anIfRangeThatNamesTheStoredResponseKeepsThePart(String ifRange) {
        assertThat(answer("Range", "bytes=0-9", "If-Range", ifRange)).isInstanceOf(Ranges.Part.class);
    }

    @ParameterizedTest(name = "If-Range: {0}")
    @ValueSource(strings = {"\"v2\"", "W/\"v1\"", "Tue, 01 Dec 2026 10:00:01 GMT", "Mon, 30 Nov 2026 10:00:00 GMT",
        "not a date", "\"v1"})
    @Rfc("RFC 9110 §13.1.5")
    void anIfRangeThatNamesAnotherOrAWeakValidatorGetsTheWholeResponse(String ifRange) {
        assertThat(answer("Range", "bytes=0-9", "If-Range", ifRange)).isInstanceOf(Ranges.Whole.class);
    }

    @Test
    @Rfc({"RFC 9110 §13.1.5", "RFC 9110 §8.8.2.2"})
    void aLastModifiedWithinASecondOfTheDateIsAWeakValidatorAndGetsTheWholeResponse() {
        Response sameSecond = Response.of(200, "Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT",
                "Date", "Tue, 01 Dec 2026 10:00:00 GMT");
        Request request = new Request("GET", java.net.URI.create("https://example.com/v"),
                Headers.of("Range", "bytes=0-9", "If-Range", "Tue, 01 Dec 2026 10:00:00 GMT"));

        assertThat(Ranges.of(request, sameSecond, 1000)).isInstanceOf(Ranges.Whole.class);
    }

    @Test
    @Rfc("RFC 9110 §14.1.2")
    void anEmptyBodyHasNoRangeToGive() {
        Request request = new Request("GET", java.net.URI.create("https://example.com/v"), Headers.of("Range", "bytes=0-"));

        assertThat(Ranges.of(request, STORED, 0)).isInstanceOf(Ranges.Unsatisfiable.class);
    }
}
