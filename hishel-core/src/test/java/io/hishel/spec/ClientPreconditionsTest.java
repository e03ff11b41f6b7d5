package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9111 §4.3.2 with RFC 9110 §13: the cache answering its clients' conditional requests. */
@Rfc("RFC 9111 §4.3.2")
class ClientPreconditionsTest {

    private static final String MODIFIED = "Mon, 29 Dec 2025 00:00:00 GMT";
    private final Driver cache = new Driver();

    private void store(String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Cache-Control";
        all[1] = "max-age=600";
        System.arraycopy(headers, 0, all, 2, headers.length);
        cache.respond(new Response(200, Headers.of(all), Body.ofUtf8("stored")));
        cache.get("https://example.com/a");
    }

    @ParameterizedTest(name = "If-None-Match: {0}")
    @ValueSource(strings = {"\"v1\"", "W/\"v1\"", "\"x\", W/\"v1\"", "*", "\"x\"  ,\"v1\""})
    @Rfc("RFC 9110 §13.1.2")
    void answers304WhenIfNoneMatchWeaklyMatches(String ifNoneMatch) {
        store("ETag", "\"v1\"");

        Driver.Exchange exchange = cache.get("https://example.com/a", "If-None-Match", ifNoneMatch);

        assertThat(exchange.fromCache()).isTrue();
        assertThat(exchange.status()).isEqualTo(304);
        assertThat(exchange.body()).isEqualTo(Body.EMPTY);
    }

    @Test
    @Rfc("RFC 9110 §13.1.2")
    void sendsTheStoredResponseWhenIfNoneMatchDoesNotMatch() {
        store("ETag", "W/\"v1\"");

        Driver.Exchange exchange = cache.get("https://example.com/a", "If-None-Match", "\"v2\", junk");

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.body()).isEqualTo(Body.ofUtf8("stored"));
    }

    @Test
    @Rfc("RFC 9110 §13.2.2")
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        store("ETag", "\"v1\"", "Last-Modified", MODIFIED);

        Driver.Exchange exchange = cache.get("https://example.com/a", "If-None-Match", "\"v0\"",
                "If-Modified-Since", Driver.date(Instant.parse("2026-06-01T00:00:00Z")));

        assertThat(exchange.status()).isEqualTo(200);
    }

    @Test
    @Rfc("RFC 9110 §13.1.3")
    void answers304WhenNotModifiedSince() {
        store("Last-Modified", MODIFIED);

        assertThat(cache.get("https://example.com/a", "If-Modified-Since", MODIFIED).status()).isEqualTo(304);
        assertThat(cache.get("https://example.com/a", "If-Modified-Since", "Sun, 28 Dec 2025 23:59:59 GMT").status())
                .isEqualTo(200);
    }

    @ParameterizedTest(name = "If-Modified-Since: {0}")
    @ValueSource(strings = {"yesterday", "Mon, 29 Dec 2025 00:00:00 CET", "0"})
    @Rfc("RFC 9110 §13.1.3")
    void ignoresAnInvalidIfModifiedSince(String value) {
        store("Last-Modified", MODIFIED);

        assertThat(cache.get("https://example.com/a", "If-Modified-Since", value).status()).isEqualTo(200);
    }

    @Test
    @Rfc("RFC 9110 §13.1.3")
    void ignoresIfModifiedSinceWithMoreThanOneMember() {
        store("Last-Modified", MODIFIED);

        assertThat(cache.get("https://example.com/a", "If-Modified-Since", MODIFIED, "If-Modified-Since", MODIFIED)
                .status()).isEqualTo(200);
    }

    @Test
    void usesTheStoredDateWhenThereIsNoLastModified() {
        store();
        String date = cache.entries.get(0).response().headers().firstValue("Date").orElseThrow();

        assertThat(cache.get("https://example.com/a", "If-Modified-Since", date).status()).isEqualTo(304);
    }

    @Test
    @Rfc("RFC 9110 §15.4.5")
    void the304CarriesTheFieldsA200WouldAndNoRepresentationMetadata() {
        store("ETag", "\"v1\"", "Vary", "Accept", "Content-Location", "/a.json", "Expires", MODIFIED,
                "Content-Type", "application/json", "Content-Length", "6", "X-Other", "o", "Last-Modified", MODIFIED);

        Response notModified = cache.get("https://example.com/a", "If-None-Match", "\"v1\"").response();

        assertThat(notModified.headers().names()).containsExactlyInAnyOrder(
                "Cache-Control", "ETag", "Vary", "Content-Location", "Expires", "Date", "Age");
    }

    @Test
    @Rfc("RFC 9110 §15.4.5")
    void the304CarriesLastModifiedWhenThereIsNoEntityTag() {
        store("Last-Modified", MODIFIED);

        assertThat(cache.get("https://example.com/a", "If-Modified-Since", MODIFIED).header("Last-Modified"))
                .hasValue(MODIFIED);
    }

    @Test
    void evaluatesOnlyAgainstAStored200() {
        cache.respond(new Response(404, Headers.of("Cache-Control", "max-age=600", "ETag", "\"gone\""), Body.ofUtf8("no")));
        cache.get("https://example.com/a");

        assertThat(cache.get("https://example.com/a", "If-None-Match", "*").status()).isEqualTo(404);
    }

    @Test
    void answersHeadRequestsToo() {
        store("ETag", "\"v1\"");

        assertThat(cache.send("HEAD", "https://example.com/a", "If-None-Match", "\"v1\"").status()).isEqualTo(304);
    }

    @Test
    void aMissThatIsStoredAnswersTheClientsConditionalsFromTheNewResponse() {
        cache.respond(new Response(200, Headers.of("Cache-Control", "max-age=600", "ETag", "\"v1\""), Body.ofUtf8("x")));

        Driver.Exchange exchange = cache.get("https://example.com/a", "If-None-Match", "\"v1\"");

        assertThat(cache.received.get(0).headers().contains("If-None-Match")).isFalse();
        assertThat(exchange.status()).isEqualTo(304);
        assertThat(cache.entries).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"If-Match", "If-Unmodified-Since"})
    @Rfc({"RFC 9110 §13.1.1", "RFC 9110 §13.1.4"})
    void leavesPreconditionsForTheOriginToTheApplication(String field) {
        store("ETag", "\"v1\"", "Last-Modified", MODIFIED);
        cache.respond(412);

        Driver.Exchange exchange = cache.get("https://example.com/a", field,
                field.equals("If-Match") ? "\"other\"" : "Sun, 28 Dec 2025 00:00:00 GMT");

        assertThat(exchange.status()).isEqualTo(412);
        assertThat(exchange.decision()).extracting(s -> ((Idle.Next) s).reason())
                .isEqualTo(Reason.PRECONDITIONS_FOR_APPLICATION);
        assertThat(cache.received.get(cache.received.size() - 1).headers().contains(field)).isTrue();
    }

    @Test
    void leavesConditionalsOnOtherMethodsToTheApplication() {
        Request put = Request.of("PUT", "https://example.com/a").withHeaders(Headers.of("If-None-Match", "*"));

        assertThat(Preconditions.hasOriginPreconditions(put)).isTrue();
        assertThat(((CacheMiss) cache.idle().next(put, java.util.List.of())).forwardRequest()).isSameAs(put);
    }

    @Test
    void aMissThatIsNotStoredSendsTheFullResponseWithItsCookies() {
        // Without a stored response the cache must not evaluate the client's conditionals.
        cache.respond(new Response(200, Headers.of("Cache-Control", "max-age=600", "ETag", "\"v1\"",
                "Set-Cookie", "SESSION=new"), Body.ofUtf8("x")));

        Driver.Exchange exchange = cache.get("https://example.com/a", "If-None-Match", "\"v1\"");

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.header("Set-Cookie")).hasValue("SESSION=new");
        assertThat(cache.entries).isEmpty();
    }
}
