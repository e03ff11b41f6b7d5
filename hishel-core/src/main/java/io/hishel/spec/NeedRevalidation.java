package io.hishel.spec;

import io.hishel.http.Headers;
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
 * Stored responses exist but must be validated first (RFC 9111 §4.3): send
 * {@link #conditionalRequest()} to the application and give its response to {@link #next}.
 *
 * @param request     the client's request
 * @param candidates  the stored responses that could have been chosen for the request, newest
 *                    first — the initial set of §4.3.4
 * @param reason      why they could not be used without validation
 * @param requestTime when the conditional request is sent ({@code request_time}, §4.2.3)
 * @param policy      the policy and its options
 * @param clock       the clock
 */
public record NeedRevalidation(Request request, List<Entry> candidates, Reason reason, Instant requestTime,
                               CachePolicy policy, Clock clock) implements Idle.Next {

    /** What {@link #next} may lead to. */
    public sealed interface Next extends CacheState
            permits NeedToBeUpdated, StorageDecision, FromCache, GatewayTimeout {
        /**
         * Why this state was chosen.
         *
         * @return the reason
         */
        Reason reason();
    }

    /**
     * Checks the components.
     *
     * @param request     the client's request
     * @param candidates  the stored responses that could have been chosen for the request, newest first — the initial set of §4.3.4
     * @param reason      why they could not be used without validation
     * @param requestTime when the conditional request is sent ({@code request_time}, §4.2.3)
     * @param policy      the policy and its options
     * @param clock       the clock
     * @throws IllegalArgumentException if there are no candidates
     */
    public NeedRevalidation {
        Objects.requireNonNull(request, "request");
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("A validation needs at least one stored response");
        }
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requestTime, "requestTime");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * The request to send (§4.3.1): the client's request with every stored entity-tag in
     * {@code If-None-Match} and, for a single stored response, its {@code Last-Modified} in
     * {@code If-Modified-Since}. The client's own conditionals and range are replaced; the cache
     * evaluates them against what it serves.
     *
     * @return the conditional request
     */
    public Request conditionalRequest() {
        return Validation.conditionalRequest(request, candidates);
    }

    /**
     * Handles the application's answer (§4.3.3).
     *
     * @param response the status and headers (and the body, if a response filter needs it)
     * <p>The application is asked once per client request, never again: where RFC 9111 would have
     * a cache repeat the request without conditions — a 304 that selects no stored response
     * (§4.3.4) — the newest candidate is served as it is, stale, or, if it must not be served stale,
     * the answer is a 504 (§4.2.4, as for a disconnected cache).
     *
     * @return {@link NeedToBeUpdated} after a 304 that selects stored responses (§4.3.4) or a
     *         matching HEAD (§4.3.5); {@link FromCache} when a 5xx gives way to a stale response or a
     *         304 selects nothing; {@link GatewayTimeout} when a 304 selects nothing and the stored
     *         response must not be served stale; otherwise {@link StoreAndUse} or
     *         {@link CouldNotBeStored} for the full response
     */
    public Next next(Response response) {
        Instant now = clock.instant();
        if (response.status() == 304) {
            return freshen(response, now);
        }
        if (request.method().equals("HEAD") && response.status() == 200) {
            Optional<NeedToBeUpdated> updated = freshenWithHead(response, now);
            if (updated.isPresent()) {
                return updated.get();
            }
        }
        if (CacheMiss.isError(response)) {
            // §4.3.3: a 5xx may be treated as no answer; stored responses stay, as nothing contradicts them.
            Optional<FromCache> stale = FromCache.staleIfError(request, candidates, policy, clock,
                    CacheMiss.isUnreachable(response));
            if (stale.isPresent()) {
                return stale.get();
            }
            return CacheMiss.decideStorage(request, response, requestTime, now, candidates, List.of(), policy);
        }
        // §4.3.3: a full response says none of the stored responses is suitable.
        return CacheMiss.decideStorage(request, response, requestTime, now, List.of(), candidates, policy);
    }

    /**
     * Handles the application's answer when the application chose the request's metadata while it
     * answered ({@code X-Hishel-*} response fields, say): its choices win over the request's.
     *
     * @param response the status and headers (and the body, if a response filter needs it)
     * @param metadata the metadata the application chose; {@link RequestMetadata#NONE} for none
     * @return as {@link #next(Response)}
     */
    public Next next(Response response, RequestMetadata metadata) {
        if (metadata.equals(RequestMetadata.NONE)) {
            return next(response);
        }
        return new NeedRevalidation(request.withMetadata(metadata.orElse(request.metadata())), candidates, reason,
                requestTime, policy, clock).next(response);
    }

    /**
     * The application did not answer: a stale stored response may stand in for it where
     * {@code stale-if-error}, {@link CacheOptions#allowStale()} or {@link CacheOptions#grace()}
     * allows (§4.3.3, §4.2.4, RFC 5861 §4).
     *
     * @return the stale response to serve, or empty to let the failure reach the client
     */
    public Optional<FromCache> onFailure() {
        return FromCache.staleIfError(request, candidates, policy, clock, true);
    }

    /** §4.3.4: update the stored responses the 304 selects, and serve the most recent of them. */
    private Next freshen(Response notModified, Instant now) {
        List<Entry> selected = Validation.selectForUpdate(candidates, notModified);
        if (selected.isEmpty()) {
            return unconfirmed(now);
        }
        return update(selected, notModified, now, Reason.REVALIDATED);
    }

    /**
     * A 304 that selects nothing must not update any stored response (§4.3.4); RFC 9111 would have
     * the cache ask again without conditions. Asking the application twice for one client request
     * does its work (and its side effects) twice, so the newest candidate is served unchanged, as
     * a stale response — or, where it must not be served stale (§4.2.4), the cache answers 504
     * as a disconnected one would.
     */
    private Next unconfirmed(Instant now) {
        CacheOptions options = policy.options();
        Entry newest = Selection.newestFirst(candidates).get(0);
        ResponseDirectives directives = ResponseDirectives.of(newest.response().headers(), options);
        if (directives.forbidsStale(options)) {
            return new GatewayTimeout(request, Reason.VALIDATION_SELECTED_NOTHING);
        }
        Freshness freshness = Freshness.of(newest, directives, options, now);
        return FromCache.of(request, newest, freshness, false, Reason.VALIDATION_SELECTED_NOTHING, policy, clock);
    }

    /** §4.3.5: a 200 to HEAD updates the stored GET responses it matches; the others are stale. */
    private Optional<NeedToBeUpdated> freshenWithHead(Response head, Instant now) {
        List<Entry> matching = new ArrayList<>();
        for (Entry candidate : candidates) {
            if (candidate.request().method().equals("GET") && Validation.headResponseMatches(candidate, head)) {
                matching.add(candidate);
            }
        }
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(update(matching, head, now, Reason.FRESHENED_BY_HEAD));
    }

    private NeedToBeUpdated update(List<Entry> selected, Response newer, Instant now, Reason reason) {
        CacheOptions options = policy.options();
        List<Entry> toStore = new ArrayList<>();
        List<Entry> obsolete = new ArrayList<>();
        Entry served = null;
        for (Entry entry : Selection.newestFirst(selected)) {
            Response merged = Validation.updateHeaders(entry.response(), newer, options, now);
            StoredRequest storedRequest = new StoredRequest(entry.request().method(), entry.request().url(),
                    Vary.key(merged.headers(), request.headers()));
            Entry freshened = entry.freshened(storedRequest, merged, requestTime, now);
            if (served == null) {
                served = freshened;
            }
            // The new metadata may forbid keeping the response (no-store, private …): use it once, then drop it.
            boolean keep = Storability.refusal(request, merged, policy, now).isEmpty();
            (keep ? toStore : obsolete).add(keep ? freshened : entry);
        }
        for (Entry candidate : candidates) {
            if (!selected.contains(candidate)) {
                obsolete.add(candidate);
            }
        }
        if (RequestDirectives.of(request, options).noStore()) {
            // §5.2.1.5: nothing of this exchange may be stored, not even updated metadata.
            toStore.clear();
        }
        Freshness freshness = Freshness.of(served, ResponseDirectives.of(served.response().headers(), options),
                options, now);
        Response withAge = withCookiesOf(newer, FromCache.withAge(served.response(), freshness.age()), options);
        Response response = Preconditions.notModified(request, withAge, served.responseTime()).orElse(withAge);
        return new NeedToBeUpdated(request, served, response, toStore, obsolete, reason,
                Storability.ignoresSpecification(request, policy) ? Freshness.unbounded(served, now) : freshness);
    }

    /**
     * The cookies the application set on its 304 are meant for this client (a rotated session, say):
     * it receives them, though they are not stored unless the options allow it.
     */
    private static Response withCookiesOf(Response validation, Response served, CacheOptions options) {
        List<String> cookies = validation.headers().allValues("Set-Cookie");
        if (cookies.isEmpty() || options.storeSetCookie()) {
            return served;
        }
        Headers.Builder headers = served.headers().toBuilder();
        cookies.forEach(cookie -> headers.add("Set-Cookie", cookie));
        return served.withHeaders(headers.build());
    }
}
