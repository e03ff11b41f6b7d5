package io.hishel.servlet;

import io.hishel.spec.Reason;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;

/**
 * What the cache did with one request, collected as the exchange goes: the facts behind
 * {@code Cache-Status} (RFC 9211) and the {@code X-Hishel-*} response fields, left in request
 * attributes for the application ({@link CacheOutcome}), and counted for
 * {@link HishelCacheFilter#statistics()}. One per exchange; not thread-safe, though an asynchronous
 * response may finish it on another thread than the one that started it.
 */
final class OutcomeRecorder {

    private static final String[] FIELDS = {
        "X-Hishel-From-Cache", "X-Hishel-Revalidated", "X-Hishel-Stored", "X-Hishel-Spec-Ignored"};

    /** The detail of a request sent straight to the application by {@link HitForPass}. */
    static final String HIT_FOR_PASS = "hit-for-pass";

    private final CacheContext context;
    private final HttpServletRequest request;

    private boolean fromCache;
    private boolean revalidated;
    private boolean stored;
    private boolean specIgnored;
    private boolean collapsed;
    private String forward;
    private int forwardStatus;
    private Duration ttl;
    private String detail;

    OutcomeRecorder(CacheContext context, HttpServletRequest request) {
        this.context = context;
        this.request = request;
    }

    /** Why the engine decided as it did. */
    void reason(Reason reason) {
        detail = reason.token();
        specIgnored |= reason == Reason.REUSED_WITHOUT_SPECIFICATION || reason == Reason.STORED_BY_FILTER_POLICY
                || reason == Reason.STORED_IGNORING_SPECIFICATION;
    }

    /** A reason of the filter's own, such as {@code storage-unavailable}. */
    void detail(String detail) {
        this.detail = detail;
    }

    /** The request goes to the application, and why (RFC 9211 {@code fwd}). */
    void forwarded(Reason why) {
        forward = why.forward().orElse("miss");
    }

    /** The request goes to the application for the filter's own reason, without a look at storage. */
    void bypassed(String forward, String detail) {
        context.counters.bypassed.increment();
        if (HIT_FOR_PASS.equals(detail)) {
            context.counters.hitForPass.increment();
        }
        this.forward = forward;
        this.detail = detail;
    }

    void written() {
        context.counters.bypassed.increment();
    }

    void missed() {
        context.counters.misses.increment();
    }

    /** The request waits for another one for the same key. */
    void waiting() {
        context.counters.collapsed.increment();
    }

    /** The request that waited was answered by what the other one stored. */
    void collapsed() {
        collapsed = true;
    }

    void applicationStatus(int status) {
        forwardStatus = status;
    }

    /** The route of the stored answer, for whatever reads the request after the filter. */
    void route(String pattern) {
        request.setAttribute(RequestAttributes.ROUTE, pattern);
    }

    /** The answer comes from storage. */
    void hit(Reason reason, Duration ttl) {
        context.counters.hits.increment();
        switch (reason) {
            case STALE_IF_ERROR, STALE_ALLOWED_BY_OPTIONS, STALE_WHILE_DISCONNECTED -> {
                context.counters.stale.increment();
                context.counters.staleOnFailure.increment();
            }
            case STALE_WHILE_REVALIDATE, STALE_ALLOWED_BY_REQUEST -> context.counters.stale.increment();
            default -> { }
        }
        fromCache = true;
        reason(reason);
        this.ttl = ttl;
    }

    /** The answer comes from storage after the application confirmed it. */
    void revalidated(Reason reason, Duration ttl) {
        context.counters.revalidations.increment();
        fromCache = true;
        revalidated = true;
        reason(reason);
        this.ttl = ttl;
    }

    /** The application's answer is being stored; final once its body ends. */
    void storing(Reason reason, Duration ttl) {
        reason(reason);
        stored = true;
        this.ttl = ttl;
    }

    /** The application's answer, stored as it streamed, became an entry or did not. */
    void stored(boolean committed) {
        stored = committed;
        if (committed) {
            context.counters.stored.increment();
        }
        publish();
    }

    /** The answer the cache meant to serve from storage could not be read: it is the cache's own error. */
    void notFromCache() {
        fromCache = false;
    }

    boolean specIgnored() {
        return specIgnored;
    }

    /** Adds {@code Cache-Status} and the {@code X-Hishel-*} fields, as enabled, and publishes the outcome. */
    void writeTo(HttpServletResponse target) {
        CacheOutcome frozen = publish();
        if (context.cacheStatus) {
            target.addHeader("Cache-Status", frozen.cacheStatus(context.cacheName));
        }
        if (context.metadataHeaders.test(request)) {
            target.setHeader(FIELDS[0], Boolean.toString(fromCache));
            target.setHeader(FIELDS[1], Boolean.toString(revalidated));
            target.setHeader(FIELDS[2], Boolean.toString(stored));
            target.setHeader(FIELDS[3], Boolean.toString(specIgnored));
        }
    }

    /** Leaves the outcome where application code can read it. */
    CacheOutcome publish() {
        CacheOutcome frozen = new CacheOutcome(fromCache, revalidated, stored, specIgnored, collapsed, forward,
                forwardStatus, ttl, detail);
        request.setAttribute(CacheOutcome.ATTRIBUTE, frozen);
        request.setAttribute(CacheOutcome.FROM_CACHE_ATTRIBUTE, fromCache);
        request.setAttribute(CacheOutcome.REVALIDATED_ATTRIBUTE, revalidated);
        request.setAttribute(CacheOutcome.STORED_ATTRIBUTE, stored);
        request.setAttribute(CacheOutcome.SPEC_IGNORED_ATTRIBUTE, specIgnored);
        return frozen;
    }
}
