package io.hishel.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * hishel's request metadata: per-request instructions to the cache that are not HTTP.
 *
 * <ul>
 *   <li>{@code hishel_ttl} — how long the stored entry lives in the storage;</li>
 *   <li>{@code hishel_refresh_ttl_on_access} — whether a hit restarts that time;</li>
 *   <li>{@code hishel_spec_ignore} — store and reuse regardless of RFC 9111 freshness and
 *       storability directives (the entry lives until its TTL);</li>
 *   <li>{@code hishel_body_key} — include a digest of the request body in the cache key.</li>
 * </ul>
 *
 * <p>On a server these are the application's choices; the servlet filter decides where they may
 * come from. Immutable and thread-safe.
 */
public final class RequestMetadata {

    /** No metadata: every setting falls back to the storage's and the policy's defaults. */
    public static final RequestMetadata NONE = new RequestMetadata(null, null, null, null);

    /** Header carrying {@code hishel_ttl}, in seconds (a decimal number). */
    public static final String TTL_HEADER = "X-Hishel-Ttl";
    /** Header carrying {@code hishel_refresh_ttl_on_access}. */
    public static final String REFRESH_TTL_ON_ACCESS_HEADER = "X-Hishel-Refresh-Ttl-On-Access";
    /** Header carrying {@code hishel_spec_ignore}. */
    public static final String SPEC_IGNORE_HEADER = "X-Hishel-Spec-Ignore";
    /** Header carrying {@code hishel_body_key}. */
    public static final String BODY_KEY_HEADER = "X-Hishel-Body-Key";

    // Each setting is null when not set, so that orElse can tell "false" from "not said".
    private final Duration ttl;
    private final Boolean refreshTtlOnAccess;
    private final Boolean specIgnore;
    private final Boolean bodyKey;

    private RequestMetadata(Duration ttl, Boolean refreshTtlOnAccess, Boolean specIgnore, Boolean bodyKey) {
        this.ttl = ttl;
        this.refreshTtlOnAccess = refreshTtlOnAccess;
        this.specIgnore = specIgnore;
        this.bodyKey = bodyKey;
    }

    /**
     * Starts a builder with nothing set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads metadata from {@code X-Hishel-*} fields, as hishel's clients send them. A value that
     * does not parse is ignored, never an error.
     *
     * @param headers the fields to read
     * @return the metadata found; {@link #NONE} if there is none
     */
    public static RequestMetadata fromHeaders(Headers headers) {
        Builder builder = builder();
        headers.firstValue(TTL_HEADER).flatMap(RequestMetadata::parseSeconds).ifPresent(builder::ttl);
        headers.firstValue(REFRESH_TTL_ON_ACCESS_HEADER).flatMap(RequestMetadata::parseFlag)
                .ifPresent(builder::refreshTtlOnAccess);
        headers.firstValue(SPEC_IGNORE_HEADER).flatMap(RequestMetadata::parseFlag).ifPresent(builder::specIgnore);
        headers.firstValue(BODY_KEY_HEADER).flatMap(RequestMetadata::parseFlag).ifPresent(builder::bodyKey);
        return builder.build();
    }

    /**
     * {@code hishel_ttl}: how long the entry stored for this request lives.
     *
     * @return the TTL, or empty to use the storage's default
     */
    public Optional<Duration> ttl() {
        return Optional.ofNullable(ttl);
    }

    /**
     * {@code hishel_refresh_ttl_on_access}: whether each hit restarts the entry's TTL.
     *
     * @return the choice, or empty to use the storage's default
     */
    public Optional<Boolean> refreshTtlOnAccess() {
        return Optional.ofNullable(refreshTtlOnAccess);
    }

    /**
     * {@code hishel_spec_ignore}: whether to store and reuse regardless of RFC 9111 directives.
     * The safety rules of {@link io.hishel.policy.CachePolicy} ({@code no-store}, {@code private},
     * cookies, authorization, entry size) still apply.
     *
     * @return true to ignore the specification
     */
    public boolean specIgnore() {
        return Boolean.TRUE.equals(specIgnore);
    }

    /**
     * {@code hishel_body_key}: whether the cache key includes a digest of the request body.
     *
     * @return true to key on the body as well as on method and URL
     */
    public boolean bodyKey() {
        return Boolean.TRUE.equals(bodyKey);
    }

    /**
     * Combines two sources of metadata, each setting taken from this one if it sets it and from
     * {@code fallback} otherwise.
     *
     * @param fallback the metadata of lower precedence
     * @return the combination
     */
    public RequestMetadata orElse(RequestMetadata fallback) {
        return new RequestMetadata(
                ttl != null ? ttl : fallback.ttl,
                refreshTtlOnAccess != null ? refreshTtlOnAccess : fallback.refreshTtlOnAccess,
                specIgnore != null ? specIgnore : fallback.specIgnore,
                bodyKey != null ? bodyKey : fallback.bodyKey);
    }

    private static Optional<Duration> parseSeconds(String text) {
        try {
            double seconds = Double.parseDouble(text.trim());
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE / 2)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Boolean> parseFlag(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> Optional.of(true);
            case "0", "false", "no", "off" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RequestMetadata that
                && Objects.equals(ttl, that.ttl)
                && Objects.equals(refreshTtlOnAccess, that.refreshTtlOnAccess)
                && Objects.equals(specIgnore, that.specIgnore)
                && Objects.equals(bodyKey, that.bodyKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, refreshTtlOnAccess, specIgnore, bodyKey);
    }

    @Override
    public String toString() {
        return "RequestMetadata[ttl=" + ttl + ", refreshTtlOnAccess=" + refreshTtlOnAccess
                + ", specIgnore=" + specIgnore + ", bodyKey=" + bodyKey + "]";
    }

    /** Builds {@link RequestMetadata}. Not thread-safe. */
    public static final class Builder {
        private Duration ttl;
        private Boolean refreshTtlOnAccess;
        private Boolean specIgnore;
        private Boolean bodyKey;

        private Builder() {
        }

        /**
         * Sets {@code hishel_ttl}.
         *
         * @param ttl a positive or zero duration
         * @return this builder
         * @throws IllegalArgumentException if {@code ttl} is negative
         */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("ttl must not be negative, but was " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * Sets {@code hishel_refresh_ttl_on_access}.
         *
         * @param refresh whether a hit restarts the TTL
         * @return this builder
         */
        public Builder refreshTtlOnAccess(boolean refresh) {
            this.refreshTtlOnAccess = refresh;
            return this;
        }

        /**
         * Sets {@code hishel_spec_ignore}.
         *
         * @param specIgnore whether to ignore RFC 9111 directives
         * @return this builder
         */
        public Builder specIgnore(boolean specIgnore) {
            this.specIgnore = specIgnore;
            return this;
        }

        /**
         * Sets {@code hishel_body_key}.
         *
         * @param bodyKey whether to key on the request body
         * @return this builder
         */
        public Builder bodyKey(boolean bodyKey) {
            this.bodyKey = bodyKey;
            return this;
        }

        /**
         * Builds the metadata.
         *
         * @return immutable metadata
         */
        public RequestMetadata build() {
            if (ttl == null && refreshTtlOnAccess == null && specIgnore == null && bodyKey == null) {
                return NONE;
            }
            return new RequestMetadata(ttl, refreshTtlOnAccess, specIgnore, bodyKey);
        }
    }
}
