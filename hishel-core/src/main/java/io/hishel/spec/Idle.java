package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.http.RequestMetadata;
import io.hishel.policy.BaseFilter;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.FilterPolicy;
import io.hishel.storage.Entry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The state before a request is answered: given the request and the entries stored under its
 * key, decide whether to serve from storage, validate, or go to the application (RFC 9111 §4).
 *
 * <pre>
 * Idle idle = new Idle(new SpecificationPolicy(), Clock.systemUTC());      // once; shared
 * Idle.Next next = idle.next(request, storage.entries(CacheKey.of(request)));
 * if (next instanceof FromCache hit) { … }                 // send hit.response(), then the stored body
 * else if (next instanceof NeedRevalidation validate) { … } // send validate.conditionalRequest()
 * else if (next instanceof CacheMiss miss) { … }           // send miss.forwardRequest()
 * else if (next instanceof GatewayTimeout timeout) { … }   // send timeout.response()
 * </pre>
 *
 * <p>Entries are not needed for a method the policy does not cache (not in
 * {@link CacheOptions#supportedMethods()}): pass an empty list and skip the storage read.
 * Immutable and thread-safe; one instance serves every request.
 *
 * @param policy the policy and its options
 * @param clock  the clock every transition reads "now" from
 */
public record Idle(CachePolicy policy, Clock clock) implements CacheState {

    /** What {@link #next} may lead to. */
    public sealed interface Next extends CacheState permits CacheMiss, FromCache, NeedRevalidation, GatewayTimeout {
        /**
         * Why this state was chosen.
         *
         * @return the reason
         */
        Reason reason();

        /**
         * The request as the engine continues with it: the client's, with {@code hishel_spec_ignore}
         * when the stored responses were kept under it.
         *
         * @return the request
         */
        Request request();
    }

    private static final RequestMetadata SPEC_IGNORED = RequestMetadata.builder().specIgnore(true).build();

    /**
     * Checks the components.
     *
     * @param policy the policy and its options
     * @param clock  the clock every transition reads "now" from
     */
    public Idle {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * An idle state on the system clock.
     *
     * @param policy the policy and its options
     */
    public Idle(CachePolicy policy) {
        this(policy, Clock.systemUTC());
    }

    /**
     * Decides how to answer a request.
     *
     * @param request the request
     * @param entries the entries stored under the request's {@link io.hishel.storage.CacheKey}, in
     *                any order; entries for another URI or method are ignored
     * @return the next state
     */
    public Next next(Request request, List<Entry> entries) {
        Optional<CacheMiss> passThrough = passThrough(request);
        if (passThrough.isPresent()) {
            return passThrough.get();
        }
        return nextFromStorage(request, entries);
    }

    /**
     * Decides how to answer a request that {@link #passThrough} let through, from the entries
     * stored under its key: {@link #next} without asking the pass-through question again (a
     * {@code FilterPolicy}'s request filters run once per request).
     *
     * @param request a request for which {@link #passThrough} was empty
     * @param entries the entries stored under the request's key, in any order
     * @return the next state
     */
    public Next nextFromStorage(Request request, List<Entry> entries) {
        if (!request.metadata().specIgnore() && entries.stream().anyMatch(StoreAndUse::storedIgnoringSpecification)) {
            // The application chose, on its response, to have it reused without RFC 9111's rules.
            request = request.withMetadata(SPEC_IGNORED.orElse(request.metadata()));
        }
        CacheOptions options = policy.options();
        Instant now = clock.instant();
        boolean ignoreSpecification = Storability.ignoresSpecification(request, policy);
        RequestDirectives requested = ignoreSpecification ? RequestDirectives.NONE : RequestDirectives.of(request, options);

        List<Entry> sameResource = Selection.sameResource(request, entries);
        if (sameResource.isEmpty()) {
            return miss(request, List.of(), Reason.NO_STORED_RESPONSE, requested, now);
        }
        List<Entry> matching = Selection.varyMatching(request, sameResource);
        if (matching.isEmpty()) {
            return miss(request, List.of(), Reason.VARY_MISMATCH, requested, now);
        }
        List<Entry> candidates = Selection.newestFirst(Selection.shareableWith(request, matching, options));
        if (candidates.isEmpty()) {
            return miss(request, List.of(), Reason.AUTHORIZATION_NOT_SHAREABLE, requested, now);
        }
        // §4: of several stored responses that could answer, the most recent one is used — or none.
        Entry newest = candidates.get(0);
        if (ignoreSpecification) {
            return FromCache.of(request, newest, Freshness.unbounded(newest, now), false,
                    Reason.REUSED_WITHOUT_SPECIFICATION, policy, clock);
        }
        ResponseDirectives directives = ResponseDirectives.of(newest.response().headers(), options);
        Freshness freshness = Freshness.of(newest, directives, options, now);
        Reason obstacle = obstacleToReuse(directives, freshness, requested);
        if (obstacle == null) {
            return FromCache.of(request, newest, freshness, false, Reason.FRESH, policy, clock);
        }
        boolean mayBeStale = !freshness.isFresh() && !directives.forbidsStale(options)
                && requestAcceptsStale(requested, freshness);
        if (mayBeStale && requested.acceptsStaleness(freshness.staleness())) {
            return FromCache.of(request, newest, freshness, false, Reason.STALE_ALLOWED_BY_REQUEST, policy, clock);
        }
        OptionalLong window = directives.cacheControl().staleWhileRevalidate();
        if (mayBeStale && window.isPresent()
                && freshness.staleness().compareTo(Duration.ofSeconds(window.getAsLong())) <= 0) {
            return FromCache.of(request, newest, freshness, true, Reason.STALE_WHILE_REVALIDATE, policy, clock);
        }
        if (requested.onlyIfCached()) {
            return new GatewayTimeout(request, Reason.ONLY_IF_CACHED);
        }
        // Conditional requests are for GET and HEAD: on other methods If-None-Match means "412" (RFC 9110 §13.1.2).
        if (isGetOrHead(request) && candidates.stream().anyMatch(entry -> Validation.hasValidator(entry.response()))) {
            return new NeedRevalidation(request, candidates, obstacle, now, policy, clock);
        }
        // Nothing to validate with: the application's answer will replace these.
        return new CacheMiss(request, candidates, false, obstacle, now, policy, clock);
    }

    /**
     * Whether a request goes to the application without looking at storage at all: a method the
     * options do not cache (unsafe methods among them, whose responses may then invalidate, §4.4),
     * a request with a body but no body key, one a FilterPolicy request filter refuses, or one
     * carrying preconditions only the application may evaluate. {@link #next} returns the same
     * state; callers use this first to skip the storage lookup.
     *
     * @param request the request
     * @return the pass-through miss, or empty if the request may use the cache
     */
    public Optional<CacheMiss> passThrough(Request request) {
        CacheOptions options = policy.options();
        Reason reason = null;
        if (!options.supports(request.method())) {
            // Unsafe methods must be written through (§4); their responses may invalidate (§4.4).
            reason = request.hasSafeMethod() ? Reason.METHOD_NOT_CACHEABLE : Reason.UNSAFE_METHOD;
        } else if (!isGetOrHead(request) && !request.metadata().bodyKey()) {
            // The body selects the response of such a method; without it in the key, one body's answer would serve all.
            reason = Reason.BODY_KEY_REQUIRED;
        } else if (policy instanceof FilterPolicy filterPolicy && !passesRequestFilters(filterPolicy, request)) {
            reason = Reason.REQUEST_FILTERED;
        } else if (Preconditions.hasOriginPreconditions(request)) {
            // A cache must not evaluate these (§4.3.2). Their answers (412, a response chosen by If-Match) are not
            // what a plain request would get, so they are not stored either.
            reason = Reason.PRECONDITIONS_FOR_APPLICATION;
        }
        return reason == null ? Optional.empty()
                : Optional.of(CacheMiss.passThrough(request, reason, clock.instant(), policy, clock));
    }

    static boolean isGetOrHead(Request request) {
        return request.method().equals("GET") || request.method().equals("HEAD");
    }

    /**
     * Why a stored response may not be used as it is, or {@code null} if it may: it must be
     * fresh (§4.2), not {@code no-cache} (§5.2.2.4), and acceptable to the request's directives
     * (§5.2.1).
     */
    private static Reason obstacleToReuse(ResponseDirectives directives, Freshness freshness,
                                          RequestDirectives requested) {
        if (directives.cacheControl().noCache()) {
            return Reason.RESPONSE_NO_CACHE;
        }
        if (!freshness.isFresh()) {
            return Reason.STALE;
        }
        if (requested.noCache()) {
            return Reason.REQUEST_NO_CACHE;
        }
        OptionalLong maxAge = requested.maxAge();
        if (maxAge.isPresent() && freshness.age().compareTo(Duration.ofSeconds(maxAge.getAsLong())) > 0) {
            return Reason.REQUEST_MAX_AGE;
        }
        OptionalLong minFresh = requested.minFresh();
        if (minFresh.isPresent() && freshness.remaining().compareTo(Duration.ofSeconds(minFresh.getAsLong())) < 0) {
            return Reason.REQUEST_MIN_FRESH;
        }
        return null;
    }

    /**
     * Whether the request's own directives leave room for a stale response: not when it asks for
     * validation ({@code no-cache}), a bounded age ({@code max-age}) the response exceeds, or
     * remaining freshness ({@code min-fresh}).
     */
    private static boolean requestAcceptsStale(RequestDirectives requested, Freshness freshness) {
        if (requested.noCache() || requested.minFresh().isPresent()) {
            return false;
        }
        OptionalLong maxAge = requested.maxAge();
        return maxAge.isEmpty() || freshness.age().compareTo(Duration.ofSeconds(maxAge.getAsLong())) <= 0;
    }

    private Next miss(Request request, List<Entry> candidates, Reason reason, RequestDirectives requested,
                      Instant now) {
        if (requested.onlyIfCached()) {
            return new GatewayTimeout(request, Reason.ONLY_IF_CACHED);
        }
        return new CacheMiss(request, candidates, false, reason, now, policy, clock);
    }

    private static boolean passesRequestFilters(FilterPolicy policy, Request request) {
        for (BaseFilter<Request> filter : policy.requestFilters()) {
            if (!filter.apply(request, filter.needsBody() ? request.body().toByteArray() : null)) {
                return false;
            }
        }
        return true;
    }
}
