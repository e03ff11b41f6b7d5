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
 * <p>Both keep the safety rules: no {@code no-store} response is stored; in a shared cache no
 * {@code private} response, no response to an authorised request unless public, s-maxage or
 * must-revalidate allows it, and none that sets cookies unless {@link CacheOptions} allow it; no
 * response that withholds {@code Vary} or another field the cache depends on; no entry above the
 * maximum size; methods other than GET and HEAD only when keyed by their body. Implementations are
 * immutable and thread-safe.
 */
public sealed interface CachePolicy permits SpecificationPolicy, FilterPolicy {

    /**
     * The options this policy runs with.
     *
     * @return the options
     */
    CacheOptions options();
}
