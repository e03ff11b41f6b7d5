package io.hishel.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares how a controller's responses may be cached, so no one writes {@code Cache-Control}
 * strings by hand — the counterpart of hishel's FastAPI helper
 * {@code cache(max_age=…, s_maxage=…, stale_while_revalidate=…)}. The header is built with Spring's
 * {@link org.springframework.http.CacheControl}.
 *
 * <p><b>Decide first who may cache.</b> By default the directives go into {@code Cache-Control},
 * which every browser and proxy between the application and its users obeys too: a page cached
 * there cannot be evicted ({@link HttpCacheEvict} reaches only this cache). With
 * {@link #serverOnly()} they go into {@code Hishel-Cache-Control} (RFC 9213), which only this cache
 * obeys and which never leaves the server: clients see no caching instructions, and an eviction
 * takes effect at once for everyone.
 *
 * <pre>{@code
 * @GetMapping("/products/{id}")
 * @HttpCache(sMaxAge = "10m", serverOnly = true, tags = "products")
 * Product product(@PathVariable long id) { … }
 * }</pre>
 *
 * <p>Put it on a handler method, on a controller class, or both: as with {@code @CrossOrigin}, the
 * method's attributes are combined with the class's — a duration or visibility the method gives
 * replaces the class's, flags set on either are on, and tags and {@link #vary()} fields add up. The
 * header is set before the handler runs, so a handler that sets its own {@code Cache-Control} (or
 * returns a {@code ResponseEntity} with one) still decides. Durations take Spring Boot's forms:
 * {@code 90} (seconds), {@code 90s}, {@code 10m}, {@code 1h}, {@code PT10M}; an empty string leaves
 * the directive out. Every attribute may hold {@code ${…}} placeholders, resolved from the
 * environment. Each annotation is checked when the application starts: a mistake stops it with a
 * message naming the handler method and the attribute.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HttpCache {

    /**
     * Write the directives to {@code Hishel-Cache-Control}, seen only by this cache, instead of
     * {@code Cache-Control}: the application is answered from the cache while browsers and proxies
     * cache nothing. See the class description.
     */
    boolean serverOnly() default false;

    /** {@code max-age}: how long the response is fresh for every cache. */
    String maxAge() default "";

    /** {@code s-maxage}: how long it is fresh for shared caches, this one included (RFC 9111 §5.2.2.10). */
    String sMaxAge() default "";

    /** {@code stale-while-revalidate}: how long a stale response may be served while it is refreshed (RFC 5861). */
    String staleWhileRevalidate() default "";

    /** {@code stale-if-error}: how long a stale response may be served when the application fails (RFC 5861). */
    String staleIfError() default "";

    /** {@code public}, {@code private} or neither. A {@code private} response is never stored by this cache. */
    Visibility visibility() default Visibility.DEFAULT;

    /** {@code no-cache}: store, but revalidate before every reuse. */
    boolean noCache() default false;

    /** {@code no-store}: never store. */
    boolean noStore() default false;

    /** {@code must-revalidate}: never serve stale. */
    boolean mustRevalidate() default false;

    /** {@code proxy-revalidate}: shared caches, this one included, never serve it stale (RFC 9111 §5.2.2.8). */
    boolean proxyRevalidate() default false;

    /** {@code no-transform}: intermediaries must not change the content, by recompressing images say. */
    boolean noTransform() default false;

    /** {@code immutable}: the response never changes while fresh. */
    boolean immutable() default false;

    /**
     * Request fields the answer depends on, added to the response's {@code Vary} (RFC 9110 §12.5.5),
     * so that each of their values gets an entry of its own: {@code Accept-Language} for a handler
     * that takes a {@code Locale}, {@code Accept} for one that negotiates JSON or XML. Without it, the
     * first client's language is served to everyone.
     */
    String[] vary() default {};

    /** How long the entry lives in the storage ({@code hishel_ttl}); empty for the storage's default. */
    String ttl() default "";

    /** Tags for the stored entry, to purge it by tag. */
    String[] tags() default {};

    /**
     * The statuses the directives apply to. An answer with another status, such as a 503 the
     * handler returns while its database is down, gets none of them, so an annotation written for
     * the success case never makes an error cacheable. The default is the statuses a cache may
     * reuse by default (RFC 9110 §15.1) that describe the resource rather than a failure: 200,
     * 203, 204, 206, 300, 301, 308, 404 and 410.
     */
    int[] statuses() default {200, 203, 204, 206, 300, 301, 308, 404, 410};

    /** The {@code public} and {@code private} directives. */
    enum Visibility {
        /** Neither directive. */
        DEFAULT,
        /** {@code public}: any cache may store the response, even for an authorised request. */
        PUBLIC,
        /** {@code private}: only the user's own cache may store it; never this shared cache. */
        PRIVATE
    }
}
