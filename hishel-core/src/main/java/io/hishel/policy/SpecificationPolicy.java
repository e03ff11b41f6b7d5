package io.hishel.policy;

import java.util.Objects;

/**
 * Caching as RFC 9111 specifies it: the response's directives say what may be stored and for how
 * long, the request's directives (when honoured) say what the client accepts, and
 * {@link CacheOptions} settles what the RFC leaves to the cache.
 *
 * @param options the options
 */
public record SpecificationPolicy(CacheOptions options) implements CachePolicy {

    /**
     * Checks the components.
     *
     * @param options the options
     */
    public SpecificationPolicy {
        Objects.requireNonNull(options, "options");
    }

    /** A policy with {@link CacheOptions#defaults()}. */
    public SpecificationPolicy() {
        this(CacheOptions.defaults());
    }
}
