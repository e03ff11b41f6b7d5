package io.hishel.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares how a controller's responses may be cached, so no one writes {@code Cache-Control}
 * strings by hand — the counterpart of hishel's FastAPI helper
 * {@code cache(max_age=…, s_maxage=…, stale_while_revalidate=…)}.
 *
 * <pre>{@code
 * @GetMapping("/products/{id}")
 * @HttpCache(maxAge = "60s", staleWhileRevalidate = "5m", tags = "products")
 * Product product(@PathVariable long id) { … }
 * }</pre>
 *
 * <p>Put it on a handler method or on a controller class (a method's annotation replaces the
 * class's). The header is set before the handler runs, so a handler that sets its own
 * {@code Cache-Control} (or returns a {@code ResponseEntity} with one) still decides. Durations
 * take Spring Boot's forms: {@code 90} (seconds), {@code 90s}, {@code 10m}, {@code 1h},
 * {@code PT10M}; an empty string leaves the directive out.
 *
 * <p>With {@link #serverOnly()} the directives go into {@code Hishel-Cache-Control} (RFC 9213), which
 * only this cache obeys and which never leaves the server: browsers and proxies see no caching
 * instructions at all, while the application is still answered from the cache.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HttpCache {

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

    /** {@code immutable}: the response never changes while fresh. */
    boolean immutable() default false;

    /** Write the directives to {@code Hishel-Cache-Control}, seen only by this cache, instead of {@code Cache-Control}. */
    boolean serverOnly() default false;

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
