package io.hishel.spring.boot;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Removes stored responses from application code, after a write has changed what they show — the
 * programmatic side of {@link HttpCacheEvict}.
 *
 * <pre>{@code
 * @PutMapping("/products/{id}")
 * void update(@PathVariable long id, @RequestBody Product product) {
 *     products.save(id, product);
 *     evictor.evictUrls("/products/" + id, "/products");
 *     evictor.evictTags("product-lists");
 * }
 * }</pre>
 *
 * <p>The cache invalidates on its own only the URL an unsafe request was sent to, and the ones its
 * {@code Location} and {@code Content-Location} name (RFC 9111 §4.4): a {@code PUT /products/42}
 * removes {@code /products/42}, never the list at {@code /products} nor the search results that show
 * the product. Those are evicted here, by URL, by prefix or by the tags they were stored with
 * ({@code @HttpCache(tags = …)}, {@code hishel.rules[n].tags}).
 *
 * <p>A URL is absolute ({@code https://shop.example/products/42}) or a path of this application
 * ({@code /products/42}, without the context path, as in a {@code @RequestMapping}). A path is
 * resolved against the request being handled — its scheme, host, port and context path — and keyed
 * as the filter keys requests, under its canonical host ({@code hishel.key.canonical-host}) when one
 * is set. Outside a request, as in a scheduled job, a path resolves against the canonical host;
 * without one, give absolute URLs or tags. An application reached under several host names without
 * a canonical host keeps an entry per name: evict each, or by tag. A URL removes the entries of
 * every method and every variant ({@code Vary}) of that URL.
 *
 * <p>Every eviction also makes the filter forget the URLs it sent straight to the application for
 * their uncacheable answers (hit-for-pass), as the Actuator endpoint's purge does, so the next
 * request for any of them is looked up and may be stored again.
 *
 * <p>Thread-safe. The storage is called on the caller's thread; a storage that fails throws
 * {@link StorageException}, which {@link HttpCacheEvict} logs rather than fail a write that has
 * already happened.
 */
public final class HttpCacheEvictor {

    private final HishelCacheFilter filter;
    private final Storage storage;
    private final LongAdder evicted = new LongAdder();

    /**
     * An evictor for the entries of a filter's storage.
     *
     * @param filter the application's cache filter
     */
    public HttpCacheEvictor(HishelCacheFilter filter) {
        this.filter = filter;
        this.storage = filter.storage();
    }

    /**
     * Removes every entry stored with any of these tags.
     *
     * @param tags tags given to entries when they were stored
     * @return the number of entries removed
     * @throws StorageException if the storage cannot be written
     */
    public long evictTags(String... tags) {
        return evictTags(List.of(tags));
    }

    /**
     * Removes every entry stored with any of these tags.
     *
     * @param tags tags given to entries when they were stored
     * @return the number of entries removed
     * @throws StorageException if the storage cannot be written
     */
    public long evictTags(Collection<String> tags) {
        long evicted = 0;
        for (String tag : tags) {
            evicted += storage.purgeByTag(require("tag", tag));
        }
        return forgetHitForPass(evicted);
    }

    /**
     * Removes every entry for these URLs: all methods, all variants.
     *
     * @param urls absolute URLs, or paths of this application resolved against the current request
     * @return the number of entries removed
     * @throws IllegalArgumentException if a URL is not a URI, or is a path with nothing to resolve it
     *                                  against; the message says which
     * @throws StorageException         if the storage cannot be written
     */
    public long evictUrls(String... urls) {
        return evictUrls(List.of(urls));
    }

    /**
     * Removes every entry for these URLs: all methods, all variants.
     *
     * @param urls absolute URLs, or paths of this application resolved against the current request
     * @return the number of entries removed
     * @throws IllegalArgumentException if a URL is not a URI, or is a path with nothing to resolve it
     *                                  against; the message says which
     * @throws StorageException         if the storage cannot be written
     */
    public long evictUrls(Collection<String> urls) {
        List<URI> resolved = urls.stream().map(url -> resolve("url", url)).toList();
        long evicted = 0;
        for (URI url : resolved) {
            evicted += storage.invalidate(url);
        }
        return forgetHitForPass(evicted);
    }

    /**
     * Removes every entry whose URL starts with one of these prefixes, such as {@code /products/}.
     * A prefix is compared with the URL the cache keyed, query included: {@code /products} also
     * removes {@code /products-archive}, so end a folder's prefix with {@code /}.
     *
     * @param prefixes absolute URL prefixes, or path prefixes resolved against the current request
     * @return the number of entries removed
     * @throws IllegalArgumentException if a prefix is a path with nothing to resolve it against
     * @throws StorageException         if the storage cannot be written
     */
    public long evictPrefixes(String... prefixes) {
        return evictPrefixes(List.of(prefixes));
    }

    /**
     * Removes every entry whose URL starts with one of these prefixes.
     *
     * @param prefixes absolute URL prefixes, or path prefixes resolved against the current request
     * @return the number of entries removed
     * @throws IllegalArgumentException if a prefix is a path with nothing to resolve it against
     * @throws StorageException         if the storage cannot be written
     * @see #evictPrefixes(String...)
     */
    public long evictPrefixes(Collection<String> prefixes) {
        List<String> resolved = prefixes.stream()
                .map(prefix -> CacheKey.normalizeUrl(resolve("prefix", prefix))).toList();
        long evicted = 0;
        for (String prefix : resolved) {
            evicted += storage.purgeByPrefix(prefix);
        }
        return forgetHitForPass(evicted);
    }

    /**
     * Removes every entry.
     *
     * @return the number of entries removed
     * @throws StorageException if the storage cannot be written
     */
    public long evictAll() {
        return forgetHitForPass(storage.purgeAll());
    }

    /**
     * How many entries this evictor has removed since it was made, for the {@code cache.evictions}
     * meter.
     *
     * @return the count
     */
    public long evicted() {
        return evicted.sum();
    }

    private long forgetHitForPass(long count) {
        filter.forgetHitForPass();
        evicted.add(count);
        return count;
    }

    /** An absolute URL as given; a path against the current request's origin and context path, as the filter keys it. */
    private URI resolve(String what, String text) {
        require(what, text);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a URI: " + e.getMessage(), e);
        }
        if (uri.isAbsolute()) {
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(what + " '" + text + "' has no host: write https://example.com/page"
                        + " or a path such as /page");
            }
            return filter.keyUrl(currentRequest(), uri);
        }
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException(what + " '" + text + "' is neither an absolute URL nor a path"
                    + " starting with /");
        }
        HttpServletRequest request = currentRequest();
        if (request != null) {
            return filter.keyUrl(request,
                    URI.create(request.getScheme() + "://" + authority(request) + request.getContextPath() + text));
        }
        return filter.canonicalOrigin().map(origin -> filter.keyUrl(null, URI.create(origin + text)))
                .orElseThrow(() -> new IllegalArgumentException(what + " '" + text + "' is a path, and there is no"
                        + " request being handled to take its host from: give an absolute URL, evict by tag, or set"
                        + " hishel.key.canonical-host"));
    }

    private static String authority(HttpServletRequest request) {
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + request.getServerPort();
    }

    private static HttpServletRequest currentRequest() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest() : null;
    }

    private static String require(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a " + what + " to evict must not be empty");
        }
        return value;
    }
}
