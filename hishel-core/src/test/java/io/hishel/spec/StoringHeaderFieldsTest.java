package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.HttpDate;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.storage.Entry;
import org.junit.jupiter.api.Test;

/** RFC 9111 §3.1: which header fields are stored with a response. */
@Rfc("RFC 9111 §3.1")
class StoringHeaderFieldsTest {

    private final Driver cache = new Driver();

    @Test
    void keepsEveryFieldIncludingUnrecognisedOnes() {
        Entry entry = cache.store("https://example.com/a", Response.of(200, "Cache-Control", "max-age=60",
                "Content-Type", "text/plain", "X-Made-Up", "kept", "Link", "<a>; rel=preload", "Link", "<b>; rel=preload"));

        assertThat(entry.response().headers().firstValue("X-Made-Up")).hasValue("kept");
        assertThat(entry.response().headers().allValues("Link")).containsExactly("<a>; rel=preload", "<b>; rel=preload");
    }

    @Test
    void keepsRepeatedSetCookieLinesApartWhenCookiesMayBeStored() {
        cache.options(CacheOptions.builder().storeSetCookie(true).build());

        Entry entry = cache.store("https://example.com/a", Response.of(200, "Cache-Control", "max-age=60",
                "Set-Cookie", "a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "Set-Cookie", "b=2"));

        assertThat(entry.response().headers().allValues("Set-Cookie"))
                .containsExactly("a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2");
    }

    @Test
    @Rfc("RFC 9110 §7.6.1")
    void removesConnectionAndTheFieldsItNames() {
        Entry entry = cache.store("https://example.com/a", Response.of(200, "Cache-Control", "max-age=60",
                "Connection", "close, X-Hop", "X-Hop", "1", "X-End-To-End", "2"));

        assertThat(entry.response().headers().names()).doesNotContain("Connection", "X-Hop").contains("X-End-To-End");
    }

    @Test
    @Rfc("RFC 9110 §7.6.1")
    void removesHopByHopFields() {
        Entry entry = cache.store("https://example.com/a", Response.of(200, "Cache-Control", "max-age=60",
                "Keep-Alive", "timeout=5", "Proxy-Connection", "keep-alive", "TE", "trailers",
                "Transfer-Encoding", "chunked", "Upgrade", "h2c", "Trailer", "X-Checksum"));

        assertThat(entry.response().headers().names()).containsOnly("Cache-Control", "Date");
    }

    @Test
    void neverStoresFieldsSpecificToAProxy() {
        Entry entry = cache.store("https://example.com/a", Response.of(200, "Cache-Control", "max-age=60",
                "Proxy-Authenticate", "Basic", "Proxy-Authentication-Info", "x", "Proxy-Authorization", "y"));

        assertThat(entry.response().headers().names()).containsOnly("Cache-Control", "Date");
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.4")
    void neverStoresFieldsAQualifiedNoCacheNames() {
        Entry entry = cache.store("https://example.com/a", Response.of(200,
                "Cache-Control", "max-age=60, no-cache=\"X-Token, X-Other\"", "X-Token", "t", "x-other", "o", "X-Kept", "k"));

        assertThat(entry.response().headers().names()).doesNotContain("X-Token", "x-other").contains("X-Kept");
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.7")
    void aSharedCacheNeverStoresFieldsAQualifiedPrivateNames() {
        Response response = Response.of(200, "Cache-Control", "max-age=60, private=\"X-User\"", "X-User", "alice",
                "X-Kept", "k");

        assertThat(cache.store("https://example.com/a", response).response().headers().names())
                .doesNotContain("X-User").contains("X-Kept");
        cache.options(CacheOptions.builder().shared(false).build());
        assertThat(cache.store("https://example.com/b", response).response().headers().firstValue("X-User"))
                .hasValue("alice");
    }

    @Test
    @Rfc("RFC 9110 §6.6.1")
    void recordsTheTimeOfReceiptAsDateWhenTheResponseHasNone() {
        Entry entry = cache.store("https://example.com/a", Response.of(200, "Cache-Control", "max-age=60"));

        assertThat(entry.response().headers().firstValue("Date")).hasValue(cache.now());
    }

    @Test
    @Rfc("RFC 9110 §6.6.1")
    void replacesAnInvalidDateWithTheTimeOfReceipt() {
        Entry entry = cache.store("https://example.com/a", Response.of(200, "Cache-Control", "max-age=60",
                "Date", "yesterday"));

        assertThat(entry.response().headers().allValues("Date")).containsExactly(cache.now());
    }

    @Test
    void keepsAValidDateAsTheApplicationSentIt() {
        String date = HttpDate.format(cache.clock.instant().minusSeconds(3));

        Entry entry = cache.store("https://example.com/a", Response.of(200, "Cache-Control", "max-age=60", "Date", date));

        assertThat(entry.response().headers().firstValue("Date")).hasValue(date);
    }

    @Test
    @Rfc("RFC 9111 §4.1")
    void keepsNoRequestHeaderFieldsOnlyADigestOfThoseVaryNominates() {
        cache.respond(200, "Cache-Control", "public, max-age=60", "Vary", "Cookie");

        cache.get("https://example.com/a", "Cookie", "session=secret-value", "Authorization", "Bearer token");

        Entry entry = cache.entries.get(0);
        assertThat(entry.request().varyKey()).hasSize(64).doesNotContain("secret");
        assertThat(entry.request().toString()).doesNotContain("secret-value", "Bearer");
    }
}
