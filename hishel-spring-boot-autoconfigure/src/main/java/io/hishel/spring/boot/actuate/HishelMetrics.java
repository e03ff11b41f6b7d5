package io.hishel.spring.boot.actuate;

import io.hishel.servlet.CacheStatistics;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.servlet.StorageObserver;
import io.hishel.storage.StorageStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The cache's Micrometer meters:
 * <ul>
 *   <li>{@code hishel.requests}, a counter tagged {@code outcome} = {@code hit}, {@code revalidated},
 *       {@code miss} or {@code bypass};</li>
 *   <li>{@code hishel.stored}, {@code hishel.collapsed} and {@code hishel.storage.errors}, counters;</li>
 *   <li>{@code hishel.storage.entries} and {@code hishel.storage.bytes}, gauges read from the storage
 *       at most once per {@link #STATISTICS_MAX_AGE}, so a scrape never queries the database twice;</li>
 *   <li>{@code hishel.storage.operations}, a timer per storage call tagged {@code operation} and
 *       {@code outcome} = {@code success} or {@code failure}.</li>
 * </ul>
 * Thread-safe.
 */
public class HishelMetrics implements MeterBinder, StorageObserver {

    static final Duration STATISTICS_MAX_AGE = Duration.ofSeconds(10);

    private final ObjectProvider<HishelCacheFilter> filter;
    // Two maps rather than one keyed by operation and outcome, so a storage call allocates no key.
    private final Map<String, Timer> successes = new ConcurrentHashMap<>();
    private final Map<String, Timer> failures = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private volatile Snapshot snapshot = new Snapshot(new StorageStatistics(0, 0), Long.MIN_VALUE);

    /**
     * Meters for the application's cache filter, looked up lazily because the filter itself
     * reports storage timings to these meters.
     *
     * @param filter the filter
     */
    public HishelMetrics(ObjectProvider<HishelCacheFilter> filter) {
        this.filter = filter;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        requests(registry, "hit", CacheStatistics::hits);
        requests(registry, "revalidated", CacheStatistics::revalidations);
        requests(registry, "miss", CacheStatistics::misses);
        requests(registry, "bypass", CacheStatistics::bypassed);
        counter(registry, "hishel.stored", "Responses stored", CacheStatistics::stored);
        counter(registry, "hishel.collapsed", "Requests answered by another request's application call",
                CacheStatistics::collapsed);
        counter(registry, "hishel.storage.errors", "Storage calls that failed or were too slow",
                CacheStatistics::errors);
        gauge(registry, "hishel.storage.entries", "Entries in the storage", "entries", StorageStatistics::entries);
        gauge(registry, "hishel.storage.bytes", "Bytes of stored bodies", "bytes", StorageStatistics::bytes);
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
                    .tag("operation", name).tag("outcome", failed ? "failure" : "success")
                    .register(current));
        }
        timer.record(duration);
    }

    private void requests(MeterRegistry registry, String outcome, ToLongFunction<CacheStatistics> count) {
        FunctionCounter.builder("hishel.requests", this, metrics -> metrics.count(count))
                .description("Requests handled by the cache, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToLongFunction<CacheStatistics> count) {
        FunctionCounter.builder(name, this, metrics -> metrics.count(count)).description(description).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToLongFunction<StorageStatistics> value) {
        ToDoubleFunction<HishelMetrics> read = metrics -> value.applyAsLong(metrics.storageStatistics());
        Gauge.builder(name, this, read).description(description).baseUnit(unit).register(registry);
    }

    private double count(ToLongFunction<CacheStatistics> count) {
        HishelCacheFilter current = filter.getIfAvailable();
        return current == null ? 0 : count.applyAsLong(current.statistics());
    }

    /** The last statistics read, refreshed when older than {@link #STATISTICS_MAX_AGE}; a failure keeps the last. */
    private StorageStatistics storageStatistics() {
        Snapshot current = snapshot;
        long now = System.nanoTime();
        if (current.readAt() != Long.MIN_VALUE && now - current.readAt() < STATISTICS_MAX_AGE.toNanos()) {
            return current.statistics();
        }
        HishelCacheFilter cache = filter.getIfAvailable();
        if (cache == null) {
            return current.statistics();
        }
        try {
            StorageStatistics fresh = cache.storage().statistics();
            snapshot = new Snapshot(fresh, now);
            return fresh;
        } catch (RuntimeException e) {
            snapshot = new Snapshot(current.statistics(), now);
            return current.statistics();
        }
    }

    private record Snapshot(StorageStatistics statistics, long readAt) {
    }
}
