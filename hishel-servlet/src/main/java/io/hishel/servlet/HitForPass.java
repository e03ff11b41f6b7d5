package io.hishel.servlet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.hishel.spec.Reason;
import io.hishel.storage.CacheKey;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Varnish's hit-for-pass: the URLs whose last answer from the application can never be stored,
 * whoever asks — it says {@code no-store} or {@code private}, has a status no cache stores, or could
 * never be reused — remembered for a while, so that their next requests go to the application as
 * if the cache were not there: no lookup, no capture of the response. A URL is forgotten when the
 * time is up, so a route that becomes cacheable is cached again, and at once when an unsafe
 * request invalidates it or the storage is purged.
 *
 * <p>Only reasons that come from the response count. One that comes from the request — its
 * {@code Authorization}, a session it created, its own {@code no-store} — says nothing about the
 * next client's, and a {@code Set-Cookie} is most often set for one visitor only: those keys stay
 * hit-for-miss ({@link Collapser}), still looked up. Thread-safe.
 */
final class HitForPass {

    private static final Set<Reason> RESPONSE_REASONS = Set.of(Reason.RESPONSE_NO_STORE,
            Reason.PRIVATE_IN_SHARED_CACHE, Reason.NOT_CACHEABLE, Reason.NEVER_REUSABLE, Reason.VARY_STAR,
            Reason.STATUS_NOT_UNDERSTOOD);

    private final Cache<String, Boolean> urls;

    HitForPass(Duration duration, Ticker ticker) {
        this.urls = Caffeine.newBuilder().expireAfterWrite(duration).maximumSize(100_000).ticker(ticker).build();
    }

    /** Remembers the URL if the reason its answer was not stored holds for every client. */
    void answered(URI url, Reason notStored) {
        if (RESPONSE_REASONS.contains(notStored)) {
            urls.put(CacheKey.normalizeUrl(url), Boolean.TRUE);
        }
    }

    /** Whether a request for the URL goes straight to the application. */
    boolean applies(URI url) {
        // Most requests meet an empty memory: no key to build for them.
        return urls.estimatedSize() > 0 && urls.getIfPresent(CacheKey.normalizeUrl(url)) != null;
    }

    void forget(URI url) {
        urls.invalidate(CacheKey.normalizeUrl(url));
    }

    void forgetAll() {
        urls.invalidateAll();
    }
}
