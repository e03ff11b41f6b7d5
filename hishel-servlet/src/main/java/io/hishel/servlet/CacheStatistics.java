package io.hishel.servlet;

/**
 * What a {@link HishelCacheFilter} has done since it started. Counts only grow.
 *
 * @param hits          requests answered from storage without asking the application, stale
 *                      ones and collapsed ones included
 * @param revalidations requests answered from storage after the application confirmed it with a
 *                      304
 * @param misses        requests that went to the application after looking at storage
 * @param stored        responses whose body was stored completely
 * @param bypassed      requests that went to the application without looking at storage: methods
 *                      and requests the policy does not cache, unsafe methods, and every request
 *                      while the storage is cooling down after failures
 * @param collapsed     requests that waited for another request for the same key
 * @param errors        storage operations that failed or took too long
 * @param stale         hits that served a stale response ({@code stale-while-revalidate},
 *                      {@code stale-if-error}, the grace, a request's {@code max-stale})
 * @param staleOnFailure of those, the ones served because the application failed or could not be
 *                      reached ({@code stale-if-error}, {@code allow-stale}, the grace)
 * @param hitForPass    requests sent straight to the application because their URL's answer can
 *                      never be stored (hit-for-pass); counted among the bypassed
 */
public record CacheStatistics(long hits, long revalidations, long misses, long stored, long bypassed,
                              long collapsed, long errors, long stale, long staleOnFailure, long hitForPass) {
}
