package io.hishel.spring.boot.actuate;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.storage.EntrySummary;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageStatistics;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code hishel} Actuator endpoint: what the cache did, what it holds, and purging.
 *
 * <ul>
 *   <li>{@code GET /actuator/hishel?page=0&size=20} — request counts since start, the storage's
 *       entries and bytes, and one page of entries, newest first, each with its URL, status, size,
 *       age and remaining TTL;</li>
 *   <li>{@code DELETE /actuator/hishel?url=…}, {@code ?prefix=…}, {@code ?tag=…} or
 *       {@code ?all=true} — removes those entries and says how many.</li>
 * </ul>
 *
 * A storage that cannot answer the listing is reported in the response. The operations themselves
 * know nothing of HTTP: bad arguments are an {@link IllegalArgumentException}, a failing storage's
 * exception passes through, and {@link HishelEndpointWebExtension} turns them into 400 and 503
 * with a message, never a stack trace. Expose it like any endpoint
 * ({@code management.endpoints.web.exposure.include}) and secure it: a purge makes every client's
 * next request reach the application.
 */
@Endpoint(id = "hishel")
public class HishelEndpoint {

    static final int MAX_PAGE_SIZE = 200;

    private final HishelCacheFilter filter;
    private final Storage storage;
    private final Clock clock;

    public HishelEndpoint(HishelCacheFilter filter, Clock clock) {
        this.filter = filter;
        this.storage = filter.storage();
        this.clock = clock;
    }

    /**
     * Request counts, the storage's size and one page of entries, newest first.
     *
     * @param page the page, from 0; default 0
     * @param size the entries per page, from 1 to 200; default 20
     * @return the statistics and the page
     * @throws IllegalArgumentException if page or size is out of range
     */
    @ReadOperation
    public Map<String, Object> cache(@Nullable Integer page, @Nullable Integer size) {
        int pageNumber = page == null ? 0 : page;
        int pageSize = size == null ? 20 : size;
        if (pageNumber < 0 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page must be 0 or more and size from 1 to " + MAX_PAGE_SIZE);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        // The record serialises as it reads: hits, revalidations, misses, stored, bypassed, collapsed, errors.
        body.put("requests", filter.statistics());
        try {
            StorageStatistics statistics = storage.statistics();
            body.put("storage", Map.of("entries", statistics.entries(), "bytes", statistics.bytes()));
            long offset = (long) pageNumber * pageSize;
            List<EntrySummary> entries = offset > Integer.MAX_VALUE ? List.of()
                    : storage.list((int) offset, pageSize);
            Instant now = clock.instant();
            body.put("entries", Map.of("page", pageNumber, "size", pageSize,
                    "items", entries.stream().map(entry -> describe(entry, now)).toList()));
        } catch (RuntimeException e) {
            body.put("storage", Map.of("error", String.valueOf(e.getMessage())));
        }
        return body;
    }

    /**
     * Removes the entries of one URL, of a URL prefix, of a tag, or all of them.
     *
     * @param url    an absolute URL, whose entries go
     * @param prefix a URL prefix, whose entries go
     * @param tag    a tag, whose entries go
     * @param all    true for every entry
     * @return how many entries were removed
     * @throws IllegalArgumentException if not exactly one is given, or the URL is not absolute
     */
    @DeleteOperation
    public Map<String, Object> purge(@Nullable String url, @Nullable String prefix, @Nullable String tag,
                                     @Nullable Boolean all) {
        int given = (url != null ? 1 : 0) + (prefix != null ? 1 : 0) + (tag != null ? 1 : 0)
                + (Boolean.TRUE.equals(all) ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of url, prefix, tag or all=true");
        }
        long purged;
        if (url != null) {
            purged = storage.invalidate(absolute(url));
        } else if (prefix != null) {
            purged = storage.purgeByPrefix(prefix);
        } else if (tag != null) {
            purged = storage.purgeByTag(tag);
        } else {
            purged = storage.purgeAll();
        }
        // A purge asks for fresh answers: the URLs sent straight to the application are looked up again.
        filter.forgetHitForPass();
        return Map.of("purged", purged);
    }

    private static URI absolute(String url) {
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException("url must be absolute, such as https://example.com/page, but was " + url);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a URI: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> describe(EntrySummary entry, Instant now) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", entry.id().toString());
        item.put("method", entry.method());
        item.put("url", entry.url());
        item.put("status", entry.status());
        item.put("size", entry.size());
        item.put("storedAt", entry.storedAt().toString());
        item.put("ageSeconds", Math.max(0, Duration.between(entry.storedAt(), now).toSeconds()));
        item.put("ttlSeconds", entry.expiresAt() == null ? null
                : Math.max(0, Duration.between(now, entry.expiresAt()).toSeconds()));
        item.put("tags", entry.tags());
        return item;
    }
}
