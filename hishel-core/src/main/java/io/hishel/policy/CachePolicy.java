package io.hishel.policy;

/**
 * How the cache decides what to store and what to reuse.
 *
 * <ul>
 *   <li>{@link SpecificationPolicy} — RFC 9111, configured by {@link CacheOptions}. The default.</li>
 *   <li>{@link FilterPolicy} — the application's own rules, as filters over requests and
 *       responses, instead of the RFC's freshness and storability directives.</li>
 * </ul>
 *
 * <p>Both keep the safety rules of their {@link CacheOptions}: in a shared cache, responses to
 * authorised requests and responses that set cookies are not stored unless allowed, and no entry
 * exceeds the maximum size. Implementations are immutable and thread-safe.
 */
public sealed interface CachePolicy permits SpecificationPolicy, FilterPolicy {

    /**
     * The options this policy runs with.
     *
     * @return the options
     */
    CacheOptions options();
}
