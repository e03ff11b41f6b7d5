package io.hishel.servlet;

import com.github.benmanes.caffeine.cache.Ticker;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.FilterPolicy;
import io.hishel.spec.Idle;
import io.hishel.storage.Entry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every exchange of one filter shares: the settings the builder checked, the engine, the
 * fail-open storage, the collapser, the background work and the counters. Built once per filter;
 * thread-safe.
 */
final class CacheContext {

    private static final Logger LOG = LoggerFactory.getLogger(HishelCacheFilter.class);

    final CachePolicy policy;
    final CacheOptions options;
    final Clock clock;
    final Idle idle;
    final GuardedStorage storage;
    final Collapser collapser;
    /** The URLs that go straight to the application for a while, or null when hit-for-pass is off. */
    final HitForPass hitForPass;
    final BackgroundRefresh refresh;
    final Counters counters = new Counters();
    /** How long a collapsed request waits, or null when collapsing is off. */
    final Duration collapseTimeout;
    final Predicate<HttpServletRequest> metadataHeaders;
    final boolean cacheStatus;
    final String cacheName;
    final boolean trustClientMetadata;
    final int maxRequestBodySize;
    final RequestMetadataResolver metadataResolver;
    final Predicate<HttpServletRequest> excluded;
    final List<String> keyedFields;
    private final KeyUrl keyUrl;
    private final Function<HttpServletRequest, KeyUrl> keyUrlPerRequest;
    /** Whether a FilterPolicy response filter reads bodies, so small ones are held whole before commit. */
    final boolean needsResponseBody;

    /** The fields that never reach the client: metadata, and targeted fields if stripped. Case-insensitive. */
    private final Set<String> internalFields;
    /**
     * Bit n set when an internal field's name has n characters (n < 64; longer names are always
     * looked up): every field of every hit and pass-through answer is checked, and nearly none is
     * internal, so most checks end here.
     */
    private final long internalLengths;
    private final Executor housekeeping;
    private final ExecutorService ownedHousekeeping;
    private final ExecutorService ownedRefreshes;
    /**
     * Recently parsed request URLs, by hash: popular URLs repeat, and parsing one was the largest
     * single cost of a hit. Slots are replaced, never cleared; the records are immutable, so racing
     * threads at worst parse the same URL twice.
     */
    private final ParsedUrl[] recentUrls = new ParsedUrl[1024];

    CacheContext(HishelCacheFilter.Builder builder) {
        this.policy = builder.policy;
        this.options = policy.options();
        this.clock = builder.clock;
        this.idle = new Idle(policy, clock);
        this.storage = new GuardedStorage(builder.storage, builder.failureThreshold, builder.coolDown,
                builder.slowStorageCall, System::nanoTime, builder.storageObserver);
        this.ownedHousekeeping = builder.executor == null ? daemonPool("hishel-cache-housekeeping", 1, 10_000,
                new ThreadPoolExecutor.DiscardPolicy()) : null;
        this.housekeeping = builder.executor == null ? ownedHousekeeping : builder.executor;
        // Refreshes call the application and may take as long as it does: not on the housekeeping thread.
        this.ownedRefreshes = builder.refreshExecutor == null ? daemonPool("hishel-cache-refresh", 2, 1_000,
                new ThreadPoolExecutor.AbortPolicy()) : null;
        this.refresh = new BackgroundRefresh(builder.refreshExecutor == null ? ownedRefreshes : builder.refreshExecutor);
        this.collapser = new Collapser(builder.hitForMiss, Ticker.systemTicker());
        // On the filter's clock, so that a test moves it as it moves freshness.
        this.hitForPass = builder.hitForPass.isZero() ? null
                : new HitForPass(builder.hitForPass, () -> clock.millis() * 1_000_000L);
        this.collapseTimeout = builder.collapsing ? builder.collapseTimeout : null;
        this.metadataHeaders = builder.metadataHeaders;
        this.cacheStatus = builder.cacheStatus;
        this.cacheName = builder.cacheName;
        this.trustClientMetadata = builder.trustClientMetadata;
        this.maxRequestBodySize = builder.maxRequestBodySize;
        this.metadataResolver = builder.metadataResolver;
        this.excluded = builder.excluded;
        this.keyedFields = builder.keyedFields;
        this.keyUrl = builder.keyUrl;
        this.keyUrlPerRequest = builder.keyUrlPerRequest;
        this.needsResponseBody = policy instanceof FilterPolicy filterPolicy && filterPolicy.responseFiltersNeedBody();
        List<String> internal = new ArrayList<>(ExchangeSettings.METADATA_FIELDS);
        if (builder.stripTargetedFields) {
            // CDN-Cache-Control is addressed to every CDN (RFC 9213 §3): one in front still needs it.
            options.targetedFields().stream()
                    .filter(field -> !field.equalsIgnoreCase(CacheOptions.CDN_CACHE_CONTROL))
                    .forEach(internal::add);
        }
        this.internalFields = caseInsensitive(internal);
        this.internalLengths = internal.stream().mapToInt(String::length).filter(length -> length < 64)
                .mapToLong(length -> 1L << length).reduce(0, (a, b) -> a | b);
    }

    /** Stops the threads the filter made for itself. */
    void shutdown() {
        if (ownedHousekeeping != null) {
            ownedHousekeeping.shutdown();
        }
        if (ownedRefreshes != null) {
            ownedRefreshes.shutdown();
        }
    }

    /** The URL the cache keys a request under: its route's settings, else the filter's; null request for the filter's. */
    URI keyUrl(HttpServletRequest request, URI url) {
        KeyUrl settings = keyUrl;
        if (keyUrlPerRequest != null && request != null) {
            KeyUrl routed = keyUrlPerRequest.apply(request);
            if (routed != null) {
                settings = routed;
            }
        }
        return settings.apply(url);
    }

    Optional<URI> canonicalOrigin() {
        return keyUrl.canonicalOrigin();
    }

    /** Whether a response field stays inside: metadata for this cache, targeted fields. */
    boolean isInternal(String name) {
        int length = name.length();
        return (length >= 64 || (internalLengths & (1L << length)) != 0) && internalFields.contains(name);
    }

    /** How many bytes of a response may be held before it commits. */
    int captureLimit() {
        return needsResponseBody ? (int) Math.min(options.maxEntrySize(), Integer.MAX_VALUE - 8) : 0;
    }

    /** Storage work no response waits for. */
    void later(Runnable task) {
        try {
            housekeeping.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Housekeeping queue full; dropped a storage task", e);
        }
    }

    void removeLater(Collection<Entry> obsolete) {
        if (!obsolete.isEmpty()) {
            later(() -> obsolete.forEach(entry -> storage.run(StorageOperation.REMOVE,
                    () -> storage.storage().remove(entry.id()))));
        }
    }

    /** The request URL as a URI with a host, or empty if the container's URL is not one. */
    Optional<URI> url(String text) {
        int slot = text.hashCode() & (recentUrls.length - 1);
        ParsedUrl recent = recentUrls[slot];
        if (recent == null || !recent.text().equals(text)) {
            recent = new ParsedUrl(text, parseUrl(text));
            recentUrls[slot] = recent;
        }
        return recent.uri();
    }

    private static Optional<URI> parseUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.getHost() == null ? Optional.empty() : Optional.of(uri);
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    static Set<String> caseInsensitive(Collection<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(names);
        return Collections.unmodifiableSet(set);
    }

    private static ThreadPoolExecutor daemonPool(String name, int threads, int queue,
                                                 RejectedExecutionHandler whenFull) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                runnable -> {
                    Thread thread = new Thread(runnable, name);
                    thread.setDaemon(true);
                    return thread;
                }, whenFull);
    }

    private record ParsedUrl(String text, Optional<URI> uri) {
    }

    /** What the filter has done, for {@link HishelCacheFilter#statistics()}. */
    static final class Counters {
        final LongAdder hits = new LongAdder();
        final LongAdder revalidations = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder stored = new LongAdder();
        final LongAdder bypassed = new LongAdder();
        final LongAdder collapsed = new LongAdder();
        final LongAdder stale = new LongAdder();
        final LongAdder staleOnFailure = new LongAdder();
        final LongAdder hitForPass = new LongAdder();
    }
}
