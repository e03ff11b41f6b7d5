package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThatNoException;

import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever an application or a client sends, the engine decides without throwing: malformed
 * values are read as the RFC prescribes, never as an exception that would become an error page.
 */
class RobustnessTest {

    private static final List<String> FIELDS = List.of("Cache-Control", "CDN-Cache-Control", "Hishel-Cache-Control",
            "Expires", "Date", "Age", "Last-Modified", "ETag", "Vary", "Pragma", "Set-Cookie", "Content-Length",
            "Connection", "If-None-Match", "If-Modified-Since", "Authorization", "Location", "Content-Location");
    private static final List<String> VALUES = List.of("", "0", "-1", "*", "max-age=60", "max-age=abc",
            "no-cache=\"X", "private=\"a, b\"", "s-maxage=99999999999999999999", "W/\"x\"", "\"y\"", "garbage, \"",
            "Thu, 01 Jan 2026 00:00:00 GMT", "Thu, 31 Feb 2026 00:00:00 GMT", "Vary, *, Accept", "no-cache",
            "stale-while-revalidate=10", "stale-if-error=x", "must-understand, no-store", "http://[::1", "/a b",
            "https://example.com/x", "max-age=60, max-age=0", "\u00ff\u00fe", "=;,", "Max-Age=5", "max-age=1.5");

    @Test
    void decidesEveryExchangeOfRandomHeadersWithoutThrowing() {
        Random random = new Random(1234);
        for (int round = 0; round < 3_000; round++) {
            Driver cache = new Driver().options(CacheOptions.builder().allowStale(Duration.ofMinutes(1)).build());
            Headers requestHeaders = randomHeaders(random);
            Headers responseHeaders = randomHeaders(random);
            int status = List.of(200, 203, 204, 206, 301, 304, 404, 500, 503).get(random.nextInt(9));
            String method = List.of("GET", "HEAD", "POST", "DELETE").get(random.nextInt(4));
            Request request = new Request(method, URI.create("https://example.com/a"), requestHeaders);
            cache.respond(new Response(status, responseHeaders));
            assertThatNoException().as("%s %s%n%s%n%s", method, status, requestHeaders, responseHeaders).isThrownBy(() -> {
                cache.send(request);
                cache.clock.advanceSeconds(random.nextInt(120));
                cache.send(request);
                cache.clock.advanceSeconds(random.nextInt(120));
                cache.respond(new Response(304, randomHeaders(random)));
                cache.send(request.withHeaders(randomHeaders(random)));
            });
        }
    }

    private static Headers randomHeaders(Random random) {
        Headers.Builder headers = Headers.builder();
        for (int i = random.nextInt(6); i > 0; i--) {
            headers.add(FIELDS.get(random.nextInt(FIELDS.size())), VALUES.get(random.nextInt(VALUES.size())));
        }
        return headers.build();
    }
}
