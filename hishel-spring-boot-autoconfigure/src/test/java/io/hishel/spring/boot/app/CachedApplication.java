package io.hishel.spring.boot.app;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import io.hishel.spring.boot.HttpCache;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A small application whose answers count how often they were computed. The database and security
 * libraries on the test class path belong to other tests' applications.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
class CachedApplication {

    @RestController
    static class Endpoints {

        final AtomicInteger calls = new AtomicInteger();

        @GetMapping("/annotated")
        @HttpCache(maxAge = "60", staleWhileRevalidate = "5m", ttl = "5m", tags = "annotated")
        String annotated() {
            return "annotated " + calls.incrementAndGet();
        }

        @GetMapping("/server-only")
        @HttpCache(sMaxAge = "1h", serverOnly = true)
        String serverOnly() {
            return "server only " + calls.incrementAndGet();
        }

        @GetMapping("/private")
        @HttpCache(maxAge = "60", visibility = HttpCache.Visibility.PRIVATE)
        String privateAnswer() {
            return "private " + calls.incrementAndGet();
        }

        @GetMapping("/plain")
        String plain() {
            return "plain " + calls.incrementAndGet();
        }

        @GetMapping("/ruled/{id}")
        String ruled(@PathVariable String id) {
            return "ruled " + id + " " + calls.incrementAndGet();
        }

        @GetMapping("/admin/stats")
        @HttpCache(maxAge = "60")
        String admin() {
            return "admin " + calls.incrementAndGet();
        }

        @PostMapping(path = "/search", consumes = MediaType.TEXT_PLAIN_VALUE)
        @HttpCache(maxAge = "60")
        String search(@RequestBody String query) {
            return "results for " + query + " " + calls.incrementAndGet();
        }

        @GetMapping("/deferred")
        @HttpCache(maxAge = "60")
        DeferredResult<String> deferred() {
            DeferredResult<String> result = new DeferredResult<>(5_000L);
            int call = calls.incrementAndGet();
            CompletableFuture.runAsync(() -> result.setResult("deferred " + call));
            return result;
        }

        @GetMapping("/callable")
        @HttpCache(maxAge = "60")
        Callable<String> callable() {
            return () -> "callable " + calls.incrementAndGet();
        }

        @GetMapping("/streaming")
        @HttpCache(maxAge = "60")
        StreamingResponseBody streaming() {
            int call = calls.incrementAndGet();
            return out -> {
                for (int i = 0; i < 50; i++) {
                    out.write(("line " + i + " of call " + call + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            };
        }

        @GetMapping("/failing")
        @HttpCache(maxAge = "60", ttl = "5m", tags = "failing")
        String failing() {
            throw new IllegalStateException("failure " + calls.incrementAndGet());
        }

        @org.springframework.web.bind.annotation.ExceptionHandler(IllegalStateException.class)
        org.springframework.http.ResponseEntity<String> failed(IllegalStateException failure) {
            return org.springframework.http.ResponseEntity.internalServerError().body(failure.getMessage());
        }

        @GetMapping("/unavailable")
        @HttpCache(maxAge = "60")
        org.springframework.http.ResponseEntity<String> unavailable() {
            return org.springframework.http.ResponseEntity.status(503).body("down " + calls.incrementAndGet());
        }

        @GetMapping("/not-found")
        @HttpCache(maxAge = "60")
        org.springframework.http.ResponseEntity<String> notFound() {
            return org.springframework.http.ResponseEntity.status(404).body("no such thing " + calls.incrementAndGet());
        }

        @GetMapping("/unavailable-on-purpose")
        @HttpCache(maxAge = "60", statuses = {200, 503})
        org.springframework.http.ResponseEntity<String> unavailableOnPurpose() {
            return org.springframework.http.ResponseEntity.status(503).body("maintenance " + calls.incrementAndGet());
        }

        @GetMapping("/thrown")
        @HttpCache(maxAge = "60")
        String thrown() {
            throw new UnsupportedOperationException("unhandled " + calls.incrementAndGet());
        }

        @GetMapping("/deferred-timeout")
        @HttpCache(maxAge = "60")
        DeferredResult<String> deferredTimeout() {
            calls.incrementAndGet();
            return new DeferredResult<>(100L);
        }
    }
}
