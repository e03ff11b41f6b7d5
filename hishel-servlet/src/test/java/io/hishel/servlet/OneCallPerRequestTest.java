package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One client request calls the application at most once, on every path through the filter: the
 * application counts its calls per client request (each carries an id of its own) and every test
 * checks the count of each request it made.
 */
class OneCallPerRequestTest extends FilterTestSupport {

    private static final String ID = "X-Request-Id";

    private final Map<String, AtomicInteger> callsPerRequest = new ConcurrentHashMap<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(20);

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    /** The route's handler, counting each call under the request's id. */
    private TestServer.Handler counted(TestServer.Handler handler) {
        return (request, response) -> {
            String id = request.getHeader(ID);
            callsPerRequest.computeIfAbsent(id == null ? "none" : id, key -> new AtomicInteger()).incrementAndGet();
            handler.handle(request, response);
        };
    }

    private record Exchange(String id, HttpResponse<String> response) {
        String cacheStatus() {
            return response.headers().firstValue("Cache-Status").orElse("");
        }
    }

    private Exchange send(String method, String path, String body, String... headers) throws Exception {
        String id = UUID.randomUUID().toString();
        HttpRequest.Builder builder = server.request(path).header(ID, id)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return new Exchange(id, server.send(builder.build()));
    }

    private Exchange get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers);
    }

    private int callsFor(Exchange exchange) {
        AtomicInteger calls = callsPerRequest.get(exchange.id());
        return calls == null ? 0 : calls.get();
    }

    @Test
    void aHitCallsNothingAndAMissCallsOnce() throws Exception {
        start().route("/fresh", counted((request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("fresh");
        }));

        Exchange miss = get("/fresh");
        Exchange hit = get("/fresh");
        Exchange head = send("HEAD", "/fresh", null);

        assertThat(callsFor(miss)).isEqualTo(1);
        assertThat(callsFor(hit)).isZero();
        assertThat(callsFor(head)).isZero();
        assertThat(hit.response().body()).isEqualTo("fresh");
    }

    @Test
    @Rfc("RFC 9111 §4.3.4")
    void aValidationAnsweredBy304WithItsValidatorCallsOnce() throws Exception {
        start().route("/etag", counted(validated("\"v1\"", true)));

        get("/etag");
        clock.advanceSeconds(30);
        Exchange validation = get("/etag");

        assertThat(callsFor(validation)).isEqualTo(1);
        assertThat(validation.response().body()).isEqualTo("body of \"v1\"");
        assertThat(validation.cacheStatus()).contains("fwd-status=304").contains("detail=revalidated");
    }

    @Test
    @Rfc("RFC 9111 §4.3.4")
    void aValidationAnsweredBy304WithoutValidatorsCallsOnceAndFreshensTheStoredResponse() throws Exception {
        start().route("/etag", counted(validated("\"v1\"", false)));

        get("/etag");
        clock.advanceSeconds(30);
        Exchange validation = get("/etag");
        Exchange afterwards = get("/etag");

        assertThat(callsFor(validation)).isEqualTo(1);
        assertThat(validation.response().statusCode()).isEqualTo(200);
        assertThat(validation.response().body()).isEqualTo("body of \"v1\"");
        assertThat(validation.cacheStatus()).contains("detail=revalidated");
        assertThat(callsFor(afterwards)).isZero();
        assertThat(afterwards.cacheStatus()).contains("hit");
    }

    @Test
    @Rfc("RFC 9111 §4.3.4")
    void a304WhoseValidatorMatchesNothingStoredCallsOnceAndServesTheStoredResponseStale() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start().route("/drifting", counted((request, response) -> {
            response.setHeader("Cache-Control", "max-age=10");
            if (calls.incrementAndGet() > 1) {
                // A validator the cache never stored: the 304 selects nothing (§4.3.4).
                response.setHeader("ETag", "\"other\"");
                response.setStatus(304);
                return;
            }
            response.setHeader("ETag", "\"v1\"");
            response.getWriter().write("first");
        }));

        get("/drifting");
        clock.advanceSeconds(30);
        Exchange validation = get("/drifting");

        assertThat(callsFor(validation)).isEqualTo(1);
        assertThat(validation.response().statusCode()).isEqualTo(200);
        assertThat(validation.response().body()).isEqualTo("first");
        assertThat(validation.cacheStatus()).contains("detail=validation-selected-nothing");
    }

    @Test
    @Rfc("RFC 9111 §4.2.4")
    void a304ThatMatchesNothingForAResponseThatMustBeRevalidatedIsAGatewayTimeoutNotASecondCall() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start().route("/strict", counted((request, response) -> {
            response.setHeader("Cache-Control", "max-age=10, must-revalidate");
            if (calls.incrementAndGet() > 1) {
                response.setHeader("ETag", "\"other\"");
                response.setStatus(304);
                return;
            }
            response.setHeader("ETag", "\"v1\"");
            response.getWriter().write("first");
        }));

        get("/strict");
        clock.advanceSeconds(30);
        Exchange validation = get("/strict");

        assertThat(callsFor(validation)).isEqualTo(1);
        assertThat(validation.response().statusCode()).isEqualTo(504);
        assertThat(validation.cacheStatus()).contains("detail=validation-selected-nothing");
    }

    @Test
    @Rfc("RFC 9111 §4.3.3")
    void aValidationAnsweredInFullOrWithAnErrorOrAnUnknownStatusCallsOnce() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        start().route("/answers", counted((request, response) -> {
            response.setHeader("Cache-Control", "max-age=10");
            response.setHeader("ETag", "\"v" + status.get() + "\"");
            response.setStatus(status.get());
            response.getWriter().write("status " + status.get());
        }));

        get("/answers");
        List<Exchange> validations = new ArrayList<>();
        for (int next : new int[] {200, 500, 503, 599, 299, 200}) {
            clock.advanceSeconds(30);
            status.set(next);
            validations.add(get("/answers"));
        }

        for (Exchange validation : validations) {
            assertThat(callsFor(validation)).as(validation.cacheStatus()).isEqualTo(1);
        }
        assertThat(validations).extracting(exchange -> exchange.response().statusCode())
                .containsExactly(200, 500, 503, 599, 299, 200);
    }

    @Test
    @Rfc("RFC 5861 §4")
    void aFailingValidationThatGivesWayToAStaleResponseCallsOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start().route("/flaky", counted((request, response) -> {
            if (calls.incrementAndGet() == 1) {
                response.setHeader("Cache-Control", "max-age=10, stale-if-error=600");
                response.setHeader("ETag", "\"x\"");
                response.getWriter().write("good");
            } else if (calls.get() == 2) {
                response.sendError(502);
            } else {
                throw new IllegalStateException("down");
            }
        }));

        get("/flaky");
        clock.advanceSeconds(60);
        Exchange afterError = get("/flaky");
        Exchange afterException = get("/flaky");

        assertThat(callsFor(afterError)).isEqualTo(1);
        assertThat(callsFor(afterException)).isEqualTo(1);
        assertThat(afterError.response().body()).isEqualTo("good");
        assertThat(afterException.response().body()).isEqualTo("good");
    }

    @Test
    @Rfc("RFC 5861 §3")
    void aStaleWhileRevalidateAnswerCallsNothingWhileTheClientWaitsAndRefreshesOnceAfterwards() throws Exception {
        AtomicInteger version = new AtomicInteger();
        CountDownLatch refreshMayFinish = new CountDownLatch(1);
        start().route("/swr", counted((request, response) -> {
            int v = version.incrementAndGet();
            if (v == 2) {
                refreshMayFinish.await(10, TimeUnit.SECONDS);
            }
            response.setHeader("Cache-Control", "max-age=10, stale-while-revalidate=600");
            response.getWriter().write("version " + v);
        }));

        get("/swr");
        clock.advanceSeconds(30);
        Exchange stale = get("/swr");
        refreshMayFinish.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.get("/swr").body().equals("version 2"));

        // The client was answered from storage; the refresh repeats its fields, its id among them: one call.
        assertThat(stale.response().body()).isEqualTo("version 1");
        assertThat(callsFor(stale)).isEqualTo(1);
        assertThat(version).hasValue(2);
    }

    @Test
    void collapsedRequestsCallTheApplicationOnceBetweenThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start().route("/popular", counted((request, response) -> {
            release.await(10, TimeUnit.SECONDS);
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("popular");
        }));

        List<Future<Exchange>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(clients.submit(() -> get("/popular")));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> filter.statistics().collapsed() == 9);
        release.countDown();

        int total = 0;
        for (Future<Exchange> answer : answers) {
            Exchange exchange = answer.get(30, TimeUnit.SECONDS);
            assertThat(callsFor(exchange)).isLessThanOrEqualTo(1);
            total += callsFor(exchange);
        }
        assertThat(total).isEqualTo(1);
    }

    @Test
    @Rfc("RFC 9111 §4.4")
    void unsafeMethodsAndBodyKeyedPostsCallOnceAndAHitForAKeyedPostCallsNothing() throws Exception {
        start(builder -> builder.policy(new io.hishel.policy.SpecificationPolicy(io.hishel.policy.CacheOptions.builder()
                        .supportedMethods("GET", "HEAD", "POST").build()))
                .requestMetadata(request -> request.getRequestURI().equals("/search")
                ? io.hishel.http.RequestMetadata.builder().bodyKey(true).build() : null))
                .route("/search", counted((request, response) -> {
                    String query = new String(request.getInputStream().readAllBytes());
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getWriter().write("results for " + query);
                }))
                .route("/items", counted((request, response) -> response.setStatus(204)));

        Exchange firstSearch = send("POST", "/search", "cats");
        Exchange secondSearch = send("POST", "/search", "cats");
        List<Exchange> writes = List.of(send("POST", "/items", "new"), send("PUT", "/items", "changed"),
                send("DELETE", "/items", null), send("PATCH", "/items", "patch"));

        assertThat(callsFor(firstSearch)).isEqualTo(1);
        assertThat(callsFor(secondSearch)).isZero();
        assertThat(secondSearch.response().body()).isEqualTo("results for cats");
        for (Exchange write : writes) {
            assertThat(callsFor(write)).isEqualTo(1);
        }
    }

    /** The application behind a validation: a 200 with the tag, or a 304 with or without it. */
    private static TestServer.Handler validated(String etag, boolean repeatsValidator) {
        return (request, response) -> {
            response.setHeader("Cache-Control", "max-age=10");
            if (etag.equals(request.getHeader("If-None-Match"))) {
                if (repeatsValidator) {
                    response.setHeader("ETag", etag);
                }
                response.setStatus(304);
                return;
            }
            response.setHeader("ETag", etag);
            response.getWriter().write("body of " + etag);
        };
    }
}
