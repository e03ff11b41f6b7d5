package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.storage.Entry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Answer from storage: send {@link #response()}, then — if {@link #sendsBody()} — the body of
 * {@link #entry()} from storage.
 *
 * <p>The response carries an {@code Age} with the entry's current age (RFC 9111 §4). If the
 * client's own conditionals match it, it is already the {@code 304 (Not Modified)} to send
 * (§4.3.2). When {@link #revalidateInBackground()} is true the response is stale within its
 * {@code stale-while-revalidate} window: serve it, then validate {@link #revalidation()} without
 * making the client wait.
 *
 * @param request                the client's request
 * @param entry                  the stored response chosen
 * @param response               the status and headers to send
 * @param freshness              the entry's freshness when it was chosen
 * @param revalidateInBackground whether to start {@link #revalidation()} after answering
 * @param reason                 why storage may answer
 * @param policy                 the policy and its options
 * @param clock                  the clock
 */
public record FromCache(Request request, Entry entry, Response response, Freshness freshness,
                        boolean revalidateInBackground, Reason reason, CachePolicy policy, Clock clock)
        implements Idle.Next, CacheMiss.Next, NeedRevalidation.Next {

    /**
     * Checks the components.
     *
     * @param request                the client's request
     * @param entry                  the stored response chosen
     * @param response               the status and headers to send
     * @param freshness              the entry's freshness when it was chosen
     * @param revalidateInBackground whether to start {@link #revalidation()} after answering
     * @param reason                 why storage may answer
     * @param policy                 the policy and its options
     * @param clock                  the clock
     */
    public FromCache {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(freshness, "freshness");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
    }

    static FromCache of(Request request, Entry entry, Freshness freshness, boolean revalidateInBackground,
                        Reason reason, CachePolicy policy, Clock clock) {
        Response served = withAge(entry.response(), freshness.age());
        Response response = Preconditions.notModified(request, served, entry.responseTime()).orElse(served);
        return new FromCache(request, entry, response, freshness, revalidateInBackground, reason, policy, clock);
    }

    /**
     * Whether the stored body follows the headers: not for HEAD, and not when the answer is a 304.
     *
     * @return true to stream the entry's body to the client
     */
    public boolean sendsBody() {
        return sendsBody(request, response);
    }

    /**
     * A validation of this entry, to run in the background after a
     * {@code stale-while-revalidate} answer (RFC 5861 §3), or whenever the caller chooses to.
     *
     * @return a validation whose request time is now
     */
    public NeedRevalidation revalidation() {
        return new NeedRevalidation(request, List.of(entry), Reason.STALE, clock.instant(), policy, clock);
    }

    /**
     * RFC 5861 §4 and RFC 9111 §4.2.4: the most recent candidate that may be served stale because
     * the application failed — within the response's {@code stale-if-error}, the request's, or
     * {@link CacheOptions#allowStale()}, or, when the application could not be reached at all,
     * {@link CacheOptions#grace()} — and never against must-revalidate, proxy-revalidate,
     * s-maxage (shared) or no-cache.
     *
     * @param unreachable whether the application gave no answer of its own: it threw, or a
     *                    gateway answered 502 or 504 for it
     */
    static Optional<FromCache> staleIfError(Request request, List<Entry> candidates, CachePolicy policy,
                                            Clock clock, boolean unreachable) {
        CacheOptions options = policy.options();
        Instant now = clock.instant();
        RequestDirectives requested = RequestDirectives.of(request, options);
        for (Entry entry : Selection.newestFirst(candidates)) {
            ResponseDirectives directives = ResponseDirectives.of(entry.response().headers(), options);
            if (directives.forbidsStale(options)) {
                continue;
            }
            Freshness freshness = Freshness.of(entry, directives, options, now);
            Duration staleness = freshness.staleness();
            if (within(staleness, directives.cacheControl().staleIfError())
                    || within(staleness, requested.staleIfError())) {
                return Optional.of(of(request, entry, freshness, false, Reason.STALE_IF_ERROR, policy, clock));
            }
            if (!options.allowStale().isZero() && staleness.compareTo(options.allowStale()) <= 0) {
                return Optional.of(of(request, entry, freshness, false, Reason.STALE_ALLOWED_BY_OPTIONS, policy,
                        clock));
            }
            if (unreachable && !options.grace().isZero() && staleness.compareTo(options.grace()) <= 0
                    && !wantsValidated(requested)) {
                return Optional.of(of(request, entry, freshness, false, Reason.STALE_WHILE_DISCONNECTED, policy,
                        clock));
            }
        }
        return Optional.empty();
    }

    /**
     * A client that asked for a validated or fresh response ({@code no-cache}, {@code max-age=0},
     * {@code min-fresh}: a hard reload) gets the failure, not the grace: only its own
     * {@code stale-if-error} or {@code max-stale} would accept a stale answer.
     */
    private static boolean wantsValidated(RequestDirectives requested) {
        return requested.noCache() || requested.maxAge().isPresent() || requested.minFresh().isPresent();
    }

    static boolean sendsBody(Request request, Response response) {
        return !request.method().equals("HEAD") && response.status() != 304;
    }

    /** §4: replace any {@code Age} with the current age, in whole seconds, saturating at 2^31 (§1.2.2). */
    static Response withAge(Response stored, Duration age) {
        long seconds = Math.min(age.getSeconds(), 2_147_483_648L);
        return stored.withHeaders(stored.headers().with("Age", Long.toString(Math.max(seconds, 0))));
    }

    private static boolean within(Duration staleness, OptionalLong seconds) {
        return seconds.isPresent() && staleness.compareTo(Duration.ofSeconds(seconds.getAsLong())) <= 0;
    }
}
