/**
 * The cache as a Jakarta Servlet filter: {@link io.hishel.servlet.HishelCacheFilter} and its builder
 * are the public entry point; {@link io.hishel.servlet.RequestAttributes},
 * {@link io.hishel.servlet.StatusScopedDirectives} and {@link io.hishel.servlet.CacheOutcome} are how
 * application code talks to it.
 *
 * <p>Inside, the engine decides and these classes do the I/O, one question each: {@code Exchange}
 * orchestrates one request; {@code ClientRequest} turns it into the engine's request and key;
 * {@code ExchangeSettings} decides which source of metadata and tags wins; {@code ApplicationCall}
 * calls the rest of the chain; {@code MissCommitter}, {@code ValidationCommitter} and
 * {@code RefreshCommitter} decide when the application's response commits; {@code Tee} stores it as
 * it streams; {@code ResponseWriter} writes stored responses; {@code OutcomeRecorder} keeps the
 * outcome; {@code CapturingResponse} detects the commit; {@code Collapser} collapses concurrent
 * misses; {@code GuardedStorage} makes storage failures fail open; {@code BackgroundRefresh} runs
 * stale-while-revalidate's refreshes. ARCHITECTURE.md at the repository's root follows a request
 * through them.
 */
package io.hishel.servlet;
