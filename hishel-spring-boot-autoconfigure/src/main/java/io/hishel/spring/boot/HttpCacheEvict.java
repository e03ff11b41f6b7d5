package io.hishel.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Evicts stored responses when the annotated method returns — the declarative side of
 * {@link HttpCacheEvictor}, for the pages a write changes besides the URL it was sent to.
 *
 * <pre>{@code
 * @PutMapping("/products/{id}")
 * @HttpCacheEvict(urls = {"/products/{id}", "/products"}, tags = "product-lists")
 * Product update(@PathVariable long id, @RequestBody Product product) { … }
 * }</pre>
 *
 * <p>It works on any Spring bean, a controller or a service, through a proxy, as
 * {@code @Transactional} does (so a call from inside the same object is not intercepted). Nothing is
 * evicted when the method throws, nor when it returns a {@code ResponseEntity} with an error status
 * (400 or above).
 *
 * <p>When the method runs inside a transaction, the eviction waits until it commits, and a
 * rollback evicts nothing ({@link #afterCommit()}): evicting earlier would let a request that
 * arrives before the commit read the old rows and store them again.
 *
 * <p>{@code {name}} in a URL or prefix is replaced by the current request's path variable of that
 * name, or else by the method's argument of that name (compiled with {@code -parameters}, as Spring
 * Boot's build plugins do); {@code ${…}} placeholders are resolved from the environment at
 * start-up. A failing storage is logged and the method's result returned: the write it made has
 * happened, and the entries expire by their TTL.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HttpCacheEvict {

    /** Tags whose entries are evicted. */
    String[] tags() default {};

    /** URLs whose entries (every method, every variant) are evicted: absolute, or paths of this application. */
    String[] urls() default {};

    /** URL prefixes, such as {@code /products/}, under which every entry is evicted. */
    String[] prefixes() default {};

    /** Evict every entry. */
    boolean all() default false;

    /**
     * Whether, inside a transaction, the eviction waits until it commits (and a rollback evicts
     * nothing). Outside a transaction the eviction happens when the method returns either way.
     */
    boolean afterCommit() default true;
}
