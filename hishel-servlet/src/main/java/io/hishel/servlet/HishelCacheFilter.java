package io.hishel.servlet;

import com.github.benmanes.caffeine.cache.Ticker;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.RequestMetadata;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.FilterPolicy;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.servlet.CapturingResponse.Commit;
import io.hishel.servlet.CapturingResponse.Destination;
import io.hishel.spec.CacheMiss;
import io.hishel.spec.CouldNotBeStored;
import io.hishel.spec.FromCache;
import io.hishel.spec.Freshness;
import io.hishel.spec.GatewayTimeout;
import io.hishel.spec.Idle;
import io.hishel.spec.InvalidateEntries;
import io.hishel.spec.NeedRevalidation;
import io.hishel.spec.NeedToBeUpdated;
import io.hishel.spec.Reason;
import io.hishel.spec.StoreAndUse;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.Storage;
import io.hishel.storage.StoredBody;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Enumeration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(HishelCacheFilter.class);
    private static final String ACTIVE = HishelCacheFilter.class.getName() + ".ACTIVE";
    private static final Set<String> METADATA_FIELDS = caseInsensitive(List.of(
            RequestMetadata.TTL_HEADER, RequestMetadata.REFRESH_TTL_ON_ACCESS_HEADER,
            RequestMetadata.SPEC_IGNORE_HEADER, RequestMetadata.BODY_KEY_HEADER));
    private static final String[] OUTCOME_FIELDS = {
        "X-Hishel-From-Cache", "X-Hishel-Revalidated", "X-Hishel-Stored", "X-Hishel-Spec-Ignored"};
    /** The default of {@link Builder#keyedRequestFields}. */
    public static final List<String> DEFAULT_KEYED_FIELDS = List.of(
            "Forwarded", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix",
            "X-Forwarded-Server", "X-Host", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override",
            "X-HTTP-Method", "X-Method-Override");
    private static final RequestMetadata SPEC_IGNORED = RequestMetadata.builder().specIgnore(true).build();
    private static final int COPY_BUFFER = 16 * 1024;

    private final GuardedStorage storage;
    private final CachePolicy policy;
    private final CacheOptions options;
    private final Clock clock;
    private final Idle idle;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final ExecutorService ownedRefreshExecutor;
    private final BackgroundRefresh backgroundRefresh;
    private final Collapser collapser;
    private final Duration collapseTimeout;
    private final boolean metadataHeaders;
    private final boolean cacheStatus;
    private final String cacheName;
    private final boolean trustClientMetadata;
    private final int maxRequestBodySize;
    private final RequestMetadataResolver metadataResolver;
    private final Predicate<HttpServletRequest> excluded;
    /** The fields that never reach the client: metadata, and targeted fields if stripped. Case-insensitive. */
    private final Set<String> internalFields;
    private final boolean needsResponseBody;
    private final List<String> keyedFields;

    /**
     * Recently parsed request URLs, by hash: popular URLs repeat, and parsing one was the
     * largest single cost of a hit. Slots are replaced, never cleared; the records are
     * immutable, so racing threads at worst parse the same URL twice.
     */
    private final ParsedUrl[] recentUrls = new ParsedUrl[1024];
    private final LongAdder hits = new LongAdder();
    private final LongAdder revalidations = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder bypassed = new LongAdder();
    private final LongAdder collapsedCount = new LongAdder();

    private HishelCacheFilter(Builder builder) {
        this.policy = builder.policy;
        this.options = policy.options();
        this.clock = builder.clock;
        this.idle = new Idle(policy, clock);
        this.storage = new GuardedStorage(builder.storage, builder.failureThreshold, builder.coolDown,
                builder.slowStorageCall, System::nanoTime, builder.storageObserver);
        if (builder.executor != null) {
            this.executor = builder.executor;
            this.ownedExecutor = null;
        } else {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(10_000), runnable -> {
                        Thread thread = new Thread(runnable, "hishel-cache-housekeeping");
                        thread.setDaemon(true);
                        return thread;
                    }, new ThreadPoolExecutor.DiscardPolicy());
            this.executor = pool;
            this.ownedExecutor = pool;
        }
        if (builder.refreshExecutor != null) {
            this.ownedRefreshExecutor = null;
            this.backgroundRefresh = new BackgroundRefresh(builder.refreshExecutor);
        } else {
            // Refreshes call the application and may take as long as it does: not on the housekeeping thread.
            ThreadPoolExecutor refreshes = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(1_000), runnable -> {
                        Thread thread = new Thread(runnable, "hishel-cache-refresh");
                        thread.setDaemon(true);
                        return thread;
                    }, new ThreadPoolExecutor.AbortPolicy());
            this.ownedRefreshExecutor = refreshes;
            this.backgroundRefresh = new BackgroundRefresh(refreshes);
        }
        this.collapser = new Collapser(builder.hitForMiss, Ticker.systemTicker());
        this.collapseTimeout = builder.collapsing ? builder.collapseTimeout : null;
        this.metadataHeaders = builder.metadataHeaders;
        this.cacheStatus = builder.cacheStatus;
        this.cacheName = builder.cacheName;
        this.trustClientMetadata = builder.trustClientMetadata;
        this.maxRequestBodySize = builder.maxRequestBodySize;
        this.metadataResolver = builder.metadataResolver;
        this.excluded = builder.excluded;
        List<String> internal = new ArrayList<>(METADATA_FIELDS);
        if (builder.stripTargetedFields) {
            internal.addAll(options.targetedFields());
        }
        this.internalFields = caseInsensitive(internal);
        this.keyedFields = builder.keyedFields;
        this.needsResponseBody = policy instanceof FilterPolicy filterPolicy && filterPolicy.responseFiltersNeedBody();
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
        return new CacheStatistics(hits.sum(), revalidations.sum(), misses.sum(), stored.sum(), bypassed.sum(),
                collapsedCount.sum(), storage.errors());
    }

    /**
     * The storage this filter uses.
     *
     * @return the storage
     */
    public Storage storage() {
        return storage.storage();
    }

    /**
     * The policy this filter applies.
     *
     * @return the policy
     */
    public CachePolicy policy() {
        return policy;
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
        new Exchange(request, response, chain).run();
    }

    /** Stops the filter's own housekeeping thread, if it made one. The storage stays open. */
    @Override
    public void destroy() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        if (ownedRefreshExecutor != null) {
            ownedRefreshExecutor.shutdown();
        }
    }

    private void later(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Housekeeping queue full; dropped a storage task", e);
        }
    }

    private void removeLater(Collection<Entry> obsolete) {
        if (!obsolete.isEmpty()) {
            later(() -> obsolete.forEach(entry -> storage.run("remove an obsolete entry",
                    () -> storage.storage().remove(entry.id()))));
        }
    }

    /** Whether a response field stays inside: metadata for this cache, targeted fields. */
    private boolean isInternal(String name) {
        return internalFields.contains(name);
    }

    private static Set<String> caseInsensitive(Collection<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(names);
        return Collections.unmodifiableSet(set);
    }

    private record ParsedUrl(String text, Optional<URI> uri) {
    }

    /** The facts of one exchange, collected as it goes; frozen into a {@link CacheOutcome}. */
    private static final class Outcome {
        boolean fromCache;
        boolean revalidated;
        boolean stored;
        boolean specIgnored;
        boolean collapsed;
        String forward;
        int forwardStatus;
        Duration ttl;
        String detail;

        Outcome reason(Reason reason) {
            detail = reason.token();
            specIgnored |= reason == Reason.REUSED_WITHOUT_SPECIFICATION || reason == Reason.STORED_BY_FILTER_POLICY
                    || reason == Reason.STORED_IGNORING_SPECIFICATION;
            return this;
        }

        Outcome forwarded(Reason why) {
            forward = why.forward().orElse("miss");
            return this;
        }

        CacheOutcome freeze() {
            return new CacheOutcome(fromCache, revalidated, stored, specIgnored, collapsed, forward, forwardStatus,
                    ttl, detail);
        }
    }

    /** One request on its way through the cache. */
    private final class Exchange {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final FilterChain chain;
        private final Outcome outcome = new Outcome();
        private Request core;
        private CacheKey key;
        private byte[] readBody;
        /** The request the application received, which knows whether it read session state. */
        private ForwardedRequest forwarded;
        /** The cookies the container's response had before the filter wrote to it: set past the cache. */
        private Collection<String> containerCookies = List.of();

        Exchange(HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
            this.request = request;
            this.response = response;
            this.chain = chain;
        }

        void run() throws IOException, ServletException {
            Optional<UUID> refreshing = backgroundRefresh.entryToRefresh(request);
            if (refreshing.isPresent()) {
                refresh(refreshing.get());
                return;
            }
            if (excluded.test(request)) {
                passThrough("bypass", "excluded");
                return;
            }
            Optional<URI> url = url();
            if (url.isEmpty()) {
                passThrough("bypass", "uri-not-usable");
                return;
            }
            Headers headers = requestHeaders();
            // A user signed in through a session cookie is as identified as one who sends Authorization (§3.5).
            boolean authenticated = request.getUserPrincipal() != null || request.getRemoteUser() != null;
            core = new Request(request.getMethod(), url.get(), headers, Body.EMPTY, metadata(headers), authenticated);
            if (options.supports(core.method()) && !isGetOrHead() && needsRequestBody() && !readRequestBody()) {
                passThrough("bypass", "request-body-too-large");
                return;
            }
            Optional<CacheMiss> passThrough = idle.passThrough(core);
            if (passThrough.isPresent()) {
                CacheMiss miss = passThrough.get();
                if (miss.reason() == Reason.UNSAFE_METHOD) {
                    writeThrough(miss);
                } else {
                    passThrough(miss.reason().forward().orElse("bypass"), miss.reason().token());
                }
                return;
            }
            key = keyOf(core);
            Optional<List<Entry>> entries = storage.call("read entries", () -> storage.storage().entries(key));
            if (entries.isEmpty()) {
                passThrough("bypass", "storage-unavailable");
                return;
            }
            if (!core.metadata().specIgnore() && entries.get().stream().anyMatch(HishelCacheFilter::storedIgnoringSpecification)) {
                // The application chose, on its response, to have this one reused without RFC 9111's rules.
                core = core.withMetadata(SPEC_IGNORED.orElse(core.metadata()));
            }
            answer(idle.next(core, entries.get()), true);
        }

        private void answer(Idle.Next next, boolean mayCollapse) throws IOException, ServletException {
            if (next instanceof FromCache hit) {
                if (hit.revalidateInBackground()) {
                    serveStaleAndRefresh(hit);
                } else if (!serve(hit, hit.response())) {
                    miss(new CacheMiss(core, List.of(), false, Reason.NO_STORED_RESPONSE, clock.instant(), policy,
                            clock), null);
                }
            } else if (next instanceof GatewayTimeout timeout) {
                outcome.detail = timeout.reason().token();
                sendHead(timeout.response());
            } else if (next instanceof NeedRevalidation || next instanceof CacheMiss) {
                forward(next, mayCollapse);
            }
        }

        /** Sends a request to the application, or waits for another that is already on its way. */
        private void forward(Idle.Next next, boolean mayCollapse) throws IOException, ServletException {
            Collapser.Flight flight = null;
            if (mayCollapse && collapseTimeout != null && !collapser.isHitForMiss(key.value())) {
                flight = collapser.join(key.value());
                if (!flight.leader()) {
                    collapsedCount.increment();
                    outcome.forwarded(next.reason());
                    flight.await(collapseTimeout);
                    Optional<List<Entry>> entries = storage.call("read entries", () -> storage.storage().entries(key));
                    Idle.Next after = entries.isPresent() ? idle.next(core, entries.get()) : next;
                    if (after instanceof FromCache) {
                        outcome.collapsed = true;
                    }
                    answer(after, false);
                    return;
                }
            }
            boolean async = false;
            try {
                if (next instanceof NeedRevalidation validation) {
                    async = revalidate(validation, flight);
                } else {
                    async = miss((CacheMiss) next, flight);
                }
            } finally {
                if (flight != null && !async) {
                    flight.abandon();
                }
            }
        }

        // The paths to the application.

        /** Miss: the application answers; its response goes to the client and, if storable, to storage. */
        private boolean miss(CacheMiss miss, Collapser.Flight flight) throws IOException, ServletException {
            misses.increment();
            outcome.forwarded(miss.reason());
            Request forwarded = miss.forwardRequest();
            CapturingResponse capture = new CapturingResponse(response,
                    (c, appResponse, body, kind) -> afterMiss(miss, c, appResponse, body, kind, flight, true),
                    captureLimit());
            return callApplication(forwarded.headers(), capture, miss::onFailure);
        }

        /** Validation: the application answers a conditional request built from the stored validators. */
        private boolean revalidate(NeedRevalidation validation, Collapser.Flight flight)
                throws IOException, ServletException {
            outcome.forwarded(validation.reason());
            CapturingResponse capture = new CapturingResponse(response,
                    (c, appResponse, body, kind) -> afterValidation(validation, c, appResponse, body, kind, flight,
                            true),
                    captureLimit());
            return callApplication(validation.conditionalRequest().headers(), capture, validation::onFailure);
        }

        /** Unsafe method: the application answers; a non-error response invalidates (§4.4). */
        private void writeThrough(CacheMiss miss) throws IOException, ServletException {
            bypassed.increment();
            outcome.forwarded(miss.reason());
            CapturingResponse capture = new CapturingResponse(response,
                    (c, appResponse, body, kind) -> afterMiss(miss, c, appResponse, body, kind, null, true),
                    captureLimit());
            callApplication(core.headers(), capture, Optional::empty);
        }

        /** Not for the cache: the application answers as if the filter were not there. */
        private void passThrough(String forward, String detail) throws IOException, ServletException {
            bypassed.increment();
            outcome.forward = forward;
            outcome.detail = detail;
            writeOutcomeFields(response);
            chain.doFilter(readBody == null ? request : new ForwardedRequest(request, core.headers(), readBody),
                    new InternalFieldsRemoved(request, response));
        }

        /**
         * Calls the rest of the chain and ends the response.
         *
         * @return true if the application went asynchronous, so the response ends later
         */
        private boolean callApplication(Headers headers, CapturingResponse capture,
                                        java.util.function.Supplier<Optional<FromCache>> onFailure)
                throws IOException, ServletException {
            forwarded = new ForwardedRequest(request, headers, readBody);
            try {
                chain.doFilter(forwarded, capture);
            } catch (IOException | ServletException | RuntimeException | Error failure) {
                if (!capture.isCommitted() && !response.isCommitted()) {
                    Optional<FromCache> stale = onFailure.get();
                    if (stale.isPresent()) {
                        capture.abandon();
                        LOG.warn("The application failed; serving a stale response for {} ({})", core.url(),
                                stale.get().reason(), failure);
                        outcome.forwardStatus = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
                        FromCache hit = stale.get();
                        if (serve(hit, hit.response())) {
                            return false;
                        }
                    }
                }
                capture.abandon();
                if (!response.isCommitted()) {
                    // The container answers with its error page, which carries the outcome like any other answer.
                    outcome.forwardStatus = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
                    outcome.detail = "application-failed";
                    writeOutcomeFields(response);
                }
                throw failure;
            }
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Finisher(capture));
                return true;
            }
            capture.finish(true);
            return false;
        }

        // Decisions at commit.

        private Destination afterMiss(CacheMiss miss, CapturingResponse capture, Response appResponse, byte[] body,
                                      Commit kind, Collapser.Flight flight, boolean toClient) throws IOException {
            Response app = asAnswered(appResponse, body);
            CacheMiss withMetadata = new CacheMiss(miss.request().withMetadata(responseMetadata(appResponse)),
                    miss.candidates(), miss.passThrough(), miss.reason(), miss.requestTime(), policy, clock);
            outcome.forwardStatus = app.status();
            if (!miss.passThrough() && needsResponseBody && body == null) {
                // A response filter must see the body, and it did not fit in memory before the response committed.
                return notStored(new CouldNotBeStored(miss.request(), app, List.of(), Reason.RESPONSE_FILTERED),
                        capture, app, kind, flight, toClient);
            }
            CacheMiss.Next next = withMetadata.next(app);
            if (next instanceof InvalidateEntries invalidation) {
                for (URI uri : invalidation.uris()) {
                    storage.run("invalidate " + uri, () -> storage.storage().invalidate(uri));
                }
                outcome.reason(invalidation.reason());
                return passOn(capture, app, kind, toClient);
            }
            if (next instanceof FromCache stale) {
                return serveInstead(stale, capture, app, kind, flight, toClient);
            }
            if (next instanceof StoreAndUse store) {
                return storeUnlessSessions(store, capture, app, kind, flight, toClient);
            }
            return notStored((CouldNotBeStored) next, capture, app, kind, flight, toClient);
        }

        private Destination afterValidation(NeedRevalidation validation, CapturingResponse capture,
                                            Response appResponse, byte[] body, Commit kind, Collapser.Flight flight,
                                            boolean toClient) throws IOException {
            Response app = asAnswered(appResponse, body);
            NeedRevalidation withMetadata = new NeedRevalidation(
                    validation.request().withMetadata(responseMetadata(appResponse)), validation.candidates(),
                    validation.reason(), validation.requestTime(), policy, clock);
            outcome.forwardStatus = app.status();
            NeedRevalidation.Next next = withMetadata.next(app);
            if (next instanceof NeedToBeUpdated update) {
                for (Entry entry : update.updatedEntries()) {
                    storage.run("freshen an entry", () -> storage.storage().update(entry));
                }
                removeLater(update.obsoleteEntries());
                if (flight != null) {
                    flight.land(true);
                }
                if (!toClient) {
                    return Destination.NOWHERE;
                }
                boolean served = serve(update.response(), update.entry(), update.sendsBody(), () -> {
                    revalidations.increment();
                    outcome.fromCache = true;
                    outcome.revalidated = true;
                    outcome.reason(update.reason());
                    outcome.ttl = ttlOf(update.entry());
                });
                if (!served) {
                    storedBodyUnavailable();
                }
                return Destination.NOWHERE;
            }
            if (next instanceof GatewayTimeout timeout) {
                if (flight != null) {
                    flight.abandon();
                }
                if (toClient) {
                    outcome.detail = timeout.reason().token();
                    sendHead(timeout.response());
                }
                return Destination.NOWHERE;
            }
            if (next instanceof FromCache stale && stale.reason() == Reason.VALIDATION_SELECTED_NOTHING) {
                if (flight != null) {
                    flight.abandon();
                }
                // The application's 304 is no answer for the client: it sent no conditionals of its own.
                if (toClient && !serve(stale, stale.response())) {
                    storedBodyUnavailable();
                }
                return Destination.NOWHERE;
            }
            if (next instanceof FromCache stale) {
                return serveInstead(stale, capture, app, kind, flight, toClient);
            }
            if (toClient) {
                misses.increment();
            }
            if (next instanceof StoreAndUse store) {
                return storeUnlessSessions(store, capture, app, kind, flight, toClient);
            }
            return notStored((CouldNotBeStored) next, capture, app, kind, flight, toClient);
        }

        /** A storable answer that was made for one session is sent, never stored. */
        private Destination storeUnlessSessions(StoreAndUse store, CapturingResponse capture, Response app,
                                                Commit kind, Collapser.Flight flight, boolean toClient)
                throws IOException {
            if (madeForOneSession()) {
                return notStored(new CouldNotBeStored(store.request(), app, List.of(), Reason.SESSION_STATE), capture,
                        app, kind, flight, toClient);
            }
            return store(store, capture, app, kind, flight, toClient);
        }

        /**
         * Whether the answer belongs to the client's session though its own fields need not say
         * so (RFC 9111 §7.3): the request created the session, or the application read a value of
         * it, such as its CSRF token, to render. Asked at commit and again before the entry is
         * made visible, since a page may render its token after its first bytes went out.
         */
        private boolean madeForOneSession() {
            if (forwarded != null && forwarded.sessionStateRead()) {
                return true;
            }
            try {
                jakarta.servlet.http.HttpSession session = request.getSession(false);
                return session != null && session.isNew();
            } catch (IllegalStateException invalidated) {
                return true;
            }
        }

        private Destination store(StoreAndUse store, CapturingResponse capture, Response app, Commit kind,
                                  Collapser.Flight flight, boolean toClient) throws IOException {
            if (kind != Commit.BODY) {
                outcome.detail = "body-written-by-container";
                if (flight != null) {
                    flight.land(false);
                }
                return passOn(capture, app, kind, toClient);
            }
            Entry entry = marked(store.toEntry(UUID.randomUUID(), key), store.request().metadata());
            EntryOptions entryOptions = entryOptions(store.request().metadata());
            Optional<EntryWriter> writer = storage.call("start an entry",
                    () -> storage.storage().create(entry, entryOptions));
            if (writer.isEmpty()) {
                outcome.detail = "storage-unavailable";
                if (flight != null) {
                    flight.abandon();
                }
                return passOn(capture, app, kind, toClient);
            }
            outcome.reason(store.reason());
            outcome.stored = true;
            outcome.ttl = ttlOf(entry);
            Response clientResponse = store.clientResponse(app);
            ServletOutputStream client = null;
            if (toClient) {
                sendHead(clientResponse);
                // A 304 for the client's own conditionals: the body goes to storage only.
                client = clientResponse.status() == 304 ? null : response.getOutputStream();
            }
            boolean storesBody = !store.request().method().equals("HEAD");
            return new Tee(client, writer.get(), storesBody, store.obsoleteEntries(), flight);
        }

        /** Tags are read now, after the application ran, so a controller can still add them. */
        private EntryOptions entryOptions(RequestMetadata metadata) {
            EntryOptions entryOptions = EntryOptions.of(metadata);
            try {
                return entryOptions.withTags(RequestAttributes.tags(request));
            } catch (IllegalArgumentException e) {
                // The application's mistake must not cost its client the response: store untagged.
                LOG.warn("Storing {} without tags: {}", core.url(), e.getMessage());
                return entryOptions;
            }
        }

        private Destination notStored(CouldNotBeStored refusal, CapturingResponse capture, Response app, Commit kind,
                                      Collapser.Flight flight, boolean toClient) throws IOException {
            removeLater(refusal.obsoleteEntries());
            outcome.reason(refusal.reason());
            if (flight != null) {
                flight.land(false);
            }
            return passOn(capture, app, kind, toClient);
        }

        /** The application's response goes to the client as it is, less the cache's internal fields. */
        private Destination passOn(CapturingResponse capture, Response app, Commit kind, boolean toClient)
                throws IOException {
            if (!toClient) {
                return Destination.NOWHERE;
            }
            sendHead(app);
            if (kind == Commit.ERROR) {
                response.sendError(app.status(), capture.errorMessage());
                return Destination.NOWHERE;
            }
            if (kind == Commit.REDIRECT) {
                capture.redirect(response);
                return Destination.NOWHERE;
            }
            return new ToClient(response.getOutputStream());
        }

        /**
         * A stale response replaces the application's error (stale-if-error, RFC 5861 §4); if its
         * body cannot be read, the client gets the application's own answer.
         */
        private Destination serveInstead(FromCache stale, CapturingResponse capture, Response app, Commit kind,
                                         Collapser.Flight flight, boolean toClient) throws IOException {
            if (flight != null) {
                flight.abandon();
            }
            if (!toClient || serve(stale, stale.response())) {
                return Destination.NOWHERE;
            }
            return passOn(capture, app, kind, toClient);
        }

        // Serving from storage.

        /** Serves a stored response the engine chose, with the given head. */
        private boolean serve(FromCache hit, Response head) throws IOException {
            return serve(head, hit.entry(), hit.sendsBody(), () -> {
                hits.increment();
                outcome.fromCache = true;
                outcome.reason(hit.reason());
                outcome.ttl = hit.freshness().isUnbounded() ? null : hit.freshness().remaining();
            });
        }

        /**
         * Writes a stored response. The first part of the body is read before anything is sent, so
         * a storage that cannot deliver it leaves the request free to go to the application, and
         * the outcome is described only once the response is certain to come from storage.
         *
         * @param describe records the outcome and counts it, just before the head is sent
         * @return false if the body could not be read (nothing was sent, nothing recorded)
         */
        private boolean serve(Response head, Entry entry, boolean sendsBody, Runnable describe) throws IOException {
            if (!sendsBody) {
                describe.run();
                sendHead(head);
                recordHit(entry);
                return true;
            }
            Optional<StoredBody> opened = storage.call("open a body", () -> storage.storage().openBody(entry.id()))
                    .flatMap(body -> body);
            if (opened.isEmpty()) {
                return false;
            }
            try (StoredBody body = opened.get(); InputStream in = body.stream()) {
                byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(body.size(), 1))];
                int first;
                try {
                    first = in.readNBytes(buffer, 0, buffer.length);
                } catch (IOException | UncheckedIOException e) {
                    storage.failed("read a body", e);
                    return false;
                }
                describe.run();
                sendHead(head, body.size());
                ServletOutputStream out = response.getOutputStream();
                out.write(buffer, 0, first);
                int n;
                while ((n = read(in, buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            }
            recordHit(entry);
            return true;
        }

        /** Inline: storages make this cheap (a memory touch, a batched database update), cheaper than a hand-off. */
        private void recordHit(Entry entry) {
            storage.run("record a hit", () -> storage.storage().recordAccess(entry.id()));
        }

        private int read(InputStream in, byte[] buffer) throws IOException {
            try {
                return in.read(buffer);
            } catch (IOException | UncheckedIOException e) {
                // The head is sent; all that is left is to cut the connection so the client sees a short body.
                storage.failed("read a body", e);
                throw new IOException("Stored body of " + core.url() + " could not be read to the end", e);
            }
        }

        /**
         * stale-while-revalidate (RFC 5861 §3): the stale response is sent at once and in full; then,
         * one refresh per key at a time, the request is made again in the background
         * ({@link BackgroundRefresh}) once the client's exchange has ended.
         */
        private void serveStaleAndRefresh(FromCache hit) throws IOException, ServletException {
            Collapser.Flight refresh = collapser.tryLead(key.value());
            try {
                if (!serve(hit, hit.response())) {
                    miss(new CacheMiss(core, List.of(), false, Reason.NO_STORED_RESPONSE, clock.instant(), policy,
                            clock), null);
                    return;
                }
                if (refresh != null) {
                    Collapser.Flight handedOver = refresh;
                    if (backgroundRefresh.start(request, core, hit.entry(), readBody, handedOver::abandon)) {
                        refresh = null;
                    }
                }
            } finally {
                if (refresh != null) {
                    refresh.abandon();
                }
            }
        }

        /**
         * A refresh this filter sent itself: the application validates the stored entry, and what it
         * answers goes to storage only. The loopback client that asked learns nothing but that the
         * cache handled it (204).
         */
        private void refresh(UUID entryId) throws IOException, ServletException {
            Optional<URI> url = url();
            if (url.isEmpty()) {
                response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                return;
            }
            Headers headers = requestHeaders().without(List.of(BackgroundRefresh.FIELD));
            readBody = request.getContentLengthLong() > 0 ? request.getInputStream().readNBytes(maxRequestBodySize)
                    : null;
            core = new Request(request.getMethod(), url.get(), headers,
                    readBody == null ? Body.EMPTY : Body.of(readBody), metadata(headers));
            key = keyOf(core);
            Optional<Entry> stale = storage.call("read entries", () -> storage.storage().entries(key))
                    .flatMap(entries -> entries.stream().filter(entry -> entry.id().equals(entryId)).findFirst());
            if (stale.isPresent()) {
                NeedRevalidation validation = new NeedRevalidation(core, List.of(stale.get()),
                        Reason.STALE_WHILE_REVALIDATE, clock.instant(), policy, clock);
                CapturingResponse capture = new CapturingResponse(response,
                        (c, appResponse, body, kind) -> afterValidation(validation, c, appResponse, body, kind, null,
                                false),
                        captureLimit());
                try {
                    if (callApplication(validation.conditionalRequest().headers(), capture, Optional::empty)) {
                        return;
                    }
                } catch (IOException | ServletException | RuntimeException e) {
                    LOG.warn("Refreshing the stale response for {} failed; it stays stored", core.url(), e);
                    return;
                }
            }
            if (!response.isCommitted()) {
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
        }

        /**
         * The application has answered a validation, but the stored body it confirmed cannot be
         * read. Asking the application again would call it twice for one request; the client is
         * told to retry instead.
         */
        private void storedBodyUnavailable() {
            outcome.fromCache = false;
            outcome.detail = "stored-body-unavailable";
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "1");
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(0);
            writeOutcomeFields(response);
        }

        // What the client receives.

        /** Writes status and header fields: the cache's internal fields removed, its outcome added. */
        private void sendHead(Response head) {
            sendHead(head, -1);
        }

        /**
         * @param contentLength the body's length as the storage knows it, which replaces the stored
         *                      field; -1 to send the stored field as it is
         */
        private void sendHead(Response head, long contentLength) {
            response.setStatus(head.status());
            for (Headers.Field field : head.headers()) {
                String name = field.name();
                if (isInternal(name)) {
                    continue;
                }
                if (name.equalsIgnoreCase("Content-Type")) {
                    response.setContentType(field.value());
                } else if (name.equalsIgnoreCase("Content-Length")) {
                    if (contentLength >= 0) {
                        continue;
                    }
                    try {
                        response.setContentLengthLong(Long.parseLong(field.value().trim()));
                    } catch (NumberFormatException invalid) {
                        response.addHeader(name, field.value());
                    }
                } else if (!name.equalsIgnoreCase("Set-Cookie") || !containerCookies.contains(field.value())) {
                    response.addHeader(name, field.value());
                }
            }
            if (contentLength >= 0) {
                response.setContentLengthLong(contentLength);
            }
            writeOutcomeFields(response);
        }

        private void writeOutcomeFields(HttpServletResponse target) {
            CacheOutcome frozen = publish();
            if (cacheStatus) {
                target.addHeader("Cache-Status", frozen.cacheStatus(cacheName));
            }
            if (metadataHeaders) {
                target.setHeader(OUTCOME_FIELDS[0], Boolean.toString(outcome.fromCache));
                target.setHeader(OUTCOME_FIELDS[1], Boolean.toString(outcome.revalidated));
                target.setHeader(OUTCOME_FIELDS[2], Boolean.toString(outcome.stored));
                target.setHeader(OUTCOME_FIELDS[3], Boolean.toString(outcome.specIgnored));
            }
        }

        /** Leaves the outcome where application code can read it. */
        private CacheOutcome publish() {
            CacheOutcome frozen = outcome.freeze();
            request.setAttribute(CacheOutcome.ATTRIBUTE, frozen);
            request.setAttribute(CacheOutcome.FROM_CACHE_ATTRIBUTE, outcome.fromCache);
            request.setAttribute(CacheOutcome.REVALIDATED_ATTRIBUTE, outcome.revalidated);
            request.setAttribute(CacheOutcome.STORED_ATTRIBUTE, outcome.stored);
            request.setAttribute(CacheOutcome.SPEC_IGNORED_ATTRIBUTE, outcome.specIgnored);
            return frozen;
        }

        // The request, as the engine sees it.

        private Optional<URI> url() {
            StringBuffer url = request.getRequestURL();
            String query = request.getQueryString();
            if (query != null) {
                url.append('?').append(query);
            }
            String text = url.toString();
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

        private Headers requestHeaders() {
            Headers.Builder headers = Headers.builder();
            Enumeration<String> names = request.getHeaderNames();
            while (names.hasMoreElements()) {
                String name = names.nextElement();
                Enumeration<String> values = request.getHeaders(name);
                while (values.hasMoreElements()) {
                    headers.add(name, values.nextElement());
                }
            }
            return headers.build();
        }

        /** The application's choices first, then trusted client headers, then per-route settings. */
        private RequestMetadata metadata(Headers headers) {
            RequestMetadata metadata = RequestAttributes.metadata(request);
            if (trustClientMetadata) {
                metadata = metadata.orElse(RequestMetadata.fromHeaders(headers));
            }
            if (metadataResolver != null) {
                RequestMetadata routed = metadataResolver.resolve(request);
                if (routed != null) {
                    metadata = metadata.orElse(routed);
                }
            }
            return metadata;
        }

        /** Metadata the application set on its response wins over what the request carried. */
        private RequestMetadata responseMetadata(Response appResponse) {
            return RequestMetadata.fromHeaders(appResponse.headers()).orElse(core.metadata());
        }

        /**
         * The application's response as the client is to receive it: without the cache's metadata
         * fields, and without directives meant for other statuses than the one it has.
         */
        private Response asAnswered(Response appResponse, byte[] body) {
            Headers headers = appResponse.headers().removeIf(name -> isMetadataField(name));
            // Cookies set past the wrapper (a session's, or an earlier filter's) are in the answer all the same.
            containerCookies = response.getHeaders("Set-Cookie");
            for (String cookie : containerCookies) {
                headers = headers.plus("Set-Cookie", cookie);
            }
            StatusScopedDirectives scoped = StatusScopedDirectives.of(request);
            if (scoped != null && !scoped.appliesTo(appResponse.status())
                    && headers.allValues(scoped.field()).equals(List.of(scoped.value()))) {
                headers = headers.without(scoped.field());
            }
            return new Response(appResponse.status(), headers, body == null ? Body.EMPTY : Body.of(body));
        }

        /**
         * The engine's key, and, when the request carries forwarding fields that an application
         * may build URLs from, a digest of them: a client sending {@code X-Forwarded-Host: evil}
         * gets an entry of its own instead of poisoning everyone's (the unkeyed-header attack).
         */
        private CacheKey keyOf(Request request) {
            CacheKey engineKey = CacheKey.of(request);
            if (keyedFields.isEmpty()) {
                return engineKey;
            }
            java.security.MessageDigest digest = null;
            for (String name : keyedFields) {
                List<String> values = request.headers().allValues(name);
                if (values.isEmpty()) {
                    continue;
                }
                if (digest == null) {
                    digest = sha256();
                }
                for (String value : values) {
                    digest.update((name.toLowerCase(Locale.ROOT) + ": " + value + "\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            if (digest == null) {
                return engineKey;
            }
            return new CacheKey(engineKey.value() + " fields=sha-256:"
                    + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest()));
        }

        private boolean isGetOrHead() {
            return core.method().equals("GET") || core.method().equals("HEAD");
        }

        private boolean needsRequestBody() {
            return core.metadata().bodyKey()
                    || policy instanceof FilterPolicy filterPolicy && filterPolicy.requestFiltersNeedBody();
        }

        /**
         * Reads the body, at most {@code maxRequestBodySize} bytes, for the key and the request
         * filters; the application receives it again.
         *
         * @return false if it is larger; what was read is still replayed
         */
        private boolean readRequestBody() throws IOException {
            InputStream in = request.getInputStream();
            byte[] bytes = in.readNBytes(maxRequestBodySize + 1);
            readBody = bytes;
            if (bytes.length > maxRequestBodySize) {
                return false;
            }
            core = core.withBody(Body.of(bytes));
            return true;
        }

        private int captureLimit() {
            return needsResponseBody ? (int) Math.min(options.maxEntrySize(), Integer.MAX_VALUE - 8) : 0;
        }

        private Duration ttlOf(Entry entry) {
            Freshness freshness = Freshness.of(entry, options, clock.instant());
            return outcome.specIgnored || freshness.isUnbounded() ? null : freshness.remaining();
        }

        /** The body goes to the client and to a storage writer; the entry is committed only if it ended whole. */
        private final class Tee implements Destination {
            private final ServletOutputStream client;
            private final EntryWriter writer;
            private final boolean storesBody;
            private final List<Entry> obsolete;
            private final Collapser.Flight flight;
            private boolean storing = true;
            private boolean tooLarge;

            Tee(ServletOutputStream client, EntryWriter writer, boolean storesBody, List<Entry> obsolete,
                Collapser.Flight flight) {
                this.client = client;
                this.writer = writer;
                this.storesBody = storesBody;
                this.obsolete = obsolete;
                this.flight = flight;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (client != null) {
                    client.write(bytes, offset, length);
                }
                if (!storing || !storesBody) {
                    return;
                }
                if (writer.size() + length > options.maxEntrySize()) {
                    tooLarge = true;
                    stopStoring();
                    return;
                }
                try {
                    writer.write(bytes, offset, length);
                } catch (RuntimeException e) {
                    storage.failed("write a body", e);
                    stopStoring();
                }
            }

            @Override
            public void flush() throws IOException {
                if (client != null) {
                    client.flush();
                }
            }

            @Override
            public void end(boolean complete) {
                if (!storing) {
                    land(false);
                    return;
                }
                if (!complete) {
                    // The application failed or the client went away: the body may be short.
                    stopStoring();
                    if (flight != null) {
                        flight.abandon();
                    }
                    return;
                }
                if (madeForOneSession()) {
                    outcome.reason(Reason.SESSION_STATE);
                    stopStoring();
                    land(false);
                    return;
                }
                boolean committed = storage.run("store an entry", writer::commit);
                if (!committed) {
                    writer.close();
                }
                outcome.stored = committed;
                publish();
                if (committed) {
                    stored.increment();
                    removeLater(obsolete);
                }
                land(committed);
            }

            private void stopStoring() {
                storing = false;
                outcome.stored = false;
                if (tooLarge) {
                    outcome.detail = Reason.TOO_LARGE.token();
                }
                writer.close();
                publish();
            }

            private void land(boolean storable) {
                if (flight != null) {
                    flight.land(storable);
                }
            }
        }
    }

    /** The body goes to the client only. */
    private static final class ToClient implements Destination {
        private final ServletOutputStream client;

        ToClient(ServletOutputStream client) {
            this.client = client;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            client.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            client.flush();
        }

        @Override
        public void end(boolean complete) {
        }
    }

    /** Ends a captured response when asynchronous processing completes. */
    private static final class Finisher implements AsyncListener {
        private final CapturingResponse capture;
        private boolean failed;

        Finisher(CapturingResponse capture) {
            this.capture = capture;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            try {
                capture.finish(!failed);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Finishing an asynchronous response failed", e);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            failed = true;
        }

        @Override
        public void onError(AsyncEvent event) {
            failed = true;
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /**
     * Pass-through: the response goes straight to the container, less the cache's internal fields
     * and the directives meant for other statuses than the one it is given.
     */
    private final class InternalFieldsRemoved extends jakarta.servlet.http.HttpServletResponseWrapper {
        private final HttpServletRequest request;

        InternalFieldsRemoved(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        @Override
        public void setStatus(int sc) {
            withdrawScopedDirectives(sc);
            super.setStatus(sc);
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            withdrawScopedDirectives(sc);
            super.sendError(sc, msg);
        }

        @Override
        public void sendError(int sc) throws IOException {
            withdrawScopedDirectives(sc);
            super.sendError(sc);
        }

        private void withdrawScopedDirectives(int status) {
            StatusScopedDirectives scoped = StatusScopedDirectives.of(request);
            if (scoped != null && !scoped.appliesTo(status) && !isCommitted()
                    && scoped.value().equals(getHeader(scoped.field()))) {
                super.setHeader(scoped.field(), null);
            }
        }

        @Override
        public void setHeader(String name, String value) {
            if (!isInternal(name)) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!isInternal(name)) {
                super.addHeader(name, value);
            }
        }

        @Override
        public void setIntHeader(String name, int value) {
            if (!isInternal(name)) {
                super.setIntHeader(name, value);
            }
        }

        @Override
        public void addIntHeader(String name, int value) {
            if (!isInternal(name)) {
                super.addIntHeader(name, value);
            }
        }

        @Override
        public void setDateHeader(String name, long date) {
            if (!isInternal(name)) {
                super.setDateHeader(name, date);
            }
        }

        @Override
        public void addDateHeader(String name, long date) {
            if (!isInternal(name)) {
                super.addDateHeader(name, date);
            }
        }
    }

    /** An entry stored under hishel_spec_ignore remembers it, so later requests reuse it the same way. */
    private static Entry marked(Entry entry, RequestMetadata metadata) {
        if (!metadata.specIgnore()) {
            return entry;
        }
        Response response = entry.response();
        return new Entry(entry.id(), entry.key(), entry.request(),
                response.withHeaders(response.headers().with(RequestMetadata.SPEC_IGNORE_HEADER, "true")),
                entry.requestTime(), entry.responseTime());
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    private static boolean storedIgnoringSpecification(Entry entry) {
        return entry.response().headers().contains(RequestMetadata.SPEC_IGNORE_HEADER);
    }

    private static boolean isMetadataField(String name) {
        return METADATA_FIELDS.contains(name);
    }

    /**
     * Per-route request metadata: the TTL, body key and the rest for requests the application
     * does not mark itself (Spring's starter builds one from {@code hishel.rules}).
     */
    @FunctionalInterface
    public interface RequestMetadataResolver {
        /**
         * The metadata for a request.
         *
         * @param request the request as the container received it
         * @return the metadata, or null or {@link RequestMetadata#NONE} for none
         */
        RequestMetadata resolve(HttpServletRequest request);
    }

    /** Builds a {@link HishelCacheFilter}. Not thread-safe; the filter it builds is. */
    public static final class Builder {
        private final Storage storage;
        private CachePolicy policy = new SpecificationPolicy();
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private boolean collapsing = true;
        private Duration collapseTimeout = Duration.ofSeconds(10);
        private Duration hitForMiss = Duration.ofMinutes(2);
        private boolean metadataHeaders = true;
        private boolean cacheStatus = true;
        private String cacheName = "Hishel";
        private boolean stripTargetedFields = true;
        private boolean trustClientMetadata;
        private int maxRequestBodySize = 64 * 1024;
        private Executor refreshExecutor;
        private RequestMetadataResolver metadataResolver;
        private Predicate<HttpServletRequest> excluded = request -> false;
        private StorageObserver storageObserver;
        private int failureThreshold = 5;
        private Duration coolDown = Duration.ofSeconds(30);
        private Duration slowStorageCall = Duration.ofSeconds(2);
        private List<String> keyedFields = DEFAULT_KEYED_FIELDS;

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
            this.collapseTimeout = positive(timeout, "collapseTimeout");
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
            this.hitForMiss = positive(duration, "hitForMiss");
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
            this.metadataHeaders = enabled;
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
         * Whether the targeted fields of {@link CacheOptions#targetedFields()} (such as
         * {@code Hishel-Cache-Control} and {@code CDN-Cache-Control}) are removed from what the
         * client receives. Default true: they are addressed to this cache.
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
            if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxRequestBodySize must be positive, but was " + bytes);
            }
            this.maxRequestBodySize = bytes;
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
            if (failures <= 0) {
                throw new IllegalArgumentException("failures must be positive, but was " + failures);
            }
            this.failureThreshold = failures;
            this.coolDown = positive(coolDown, "coolDown");
            return this;
        }

        /**
         * A storage call slower than this counts as a failure, though its answer is used.
         *
         * @param duration positive; default 2 seconds
         * @return this builder
         */
        public Builder slowStorageCall(Duration duration) {
            this.slowStorageCall = positive(duration, "slowStorageCall");
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
         * Builds the filter.
         *
         * @return the filter
         */
        public HishelCacheFilter build() {
            return new HishelCacheFilter(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, but was " + duration);
            }
            return duration;
        }
    }
}
