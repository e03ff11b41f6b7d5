package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Request;
import io.hishel.http.Response;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9111 §4.4: invalidation after unsafe methods. */
@Rfc("RFC 9111 §4.4")
class InvalidationTest {

    private final Driver cache = new Driver();

    @BeforeEach
    void storeSomeResponses() {
        cache.respond(200, "Cache-Control", "max-age=600");
        cache.get("https://example.com/items/1");
        cache.get("https://example.com/items");
        cache.get("https://other.example/items");
    }

    private CacheMiss.Next unsafe(String method, String url, Response response) {
        CacheMiss miss = (CacheMiss) cache.idle().next(Request.of(method, url), List.of());
        return miss.next(response);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {200, 201, 204, 301, 303})
    void aNonErrorResponseInvalidatesTheTargetUri(int status) {
        CacheMiss.Next next = unsafe("POST", "https://example.com/items/1", Response.of(status));

        assertThat(next).isInstanceOf(InvalidateEntries.class);
        assertThat(((InvalidateEntries) next).uris()).containsExactly(URI.create("https://example.com/items/1"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {400, 404, 409, 500, 503})
    void anErrorResponseInvalidatesNothing(int status) {
        assertThat(unsafe("DELETE", "https://example.com/items/1", Response.of(status)).reason())
                .isEqualTo(Reason.UNSAFE_METHOD_ERROR);
    }

    /**
     * RFC 9110 §9.3.3 allows a POST response with explicit freshness and a Content-Location equal
     * to its target to answer a later GET. This cache does not: a POST answer is often made for
     * the one who posted ("your order is placed"), and Varnish and nginx do not either. The POST
     * invalidates the URI, and the next GET asks the application.
     */
    @Test
    @Rfc("RFC 9110 §9.3.3")
    void aFreshPostResponseWithContentLocationOfItsTargetIsNotReusedForALaterGet() {
        cache.respond(200, "Cache-Control", "max-age=600", "Content-Location", "https://example.com/items/1");
        Driver.Exchange post = cache.send("POST", "https://example.com/items/1");

        Driver.Exchange get = cache.get("https://example.com/items/1");

        assertThat(post.fromCache()).isFalse();
        assertThat(get.fromCache()).isFalse();
        assertThat(cache.received).extracting(Request::method).endsWith("POST", "GET");
    }

    @Test
    void invalidatesLocationAndContentLocationOfTheSameOrigin() {
        CacheMiss.Next next = unsafe("POST", "https://example.com/items",
                Response.of(201, "Location", "/items/1", "Content-Location", "https://EXAMPLE.com:443/items?page=1"));

        assertThat(((InvalidateEntries) next).uris()).containsExactly(URI.create("https://example.com/items"),
                URI.create("https://example.com/items/1"), URI.create("https://EXAMPLE.com:443/items?page=1"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://other.example/items", "http://example.com/items", "https://example.com:8443/items",
        "//other.example/x"})
    void neverInvalidatesAnotherOrigin(String location) {
        CacheMiss.Next next = unsafe("PUT", "https://example.com/items/1", Response.of(200, "Location", location));

        assertThat(((InvalidateEntries) next).uris()).containsExactly(URI.create("https://example.com/items/1"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://[bad", "::::", "a b c", ""})
    void ignoresAMalformedLocation(String location) {
        CacheMiss.Next next = unsafe("POST", "https://example.com/items/1", Response.of(200, "Location", location));

        assertThat(((InvalidateEntries) next).uris()).containsExactly(URI.create("https://example.com/items/1"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "PURGE", "MKCOL"})
    void everyMethodNotKnownToBeSafeInvalidates(String method) {
        cache.send(method, "https://example.com/items/1");

        assertThat(cache.get("https://example.com/items/1").fromCache()).isFalse();
        assertThat(cache.get("https://example.com/items").fromCache()).isTrue();
        assertThat(cache.get("https://other.example/items").fromCache()).isTrue();
    }

    @Test
    void aSafeMethodTheCacheDoesNotStoreInvalidatesNothing() {
        CacheMiss.Next next = unsafe("OPTIONS", "https://example.com/items/1", Response.of(200));

        assertThat(next).isInstanceOf(CouldNotBeStored.class);
        assertThat(next.reason()).isEqualTo(Reason.METHOD_NOT_CACHEABLE);
    }
}
