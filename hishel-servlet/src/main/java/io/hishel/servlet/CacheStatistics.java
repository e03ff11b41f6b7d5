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
 */
public record CacheStatistics(long hits, long revalidations, long misses, long stored, long bypassed,
                              long collapsed, long errors) {
}
