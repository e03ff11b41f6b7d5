package io.hishel.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.spring.boot.Http;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter in a real application on a random port, with Actuator, over HTTP. */
@SpringBootTest(classes = CachedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=hishel,health,metrics",
                "management.endpoint.health.show-details=always",
                "hishel.options.supported-methods=GET,HEAD,POST",
                "hishel.filter.metadata-headers=true",
                "hishel.rules[0].pattern=/ruled/{id}",
                "hishel.rules[0].spec-ignore=true",
                "hishel.rules[0].ttl=10m",
                "hishel.rules[0].tags=ruled",
                "hishel.rules[1].pattern=/admin/**",
                "hishel.rules[1].enabled=false",
                "hishel.rules[2].pattern=/search",
                "hishel.rules[2].methods=POST",
                "hishel.rules[2].body-key=true"})
class CachedApplicationTest {

    @DynamicPropertySource
    static void cacheFile(DynamicPropertyRegistry registry) {
        registry.add("hishel.storage.sqlite.path",
                () -> Path.of("target", "test-caches", "app-" + System.nanoTime() + ".db").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    HishelCacheFilter filter;

    @Autowired
    MeterRegistry meters;

    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("applicationTaskExecutor")
    org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor taskExecutor;

    Http http;

    @BeforeEach
    void purge() throws Exception {
        http = new Http(port);
        filter.storage().purgeAll();
    }

    @Test
    void anAnnotatedEndpointIsAnsweredFromTheCacheTheSecondTime() throws Exception {
        HttpResponse<String> first = http.get("/annotated");
        HttpResponse<String> second = http.get("/annotated");

        assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=60, stale-while-revalidate=300");
        assertThat(first.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).startsWith("Hishel; hit");
    }

    @Test
    void backgroundWorkRunsOnBootsTaskExecutor() throws Exception {
        long before = taskExecutor.getThreadPoolExecutor().getCompletedTaskCount();
        http.get("/annotated");
        http.get("/annotated", "Cache-Control", "no-cache");

        // The answer the no-cache request fetched replaces the stored one, which is removed in the
        // background, on the application's task executor.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                taskExecutor.getThreadPoolExecutor().getCompletedTaskCount() > before);
    }

    @Test
    void serverOnlyCachingIsInvisibleToClients() throws Exception {
        HttpResponse<String> first = http.get("/server-only");
        HttpResponse<String> second = http.get("/server-only");

        assertThat(first.headers().firstValue("Hishel-Cache-Control")).isEmpty();
        assertThat(first.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    void anExceptionHandlersAnswerDoesNotInheritTheFailedHandlersDirectives() throws Exception {
        HttpResponse<String> first = http.get("/failing");
        HttpResponse<String> second = http.get("/failing");

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(first.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(first.headers().firstValue("X-Hishel-Stored")).hasValue("false");
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(second.body()).isNotEqualTo(first.body());
    }

    @Test
    void anErrorStatusReturnedByAnAnnotatedHandlerIsNeitherCachedNorMarkedCacheable() throws Exception {
        HttpResponse<String> first = http.get("/unavailable");
        HttpResponse<String> second = http.get("/unavailable");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(first.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd-status=503");
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(second.body()).isNotEqualTo(first.body());
    }

    @Test
    void aNotFoundFromAnAnnotatedHandlerIsCachedLikeASuccess() throws Exception {
        HttpResponse<String> first = http.get("/not-found");
        HttpResponse<String> second = http.get("/not-found");

        assertThat(first.statusCode()).isEqualTo(404);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=60");
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    void theAnnotationNamesTheStatusesItsDirectivesApplyTo() throws Exception {
        HttpResponse<String> first = http.get("/unavailable-on-purpose");
        HttpResponse<String> second = http.get("/unavailable-on-purpose");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=60");
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
    }

    @Test
    void anExceptionThatReachesTheContainersErrorPageCarriesCacheStatus() throws Exception {
        HttpResponse<String> first = http.get("/thrown");
        HttpResponse<String> second = http.get("/thrown");

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(first.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(first.headers().firstValue("Cache-Status").orElseThrow()).startsWith("Hishel; fwd=uri-miss")
                .contains("fwd-status=500");
        assertThat(first.headers().firstValue("X-Hishel-Stored")).hasValue("false");
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
    }

    @Test
    void aPrivateAnswerIsNeverShared() throws Exception {
        HttpResponse<String> first = http.get("/private");
        HttpResponse<String> second = http.get("/private");

        assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=60, private");
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(second.body()).isNotEqualTo(first.body());
    }

    @Test
    void aRuleStoresWhatTheSpecificationWouldNotAndTagsIt() throws Exception {
        HttpResponse<String> first = http.get("/ruled/7");
        HttpResponse<String> second = http.get("/ruled/7");

        assertThat(first.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(second.headers().firstValue("X-Hishel-Spec-Ignored")).hasValue("true");
        assertThat(second.body()).isEqualTo(first.body());

        HttpResponse<String> purge = http.send(http.request("/actuator/hishel?tag=ruled").DELETE().build());
        assertThat(purge.statusCode()).isEqualTo(200);
        assertThat(purge.body()).contains("\"purged\":1");
        assertThat(http.get("/ruled/7").body()).isNotEqualTo(first.body());
    }

    @Test
    void aDisabledRuleTakesItsRoutesOutOfTheCache() throws Exception {
        http.get("/admin/stats");
        HttpResponse<String> second = http.get("/admin/stats");

        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(second.headers().firstValue("Cache-Status")).hasValue("Hishel; fwd=bypass; detail=excluded");
    }

    @Test
    void aPostSearchIsCachedByItsBody() throws Exception {
        HttpResponse<String> shoes = search("shoes");
        HttpResponse<String> shoesAgain = search("shoes");
        HttpResponse<String> hats = search("hats");

        assertThat(shoesAgain.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(shoesAgain.body()).isEqualTo(shoes.body());
        assertThat(hats.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(hats.body()).startsWith("results for hats");
    }

    @Test
    void deferredCallableAndStreamingAnswersAreStoredWhenTheyComplete() throws Exception {
        for (String path : new String[] {"/deferred", "/callable", "/streaming"}) {
            HttpResponse<String> first = http.get(path);
            HttpResponse<String> second = http.get(path);
            assertThat(first.statusCode()).as(path).isEqualTo(200);
            assertThat(second.headers().firstValue("X-Hishel-From-Cache")).as(path).hasValue("true");
            assertThat(second.body()).as(path).isEqualTo(first.body());
        }
        assertThat(http.get("/streaming").body()).contains("line 49 of call");
    }

    @Test
    void aTimedOutDeferredAnswerIsNotStored() throws Exception {
        HttpResponse<String> first = http.get("/deferred-timeout");
        HttpResponse<String> second = http.get("/deferred-timeout");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
    }

    @Test
    void theEndpointReportsStatisticsAndEntriesAndPurges() throws Exception {
        http.get("/annotated");
        http.get("/annotated");

        HttpResponse<String> report = http.get("/actuator/hishel?size=5");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"hits\":", "\"entries\":", "\"url\":\"http://localhost:" + port + "/annotated\"",
                "\"status\":200", "\"ageSeconds\"", "\"tags\":[\"annotated\"]");
        // @HttpCache(ttl = "5m") reached the storage, and the X-Hishel-Ttl field that carried it did not reach the client.
        assertThat(report.body()).containsPattern("\"ttlSeconds\":(299|300)[,}]");
        assertThat(http.get("/annotated").headers().firstValue("X-Hishel-Ttl")).isEmpty();

        assertThat(http.send(http.request("/actuator/hishel").DELETE().build()).statusCode()).isEqualTo(400);
        HttpResponse<String> tooLarge = http.get("/actuator/hishel?size=500");
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(tooLarge.body()).contains("size from 1 to 200").doesNotContain("Exception");
        HttpResponse<String> byUrl = http.send(http.request("/actuator/hishel?url=http://localhost:" + port
                + "/annotated").DELETE().build());
        assertThat(byUrl.body()).contains("\"purged\":1");
        assertThat(http.get("/annotated").headers().firstValue("X-Hishel-From-Cache")).hasValue("false");

        http.get("/annotated");
        HttpResponse<String> byPrefix = http.send(http.request("/actuator/hishel?prefix=http://localhost:" + port
                + "/anno").DELETE().build());
        assertThat(byPrefix.body()).contains("\"purged\":1");
        HttpResponse<String> all = http.send(http.request("/actuator/hishel?all=true").DELETE().build());
        assertThat(all.statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndMetersReportTheCache() throws Exception {
        http.get("/annotated");
        http.get("/annotated");

        HttpResponse<String> health = http.get("/actuator/health");
        assertThat(health.body()).contains("\"hishel\":{", "\"status\":\"UP\"", "\"breaker\":\"closed\"",
                "\"entries\":");
        assertThat(meters.get("hishel.requests").tag("result", "hit").functionCounter().count()).isPositive();
        assertThat(meters.get("hishel.requests").tag("result", "miss").functionCounter().count()).isPositive();
        assertThat(meters.get("hishel.storage.operations").tag("operation", "lookup").tag("result", "success")
                .timer().count()).isPositive();
        HttpResponse<String> metric = http.get("/actuator/metrics/hishel.requests");
        assertThat(metric.body()).contains("\"result\"", "hit", "miss").doesNotContain("\"outcome\"");
    }

    private HttpResponse<String> search(String query) throws Exception {
        return http.send(http.request("/search").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(query)).build());
    }
}
