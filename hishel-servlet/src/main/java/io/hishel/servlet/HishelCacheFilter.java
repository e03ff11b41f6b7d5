package io.hishel.servlet;

import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.FilterPolicy;
import io.hishel.policy.Require;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Storage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The HTTP cache as a servlet filter: it answers requests from a {@link Storage} where RFC 9111
 * and the {@link CachePolicy} allow, and otherwise lets the application answer while it stores
 * the response on its way to the client.
 *
 * <p>For each request it runs the state machine of {@code io.hishel.spec}: a fresh stored response
 * is streamed from storage ({@code FromCache}); a stale one is validated with the application
 * ({@code NeedRevalidation}); otherwise the application is called ({@code CacheMiss}) and its
 * response written to the client and, chunk by chunk, to storage, to become visible once the body
 * has ended completely. Unsafe methods pass through and invalidate what they change (§4.4);
 * requests the cache cannot use pass through untouched.
 *
 * <p>Build one with {@link #builder(Storage)}; it is thread-safe and serves every request of an
 * application. Without Spring:
 * <pre>{@code
 * HishelCacheFilter cache = HishelCacheFilter.builder(JdbcStorage.sqlite(path)).build();
 * servletContext.addFilter("hishel", cache)
 *         .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
 * }</pre>
 *
 * <p>A storage that fails never fails a request: the failure is logged (at most once every ten
 * seconds), counted, and the request is answered by the application; after several failures in a
 * row the storage is left alone for a cool-down.
 */
public final class HishelCacheFilter implements Filter {

    private static final String ACTIVE = HishelCacheFilter.class.getName() + ".ACTIVE";
    /** The default of {@link Builder#keyedRequestFields}: {@link CacheKey#FORWARDING_FIELDS}. */
    public static final List<String> DEFAULT_KEYED_FIELDS = CacheKey.FORWARDING_FIELDS;

    private final CacheContext context;

    private HishelCacheFilter(Builder builder) {
        this.context = new CacheContext(builder);
    }

    /**
     * Starts building a filter.
     *
     * @param storage where responses are stored; the filter does not close it
     * @return a builder with the defaults of a cautious shared cache
     */
    public static Builder builder(Storage storage) {
        return new Builder(storage);
    }

    /**
     * The counts of what the filter has done.
     *
     * @return a snapshot
     */
    public CacheStatistics statistics() {
        CacheContext.Counters counters = context.counters;
        return new CacheStatistics(counters.hits.sum(), counters.revalidations.sum(), counters.misses.sum(),
                counters.stored.sum(), counters.bypassed.sum(), counters.collapsed.sum(), context.storage.errors(),
                counters.stale.sum(), counters.staleOnFailure.sum(), counters.hitForPass.sum());
    }

    /**
     * Whether the filter asks its storage now: false while it is cooling down after repeated
     * failures (the circuit breaker is open), when every request goes to the application. Cheap:
     * reads a field, asks the storage nothing.
     *
     * @return whether the storage is in use
     */
    public boolean storageAvailable() {
        return context.storage.available();
    }

    /**
     * Forgets every URL the filter sends straight to the application for its uncacheable answers
     * (hit-for-pass): their next requests are looked up again. Call it after purging the storage
     * by other means than an unsafe request, as the starter's Actuator endpoint does.
     */
    public void forgetHitForPass() {
        if (context.hitForPass != null) {
            context.hitForPass.forgetAll();
        }
    }

    /**
     * The storage this filter uses.
     *
     * @return the storage
     */
    public Storage storage() {
        return context.storage.storage();
    }

    /**
     * The URL this filter keys a request's URL under ({@link Builder#keyUrl(KeyUrl)}), for code that
     * evicts entries by URL.
     *
     * @param request the request whose route may choose the settings, or null for the filter's own
     * @param url     an absolute URL
     * @return the URL as the cache keys it
     */
    public URI keyUrl(HttpServletRequest request, URI url) {
        return context.keyUrl(request, url);
    }

    /**
     * The canonical origin the filter keys requests under, if one is set: where paths resolve when
     * there is no request.
     *
     * @return the origin, such as {@code https://shop.example}
     */
    public Optional<URI> canonicalOrigin() {
        return context.canonicalOrigin();
    }

    /**
     * The policy this filter applies.
     *
     * @return the policy
     */
    public CachePolicy policy() {
        return context.policy;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || req.getDispatcherType() != DispatcherType.REQUEST || req.getAttribute(ACTIVE) != null) {
            chain.doFilter(req, res);
            return;
        }
        request.setAttribute(ACTIVE, Boolean.TRUE);
        new Exchange(context, request, response, chain).run();
    }

    /** Stops the filter's own threads (housekeeping, refreshes), if it made them. The storage stays open. */
    @Override
    public void destroy() {
        context.shutdown();
    }

    /** Builds a {@link HishelCacheFilter}. Not thread-safe; the filter it builds is. */
    public static final class Builder {
        /** The default of {@link #collapsing}. */
        public static final boolean DEFAULT_COLLAPSING = true;
        /** The default of {@link #collapseTimeout}. */
        public static final Duration DEFAULT_COLLAPSE_TIMEOUT = Duration.ofSeconds(10);
        /** The default of {@link #hitForMiss}. */
        public static final Duration DEFAULT_HIT_FOR_MISS = Duration.ofMinutes(2);
        /** The default of {@link #hitForPass}. */
        public static final Duration DEFAULT_HIT_FOR_PASS = Duration.ofMinutes(2);
        /** The default of {@link #metadataHeaders}. */
        public static final boolean DEFAULT_METADATA_HEADERS = true;
        /** The default of {@link #cacheStatus}. */
        public static final boolean DEFAULT_CACHE_STATUS = true;
        /** The default of {@link #cacheName}. */
        public static final String DEFAULT_CACHE_NAME = "Hishel";
        /** The default of {@link #stripTargetedFields}. */
        public static final boolean DEFAULT_STRIP_TARGETED_FIELDS = true;
        /** The default of {@link #trustClientMetadata}. */
        public static final boolean DEFAULT_TRUST_CLIENT_METADATA = false;
        /** The default of {@link #maxRequestBodySize}, in bytes. */
        public static final int DEFAULT_MAX_REQUEST_BODY_SIZE = 64 * 1024;
        /** The default failure count of {@link #storageFailures}. */
        public static final int DEFAULT_STORAGE_FAILURE_THRESHOLD = 5;
        /** The default cool-down of {@link #storageFailures}. */
        public static final Duration DEFAULT_STORAGE_COOL_DOWN = Duration.ofSeconds(30);
        /** The default of {@link #slowStorageCall}. */
        public static final Duration DEFAULT_SLOW_STORAGE_CALL = Duration.ofMillis(250);

        final Storage storage;
        CachePolicy policy = new SpecificationPolicy();
        Clock clock = Clock.systemUTC();
        Executor executor;
        boolean collapsing = DEFAULT_COLLAPSING;
        Duration collapseTimeout = DEFAULT_COLLAPSE_TIMEOUT;
        Duration hitForMiss = DEFAULT_HIT_FOR_MISS;
        Duration hitForPass = DEFAULT_HIT_FOR_PASS;
        Predicate<HttpServletRequest> metadataHeaders = request -> DEFAULT_METADATA_HEADERS;
        boolean cacheStatus = DEFAULT_CACHE_STATUS;
        String cacheName = DEFAULT_CACHE_NAME;
        boolean stripTargetedFields = DEFAULT_STRIP_TARGETED_FIELDS;
        boolean trustClientMetadata = DEFAULT_TRUST_CLIENT_METADATA;
        int maxRequestBodySize = DEFAULT_MAX_REQUEST_BODY_SIZE;
        Executor refreshExecutor;
        RequestMetadataResolver metadataResolver;
        Predicate<HttpServletRequest> excluded = request -> false;
        StorageObserver storageObserver;
        int failureThreshold = DEFAULT_STORAGE_FAILURE_THRESHOLD;
        Duration coolDown = DEFAULT_STORAGE_COOL_DOWN;
        Duration slowStorageCall = DEFAULT_SLOW_STORAGE_CALL;
        List<String> keyedFields = DEFAULT_KEYED_FIELDS;
        KeyUrl keyUrl = KeyUrl.asReceived();
        Function<HttpServletRequest, KeyUrl> keyUrlPerRequest;

        private Builder(Storage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
        }

        /**
         * The policy: {@link SpecificationPolicy} (the default, RFC 9111 with the default
         * {@link CacheOptions}) or a {@link FilterPolicy}.
         *
         * @param policy the policy, with its options
         * @return this builder
         */
        public Builder policy(CachePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The clock for ages and freshness; tests pass their own.
         *
         * @param clock the clock; default the system clock in UTC
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Runs storage work that no response waits for: recording hits, removing entries a newer
         * response replaced. By default the filter runs one daemon thread with a bounded queue,
         * stopped by {@link HishelCacheFilter#destroy()}; tasks beyond the queue are dropped.
         *
         * @param executor the executor; the filter does not shut it down
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Runs the background refreshes of {@code stale-while-revalidate}: each sends the request
         * again to this server over loopback and waits for the application's answer. By default the
         * filter runs two daemon threads with a queue of 1,000, stopped by
         * {@link HishelCacheFilter#destroy()}; a refresh that finds the queue full is not made, and
         * the entry is refreshed by a later request.
         *
         * @param executor the executor; the filter does not shut it down
         * @return this builder
         */
        public Builder refreshExecutor(Executor executor) {
            this.refreshExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Whether concurrent requests that must go to the application for the same key make one
         * call, the others waiting for its response to be stored. Default true.
         *
         * @param collapsing whether to collapse
         * @return this builder
         */
        public Builder collapsing(boolean collapsing) {
            this.collapsing = collapsing;
            return this;
        }

        /**
         * How long a collapsed request waits before it goes to the application itself.
         *
         * @param timeout positive; default 10 seconds
         * @return this builder
         */
        public Builder collapseTimeout(Duration timeout) {
            this.collapseTimeout = Require.positive(timeout, "collapseTimeout");
            return this;
        }

        /**
         * How long a key whose response could not be stored is exempt from collapsing
         * (Varnish's hit-for-miss), so its requests do not queue behind each other.
         *
         * @param duration positive; default 2 minutes
         * @return this builder
         */
        public Builder hitForMiss(Duration duration) {
            this.hitForMiss = Require.positive(duration, "hitForMiss");
            return this;
        }

        /**
         * How long a URL whose answer can never be stored, whoever asks ({@code no-store},
         * {@code private}, a status no cache stores, no freshness and no validator), goes straight
         * to the application (Varnish's hit-for-pass): no lookup, no capture, and
         * {@code Cache-Status: ...; fwd=bypass; detail=hit-for-pass}. An unsafe request that
         * invalidates the URL, or {@link HishelCacheFilter#forgetHitForPass()}, ends it at once;
         * the time ends it anyway, so a route that becomes cacheable is cached again.
         *
         * @param duration zero to turn it off, or positive; default 2 minutes
         * @return this builder
         */
        public Builder hitForPass(Duration duration) {
            this.hitForPass = Require.notNegative(duration, "hitForPass");
            return this;
        }

        /**
         * Whether responses carry {@code X-Hishel-From-Cache}, {@code X-Hishel-Revalidated},
         * {@code X-Hishel-Stored} and {@code X-Hishel-Spec-Ignored}. Default true.
         *
         * @param enabled whether to add them
         * @return this builder
         */
        public Builder metadataHeaders(boolean enabled) {
            this.metadataHeaders = request -> enabled;
            return this;
        }

        /**
         * Adds {@code X-Hishel-From-Cache}, {@code X-Hishel-Revalidated}, {@code X-Hishel-Stored}
         * and {@code X-Hishel-Spec-Ignored} only to the responses of the requests the predicate
         * accepts: they tell a client whether someone else asked for the URL lately, so a public
         * application shows them to its own operators only (a loopback address, a role, a header
         * a proxy sets). The predicate runs once per response, on the request thread, after the
         * filters in front of this one (Spring Security's, for a role).
         *
         * @param when which requests see them; must be thread-safe
         * @return this builder
         */
        public Builder metadataHeaders(Predicate<? super HttpServletRequest> when) {
            Objects.requireNonNull(when, "when");
            this.metadataHeaders = when::test;
            return this;
        }

        /**
         * Whether responses carry a {@code Cache-Status} field (RFC 9211). Default true.
         *
         * @param enabled whether to add it
         * @return this builder
         */
        public Builder cacheStatus(boolean enabled) {
            this.cacheStatus = enabled;
            return this;
        }

        /**
         * The name this cache gives itself in {@code Cache-Status}.
         *
         * @param name an RFC 8941 token, such as {@code Hishel} or {@code app-cache}
         * @return this builder
         * @throws IllegalArgumentException if it is not a token
         */
        public Builder cacheName(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z*][A-Za-z0-9!#$%&'*+\\-.^_`|~:/]*")) {
                throw new IllegalArgumentException("cacheName must be an RFC 8941 token, such as Hishel, but was \""
                        + name + "\"");
            }
            this.cacheName = name;
            return this;
        }

        /**
         * Whether the targeted fields addressed to this cache alone are removed from what the
         * client receives: those of {@link CacheOptions#targetedFields()} other than
         * {@code CDN-Cache-Control}, so {@code Hishel-Cache-Control} by default. Default true.
         * {@code CDN-Cache-Control} is addressed to every CDN (RFC 9213 §3) and always passes on,
         * so a CDN in front of the application still sees it; so do targeted fields not on the
         * target list (§2.2).
         *
         * @param strip whether to remove them
         * @return this builder
         */
        public Builder stripTargetedFields(boolean strip) {
            this.stripTargetedFields = strip;
            return this;
        }

        /**
         * Whether {@code X-Hishel-Ttl}, {@code X-Hishel-Spec-Ignore} and the other metadata
         * fields count when clients send them. Default false: a client must not be able to make
         * the cache store what the application did not choose to.
         *
         * @param trust whether to honour them
         * @return this builder
         */
        public Builder trustClientMetadata(boolean trust) {
            this.trustClientMetadata = trust;
            return this;
        }

        /**
         * The largest request body read to key on it ({@code hishel_body_key}); a larger one
         * passes through uncached.
         *
         * @param bytes positive; default 64 KiB
         * @return this builder
         */
        public Builder maxRequestBodySize(int bytes) {
            this.maxRequestBodySize = (int) Require.between(bytes, 1, Integer.MAX_VALUE - 8, "maxRequestBodySize",
                    "bytes");
            return this;
        }

        /**
         * Per-route metadata for requests that carry none of their own.
         *
         * @param resolver the resolver
         * @return this builder
         */
        public Builder requestMetadata(RequestMetadataResolver resolver) {
            this.metadataResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Requests the cache leaves alone: they go to the application as if the filter were not
         * there (no lookup, no storing, no invalidation), and are counted as bypassed with
         * {@code Cache-Status: ...; fwd=bypass; detail=excluded}.
         *
         * @param excluded true for the requests to leave alone; called on the request thread, once
         *                 per request, before anything else
         * @return this builder
         */
        public Builder exclude(Predicate<HttpServletRequest> excluded) {
            this.excluded = Objects.requireNonNull(excluded, "excluded");
            return this;
        }

        /**
         * Learns the duration of every storage call, for metrics (default none).
         *
         * @param observer the observer; quick, thread-safe
         * @return this builder
         */
        public Builder storageObserver(StorageObserver observer) {
            this.storageObserver = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * When the storage is left alone: after this many failures in a row, for the cool-down.
         *
         * @param failures positive; default 5
         * @param coolDown positive; default 30 seconds
         * @return this builder
         */
        public Builder storageFailures(int failures, Duration coolDown) {
            this.failureThreshold = (int) Require.between(failures, 1, Integer.MAX_VALUE, "failures", "");
            this.coolDown = Require.positive(coolDown, "coolDown");
            return this;
        }

        /**
         * A storage call slower than this counts as a failure, though its answer is used: a storage
         * that answers slowly is left alone after {@link #storageFailures} of them in a row, as one
         * that fails is. Half the JDBC storage's own deadline by default, which interrupts a call
         * that takes longer (see {@code JdbcStorage.Builder#timeout}).
         *
         * @param duration positive; default 250 ms
         * @return this builder
         */
        public Builder slowStorageCall(Duration duration) {
            this.slowStorageCall = Require.positive(duration, "slowStorageCall");
            return this;
        }

        /**
         * Request fields that join the key when a request carries them, as if every response
         * varied on them. The default lists the forwarding and override fields that applications
         * and frameworks build URLs and choose methods from, so that a client sending one cannot
         * change what other clients are served; a deployment whose proxy sets them on every
         * request still shares entries, since all its requests carry the same values. Fields the
         * application reads only through a component that consumes them first (Spring's
         * {@code ForwardedHeaderFilter}) never reach the filter.
         *
         * @param fields field names; empty for none
         * @return this builder
         */
        public Builder keyedRequestFields(Collection<String> fields) {
            this.keyedFields = List.copyOf(fields);
            return this;
        }

        /**
         * How request URLs become the URLs the cache keys, stores and invalidates under: a canonical
         * host, query parameters left out or sorted ({@link KeyUrl}). The default keys every URL as
         * received.
         *
         * @param keyUrl the settings for every request
         * @return this builder
         */
        public Builder keyUrl(KeyUrl keyUrl) {
            this.keyUrl = Objects.requireNonNull(keyUrl, "keyUrl");
            return this;
        }

        /**
         * Key settings chosen per request, such as per route, over those of {@link #keyUrl(KeyUrl)}.
         * Called once per request the cache handles, on its thread.
         *
         * @param perRequest the settings for a request, or null for the filter's
         * @return this builder
         */
        public Builder keyUrl(Function<HttpServletRequest, KeyUrl> perRequest) {
            this.keyUrlPerRequest = Objects.requireNonNull(perRequest, "perRequest");
            return this;
        }

        /**
         * Builds the filter.
         *
         * @return the filter
         */
        public HishelCacheFilter build() {
            return new HishelCacheFilter(this);
        }
    }
}
