package io.hishel.spec;

import io.hishel.http.CacheControl;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.storage.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How fresh a stored response is at one moment (RFC 9111 §4.2): its freshness lifetime and its
 * current age. It is fresh while the lifetime exceeds the age.
 *
 * @param lifetime the freshness lifetime ({@code freshness_lifetime}, §4.2.1, §4.2.2)
 * @param age      the current age ({@code current_age}, §4.2.3)
 */
public record Freshness(Duration lifetime, Duration age) {

    /**
     * The lifetime of a response reused without freshness checks (FilterPolicy,
     * {@code hishel_spec_ignore}): 2^31 seconds, the RFC's "infinity" (§1.2.2). Such a response
     * lives until its storage TTL ends.
     */
    public static final Duration UNBOUNDED = Duration.ofSeconds(2_147_483_648L);

    /** Status codes that RFC 9110 §15.1 defines as heuristically cacheable. */
    static final Set<Integer> HEURISTICALLY_CACHEABLE = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

    /**
     * Whether the response is fresh: {@code freshness_lifetime > current_age} (§4.2).
     *
     * @return true if fresh
     */
    public boolean isFresh() {
        return lifetime.compareTo(age) > 0;
    }

    /**
     * How much longer the response stays fresh; negative once stale. This is RFC 9211's
     * {@code ttl}.
     *
     * @return {@code lifetime − age}
     */
    public Duration remaining() {
        return lifetime.minus(age);
    }

    /**
     * How long the response has been stale.
     *
     * @return zero while fresh, otherwise {@code age − lifetime}
     */
    public Duration staleness() {
        Duration staleness = age.minus(lifetime);
        return staleness.isNegative() ? Duration.ZERO : staleness;
    }

    /**
     * Whether the lifetime is {@link #UNBOUNDED}, that is, freshness is not checked at all.
     *
     * @return true for responses reused without freshness checks
     */
    public boolean isUnbounded() {
        return lifetime.compareTo(UNBOUNDED) >= 0;
    }

    /**
     * The freshness of a stored entry at an instant, by RFC 9111 §4.2: its lifetime from the
     * stored headers (targeted fields first) and its current age.
     *
     * @param entry   the stored entry
     * @param options the options (shared or private, heuristics, targeted fields)
     * @param now     the instant
     * @return its freshness
     */
    public static Freshness of(Entry entry, CacheOptions options, Instant now) {
        return of(entry, ResponseDirectives.of(entry.response().headers(), options), options, now);
    }

    static Freshness of(Entry entry, ResponseDirectives directives, CacheOptions options, Instant now) {
        return of(entry.response(), entry.requestTime(), entry.responseTime(), directives, options, now);
    }

    /** The freshness of a response as it is, or is about to be, stored. */
    static Freshness of(Response response, Instant requestTime, Instant responseTime, ResponseDirectives directives,
                        CacheOptions options, Instant now) {
        return new Freshness(freshnessLifetime(response, directives, options, responseTime),
                currentAge(response, requestTime, responseTime, now));
    }

    static Freshness unbounded(Entry entry, Instant now) {
        return unbounded(entry.response(), entry.requestTime(), entry.responseTime(), now);
    }

    static Freshness unbounded(Response response, Instant requestTime, Instant responseTime, Instant now) {
        return new Freshness(UNBOUNDED, currentAge(response, requestTime, responseTime, now));
    }

    /**
     * §4.2.1: the first of s-maxage (shared caches only), max-age, {@code Expires − Date}; then the
     * heuristic of §4.2.2. A directive whose value is invalid makes the response stale, as §4.2.1
     * encourages, and so does an invalid {@code Expires} (§5.3).
     */
    static Duration freshnessLifetime(Response response, ResponseDirectives directives, CacheOptions options,
                                      Instant responseTime) {
        CacheControl cacheControl = directives.cacheControl();
        if (options.shared() && cacheControl.has("s-maxage")) {
            return seconds(cacheControl.sMaxAge());
        }
        if (cacheControl.has("max-age")) {
            return seconds(cacheControl.maxAge());
        }
        if (directives.usesExpires(options)) {
            if (response.headers().contains("Expires")) {
                // §5.3: an invalid value, and lines that disagree (§4.2.1), mean already expired.
                Optional<Instant> expires = response.headers().date("Expires");
                if (expires.isEmpty()) {
                    return Duration.ZERO;
                }
                Duration lifetime = Duration.between(dateValue(response, responseTime), expires.get());
                return lifetime.isNegative() ? Duration.ZERO : lifetime;
            }
        }
        return heuristicFreshness(response, directives, options, responseTime);
    }

    /**
     * §4.2.2: only for a response without explicit expiration whose status is heuristically
     * cacheable or that is marked cacheable ({@code public}; {@code private} in a private cache),
     * a fraction of the time between {@code Last-Modified} and {@code Date} — both instants the
     * origin gave, so the lifetime does not grow while the response sits in the cache — capped.
     */
    static Duration heuristicFreshness(Response response, ResponseDirectives directives, CacheOptions options,
                                       Instant responseTime) {
        CacheControl cacheControl = directives.cacheControl();
        boolean markedCacheable = cacheControl.isPublic() || !options.shared() && cacheControl.has("private");
        if (!HEURISTICALLY_CACHEABLE.contains(response.status()) && !markedCacheable) {
            return Duration.ZERO;
        }
        Optional<Instant> lastModified = response.headers().date("Last-Modified");
        if (lastModified.isEmpty() || options.heuristicFraction() == 0.0) {
            return Duration.ZERO;
        }
        Duration sinceModified = Duration.between(lastModified.get(), dateValue(response, responseTime));
        if (sinceModified.isNegative()) {
            return Duration.ZERO;
        }
        long millis = (long) (sinceModified.toMillis() * options.heuristicFraction());
        Duration heuristic = Duration.ofMillis(millis);
        return heuristic.compareTo(options.heuristicMaxLifetime()) > 0 ? options.heuristicMaxLifetime() : heuristic;
    }

    /**
     * §4.2.3: {@code corrected_initial_age + resident_time}, where the initial age is the larger of
     * the apparent age (receipt time minus {@code Date}) and the upstream {@code Age} plus the
     * response delay.
     */
    static Duration currentAge(Response response, Instant requestTime, Instant responseTime, Instant now) {
        Duration apparentAge = nonNegative(Duration.between(dateValue(response, responseTime), responseTime));
        Duration responseDelay = nonNegative(Duration.between(requestTime, responseTime));
        Duration correctedAgeValue = ageValue(response).plus(responseDelay);
        Duration correctedInitialAge = apparentAge.compareTo(correctedAgeValue) > 0 ? apparentAge : correctedAgeValue;
        Duration residentTime = nonNegative(Duration.between(responseTime, now));
        return correctedInitialAge.plus(residentTime);
    }

    /**
     * §5.1: the first member of {@code Age}; an invalid value is ignored (counts as 0).
     */
    static Duration ageValue(Response response) {
        List<String> members = response.headers().listValues("Age");
        if (members.isEmpty()) {
            return Duration.ZERO;
        }
        return seconds(CacheControl.parseDeltaSeconds(members.get(0)));
    }

    /** {@code date_value}, or the receipt time when {@code Date} is missing or invalid (RFC 9110 §6.6.1). */
    static Instant dateValue(Response response, Instant responseTime) {
        return response.headers().date("Date").orElse(responseTime);
    }

    private static Duration seconds(OptionalLong seconds) {
        return seconds.isPresent() ? Duration.ofSeconds(seconds.getAsLong()) : Duration.ZERO;
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
