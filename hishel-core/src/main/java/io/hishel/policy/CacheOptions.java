package io.hishel.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the cache does where RFC 9111 leaves the choice open. The defaults are those of a cautious
 * operator of a shared cache: serve stale responses only when a directive allows it or, for ten
 * minutes, while the application cannot be reached; store no responses that set cookies; cap a
 * single entry at 10 MiB.
 *
 * <p>Build with {@link #builder()}; every argument is checked when it is set, and the message of
 * a rejected value names the option and the accepted values. Immutable and thread-safe.
 *
 * @param shared                 whether this is a shared cache (RFC 9111 §1): serving many users,
 *                               honouring {@code s-maxage} and {@code private}, refusing responses
 *                               to authorised requests (§3.5). A server-side cache is shared.
 * @param supportedMethods       the request methods whose responses may be stored and reused.
 *                               Listing an unsafe method such as {@code POST} declares its requests
 *                               to be queries: they are keyed (usually by body) and do not
 *                               invalidate the target URI (§4.4).
 * @param allowStale             how long past its freshness a stored response may still be served
 *                               when the application fails (a 5xx or no answer), where no directive
 *                               forbids it: the "out-of-band contract" of §4.2.4. {@link
 *                               Duration#ZERO} (the default) serves stale responses only when
 *                               {@code stale-if-error}, {@code stale-while-revalidate} or a client's
 *                               {@code max-stale} allows it. This is hishel's {@code allow_stale},
 *                               bounded.
 * @param grace                  how long past its freshness a stored response may stand in when
 *                               the application cannot be reached: it throws before answering, or
 *                               answers {@code 502} or {@code 504} (a gateway that found no
 *                               upstream) — RFC 9111 §4.2.4's "disconnected", Varnish's grace, nginx's
 *                               {@code proxy_cache_use_stale error timeout}. Never where the stored
 *                               response says {@code must-revalidate}, {@code proxy-revalidate},
 *                               {@code no-cache}, or (shared) {@code s-maxage}; never for a
 *                               {@code 500} or {@code 503}, which are answers ({@code stale-if-error}
 *                               covers them). It keeps what is stored servable; it stores nothing
 *                               more. {@link Duration#ZERO} turns it off; default 10 minutes.
 * @param heuristicFraction      the fraction of {@code Date − Last-Modified} used as the freshness
 *                               lifetime of a response without explicit freshness (§4.2.2), 0 to 1;
 *                               0 turns heuristic freshness off
 * @param heuristicMaxLifetime   the upper bound of a heuristic freshness lifetime
 * @param honorRequestDirectives whether clients' request directives ({@code no-cache},
 *                               {@code max-age}, {@code only-if-cached} … and {@code Pragma}) are
 *                               honoured (§5.2.1 makes them advisory). Turn off to stop clients from
 *                               bypassing a server-side cache.
 * @param storeSetCookie         whether responses that carry {@code Set-Cookie} may be stored
 *                               (RFC 9111 §7.3); by default only in a private cache
 * @param maxEntrySize           the largest body, in bytes, that one entry may hold
 * @param targetedFields         the targeted cache-control fields (RFC 9213) this cache obeys, most
 *                               specific first; the first one present and valid in a response
 *                               replaces its {@code Cache-Control} and {@code Expires}
 */
public record CacheOptions(
        boolean shared,
        Set<String> supportedMethods,
        Duration allowStale,
        Duration grace,
        double heuristicFraction,
        Duration heuristicMaxLifetime,
        boolean honorRequestDirectives,
        boolean storeSetCookie,
        long maxEntrySize,
        List<String> targetedFields) {

    /** The hishel-specific targeted field, obeyed before {@code CDN-Cache-Control}. */
    public static final String HISHEL_CACHE_CONTROL = "Hishel-Cache-Control";

    /** The default of {@link #grace}. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);

    /** The targeted field for CDNs and other surrogates (RFC 9213 §3). */
    public static final String CDN_CACHE_CONTROL = "CDN-Cache-Control";

    private static final CacheOptions DEFAULTS = builder().build();

    /**
     * Checks the components.
     *
     * @param shared                 whether this is a shared cache
     * @param supportedMethods       the methods whose responses may be stored and reused
     * @param allowStale             how long past freshness a response may be served if the application fails
     * @param grace                  how long past freshness a response may be served if the application cannot be reached
     * @param heuristicFraction      the heuristic freshness fraction, 0 to 1
     * @param heuristicMaxLifetime   the upper bound of a heuristic freshness lifetime
     * @param honorRequestDirectives whether clients' request directives are honoured
     * @param storeSetCookie         whether responses that carry {@code Set-Cookie} may be stored
     * @param maxEntrySize           the largest body, in bytes, that one entry may hold
     * @param targetedFields         the targeted cache-control fields this cache obeys, most specific first
     * @throws IllegalArgumentException if a value is out of range; the message names the option
     */
    public CacheOptions {
        supportedMethods = checkMethods(supportedMethods);
        Require.notNegative(allowStale, "allowStale");
        Require.notNegative(grace, "grace");
        Require.between(heuristicFraction, 0.0, 1.0, "heuristicFraction");
        Require.notNegative(heuristicMaxLifetime, "heuristicMaxLifetime");
        Require.between(maxEntrySize, 1, Long.MAX_VALUE, "maxEntrySize", "bytes");
        targetedFields = checkTargetedFields(targetedFields);
    }

    /**
     * The defaults: a shared cache of GET and HEAD responses, no stale responses beyond what
     * directives allow but ten minutes of grace while the application cannot be reached, a
     * heuristic of 10% capped at one day, client directives honoured, no responses with
     * {@code Set-Cookie}, entries up to 10 MiB, and the targeted fields
     * {@code Hishel-Cache-Control} then {@code CDN-Cache-Control}.
     *
     * @return the default options
     */
    public static CacheOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.shared = shared;
        builder.supportedMethods = supportedMethods;
        builder.allowStale = allowStale;
        builder.grace = grace;
        builder.heuristicFraction = heuristicFraction;
        builder.heuristicMaxLifetime = heuristicMaxLifetime;
        builder.honorRequestDirectives = honorRequestDirectives;
        builder.storeSetCookie = storeSetCookie;
        builder.maxEntrySize = maxEntrySize;
        builder.targetedFields = targetedFields;
        return builder;
    }

    /**
     * Whether responses to this method may be stored and reused.
     *
     * @param method a request method (case-sensitive, RFC 9110 §9.1)
     * @return true if listed in {@link #supportedMethods()}
     */
    public boolean supports(String method) {
        return supportedMethods.contains(method);
    }

    private static Set<String> checkMethods(Collection<String> methods) {
        Objects.requireNonNull(methods, "supportedMethods");
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("supportedMethods must name at least one method, such as GET");
        }
        Set<String> checked = new LinkedHashSet<>();
        for (String method : methods) {
            if (method == null || method.isEmpty() || !method.chars().allMatch(c -> c > 32 && c < 127
                    && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("supportedMethods must hold method names (tokens), but held \""
                        + method + "\"");
            }
            checked.add(method);
        }
        return Collections.unmodifiableSet(checked);
    }

    private static List<String> checkTargetedFields(List<String> fields) {
        Objects.requireNonNull(fields, "targetedFields");
        List<String> checked = new ArrayList<>();
        for (String field : fields) {
            if (field == null || field.isBlank() || field.equalsIgnoreCase("Cache-Control")) {
                throw new IllegalArgumentException("targetedFields must hold header names other than Cache-Control,"
                        + " such as CDN-Cache-Control, but held \"" + field + "\"");
            }
            checked.add(field);
        }
        return List.copyOf(checked);
    }

    /** Builds {@link CacheOptions}, starting from the defaults. Not thread-safe. */
    public static final class Builder {
        private boolean shared = true;
        private Set<String> supportedMethods = checkMethods(List.of("GET", "HEAD"));
        private Duration allowStale = Duration.ZERO;
        private Duration grace = DEFAULT_GRACE;
        private double heuristicFraction = 0.10;
        private Duration heuristicMaxLifetime = Duration.ofDays(1);
        private boolean honorRequestDirectives = true;
        private Boolean storeSetCookie;
        private long maxEntrySize = 10L * 1024 * 1024;
        private List<String> targetedFields = List.of(HISHEL_CACHE_CONTROL, CDN_CACHE_CONTROL);

        private Builder() {
        }

        /**
         * Sets whether this is a shared cache (default true).
         *
         * @param shared false for a cache that serves a single user
         * @return this builder
         */
        public Builder shared(boolean shared) {
            this.shared = shared;
            return this;
        }

        /**
         * Sets the methods whose responses may be stored and reused (default GET and HEAD).
         *
         * @param methods method names, case-sensitive
         * @return this builder
         * @throws IllegalArgumentException if empty or a name is not a token
         */
        public Builder supportedMethods(String... methods) {
            return supportedMethods(List.of(methods));
        }

        /**
         * Sets the methods whose responses may be stored and reused (default GET and HEAD).
         *
         * @param methods method names, case-sensitive
         * @return this builder
         * @throws IllegalArgumentException if empty or a name is not a token
         */
        public Builder supportedMethods(Collection<String> methods) {
            this.supportedMethods = checkMethods(methods);
            return this;
        }

        /**
         * Sets how long past freshness a response may be served when the application fails
         * (default zero: only when directives allow).
         *
         * @param allowStale zero or a positive duration
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder allowStale(Duration allowStale) {
            this.allowStale = Require.notNegative(allowStale, "allowStale");
            return this;
        }

        /**
         * Sets how long past freshness a stored response may stand in when the application cannot
         * be reached — it throws before answering, or answers 502 or 504 — where no directive
         * forbids it (default 10 minutes; zero turns it off). See {@link CacheOptions#grace()}.
         *
         * @param grace zero or a positive duration
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder grace(Duration grace) {
            this.grace = Require.notNegative(grace, "grace");
            return this;
        }

        /**
         * Sets the heuristic freshness fraction (default 0.10).
         *
         * @param fraction 0.0 to 1.0; 0.0 turns heuristic freshness off
         * @return this builder
         * @throws IllegalArgumentException if outside 0.0 to 1.0
         */
        public Builder heuristicFraction(double fraction) {
            this.heuristicFraction = Require.between(fraction, 0.0, 1.0, "heuristicFraction");
            return this;
        }

        /**
         * Sets the cap of a heuristic freshness lifetime (default one day).
         *
         * @param maxLifetime zero or a positive duration
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder heuristicMaxLifetime(Duration maxLifetime) {
            this.heuristicMaxLifetime = Require.notNegative(maxLifetime, "heuristicMaxLifetime");
            return this;
        }

        /**
         * Sets whether clients' request directives are honoured (default true).
         *
         * @param honor false to ignore {@code Cache-Control} and {@code Pragma} in requests
         * @return this builder
         */
        public Builder honorRequestDirectives(boolean honor) {
            this.honorRequestDirectives = honor;
            return this;
        }

        /**
         * Sets whether responses with {@code Set-Cookie} may be stored (default: only when the
         * cache is not shared).
         *
         * @param store true to store them; the cookies are then replayed to every client served
         *              from the entry
         * @return this builder
         */
        public Builder storeSetCookie(boolean store) {
            this.storeSetCookie = store;
            return this;
        }

        /**
         * Sets the largest body one entry may hold (default 10 MiB).
         *
         * @param bytes at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxEntrySize(long bytes) {
            this.maxEntrySize = Require.between(bytes, 1, Long.MAX_VALUE, "maxEntrySize", "bytes");
            return this;
        }

        /**
         * Sets the targeted cache-control fields, most specific first (default
         * {@code Hishel-Cache-Control}, {@code CDN-Cache-Control}). An empty list obeys
         * {@code Cache-Control} alone.
         *
         * @param fields header names
         * @return this builder
         * @throws IllegalArgumentException if a name is blank or is {@code Cache-Control}
         */
        public Builder targetedFields(List<String> fields) {
            this.targetedFields = checkTargetedFields(fields);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public CacheOptions build() {
            return new CacheOptions(shared, supportedMethods, allowStale, grace, heuristicFraction, heuristicMaxLifetime,
                    honorRequestDirectives, storeSetCookie != null ? storeSetCookie : !shared, maxEntrySize,
                    targetedFields);
        }
    }
}
