package io.hishel.servlet;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the cache did with one request: the facts behind the {@code X-Hishel-*} response headers
 * and the {@code Cache-Status} field (RFC 9211). The filter puts it in the request attribute
 * {@link #ATTRIBUTE}, together with hishel's own attribute names ({@code hishel_from_cache},
 * {@code hishel_revalidated}, {@code hishel_stored}, {@code hishel_spec_ignored}) as booleans, so
 * code that runs after the filter chain can read them.
 *
 * @param fromCache     the response was served from storage ({@code hishel_from_cache}), fresh,
 *                      stale or after a validation
 * @param revalidated   the application confirmed a stored response with a 304 before it was
 *                      served ({@code hishel_revalidated})
 * @param stored        the application's response was stored ({@code hishel_stored}); on a
 *                      miss, this becomes final only when the body has ended
 * @param specIgnored   the response was stored or served without RFC 9111's rules, by a
 *                      FilterPolicy or {@code hishel_spec_ignore} ({@code hishel_spec_ignored})
 * @param collapsed     the request waited for another request for the same key and was answered
 *                      by what that one stored
 * @param forward       RFC 9211's {@code fwd}: why the request went to the application
 *                      ({@code uri-miss}, {@code vary-miss}, {@code miss}, {@code stale},
 *                      {@code request}, {@code method}, {@code bypass}); null if it did not
 * @param forwardStatus the status the application answered with, or 0 if it was not asked
 * @param ttl           how much longer the response served or stored stays fresh (negative once
 *                      stale), or null when freshness is not checked or not known
 * @param detail        why, as a token: a {@link io.hishel.spec.Reason#token() Reason token} such
 *                      as {@code fresh}, {@code private-in-shared-cache} or {@code stored}, or one
 *                      of the filter's own ({@code storage-unavailable}, {@code uri-not-usable},
 *                      {@code request-body-too-large}, {@code body-written-by-container},
 *                      {@code malformed-response}, {@code application-failed},
 *                      {@code stored-body-unavailable})
 */
public record CacheOutcome(boolean fromCache, boolean revalidated, boolean stored, boolean specIgnored,
                           boolean collapsed, String forward, int forwardStatus, Duration ttl, String detail) {

    /** The request attribute under which the filter leaves this outcome. */
    public static final String ATTRIBUTE = CacheOutcome.class.getName();

    /** Whether the response was served from storage: hishel's {@code hishel_from_cache}. */
    public static final String FROM_CACHE_ATTRIBUTE = "hishel_from_cache";
    /** Whether a stored response was revalidated: hishel's {@code hishel_revalidated}. */
    public static final String REVALIDATED_ATTRIBUTE = "hishel_revalidated";
    /** Whether the response was stored: hishel's {@code hishel_stored}. */
    public static final String STORED_ATTRIBUTE = "hishel_stored";
    /** Whether RFC 9111 was set aside: hishel's {@code hishel_spec_ignored}. */
    public static final String SPEC_IGNORED_ATTRIBUTE = "hishel_spec_ignored";

    /**
     * The outcome as one low-cardinality word, for metrics and traces: {@code hit} (served from
     * storage, fresh or reused by a policy), {@code stale} (served stale: while revalidating, or
     * because the application failed), {@code revalidated} (served from storage after a 304),
     * {@code miss} (the application answered after a lookup), {@code pass} (sent to the
     * application without a lookup because the answer cannot be stored: unsafe methods,
     * hit-for-pass) or {@code bypass} (the cache stood aside: excluded, not cacheable by method or
     * policy, storage unavailable).
     *
     * @return one of those words
     */
    public String result() {
        if (fromCache) {
            if (detail != null && detail.startsWith("stale-")) {
                return "stale";
            }
            return revalidated ? "revalidated" : "hit";
        }
        if (OutcomeRecorder.HIT_FOR_PASS.equals(detail) || "method".equals(forward)) {
            return "pass";
        }
        return "bypass".equals(forward) ? "bypass" : "miss";
    }

    /**
     * The status the application answered with.
     *
     * @return the status, or empty if the application was not asked
     */
    public OptionalInt applicationStatus() {
        return forwardStatus == 0 ? OptionalInt.empty() : OptionalInt.of(forwardStatus);
    }

    /**
     * The remaining freshness.
     *
     * @return the TTL, or empty when not known
     */
    public Optional<Duration> freshFor() {
        return Optional.ofNullable(ttl);
    }

    /**
     * This cache's member of the {@code Cache-Status} field (RFC 9211 §2), for example
     * {@code Hishel; hit; ttl=42; detail=fresh} or
     * {@code Hishel; fwd=uri-miss; fwd-status=200; stored; ttl=60; detail=stored}.
     *
     * @param cacheName the cache's identifier, an RFC 8941 token
     * @return the list member
     */
    public String cacheStatus(String cacheName) {
        StringBuilder value = new StringBuilder(cacheName);
        if (fromCache && forward == null) {
            value.append("; hit");
        }
        if (forward != null) {
            value.append("; fwd=").append(forward);
            if (forwardStatus != 0) {
                value.append("; fwd-status=").append(forwardStatus);
            }
        }
        if (stored) {
            value.append("; stored");
        }
        if (collapsed) {
            value.append("; collapsed");
        }
        if (ttl != null) {
            value.append("; ttl=").append(ttl.getSeconds());
        }
        if (detail != null) {
            value.append("; detail=").append(detail);
        }
        return value.toString();
    }
}
