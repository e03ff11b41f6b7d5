package io.hishel.spring.boot.actuate;

import io.hishel.servlet.CacheStatistics;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.servlet.StorageObserver;
import io.hishel.spring.boot.HttpCacheEvictor;
import io.hishel.storage.StorageStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The cache's Micrometer meters: Micrometer's cache meters, as its {@code CacheMeterBinder} names
 * them for Caffeine or JCache, tagged {@code cache} with the filter's cache name —
 * <ul>
 *   <li>{@code cache.gets}, tagged {@code result} = {@code hit} (served from storage, after a 304
 *       too) or {@code miss} (looked up, answered by the application);</li>
 *   <li>{@code cache.puts}: responses stored;</li>
 *   <li>{@code cache.evictions}: entries removed through {@link HttpCacheEvictor} and
 *       {@code @HttpCacheEvict} (not those the storage expires or trims to its bounds);</li>
 *   <li>{@code cache.size}: entries in the storage, a gauge;</li>
 * </ul>
 * and hishel's own —
 * <ul>
 *   <li>{@code hishel.requests}, tagged {@code result} = {@code hit}, {@code revalidated},
 *       {@code miss} or {@code bypass};</li>
 *   <li>{@code hishel.stale}: stale responses served, tagged {@code cause} = {@code revalidating}
 *       ({@code stale-while-revalidate}, a request's {@code max-stale}) or
 *       {@code application-failed} ({@code stale-if-error}, {@code allow-stale}, the grace);</li>
 *   <li>{@code hishel.hit.for.pass}: requests sent straight to the application because their
 *       URL's answer can never be stored;</li>
 *   <li>{@code hishel.collapsed}: requests that waited for another's application call;</li>
 *   <li>{@code hishel.storage.errors}: storage calls that failed or were too slow;</li>
 *   <li>{@code hishel.storage.breaker.open}: 1 while the filter does not ask its storage after
 *       repeated failures, else 0;</li>
 *   <li>{@code hishel.storage.bytes}: bytes of stored bodies, a gauge;</li>
 *   <li>{@code hishel.storage.operations}, a timer per storage call tagged {@code operation} and
 *       {@code result} = {@code success} or {@code failure}.</li>
 * </ul>
 * No tag is called {@code outcome}, which in Spring's {@code http.server.requests} means the
 * status class. The gauges read the storage at most once per ten seconds, so a scrape never queries
 * the database twice. Thread-safe.
 */
public class HishelMetrics implements MeterBinder, StorageObserver {

    private final ObjectProvider<HishelCacheFilter> filter;
    private final ObjectProvider<HttpCacheEvictor> evictor;
    private final String cacheName;
    private final StorageSnapshot snapshot;
    // Two maps rather than one keyed by operation and result, so a storage call allocates no key.
    private final Map<String, Timer> successes = new ConcurrentHashMap<>();
    private final Map<String, Timer> failures = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    /**
     * Meters for the application's cache filter, looked up lazily because the filter itself
     * reports storage timings to these meters.
     *
     * @param filter    the filter
     * @param evictor   the evictor whose evictions {@code cache.evictions} counts, if any
     * @param cacheName the {@code cache} tag, the filter's cache name
     */
    public HishelMetrics(ObjectProvider<HishelCacheFilter> filter, ObjectProvider<HttpCacheEvictor> evictor,
                         String cacheName) {
        this.filter = filter;
        this.evictor = evictor;
        this.cacheName = cacheName;
        this.snapshot = new StorageSnapshot(filter::getIfAvailable);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags cache = Tags.of("cache", cacheName);
        counter(registry, "cache.gets", "The number of times the cache answered from storage (hit) or looked and"
                + " asked the application (miss)", cache.and("result", "hit"),
                statistics -> statistics.hits() + statistics.revalidations());
        counter(registry, "cache.gets", "The number of times the cache answered from storage (hit) or looked and"
                + " asked the application (miss)", cache.and("result", "miss"), CacheStatistics::misses);
        counter(registry, "cache.puts", "The number of responses stored", cache, CacheStatistics::stored);
        FunctionCounter.builder("cache.evictions", this, HishelMetrics::evictions)
                .description("The number of entries removed through HttpCacheEvictor and @HttpCacheEvict")
                .tags(cache).register(registry);
        gauge(registry, "cache.size", "The number of entries in the storage", cache, null, StorageStatistics::entries);

        for (String result : new String[] {"hit", "revalidated", "miss", "bypass"}) {
            counter(registry, "hishel.requests", "Requests handled by the cache, by result", cache.and("result", result),
                    switch (result) {
                        case "hit" -> CacheStatistics::hits;
                        case "revalidated" -> CacheStatistics::revalidations;
                        case "miss" -> CacheStatistics::misses;
                        default -> CacheStatistics::bypassed;
                    });
        }
        counter(registry, "hishel.stale", "Stale responses served, by cause", cache.and("cause", "revalidating"),
                statistics -> statistics.stale() - statistics.staleOnFailure());
        counter(registry, "hishel.stale", "Stale responses served, by cause", cache.and("cause", "application-failed"),
                CacheStatistics::staleOnFailure);
        counter(registry, "hishel.hit.for.pass", "Requests sent straight to the application because their answer"
                + " can never be stored", cache, CacheStatistics::hitForPass);
        counter(registry, "hishel.collapsed", "Requests answered by another request's application call", cache,
                CacheStatistics::collapsed);
        counter(registry, "hishel.storage.errors", "Storage calls that failed or were too slow", cache,
                CacheStatistics::errors);
        Gauge.builder("hishel.storage.breaker.open", this, HishelMetrics::breakerOpen)
                .description("1 while the cache does not use its storage after repeated failures, else 0")
                .tags(cache).register(registry);
        gauge(registry, "hishel.storage.bytes", "Bytes of stored bodies", cache, "bytes", StorageStatistics::bytes);
        this.registry = registry;
    }

    @Override
    public void observe(String operation, Duration duration, boolean failed) {
        MeterRegistry current = registry;
        if (current == null) {
            return;
        }
        Map<String, Timer> timers = failed ? failures : successes;
        Timer timer = timers.get(operation);
        if (timer == null) {
            timer = timers.computeIfAbsent(operation, name -> Timer.builder("hishel.storage.operations")
                    .description("Storage calls made by the cache filter")
                    .tag("cache", cacheName).tag("operation", name).tag("result", failed ? "failure" : "success")
                    .register(current));
        }
        timer.record(duration);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags tags,
                         ToLongFunction<CacheStatistics> count) {
        FunctionCounter.builder(name, this, metrics -> metrics.count(count)).description(description).tags(tags)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, Tags tags, String unit,
                       ToLongFunction<StorageStatistics> value) {
        ToDoubleFunction<HishelMetrics> read = metrics -> value.applyAsLong(metrics.snapshot.read().statistics());
        Gauge.builder(name, this, read).description(description).tags(tags).baseUnit(unit).register(registry);
    }

    private double count(ToLongFunction<CacheStatistics> count) {
        HishelCacheFilter current = filter.getIfAvailable();
        return current == null ? 0 : count.applyAsLong(current.statistics());
    }

    private double evictions() {
        HttpCacheEvictor current = evictor.getIfAvailable();
        return current == null ? 0 : current.evicted();
    }

    private double breakerOpen() {
        HishelCacheFilter current = filter.getIfAvailable();
        return current != null && !current.storageAvailable() ? 1 : 0;
    }
}
