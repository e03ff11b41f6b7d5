package io.hishel.sample;

import io.hishel.spring.boot.HttpCache;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/** One endpoint per thing the cache does. Each answer says how many times the application computed it. */
@RestController
class DemoController {

    /** How long the slow endpoint takes; a property so the tests need not wait for the demo's delay. */
    private final Duration slowness;
    private final AtomicInteger computed = new AtomicInteger();
    private final Instant articlesPublished = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    DemoController(@org.springframework.beans.factory.annotation.Value("${sample.slowness:1500ms}") Duration slowness) {
        this.slowness = slowness;
    }

    // tag::slow[]
    /** An expensive answer: the first request waits, the next ones for 30 s come from the cache. */
    @GetMapping("/slow")
    @HttpCache(maxAge = "30s")
    String slow() throws InterruptedException {
        Thread.sleep(slowness.toMillis());
        return "computed the hard way (#" + computed.incrementAndGet() + ")";
    }
    // end::slow[]

    // tag::revalidation[]
    /**
     * Fresh for 5 s, then revalidated: the cache asks with If-None-Match and If-Modified-Since, and
     * a 304 from here freshens the stored copy without sending the body again.
     */
    @GetMapping("/articles/{id}")
    ResponseEntity<String> article(@PathVariable int id, WebRequest request) {
        String etag = "\"article-" + id + "-v1\"";
        if (request.checkNotModified(etag, articlesPublished.toEpochMilli())) {
            return null; // Spring has answered 304 Not Modified
        }
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(Duration.ofSeconds(5)))
                .eTag(etag)
                .lastModified(articlesPublished)
                .body("article " + id + " (#" + computed.incrementAndGet() + ")");
    }
    // end::revalidation[]

    // tag::vary[]
    /** One stored variant per language: Vary tells the cache which request field chooses. */
    @GetMapping("/greeting")
    @HttpCache(maxAge = "60s", vary = HttpHeaders.ACCEPT_LANGUAGE)
    ResponseEntity<String> greeting(Locale locale) {
        String text = switch (locale.getLanguage()) {
            case "fr" -> "Bonjour";
            case "de" -> "Hallo";
            default -> "Hello";
        };
        return ResponseEntity.ok(text + " (#" + computed.incrementAndGet() + ")");
    }
    // end::vary[]

    // tag::private[]
    /** A page about one user: private, so a shared cache never stores it (RFC 9111 §5.2.2.7). */
    @GetMapping("/account")
    @HttpCache(maxAge = "60s", visibility = HttpCache.Visibility.PRIVATE)
    String account(@RequestHeader(name = "X-User", defaultValue = "guest") String user) {
        return "account of " + user + " (#" + computed.incrementAndGet() + ")";
    }
    // end::private[]

    // tag::search[]
    /**
     * A search sent as POST: the rule for /search in application.yml keys it by its body, so the
     * same query is answered from the cache and a different one is not.
     */
    @PostMapping("/search")
    @HttpCache(maxAge = "60s")
    Map<String, Object> search(@RequestBody String query) {
        List<String> results = List.of(query + " one", query + " two", query + " three");
        return Map.of("query", query, "results", results, "computed", computed.incrementAndGet());
    }
    // end::search[]

    // tag::server-only[]
    /**
     * Cached by the server for ten minutes, by nobody else: the directives travel in
     * Hishel-Cache-Control, which only this cache obeys and which never leaves the server.
     */
    @GetMapping("/server-only")
    @HttpCache(maxAge = "10m", serverOnly = true)
    String serverOnly() {
        return "browsers and proxies see no caching headers here (#" + computed.incrementAndGet() + ")";
    }
    // end::server-only[]

    /**
     * An answer with no caching headers at all: not stored by RFC 9111, but stored by the
     * FilterPolicy of the {@code filter-policy} profile.
     */
    @GetMapping("/catalogue/{id}")
    String catalogue(@PathVariable int id) {
        return "catalogue page " + id + " (#" + computed.incrementAndGet() + ")";
    }
}
