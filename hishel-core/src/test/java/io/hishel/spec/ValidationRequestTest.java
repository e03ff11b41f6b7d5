package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.StoredRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** RFC 9111 §4.3.1: the validation request the cache sends. */
@Rfc("RFC 9111 §4.3.1")
class ValidationRequestTest {

    private static final String LAST_MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT";
    private final Driver cache = new Driver();

    private Entry stale(String... headers) {
        Request request = Request.of("GET", "https://example.com/a");
        Headers all = Headers.of(headers).with("Cache-Control", "max-age=0").with("Date", cache.now());
        return new Entry(UUID.randomUUID(), CacheKey.of(request), new StoredRequest("GET", request.url(), ""),
                new Response(200, all), cache.clock.instant(), cache.clock.instant());
    }

    private Request validationFor(Request request, Entry... entries) {
        Idle.Next next = cache.idle().next(request, List.of(entries));
        assertThat(next).isInstanceOf(NeedRevalidation.class);
        return ((NeedRevalidation) next).conditionalRequest();
    }

    @Test
    void sendsEveryStoredEntityTag() {
        Request sent = validationFor(Request.of("GET", "https://example.com/a"),
                stale("ETag", "\"a\""), stale("ETag", "W/\"b\""), stale("ETag", "\"a\""), stale("Last-Modified", LAST_MODIFIED));

        assertThat(sent.headers().allValues("If-None-Match")).containsExactly("\"a\", W/\"b\"");
        assertThat(sent.headers().contains("If-Modified-Since")).isFalse();
    }

    @Test
    void sendsLastModifiedWhenValidatingASingleResponse() {
        Request sent = validationFor(Request.of("GET", "https://example.com/a"),
                stale("ETag", "\"a\"", "Last-Modified", LAST_MODIFIED));

        assertThat(sent.headers().firstValue("If-None-Match")).hasValue("\"a\"");
        assertThat(sent.headers().firstValue("If-Modified-Since")).hasValue(LAST_MODIFIED);
    }

    @Test
    void replacesTheClientsOwnConditionalsAndRange() {
        Request client = Request.of("GET", "https://example.com/a").withHeaders(Headers.of(
                "If-None-Match", "\"client\"", "If-Modified-Since", LAST_MODIFIED, "Range", "bytes=0-10",
                "If-Range", "\"client\"", "Accept", "text/html"));

        Request sent = validationFor(client, stale("ETag", "\"stored\""));

        assertThat(sent.headers().allValues("If-None-Match")).containsExactly("\"stored\"");
        assertThat(sent.headers().names()).doesNotContain("If-Modified-Since", "Range", "If-Range").contains("Accept");
    }

    @Test
    void goesToTheApplicationUnconditionallyWhenNothingStoredHasAValidator() {
        Idle.Next next = cache.idle().next(Request.of("GET", "https://example.com/a"), List.of(stale()));

        assertThat(next).isInstanceOf(CacheMiss.class);
        assertThat(next.reason()).isEqualTo(Reason.STALE);
        assertThat(((CacheMiss) next).candidates()).hasSize(1);
    }

    @Test
    void ignoresAnInvalidStoredLastModified() {
        Request sent = validationFor(Request.of("GET", "https://example.com/a"),
                stale("ETag", "\"a\"", "Last-Modified", "yesterday"));

        assertThat(sent.headers().contains("If-Modified-Since")).isFalse();
    }

    @Test
    void theReasonSaysTheStoredResponseWasStale() {
        Idle.Next next = cache.idle().next(Request.of("GET", "https://example.com/a"), List.of(stale("ETag", "\"a\"")));

        assertThat(next.reason()).isEqualTo(Reason.STALE);
        assertThat(next.reason().forward()).hasValue("stale");
    }

    @Test
    @Rfc("RFC 9110 §13.1.2")
    void neverSendsConditionalsOnMethodsOtherThanGetAndHead() {
        // On a POST, If-None-Match asks for 412, not 304.
        cache.options(io.hishel.policy.CacheOptions.builder().supportedMethods("GET", "HEAD", "POST").build());
        Request post = new Request("POST", java.net.URI.create("https://example.com/search"), Headers.EMPTY,
                io.hishel.http.Body.ofUtf8("q"), io.hishel.http.RequestMetadata.builder().bodyKey(true).build());
        Entry stale = new Entry(UUID.randomUUID(), CacheKey.of(post), new StoredRequest("POST", post.url(), ""),
                Response.of(200, "Cache-Control", "max-age=0", "ETag", "\"a\"", "Date", cache.now()),
                cache.clock.instant(), cache.clock.instant());

        Idle.Next next = cache.idle().next(post, List.of(stale));

        assertThat(next).isInstanceOf(CacheMiss.class);
        assertThat(((CacheMiss) next).forwardRequest().headers().contains("If-None-Match")).isFalse();
    }
}
