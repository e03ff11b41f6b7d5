package io.hishel.servlet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.spec.CacheMiss;
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
 * <p>Only reasons that come from the response count, and only for an anonymous request: a
 * {@code private} answer to a signed-in user or to a request with cookies says nothing about the
 * anonymous page. A reason that comes from the request — its {@code Authorization}, a session it
 * created, its own {@code no-store} — says nothing about the next client's, and a
 * {@code Set-Cookie} is most often set for one visitor only: those keys stay hit-for-miss
 * ({@link Collapser}), still looked up. Thread-safe.
 */
final class HitForPass {

    private static final Set<Reason> RESPONSE_REASONS = Set.of(Reason.RESPONSE_NO_STORE,
            Reason.PRIVATE_IN_SHARED_CACHE, Reason.NOT_CACHEABLE, Reason.NEVER_REUSABLE, Reason.VARY_STAR,
            Reason.STATUS_NOT_UNDERSTOOD);

    private final Cache<String, Boolean> urls;

    HitForPass(Duration duration, Ticker ticker) {
        this.urls = Caffeine.newBuilder().expireAfterWrite(duration).maximumSize(100_000).ticker(ticker).build();
    }

    /**
     * Remembers the URL of a miss if the reason its answer was not stored holds for every client:
     * a reason from the response, for a request that nothing personal could have shaped (no
     * {@code Authorization}, no signed-in user, no {@code Cookie}), an answer that is not an error
     * (an error passes; a stale entry may stand in for the next, within the grace) and does not
     * vary, and nothing stored for the URL yet (no variant or stale entry the lookup would find).
     */
    void answered(CacheMiss miss, Response answer, Reason notStored) {
        Request request = miss.request();
        if (RESPONSE_REASONS.contains(notStored) && miss.reason() == Reason.NO_STORED_RESPONSE
                && answer.status() < 400 && !answer.headers().contains("Vary")
                && !request.isAuthorized() && !request.headers().contains("Cookie")) {
            urls.put(CacheKey.normalizeUrl(request.url()), Boolean.TRUE);
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
