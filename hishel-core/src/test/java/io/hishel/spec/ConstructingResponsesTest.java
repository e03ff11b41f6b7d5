package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.RequestMetadata;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.StoredRequest;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** RFC 9111 §4: when a stored response may answer a request. */
@Rfc("RFC 9111 §4")
class ConstructingResponsesTest {

    private final Driver cache = new Driver();

    @Test
    void anEmptyCacheIsAUriMiss() {
        cache.respond(200, "Cache-Control", "max-age=60");

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.decision()).isInstanceOf(CacheMiss.class);
        assertThat(((CacheMiss) exchange.decision()).reason()).isEqualTo(Reason.NO_STORED_RESPONSE);
        assertThat(Reason.NO_STORED_RESPONSE.forward()).hasValue("uri-miss");
        assertThat(exchange.applicationCalls()).isEqualTo(1);
    }

    @Test
    void servesAFreshStoredResponseWithItsBody() {
        cache.respond(new Response(200, Headers.of("Cache-Control", "max-age=60", "Content-Type", "text/plain"),
                Body.ofUtf8("hello")));
        cache.get("https://example.com/a");

        Driver.Exchange second = cache.get("https://example.com/a");

        assertThat(second.fromCache()).isTrue();
        assertThat(second.reason()).isEqualTo(Reason.FRESH);
        assertThat(second.body()).isEqualTo(Body.ofUtf8("hello"));
        assertThat(second.header("Content-Type")).hasValue("text/plain");
    }

    @Test
    void neverUsesAStoredResponseForAnotherUri() {
        Entry other = cache.store("https://example.com/other", Response.of(200, "Cache-Control", "max-age=60"));
        Request request = Request.of("GET", "https://example.com/a");

        // Even if a storage returned it under this key by mistake.
        Idle.Next next = cache.idle().next(request, List.of(other));

        assertThat(next).isInstanceOf(CacheMiss.class);
    }

    @Test
    void aStoredGetAnswersAHeadWithoutTheBody() {
        cache.respond(200, "Cache-Control", "max-age=60", "Content-Length", "8");
        cache.get("https://example.com/a");

        Driver.Exchange head = cache.send("HEAD", "https://example.com/a");

        assertThat(head.fromCache()).isTrue();
        assertThat(head.body()).isEqualTo(Body.EMPTY);
        assertThat(((FromCache) head.outcome()).sendsBody()).isFalse();
        assertThat(head.header("Content-Length")).hasValue("8");
    }

    @Test
    void aStoredHeadNeverAnswersAGet() {
        cache.respond(200, "Cache-Control", "max-age=60");
        cache.send("HEAD", "https://example.com/a");

        Driver.Exchange get = cache.get("https://example.com/a");

        assertThat(get.fromCache()).isFalse();
        assertThat(get.decision()).extracting(s -> ((Idle.Next) s).reason()).isEqualTo(Reason.NO_STORED_RESPONSE);
    }

    @Test
    void aStoredPostAnswersOnlyAPostWithTheSameBody() {
        cache.options(CacheOptions.builder().supportedMethods("GET", "HEAD", "POST").build())
                .respond(request -> new Response(200, Headers.of("Cache-Control", "max-age=60"),
                        Body.ofUtf8("results for " + new String(request.body().toByteArray()))));
        RequestMetadata bodyKey = RequestMetadata.builder().bodyKey(true).build();
        Request query = new Request("POST", URI.create("https://example.com/search"), Headers.EMPTY,
                Body.ofUtf8("q=cache"), bodyKey);
        Request otherQuery = query.withBody(Body.ofUtf8("q=other"));

        cache.send(query);

        assertThat(cache.send(query).body()).isEqualTo(Body.ofUtf8("results for q=cache"));
        assertThat(cache.send(query).fromCache()).isTrue();
        assertThat(cache.send(otherQuery).fromCache()).isFalse();
        assertThat(cache.get("https://example.com/search").fromCache()).isFalse();
    }

    @Test
    void generatesAnAgeThatReplacesTheStoredOne() {
        cache.respond(200, "Cache-Control", "max-age=600", "Age", "100");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(42);

        Driver.Exchange hit = cache.get("https://example.com/a");

        assertThat(hit.response().headers().allValues("Age")).containsExactly("142");
    }

    @Test
    void writesUnsafeMethodsThroughEvenWithAStoredResponse() {
        cache.respond(200, "Cache-Control", "max-age=60");
        cache.get("https://example.com/a");

        Driver.Exchange post = cache.send("POST", "https://example.com/a");

        assertThat(post.applicationCalls()).isEqualTo(1);
        assertThat(((CacheMiss) post.decision()).reason()).isEqualTo(Reason.UNSAFE_METHOD);
        assertThat(((CacheMiss) post.decision()).forwardRequest()).isSameAs(post.request());
    }

    @Test
    void usesTheMostRecentOfSeveralFreshResponses() {
        Entry older = entry("\"old\"", cache.clock.instant().minusSeconds(20));
        Entry newer = entry("\"new\"", cache.clock.instant().minusSeconds(10));

        Idle.Next next = cache.idle().next(Request.of("GET", "https://example.com/a"), List.of(older, newer));

        assertThat(((FromCache) next).entry()).isEqualTo(newer);
        next = cache.idle().next(Request.of("GET", "https://example.com/a"), List.of(newer, older));
        assertThat(((FromCache) next).entry()).isEqualTo(newer);
    }

    @Test
    void storingReplacesTheResponsesTheNewOneSupersedes() {
        cache.respond(200, "Cache-Control", "max-age=10");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(11);

        cache.get("https://example.com/a");

        assertThat(cache.entries).hasSize(1);
    }

    @Test
    @Rfc("RFC 9211 §2")
    void reasonsNameTheirSectionAndToken() {
        assertThat(Reason.PRIVATE_IN_SHARED_CACHE)
                .hasToString("private response in a shared cache (RFC 9111 §5.2.2.7)");
        assertThat(Reason.PRIVATE_IN_SHARED_CACHE.token()).isEqualTo("private-in-shared-cache");
        for (Reason reason : Reason.values()) {
            assertThat(reason.token()).matches("[a-z][a-z0-9-]*");
            assertThat(reason.section()).isNotBlank();
            assertThat(reason.description()).isNotBlank();
            reason.forward().ifPresent(fwd -> assertThat(fwd)
                    .isIn("bypass", "method", "uri-miss", "vary-miss", "miss", "request", "stale", "partial"));
        }
    }

    private Entry entry(String etag, java.time.Instant date) {
        Response response = Response.of(200, "Cache-Control", "max-age=60", "ETag", etag, "Date", Driver.date(date));
        Request request = Request.of("GET", "https://example.com/a");
        return new Entry(UUID.randomUUID(), CacheKey.of(request), new StoredRequest("GET", request.url(), ""),
                response, date, date);
    }

    @Test
    void neverFallsBackToAnOlderResponseWhenTheMostRecentCannotBeUsed() {
        Entry older = entry("\"v1\"", cache.clock.instant().minusSeconds(20));
        Response newerResponse = Response.of(200, "Cache-Control", "no-cache", "ETag", "\"v2\"",
                "Date", cache.now());
        Entry newer = new Entry(UUID.randomUUID(), older.key(), older.request(), newerResponse,
                cache.clock.instant(), cache.clock.instant());

        Idle.Next next = cache.idle().next(Request.of("GET", "https://example.com/a"), List.of(older, newer));

        assertThat(next).isInstanceOf(NeedRevalidation.class);
        assertThat(next.reason()).isEqualTo(Reason.RESPONSE_NO_CACHE);
    }
}
