package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.Entry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 9111 §3.2: updating stored header fields from a 304. */
@Rfc("RFC 9111 §3.2")
class UpdatingStoredHeadersTest {

    private final Driver cache = new Driver();

    @BeforeEach
    void storeAStaleResponse() {
        cache.respond(200, "Cache-Control", "max-age=10", "ETag", "\"v1\"", "Content-Type", "text/html",
                "Content-Encoding", "gzip", "Content-Length", "13", "X-Version", "1", "Age", "5");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(60);
    }

    private Headers storedAfter304(String... headers) {
        cache.respond(304, headers);
        cache.get("https://example.com/a");
        Entry entry = cache.entries.get(0);
        return entry.response().headers();
    }

    @Test
    void replacesStoredFieldsWithThoseOfThe304() {
        Headers stored = storedAfter304("ETag", "\"v1\"", "Cache-Control", "max-age=300", "X-Version", "2", "X-New", "n");

        assertThat(stored.allValues("Cache-Control")).containsExactly("max-age=300");
        assertThat(stored.allValues("X-Version")).containsExactly("2");
        assertThat(stored.firstValue("X-New")).hasValue("n");
    }

    @Test
    void neverTakesContentLengthFromA304() {
        // hishel 1.3 let a 304's Content-Length: 0 overwrite the stored 13.
        Headers stored = storedAfter304("ETag", "\"v1\"", "Content-Length", "0");

        assertThat(stored.allValues("Content-Length")).containsExactly("13");
    }

    @Test
    void keepsTheFieldsTheStoredBodyDependsOn() {
        Headers stored = storedAfter304("ETag", "\"v1\"", "Content-Type", "application/json", "Content-Encoding", "br");

        assertThat(stored.firstValue("Content-Type")).hasValue("text/html");
        assertThat(stored.firstValue("Content-Encoding")).hasValue("gzip");
    }

    @Test
    @Rfc("RFC 9111 §3.1")
    void neverBringsInFieldsThatAreNotStored() {
        Headers stored = storedAfter304("ETag", "\"v1\"", "Connection", "X-Hop", "X-Hop", "1", "Keep-Alive", "timeout=5",
                "Proxy-Authenticate", "Basic");

        assertThat(stored.names()).doesNotContain("Connection", "X-Hop", "Keep-Alive", "Proxy-Authenticate");
    }

    @Test
    @Rfc("RFC 9111 §7.3")
    void neverBringsACookieIntoASharedStoredResponse() {
        cache.respond(304, "ETag", "\"v1\"", "Set-Cookie", "session=alice");
        Driver.Exchange alice = cache.get("https://example.com/a");
        Headers stored = cache.entries.get(0).response().headers();

        assertThat(alice.header("Set-Cookie")).as("the client that caused the 304 gets its cookie").hasValue("session=alice");
        assertThat(stored.contains("Set-Cookie")).isFalse();
        assertThat(cache.get("https://example.com/a").response().headers().contains("Set-Cookie")).isFalse();
    }

    @Test
    void takesAgeAndDateFromThe304() {
        Headers stored = storedAfter304("ETag", "\"v1\"");

        assertThat(stored.contains("Age")).isFalse();
        assertThat(stored.allValues("Date")).containsExactly(cache.now());
        cache.clock.advanceSeconds(60);
        Headers withAge = storedAfter304("ETag", "\"v1\"", "Age", "3", "Date", Driver.date(cache.clock.instant().minusSeconds(1)));
        assertThat(withAge.allValues("Age")).containsExactly("3");
    }

    @Test
    void recomputesTheVaryKeyWhenThe304ChangesVary() {
        cache.respond(304, "ETag", "\"v1\"", "Vary", "Accept-Language");
        cache.get("https://example.com/a", "Accept-Language", "fi");

        assertThat(cache.get("https://example.com/a", "Accept-Language", "fi").fromCache()).isTrue();
        cache.respond(Response.of(200, "Cache-Control", "max-age=10"));
        assertThat(cache.get("https://example.com/a", "Accept-Language", "sv").fromCache()).isFalse();
    }
}
