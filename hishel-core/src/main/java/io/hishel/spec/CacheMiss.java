package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.http.RequestMetadata;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.storage.Entry;
import io.hishel.storage.StoredRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * No stored response can answer the request: send {@link #forwardRequest()} to the application,
 * then give its response to {@link #next} to learn whether to store it (RFC 9111 §3).
 *
 * <p>Decide as soon as the status and headers are final — the body is not needed unless a
 * {@link io.hishel.policy.FilterPolicy} response filter asks for it. {@link #forwardRequest()}
 * leaves out the client's own conditionals and range, so that the application answers in full;
 * when the answer is stored, {@link StoreAndUse#clientResponse} gives the 304 the client's
 * conditionals call for. When it is not stored the client receives the full response: a cache
 * without a stored response must not evaluate them (RFC 9111 §4.3.2), and ignoring a
 * {@code Range} is always allowed (RFC 9110 §14.2).
 *
 * @param request     the client's request
 * @param candidates  stored responses that could have been chosen but could not be used; a stored
 *                    answer replaces them, and they may stand in for a failing application
 *                    ({@code stale-if-error})
 * @param passThrough whether the request bypasses the cache: forwarded unchanged, its response
 *                    never stored (unsafe methods still invalidate, §4.4)
 * @param reason      why the request goes to the application
 * @param requestTime when the request is sent ({@code request_time}, §4.2.3)
 * @param policy      the policy and its options
 * @param clock       the clock
 */
public record CacheMiss(Request request, List<Entry> candidates, boolean passThrough, Reason reason,
                        Instant requestTime, CachePolicy policy, Clock clock)
        implements Idle.Next {

    /** What {@link #next} may lead to. */
    public sealed interface Next extends CacheState permits StorageDecision, InvalidateEntries, FromCache {
        /**
         * Why this state was chosen.
         *
         * @return the reason
         */
        Reason reason();
    }

    /** RFC 5861 §4: the statuses that count as the application failing. */
    private static final List<Integer> ERROR_STATUSES = List.of(500, 502, 503, 504);

    /**
     * Checks the components.
     *
     * @param request     the client's request
     * @param candidates  stored responses that could have been chosen but could not be used
     * @param passThrough whether the request bypasses the cache
     * @param reason      why the request goes to the application
     * @param requestTime when the request is sent ({@code request_time}, §4.2.3)
     * @param policy      the policy and its options
     * @param clock       the clock
     */
    public CacheMiss {
        Objects.requireNonNull(request, "request");
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requestTime, "requestTime");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
    }

    static CacheMiss passThrough(Request request, Reason reason, Instant now, CachePolicy policy, Clock clock) {
        return new CacheMiss(request, List.of(), true, reason, now, policy, clock);
    }

    /**
     * The request to send to the application: unchanged when it passes through, otherwise without
     * the client's {@code If-None-Match}, {@code If-Modified-Since}, {@code Range} and
     * {@code If-Range}, so that the application answers with a full response the cache can store.
     *
     * @return the request to forward
     */
    public Request forwardRequest() {
        if (passThrough) {
            return request;
        }
        return request.withHeaders(request.headers().without(Validation.CLIENT_CONDITIONALS));
    }

    /**
     * Decides what to do with the application's response.
     *
     * @param response the status and headers (and the body, if a response filter needs it)
     * @return {@link StoreAndUse}, {@link CouldNotBeStored}, {@link InvalidateEntries} after an
     *         unsafe method, or {@link FromCache} when a 5xx gives way to a stale response
     */
    public Next next(Response response) {
        Instant now = clock.instant();
        return decide(response, now);
    }

    /**
     * Decides what to do with the application's response when the application chose the request's
     * metadata while it answered ({@code X-Hishel-*} response fields, say): its choices win over
     * the request's.
     *
     * @param response the status and headers (and the body, if a response filter needs it)
     * @param metadata the metadata the application chose; {@link RequestMetadata#NONE} for none
     * @return as {@link #next(Response)}
     */
    public Next next(Response response, RequestMetadata metadata) {
        if (metadata.equals(RequestMetadata.NONE)) {
            return next(response);
        }
        return new CacheMiss(request.withMetadata(metadata.orElse(request.metadata())), candidates, passThrough,
                reason, requestTime, policy, clock).next(response);
    }

    private Next decide(Response response, Instant now) {
        CacheOptions options = policy.options();
        if (!request.hasSafeMethod() && !options.supports(request.method())) {
            if (Invalidation.isNonError(response)) {
                return new InvalidateEntries(request, response, Invalidation.targets(request, response),
                        Reason.INVALIDATED_BY_UNSAFE_METHOD);
            }
            return new CouldNotBeStored(request, response, List.of(), Reason.UNSAFE_METHOD_ERROR);
        }
        if (passThrough) {
            return new CouldNotBeStored(request, response, List.of(), reason);
        }
        if (isError(response)) {
            Optional<FromCache> stale = FromCache.staleIfError(request, candidates, policy, clock,
                    isUnreachable(response));
            if (stale.isPresent()) {
                return stale.get();
            }
        }
        return decideStorage(request, response, requestTime, now, candidates, List.of(), policy);
    }

    /**
     * The application did not answer (an exception, a timeout): a stale stored response may stand
     * in for it where {@code stale-if-error}, {@link CacheOptions#allowStale()} or
     * {@link CacheOptions#grace()} allows.
     *
     * @return the stale response to serve, or empty to let the failure reach the client
     */
    public Optional<FromCache> onFailure() {
        return passThrough ? Optional.empty() : FromCache.staleIfError(request, candidates, policy, clock, true);
    }

    static boolean isError(Response response) {
        return ERROR_STATUSES.contains(response.status());
    }

    /**
     * A 502 or 504: a gateway in the application found no upstream to answer (RFC 9110 §15.6.3,
     * §15.6.5), the "disconnected" of RFC 9111 §4.2.4. A 500 or 503 is the application's own answer.
     */
    static boolean isUnreachable(Response response) {
        return response.status() == 502 || response.status() == 504;
    }

    /**
     * §3 for a full response: store it, replacing {@code replacedIfStored}, or not; either way
     * {@code obsolete} entries are removed.
     */
    static StorageDecision decideStorage(Request request, Response response, Instant requestTime, Instant now,
                              List<Entry> replacedIfStored, List<Entry> obsolete, CachePolicy policy) {
        Optional<Reason> refusal = Storability.refusal(request, response, policy, now);
        if (refusal.isPresent()) {
            return new CouldNotBeStored(request, response, obsolete, refusal.get());
        }
        Response stored = StoreAndUse.marked(Storability.storable(response, policy.options(), now), request);
        StoredRequest storedRequest = new StoredRequest(request.method(), request.url(),
                Vary.key(stored.headers(), request.headers()));
        List<Entry> removed = new ArrayList<>(obsolete);
        for (Entry entry : replacedIfStored) {
            // A HEAD response does not replace a stored GET: it has no body.
            if (entry.request().method().equals(request.method()) && !removed.contains(entry)) {
                removed.add(entry);
            }
        }
        CacheOptions options = policy.options();
        Freshness freshness = Storability.ignoresSpecification(request, policy)
                ? Freshness.unbounded(stored, requestTime, now, now)
                : Freshness.of(stored, requestTime, now, ResponseDirectives.of(stored.headers(), options), options, now);
        return new StoreAndUse(request, stored, storedRequest, requestTime, now, removed,
                Storability.storedReason(request, policy), freshness);
    }
}
