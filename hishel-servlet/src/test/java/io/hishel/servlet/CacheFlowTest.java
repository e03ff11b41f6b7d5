package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The five paths of a request through the filter, over real HTTP. */
class CacheFlowTest extends FilterTestSupport {

    @Test
    @Rfc("RFC 9111 §4.2")
    void aFreshStoredResponseIsServedFromStorageWithItsAge() throws Exception {
        AtomicInteger version = new AtomicInteger();
        start().route("/fresh", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("hello " + version.incrementAndGet());
        });

        HttpResponse<String> miss = server.get("/fresh");
        clock.advanceSeconds(7);
        HttpResponse<String> hit = server.get("/fresh");

        assertThat(miss.body()).isEqualTo("hello 1");
        assertThat(miss.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(miss.headers().firstValue("X-Hishel-Stored")).hasValue("true");
        assertThat(miss.headers().firstValue("Cache-Status"))
                .hasValue("Hishel; fwd=uri-miss; fwd-status=200; stored; ttl=60; detail=stored");
        assertThat(hit.body()).isEqualTo("hello 1");
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.headers().firstValue("Age")).hasValue("7");
        assertThat(hit.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
        assertThat(hit.headers().firstValue("Content-Length")).hasValue("7");
        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(hit.headers().firstValue("Cache-Status")).hasValue("Hishel; hit; ttl=53; detail=fresh");
        assertThat(server.calls("/fresh")).isEqualTo(1);
        assertThat(filter.statistics().hits()).isEqualTo(1);
        assertThat(filter.statistics().stored()).isEqualTo(1);
    }

    @Test
    @Rfc("RFC 9111 §4.3.2")
    void clientConditionalsAreRemovedOnAMissAndAnsweredByTheCache() throws Exception {
        AtomicInteger conditionalSeen = new AtomicInteger();
        start().route("/page", (request, response) -> {
            if (request.getHeader("If-None-Match") != null || request.getHeader("Range") != null) {
                conditionalSeen.incrementAndGet();
            }
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("ETag", "\"v1\"");
            response.getWriter().write("the page");
        });

        HttpResponse<String> miss = server.get("/page", "If-None-Match", "\"v1\"", "Range", "bytes=0-3");
        HttpResponse<String> hit = server.get("/page", "If-None-Match", "\"v1\"");
        HttpResponse<String> other = server.get("/page", "If-None-Match", "\"v0\"");

        assertThat(conditionalSeen).hasValue(0);
        assertThat(miss.statusCode()).isEqualTo(304);
        assertThat(miss.body()).isEmpty();
        assertThat(stored("/page")).hasSize(1);
        assertThat(hit.statusCode()).isEqualTo(304);
        assertThat(hit.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo("the page");
        assertThat(server.calls("/page")).isEqualTo(1);
    }

    @Test
    @Rfc("RFC 9111 §4.3.5")
    void headIsAnsweredFromAStoredGet() throws Exception {
        start().route("/doc", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.setContentType("text/html");
            response.getOutputStream().write("<p>doc</p>".getBytes(StandardCharsets.UTF_8));
        });

        server.get("/doc");
        HttpResponse<String> head = server.send(server.request("/doc").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("10");
        assertThat(head.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(server.calls("/doc")).isEqualTo(1);
    }

    @Test
    @Rfc("RFC 9111 §4.3.4")
    void aNotModifiedAnswerFreshensTheStoredResponseAndItsBodyIsServed() throws Exception {
        AtomicInteger validations = new AtomicInteger();
        start().route("/etag", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=10");
            response.setHeader("ETag", "\"abc\"");
            if ("\"abc\"".equals(request.getHeader("If-None-Match"))) {
                validations.incrementAndGet();
                response.setHeader("X-Version", "2");
                response.setStatus(304);
                return;
            }
            response.setHeader("X-Version", "1");
            response.getWriter().write("body one");
        });

        server.get("/etag");
        clock.advanceSeconds(30);
        HttpResponse<String> revalidated = server.get("/etag");
        HttpResponse<String> afterwards = server.get("/etag");

        assertThat(validations).hasValue(1);
        assertThat(revalidated.statusCode()).isEqualTo(200);
        assertThat(revalidated.body()).isEqualTo("body one");
        assertThat(revalidated.headers().firstValue("X-Version")).hasValue("2");
        assertThat(revalidated.headers().firstValue("X-Hishel-Revalidated")).hasValue("true");
        assertThat(revalidated.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(revalidated.headers().firstValue("Cache-Status"))
                .hasValue("Hishel; fwd=stale; fwd-status=304; ttl=10; detail=revalidated");
        assertThat(afterwards.headers().firstValue("Cache-Status")).hasValue("Hishel; hit; ttl=10; detail=fresh");
        assertThat(server.calls("/etag")).isEqualTo(2);
        assertThat(filter.statistics().revalidations()).isEqualTo(1);
    }

    @Test
    @Rfc("RFC 9111 §4.3.3")
    void aFullAnswerToAValidationReplacesTheStoredResponse() throws Exception {
        AtomicInteger version = new AtomicInteger();
        start().route("/changing", (request, response) -> {
            int v = version.incrementAndGet();
            response.setHeader("Cache-Control", "max-age=10");
            response.setHeader("ETag", "\"" + v + "\"");
            response.getWriter().write("version " + v);
        });

        server.get("/changing");
        clock.advanceSeconds(30);
        HttpResponse<String> replaced = server.get("/changing");
        HttpResponse<String> hit = server.get("/changing");

        assertThat(replaced.body()).isEqualTo("version 2");
        assertThat(hit.body()).isEqualTo("version 2");
        assertThat(stored("/changing")).hasSize(1);
        assertThat(server.calls("/changing")).isEqualTo(2);
    }

    @Test
    @Rfc("RFC 5861 §4")
    void aServerErrorDuringValidationGivesWayToAStaleResponseWhereStaleIfErrorAllows() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start().route("/flaky", (request, response) -> {
            if (calls.incrementAndGet() == 1) {
                response.setHeader("Cache-Control", "max-age=10, stale-if-error=600");
                response.setHeader("ETag", "\"x\"");
                response.getWriter().write("good");
            } else if (calls.get() == 2) {
                response.sendError(503);
            } else {
                throw new IllegalStateException("database down");
            }
        });

        server.get("/flaky");
        clock.advanceSeconds(60);
        HttpResponse<String> afterError = server.get("/flaky");
        HttpResponse<String> afterException = server.get("/flaky");

        assertThat(afterError.statusCode()).isEqualTo(200);
        assertThat(afterError.body()).isEqualTo("good");
        assertThat(afterError.headers().firstValue("Cache-Status").orElseThrow()).contains("detail=stale-if-error");
        assertThat(afterException.statusCode()).isEqualTo(200);
        assertThat(afterException.body()).isEqualTo("good");
        assertThat(filter.statistics().stale()).isEqualTo(2);
        assertThat(filter.statistics().staleOnFailure()).as("both because the application failed").isEqualTo(2);
    }

    @Test
    @Rfc("RFC 9111 §4.2.4")
    void withoutStaleIfErrorOrGraceTheApplicationsErrorReachesTheClient() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(builder -> builder.policy(new io.hishel.policy.SpecificationPolicy(
                io.hishel.policy.CacheOptions.builder().grace(java.time.Duration.ZERO).build())))
                .route("/fails", (request, response) -> {
                    if (calls.incrementAndGet() == 1) {
                        response.setHeader("Cache-Control", "max-age=10");
                        response.setHeader("ETag", "\"x\"");
                        response.getWriter().write("good");
                    } else {
                        throw new IllegalStateException("down");
                    }
                });

        server.get("/fails");
        clock.advanceSeconds(60);

        assertThat(server.get("/fails").statusCode()).isEqualTo(500);
    }

    /** Issue 14: a Varnish user expects grace to keep a site up while the application is down. */
    @Test
    @Rfc("RFC 9111 §4.2.4")
    void whileTheApplicationCannotBeReachedAStaleResponseStandsInForTheGrace() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> mode = new java.util.concurrent.atomic.AtomicReference<>("up");
        start().route("/site", (request, response) -> {
            switch (mode.get()) {
                case "up" -> {
                    response.setHeader("Cache-Control", "max-age=10");
                    response.getWriter().write("the site");
                }
                case "throws" -> throw new IllegalStateException("upstream unreachable");
                case "bad-gateway" -> response.sendError(502);
                default -> response.sendError(500);
            }
        });
        server.get("/site");
        clock.advanceSeconds(60);

        mode.set("throws");
        HttpResponse<String> afterException = server.get("/site");
        mode.set("bad-gateway");
        HttpResponse<String> afterBadGateway = server.get("/site");
        mode.set("error");
        HttpResponse<String> afterError = server.get("/site");

        assertThat(afterException.statusCode()).isEqualTo(200);
        assertThat(afterException.body()).isEqualTo("the site");
        assertThat(afterException.headers().firstValue("Cache-Status").orElseThrow())
                .contains("detail=stale-while-disconnected");
        assertThat(afterBadGateway.body()).isEqualTo("the site");
        assertThat(afterError.statusCode()).as("a 500 is the application's own answer").isEqualTo(500);
        assertThat(filter.statistics().staleOnFailure()).as("the grace stood in twice").isEqualTo(2);
        clock.advanceSeconds(10 * 60);
        mode.set("throws");
        assertThat(server.get("/site").statusCode()).as("past the grace").isEqualTo(500);
    }

    @Test
    @Rfc("RFC 9111 §4.4")
    void aNonErrorResponseToAnUnsafeMethodInvalidatesTheTargetAndItsLocation() throws Exception {
        start().route("/items", (request, response) -> {
            if (request.getMethod().equals("POST")) {
                response.setStatus(201);
                response.setHeader("Location", "/items/7");
                return;
            }
            response.setHeader("Cache-Control", "max-age=600");
            response.getWriter().write("list");
        }).route("/items/7", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=600");
            response.getWriter().write("item 7");
        });

        server.get("/items");
        server.get("/items/7");
        HttpResponse<String> created = server.send(server.request("/items")
                .POST(HttpRequest.BodyPublishers.ofString("new")).build());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Status").orElseThrow())
                .isEqualTo("Hishel; fwd=method; fwd-status=201; detail=invalidated-by-unsafe-method");
        assertThat(stored("/items")).isEmpty();
        assertThat(stored("/items/7")).isEmpty();
        server.get("/items");
        assertThat(server.calls("/items")).isEqualTo(3);
    }

    @Test
    @Rfc("RFC 9111 §4.4")
    void anErrorResponseToAnUnsafeMethodInvalidatesNothing() throws Exception {
        start().route("/stable", (request, response) -> {
            if (request.getMethod().equals("DELETE")) {
                response.sendError(409);
                return;
            }
            response.setHeader("Cache-Control", "max-age=600");
            response.getWriter().write("stays");
        });

        server.get("/stable");
        HttpResponse<String> refused = server.send(server.request("/stable").DELETE().build());

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(stored("/stable")).hasSize(1);
    }

    @Test
    @Rfc("RFC 9111 §3")
    void aResponseThatMayNotBeStoredPassesThroughUnchanged() throws Exception {
        start().route("/nostore", (request, response) -> {
            response.setHeader("Cache-Control", "no-store");
            response.getWriter().write("secret");
        });

        HttpResponse<String> first = server.get("/nostore");
        HttpResponse<String> second = server.get("/nostore");

        assertThat(second.body()).isEqualTo("secret");
        assertThat(first.headers().firstValue("Cache-Status"))
                .hasValue("Hishel; fwd=uri-miss; fwd-status=200; detail=response-no-store");
        assertThat(first.headers().firstValue("X-Hishel-Stored")).hasValue("false");
        assertThat(server.calls("/nostore")).isEqualTo(2);
    }

    @Test
    @Rfc("RFC 9111 §3")
    void aMethodTheCacheDoesNotUsePassesThroughWithoutTouchingStorage() throws Exception {
        start().route("/options", (request, response) -> response.setHeader("Allow", "GET, OPTIONS"));

        HttpResponse<String> options = server.send(server.request("/options")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(options.headers().firstValue("Allow")).hasValue("GET, OPTIONS");
        assertThat(options.headers().firstValue("Cache-Status")).hasValue("Hishel; fwd=method; detail=method-not-cacheable");
        assertThat(filter.statistics().bypassed()).isEqualTo(1);
    }

    @Test
    @Rfc("RFC 9213 §2.2")
    void targetedFieldsSteerThisCacheAndOnlyTheOneAddressedToItAloneIsRemoved() throws Exception {
        start().route("/targeted", (request, response) -> {
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("Hishel-Cache-Control", "max-age=600");
            response.setHeader("CDN-Cache-Control", "max-age=300");
            response.getWriter().write("server-side only");
        });

        HttpResponse<String> miss = server.get("/targeted");
        HttpResponse<String> hit = server.get("/targeted");

        assertThat(miss.headers().firstValue("Hishel-Cache-Control")).isEmpty();
        // A CDN in front of the application still needs its field (RFC 9213 §3).
        assertThat(miss.headers().firstValue("CDN-Cache-Control")).hasValue("max-age=300");
        assertThat(hit.headers().firstValue("CDN-Cache-Control")).hasValue("max-age=300");
        assertThat(miss.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(hit.headers().firstValue("Hishel-Cache-Control")).isEmpty();
        assertThat(hit.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(server.calls("/targeted")).isEqualTo(1);
    }

    @Test
    @Rfc("RFC 9213 §2.1")
    void aTargetedFieldWithAValueOfTheWrongTypeIsIgnoredAndPassedOnUnchanged() throws Exception {
        start().route("/mistyped", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("CDN-Cache-Control", "max-age=\"600\", no-store");
            response.getWriter().write("cached by Cache-Control");
        });

        HttpResponse<String> miss = server.get("/mistyped");
        HttpResponse<String> hit = server.get("/mistyped");

        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(hit.headers().firstValue("CDN-Cache-Control")).hasValue("max-age=\"600\", no-store");
        assertThat(miss.headers().firstValue("CDN-Cache-Control")).hasValue("max-age=\"600\", no-store");
        clock.advanceSeconds(61);
        assertThat(server.get("/mistyped").headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(server.calls("/mistyped")).isEqualTo(2);
    }

    @Test
    @Rfc("RFC 9110 §9.3.3")
    void aFreshPostResponseForItsOwnUrlDoesNotAnswerTheNextGet() throws Exception {
        java.util.concurrent.atomic.AtomicInteger version = new java.util.concurrent.atomic.AtomicInteger();
        start().route("/profile", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=600");
            response.setHeader("Content-Location", "/profile");
            response.getWriter().write(request.getMethod() + " " + version.incrementAndGet());
        });
        server.get("/profile");

        HttpResponse<String> post = server.send(server.request("/profile")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("name=x")).build());
        // A request at the very instant of an invalidation counts as sent before it: its answer is not stored.
        clock.advanceSeconds(1);
        HttpResponse<String> get = server.get("/profile");

        assertThat(post.body()).isEqualTo("POST 2");
        assertThat(get.body()).as("invalidated by the POST, and not answered by its response").isEqualTo("GET 3");
        assertThat(server.get("/profile").body()).isEqualTo("GET 3");
    }

    @Test
    void theApplicationsMetadataFieldsChooseTheTtlAndNeverReachTheClient() throws Exception {
        start().route("/meta", (request, response) -> {
            response.setHeader("X-Hishel-Spec-Ignore", "true");
            response.setHeader("X-Hishel-Ttl", "5");
            response.getWriter().write("kept five seconds");
        });

        HttpResponse<String> miss = server.get("/meta");
        HttpResponse<String> hit = server.get("/meta");
        clock.advanceSeconds(6);
        server.get("/meta");

        assertThat(miss.headers().firstValue("X-Hishel-Ttl")).isEmpty();
        assertThat(miss.headers().firstValue("X-Hishel-Spec-Ignore")).isEmpty();
        assertThat(miss.headers().firstValue("X-Hishel-Spec-Ignored")).hasValue("true");
        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(hit.headers().firstValue("X-Hishel-Spec-Ignored")).hasValue("true");
        assertThat(server.calls("/meta")).isEqualTo(2);
    }

    @Test
    void clientMetadataFieldsCountOnlyWhenTheOperatorTrustsThem() throws Exception {
        start().route("/plain", (request, response) -> response.getWriter().write("no cache headers"));

        server.get("/plain", "X-Hishel-Spec-Ignore", "true");
        server.get("/plain", "X-Hishel-Spec-Ignore", "true");

        assertThat(server.calls("/plain")).isEqualTo(2);
        assertThat(stored("/plain")).isEmpty();
    }

    @Test
    void trustedClientMetadataFieldsAreHonoured() throws Exception {
        start(builder -> builder.trustClientMetadata(true))
                .route("/plain", (request, response) -> response.getWriter().write("no cache headers"));

        server.get("/plain", "X-Hishel-Spec-Ignore", "true");
        HttpResponse<String> hit = server.get("/plain", "X-Hishel-Spec-Ignore", "true");

        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(server.calls("/plain")).isEqualTo(1);
    }

    @Test
    void requestAttributesSetBeforeTheFilterChooseTheMetadataAndTheOutcomeIsLeftInAttributes() throws Exception {
        java.util.List<CacheOutcome> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Object> storedFlags = new java.util.concurrent.CopyOnWriteArrayList<>();
        jakarta.servlet.Filter before = (request, response, chain) -> {
            request.setAttribute(RequestAttributes.SPEC_IGNORE, true);
            request.setAttribute(RequestAttributes.TTL, java.time.Duration.ofSeconds(30));
            chain.doFilter(request, response);
            outcomes.add((CacheOutcome) request.getAttribute(CacheOutcome.ATTRIBUTE));
            storedFlags.add(request.getAttribute(CacheOutcome.STORED_ATTRIBUTE));
        };
        storage = new io.hishel.memory.MemoryStorage(io.hishel.storage.StorageOptions.builder().clock(clock).build());
        filter = HishelCacheFilter.builder(storage).clock(clock).build();
        server = TestServer.start(before, filter)
                .route("/marked", (request, response) -> response.getWriter().write("no cache headers"));

        server.get("/marked");
        HttpResponse<String> hit = server.get("/marked");
        clock.advanceSeconds(31);
        server.get("/marked");

        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(server.calls("/marked")).isEqualTo(2);
        // The client has its answer before the filter in front has returned: wait for that one.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> storedFlags.size() == 3);
        assertThat(outcomes).extracting(CacheOutcome::fromCache).containsExactly(false, true, false);
        assertThat(outcomes.get(0).stored()).isTrue();
        assertThat(outcomes.get(0).specIgnored()).isTrue();
        assertThat(outcomes.get(1).detail()).isEqualTo("reused-without-specification");
        assertThat(storedFlags).containsExactly(true, false, true);
    }

    @Test
    void perRouteMetadataAppliesToTheRequestsItResolves() throws Exception {
        start(builder -> builder.requestMetadata(request -> request.getRequestURI().equals("/ruled")
                ? io.hishel.http.RequestMetadata.builder().specIgnore(true).build() : null))
                .route("/ruled", (request, response) -> response.getWriter().write("by rule"))
                .route("/unruled", (request, response) -> response.getWriter().write("no rule"));

        server.get("/ruled");
        HttpResponse<String> hit = server.get("/ruled");
        server.get("/unruled");
        server.get("/unruled");

        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(server.calls("/ruled")).isEqualTo(1);
        assertThat(server.calls("/unruled")).isEqualTo(2);
    }

    @Test
    @Rfc("RFC 9111 §2")
    void aPostIsCachedByItsBodyWhenKeyedByItAndTheBodyIsReplayedToTheApplication() throws Exception {
        start(builder -> builder.policy(new io.hishel.policy.SpecificationPolicy(io.hishel.policy.CacheOptions.builder()
                        .supportedMethods("GET", "HEAD", "POST").build()))
                .requestMetadata(request -> io.hishel.http.RequestMetadata.builder().bodyKey(true).build()))
                .route("/search", (request, response) -> {
                    String query = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getWriter().write("results for " + query);
                });

        HttpResponse<String> cats = post("/search", "cats");
        HttpResponse<String> dogs = post("/search", "dogs");
        HttpResponse<String> catsAgain = post("/search", "cats");

        assertThat(cats.body()).isEqualTo("results for cats");
        assertThat(dogs.body()).isEqualTo("results for dogs");
        assertThat(catsAgain.body()).isEqualTo("results for cats");
        assertThat(catsAgain.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(server.calls("/search")).isEqualTo(2);
    }

    @Test
    void aFormPostKeyedByItsBodyStillShowsItsParametersToTheApplication() throws Exception {
        start(builder -> builder.policy(new io.hishel.policy.SpecificationPolicy(io.hishel.policy.CacheOptions.builder()
                        .supportedMethods("GET", "HEAD", "POST").build()))
                .requestMetadata(request -> io.hishel.http.RequestMetadata.builder().bodyKey(true).build()))
                .route("/form", (request, response) -> {
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getWriter().write("q=" + request.getParameter("q") + " page=" + request.getParameter("page"));
                });

        HttpResponse<String> answer = server.send(server.request("/form?page=2")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=caf%C3%A9")).build());

        assertThat(answer.body()).isEqualTo("q=café page=2");
    }

    @Test
    void aRequestBodyLargerThanTheLimitPassesThroughWhole() throws Exception {
        start(builder -> builder.maxRequestBodySize(16).policy(new io.hishel.policy.SpecificationPolicy(
                        io.hishel.policy.CacheOptions.builder().supportedMethods("GET", "HEAD", "POST").build()))
                .requestMetadata(request -> io.hishel.http.RequestMetadata.builder().bodyKey(true).build()))
                .route("/echo", (request, response) -> {
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getOutputStream().write(request.getInputStream().readAllBytes());
                });
        String body = "x".repeat(100);

        HttpResponse<String> answer = post("/echo", body);

        assertThat(answer.body()).isEqualTo(body);
        assertThat(answer.headers().firstValue("Cache-Status")).hasValue("Hishel; fwd=bypass; detail=request-body-too-large");
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.7")
    void onlyIfCachedWithoutAStoredResponseIsAGatewayTimeout() throws Exception {
        start().route("/never", (request, response) -> response.getWriter().write("x"));

        HttpResponse<String> answer = server.get("/never", "Cache-Control", "only-if-cached");

        assertThat(answer.statusCode()).isEqualTo(504);
        assertThat(server.calls("/never")).isZero();
    }

    @Test
    void metadataHeadersAndCacheStatusCanBeSwitchedOff() throws Exception {
        start(builder -> builder.metadataHeaders(false).cacheStatus(false)).route("/quiet", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("quiet");
        });

        server.get("/quiet");
        HttpResponse<String> hit = server.get("/quiet");

        assertThat(hit.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-hishel"))
                .doesNotContain("cache-status");
        assertThat(server.calls("/quiet")).isEqualTo(1);
    }

    @Test
    void metadataHeadersCanBeShownToTrustedRequestsOnly() throws Exception {
        start(builder -> builder.metadataHeaders(request -> "ops".equals(request.getHeader("X-Team"))))
                .route("/watched", (request, response) -> {
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getWriter().write("watched");
                });

        server.get("/watched");
        HttpResponse<String> anyone = server.get("/watched");
        HttpResponse<String> operator = server.get("/watched", "X-Team", "ops");

        assertThat(anyone.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-hishel"));
        assertThat(anyone.headers().firstValue("Cache-Status").orElseThrow()).contains("hit");
        assertThat(operator.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(server.calls("/watched")).isEqualTo(1);
    }

    @Test
    @Rfc("RFC 9110 §5.6.7")
    void malformedRequestAndResponseFieldsGetTheRfcsHandlingNotAnError() throws Exception {
        start().route("/odd", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=\"60, s-maxage=oops, private=\"unterminated");
            response.setHeader("Expires", "not a date");
            response.setHeader("ETag", "no-quotes");
            response.setHeader("Last-Modified", "yesterday-ish");
            response.getWriter().write("odd but fine");
        });

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = server.get("/odd", "If-Modified-Since", "garbage", "If-None-Match", "\"unclosed",
                    "Cache-Control", "max-age=abc, max-stale=-5", "Pragma", "no-cache, \"");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("odd but fine");
        }
        // Malformed directives keep their restrictive effect: nothing is stored, nothing fails.
        assertThat(stored("/odd")).isEmpty();
    }

    @Test
    void tagsTheApplicationSetsWhileAnsweringAreStoredSoAPurgeByTagRemovesTheEntry() throws Exception {
        start().route("/product/7", (request, response) -> {
            request.setAttribute(RequestAttributes.TAGS, java.util.List.of("product:7", " catalogue "));
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("product 7");
        }).route("/product/8", (request, response) -> {
            request.setAttribute(RequestAttributes.TAGS, "product:8");
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("product 8");
        });
        server.get("/product/7");
        server.get("/product/8");
        // The entry commits once its body has gone to the client, which may be just after the client read it.
        awaitStored("/product/7", "/product/8");

        long purged = storage.purgeByTag("catalogue");

        assertThat(purged).isEqualTo(1);
        assertThat(stored("/product/7")).isEmpty();
        assertThat(stored("/product/8")).hasSize(1);
    }

    @Test
    void tooManyTagsStoreTheEntryUntaggedInsteadOfFailingTheRequest() throws Exception {
        start().route("/tagged", (request, response) -> {
            request.setAttribute(RequestAttributes.TAGS,
                    java.util.stream.IntStream.range(0, 40).mapToObj(i -> "t" + i).toList());
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("ok");
        });

        HttpResponse<String> miss = server.get("/tagged");

        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(miss.body()).isEqualTo("ok");
        awaitStored("/tagged");
        assertThat(storage.purgeByTag("t1")).isZero();
    }

    @Test
    void excludedRequestsGoStraightToTheApplicationAndAreNeverStored() throws Exception {
        start(builder -> builder.exclude(request -> request.getRequestURI().startsWith("/admin/")))
                .route("/admin/report", (request, response) -> {
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getWriter().write("report");
                });

        server.get("/admin/report");
        HttpResponse<String> second = server.get("/admin/report");

        assertThat(second.body()).isEqualTo("report");
        assertThat(second.headers().firstValue("Cache-Status")).hasValue("Hishel; fwd=bypass; detail=excluded");
        assertThat(server.calls("/admin/report")).isEqualTo(2);
        assertThat(stored("/admin/report")).isEmpty();
        assertThat(filter.statistics().bypassed()).isEqualTo(2);
    }

    private void awaitStored(String... paths) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> java.util.Arrays.stream(paths).allMatch(path -> stored(path).size() == 1));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return server.send(server.request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
