package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.memory.MemoryStorage;
import io.hishel.storage.StorageOptions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: an uncacheable GET paid a lookup and a capture on every request. A URL whose answer can
 * never be stored goes straight to the application for a while (Varnish's hit-for-pass), and comes
 * back to the cache when the time is up, when a write invalidates it, or after a purge.
 */
class HitForPassTest extends FilterTestSupport {

    private BreakableStorage counting;
    /** What the application answers with: its Cache-Control, or a Set-Cookie. */
    private final AtomicReference<String> cacheControl = new AtomicReference<>("no-store");

    private TestServer startApplication(UnaryOperator<HishelCacheFilter.Builder> configure) throws Exception {
        counting = new BreakableStorage(new MemoryStorage(StorageOptions.builder().clock(clock).build()));
        storage = counting;
        return start(configure).route("/account", (request, response) -> {
            if (request.getMethod().equals("POST")) {
                response.setStatus(204);
                return;
            }
            String answer = cacheControl.get();
            if (answer.startsWith("cookie")) {
                response.setHeader("Cache-Control", "max-age=60");
                response.addHeader("Set-Cookie", "visitor=1");
            } else {
                response.setHeader("Cache-Control", answer);
            }
            response.getWriter().write("account page");
        });
    }

    private int storageCallsFor(String path) throws Exception {
        int before = counting.calls.get();
        server.get(path);
        return counting.calls.get() - before;
    }

    @Test
    void anUncacheableUrlGoesStraightToTheApplicationWithoutALookup() throws Exception {
        startApplication(UnaryOperator.identity());
        server.get("/account");

        int before = counting.calls.get();
        HttpResponse<String> passed = server.get("/account");

        assertThat(passed.body()).isEqualTo("account page");
        assertThat(passed.headers().firstValue("Cache-Status")).hasValue("Hishel; fwd=bypass; detail=hit-for-pass");
        assertThat(counting.calls.get()).as("no storage call").isEqualTo(before);
        assertThat(server.calls("/account")).isEqualTo(2);
        assertThat(filter.statistics().hitForPass()).isEqualTo(1);
    }

    @Test
    void whenTheTimeIsUpARouteThatBecameCacheableIsCachedAgain() throws Exception {
        startApplication(UnaryOperator.identity());
        server.get("/account");
        cacheControl.set("max-age=600");
        assertThat(storageCallsFor("/account")).isZero();

        clock.advance(HishelCacheFilter.Builder.DEFAULT_HIT_FOR_PASS.plusSeconds(1));
        server.get("/account");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !stored("/account").isEmpty());
        HttpResponse<String> hit = server.get("/account");

        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(server.calls("/account")).isEqualTo(3);
    }

    @Test
    void aWriteThatInvalidatesTheUrlEndsItAtOnce() throws Exception {
        startApplication(UnaryOperator.identity());
        server.get("/account");
        cacheControl.set("max-age=600");

        server.send(server.request("/account").POST(HttpRequest.BodyPublishers.ofString("x")).build());
        clock.advanceSeconds(1);

        assertThat(storageCallsFor("/account")).as("looked up, then stored").isPositive();
    }

    @Test
    void forgettingThemAfterAPurgeEndsItAtOnce() throws Exception {
        startApplication(UnaryOperator.identity());
        server.get("/account");

        filter.forgetHitForPass();

        assertThat(storageCallsFor("/account")).isPositive();
    }

    @Test
    void anAnswerUncacheableForOneVisitorOnlyKeepsTheUrlLookedUp() throws Exception {
        startApplication(UnaryOperator.identity());
        cacheControl.set("cookie");
        server.get("/account");

        HttpResponse<String> next = server.get("/account");

        assertThat(next.headers().firstValue("Cache-Status").orElseThrow()).doesNotContain("hit-for-pass");
        assertThat(storageCallsFor("/account")).isPositive();
    }

    /** A private page for a signed-in user, or for cookies, says nothing of the anonymous page. */
    @Test
    void aPrivateAnswerToARequestWithCookiesKeepsTheUrlLookedUp() throws Exception {
        startApplication(UnaryOperator.identity());
        cacheControl.set("private");
        server.get("/account", "Cookie", "session=alice");

        assertThat(storageCallsFor("/account")).isPositive();
    }

    /** An error passes; the next request may find a stale entry to stand in for it. */
    @Test
    void anErrorAnswerKeepsTheUrlLookedUp() throws Exception {
        counting = new BreakableStorage(new MemoryStorage(StorageOptions.builder().clock(clock).build()));
        storage = counting;
        start().route("/down", (request, response) -> response.sendError(503));
        server.get("/down");

        assertThat(storageCallsFor("/down")).isPositive();
    }

    @Test
    void zeroTurnsItOff() throws Exception {
        startApplication(builder -> builder.hitForPass(Duration.ZERO));
        server.get("/account");

        assertThat(storageCallsFor("/account")).isPositive();
    }
}
