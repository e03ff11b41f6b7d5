package io.hishel.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.spring.boot.Http;
import io.hishel.spring.boot.HttpCacheEvictor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 17, control over the cache key from {@code hishel.key.*} and the rules, in a whole
 * application over HTTP: reached as {@code localhost} and as {@code 127.0.0.1}, as an application is
 * under a public and an internal name.
 */
@SpringBootTest(classes = CachedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hishel.key.canonical-host=https://shop.example",
                "hishel.key.ignored-query-parameters=utm_*,gclid",
                "hishel.rules[0].pattern=/ruled/{id}", "hishel.rules[0].spec-ignore=true", "hishel.rules[0].ttl=10m",
                "hishel.rules[0].sort-query-parameters=true"})
class CacheKeyApplicationTest {

    @DynamicPropertySource
    static void cacheFile(DynamicPropertyRegistry registry) {
        registry.add("hishel.storage.sqlite.path",
                () -> Path.of("target", "test-caches", "keys-" + System.nanoTime() + ".db").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    HishelCacheFilter filter;

    @Autowired
    HttpCacheEvictor evictor;

    Http http;

    @BeforeEach
    void purge() {
        http = new Http(port);
        filter.storage().purgeAll();
    }

    @Test
    void bothNamesOfTheApplicationShareOneEntry() throws Exception {
        String external = http.get("/annotated").body();
        String internal = viaLoopbackAddress("/annotated");

        assertThat(internal).isEqualTo(external);
        assertThat(filter.storage().list(0, 10)).singleElement()
                .satisfies(entry -> assertThat(entry.url()).isEqualTo("https://shop.example/annotated"));
    }

    @Test
    void trackingParametersShareTheEntryOfThePage() throws Exception {
        String page = http.get("/annotated").body();

        assertThat(http.get("/annotated?utm_source=newsletter&gclid=1").body()).isEqualTo(page);
        assertThat(http.get("/annotated?page=2").body()).isNotEqualTo(page);
    }

    @Test
    void aRuleSortsTheQueryOfItsRoutesOnly() throws Exception {
        String ruled = http.get("/ruled/1?b=2&a=1").body();
        String annotated = http.get("/annotated?b=2&a=1").body();

        assertThat(http.get("/ruled/1?a=1&b=2").body()).isEqualTo(ruled);
        assertThat(http.get("/annotated?a=1&b=2").body()).isNotEqualTo(annotated);
    }

    @Test
    void outsideARequestAPathIsEvictedUnderTheCanonicalHost() throws Exception {
        String before = viaLoopbackAddress("/annotated");

        assertThat(evictor.evictUrls("/annotated")).isEqualTo(1);
        assertThat(http.get("/annotated").body()).isNotEqualTo(before);
    }

    private String viaLoopbackAddress(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build()).body();
    }
}
