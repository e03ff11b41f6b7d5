package io.hishel.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.spring.boot.Http;
import io.hishel.spring.boot.MetadataHeadersPredicate;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Issue 17: the starter's defaults for an application deployed again and again, each in a real
 * application over HTTP. The {@code X-Hishel-*} fields are off, except for requests a
 * {@link MetadataHeadersPredicate} trusts, while {@code Cache-Status} stays; static resources
 * with only a {@code Last-Modified} are not stored (no heuristic freshness) until the application
 * gives them a lifetime through Boot's {@code spring.web.resources.cache.*}.
 */
class SafeDefaultsTest {

    @Test
    void theXHishelFieldsAreOffButCacheStatusStays() throws Exception {
        try (ConfigurableApplicationContext context = start(CachedApplication.class)) {
            Http http = new Http(port(context));
            http.get("/annotated");
            HttpResponse<String> hit = http.get("/annotated");

            assertThat(hit.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-hishel"));
            assertThat(hit.headers().firstValue("Cache-Status").orElseThrow()).startsWith("Hishel; hit");
        }
    }

    @Test
    void aMetadataHeadersPredicateShowsThemToTrustedRequestsOnly() throws Exception {
        try (ConfigurableApplicationContext context = start(CachedApplication.class, TrustedOperators.class)) {
            Http http = new Http(port(context));
            http.get("/annotated");
            HttpResponse<String> anyone = http.get("/annotated");
            HttpResponse<String> operator = http.get("/annotated", "X-Operator", "yes");

            assertThat(anyone.headers().firstValue("X-Hishel-From-Cache")).isEmpty();
            assertThat(operator.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        }
    }

    @Test
    void staticResourcesAreNotStoredHeuristicallyButOnPurpose() throws Exception {
        try (ConfigurableApplicationContext context = start(CachedApplication.class)) {
            Http http = new Http(port(context));
            HttpResponse<String> first = http.get("/notes.txt");
            HttpResponse<String> second = http.get("/notes.txt");

            assertThat(first.headers().firstValue("Last-Modified")).isPresent();
            assertThat(first.headers().firstValue("Cache-Control")).isEmpty();
            assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).doesNotContain("; hit")
                    .contains("fwd=");
        }
        try (ConfigurableApplicationContext context = start(new String[] {
                "spring.web.resources.cache.cachecontrol.max-age=1h"}, CachedApplication.class)) {
            Http http = new Http(port(context));
            http.get("/notes.txt");
            HttpResponse<String> second = http.get("/notes.txt");

            assertThat(second.headers().firstValue("Cache-Control")).hasValue("max-age=3600");
            assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).startsWith("Hishel; hit");
        }
    }

    private static ConfigurableApplicationContext start(Class<?>... sources) {
        return start(new String[0], sources);
    }

    private static ConfigurableApplicationContext start(String[] properties, Class<?>... sources) {
        return new SpringApplicationBuilder(sources)
                .properties("server.port=0", "spring.main.banner-mode=off", "hishel.storage.sqlite.path="
                        + Path.of("target", "test-caches", "defaults-" + System.nanoTime() + ".db"))
                .properties(properties)
                .run();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Configuration(proxyBeanMethods = false)
    static class TrustedOperators {
        @Bean
        MetadataHeadersPredicate operators() {
            return request -> "yes".equals(request.getHeader("X-Operator"));
        }
    }
}
