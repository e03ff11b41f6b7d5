package io.hishel.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.spring.boot.Http;
import io.hishel.spring.boot.HttpCacheEvictor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 17, observability: Spring's {@code http.server.requests} names the route of a hit and says
 * what the cache did, and the meters follow Micrometer's cache conventions — in a whole application
 * over HTTP, with the simple meter registry Spring Boot sets up.
 */
@SpringBootTest(classes = CachedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hishel.rules[0].pattern=/ruled/{id}", "hishel.rules[0].spec-ignore=true",
                "hishel.rules[0].ttl=10m", "hishel.rules[0].tags=ruled"})
class ObservedApplicationTest {

    @DynamicPropertySource
    static void cacheFile(DynamicPropertyRegistry registry) {
        registry.add("hishel.storage.sqlite.path",
                () -> Path.of("target", "test-caches", "observed-" + System.nanoTime() + ".db").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    HishelCacheFilter filter;

    @Autowired
    HttpCacheEvictor evictor;

    @Autowired
    MeterRegistry meters;

    Http http;

    @BeforeEach
    void purge() {
        http = new Http(port);
        filter.storage().purgeAll();
    }

    @Test
    void aHitIsRecordedUnderItsRouteAndTheCachesResult() throws Exception {
        http.get("/ruled/7");
        http.get("/ruled/7");
        http.get("/ruled/8");

        // The observation stops after the response has gone, on the server's thread.
        await().untilAsserted(() -> {
            assertThat(requests("/ruled/{id}", "hit")).as("the second /ruled/7").isEqualTo(1);
            assertThat(requests("/ruled/{id}", "miss")).as("the first /ruled/7 and /ruled/8").isEqualTo(2);
        });
        assertThat(meters.find("http.server.requests").tag("uri", "UNKNOWN").tag("hishel.cache", "hit").timers())
                .isEmpty();
    }

    @Test
    void anUncacheableAnswerIsRecordedAsAPass() throws Exception {
        http.get("/private");
        http.get("/private");

        await().untilAsserted(() -> assertThat(requests("/private", "pass")).isEqualTo(1));
        assertThat(meters.get("hishel.hit.for.pass").functionCounter().count()).isPositive();
    }

    @Test
    void theCacheMetersFollowMicrometersCacheConventions() throws Exception {
        double hits = gets("hit");
        double misses = gets("miss");
        double puts = meters.get("cache.puts").tag("cache", "Hishel").functionCounter().count();

        http.get("/annotated");
        http.get("/annotated");
        evictor.evictTags("annotated");

        assertThat(gets("hit")).isEqualTo(hits + 1);
        assertThat(gets("miss")).isEqualTo(misses + 1);
        assertThat(meters.get("cache.puts").tag("cache", "Hishel").functionCounter().count()).isEqualTo(puts + 1);
        assertThat(meters.get("cache.evictions").tag("cache", "Hishel").functionCounter().count()).isPositive();
        assertThat(meters.get("cache.size").tag("cache", "Hishel").gauge().value()).isGreaterThanOrEqualTo(0);
        assertThat(meters.get("hishel.storage.breaker.open").gauge().value()).isZero();
        assertThat(meters.get("hishel.stale").tag("cause", "application-failed").functionCounter().count()).isZero();
        assertThat(meters.find("hishel.requests").tagKeys("outcome").meters()).isEmpty();
    }

    private double gets(String result) {
        return meters.get("cache.gets").tag("cache", "Hishel").tag("result", result).functionCounter().count();
    }

    private long requests(String uri, String result) {
        return meters.find("http.server.requests").tag("uri", uri).tag("hishel.cache", result).timers().stream()
                .mapToLong(Timer::count).sum();
    }
}
