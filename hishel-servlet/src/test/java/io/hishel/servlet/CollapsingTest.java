package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Concurrent misses for one key, hit-for-miss, and refreshes in the background. */
class CollapsingTest extends FilterTestSupport {

    private final ExecutorService clients = Executors.newFixedThreadPool(50);

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void fiftyConcurrentMissesOnOneKeyMakeOneCallToTheApplication() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start().route("/popular", (request, response) -> {
            // Hold the first call until every client is waiting, so all 50 really are concurrent.
            release.await(10, TimeUnit.SECONDS);
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("the answer");
        });

        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(clients.submit(() -> server.get("/popular")));
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> filter.statistics().collapsed() == 49);
        release.countDown();

        for (Future<HttpResponse<String>> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS).body()).isEqualTo("the answer");
        }
        assertThat(server.calls("/popular")).isEqualTo(1);
        assertThat(answers.get(0).get().headers().allValues("Cache-Status")).isNotEmpty();
        long collapsedAnswers = answers.stream().map(this::cacheStatus)
                .filter(status -> status.startsWith("Hishel; fwd=uri-miss; collapsed; ttl=")).count();
        assertThat(collapsedAnswers).isEqualTo(49);
    }

    @Test
    void waitersGoToTheApplicationWhenTheLeadersResponseCouldNotBeStoredAndTheKeyIsThenHitForMiss() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        start().route("/personal", (request, response) -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
                response.setHeader("Cache-Control", "private");
                response.getWriter().write("yours");
            } finally {
                concurrent.decrementAndGet();
            }
        });

        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(clients.submit(() -> server.get("/personal")));
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> filter.statistics().collapsed() == 9);
        release.countDown();
        for (Future<HttpResponse<String>> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS).body()).isEqualTo("yours");
        }
        long collapsedBefore = filter.statistics().collapsed();
        server.get("/personal");

        assertThat(server.calls("/personal")).isEqualTo(11);
        assertThat(filter.statistics().collapsed()).isEqualTo(collapsedBefore);
    }

    @Test
    void aWaiterGivesUpAfterTheCollapseTimeoutAndAsksTheApplicationItself() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        start(builder -> builder.collapseTimeout(java.time.Duration.ofMillis(200))).route("/stuck", (request, response) -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                release.await(10, TimeUnit.SECONDS);
            }
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("call " + call);
        });

        Future<HttpResponse<String>> leader = clients.submit(() -> server.get("/stuck"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> calls.get() == 1);
        HttpResponse<String> waiter = server.get("/stuck");
        release.countDown();

        assertThat(waiter.body()).isEqualTo("call 2");
        assertThat(leader.get(30, TimeUnit.SECONDS).body()).isEqualTo("call 1");
    }

    @Test
    void withCollapsingOffEveryMissGoesToTheApplication() throws Exception {
        CountDownLatch arrived = new CountDownLatch(5);
        start(builder -> builder.collapsing(false)).route("/each", (request, response) -> {
            arrived.countDown();
            arrived.await(10, TimeUnit.SECONDS);
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("x");
        });

        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(clients.submit(() -> server.get("/each")));
        }
        for (Future<HttpResponse<String>> answer : answers) {
            answer.get(30, TimeUnit.SECONDS);
        }

        assertThat(server.calls("/each")).isEqualTo(5);
    }

    @Test
    @Rfc("RFC 5861 §3")
    void aStaleResponseInsideItsWindowIsServedAtOnceAndRefreshedOnceInTheBackground() throws Exception {
        AtomicInteger version = new AtomicInteger();
        CountDownLatch refreshMayFinish = new CountDownLatch(1);
        start().route("/swr", (request, response) -> {
            int v = version.incrementAndGet();
            if (v == 2) {
                // The refresh: slow, and the client must not wait for it.
                refreshMayFinish.await(10, TimeUnit.SECONDS);
            }
            response.setHeader("Cache-Control", "max-age=10, stale-while-revalidate=600");
            response.getWriter().write("version " + v);
        });

        server.get("/swr");
        clock.advanceSeconds(30);
        HttpResponse<String> stale = server.get("/swr");
        HttpResponse<String> alsoStale = server.get("/swr");
        refreshMayFinish.countDown();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> stored("/swr").stream().anyMatch(entry -> entry.responseTime().isAfter(clock.instant().minusSeconds(1))));
        HttpResponse<String> refreshed = server.get("/swr");

        assertThat(stale.body()).isEqualTo("version 1");
        assertThat(stale.headers().firstValue("Cache-Status").orElseThrow()).contains("detail=stale-while-revalidate");
        assertThat(alsoStale.body()).isEqualTo("version 1");
        assertThat(refreshed.body()).isEqualTo("version 2");
        assertThat(server.calls("/swr")).isEqualTo(2);
    }

    private String cacheStatus(Future<HttpResponse<String>> answer) {
        try {
            return answer.get().headers().firstValue("Cache-Status").orElse("");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
