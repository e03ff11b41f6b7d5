package io.hishel.policy;

import io.hishel.http.Request;
import io.hishel.http.Response;
import java.util.List;
import java.util.Objects;

/**
 * Caching by the application's own rules, as in hishel: a request uses the cache only if every
 * request filter allows it, and a response is stored only if every response filter allows it.
 *
 * <p>The RFC's freshness and storability directives are not consulted: a stored response is
 * reused, without revalidation, until its entry's TTL ({@code hishel_ttl} or the storage's
 * default) ends. Give such entries a TTL. What a FilterPolicy keeps from the RFC and its options:
 * only methods in {@link CacheOptions#supportedMethods()} are cached, other unsafe methods still
 * invalidate (RFC 9111 §4.4), {@code Vary} still selects among stored responses, and the safety
 * rules of {@link CachePolicy} hold — above all, no {@code no-store} or {@code private} response
 * is stored, whatever the filters say.
 *
 * @param requestFilters  filters every request must pass to use the cache, in order
 * @param responseFilters filters every response must pass to be stored, in order
 * @param options         the methods to cache and the safety rules
 */
public record FilterPolicy(
        List<BaseFilter<Request>> requestFilters,
        List<BaseFilter<Response>> responseFilters,
        CacheOptions options) implements CachePolicy {

    /**
     * Checks the components.
     *
     * @param requestFilters  filters every request must pass to use the cache, in order
     * @param responseFilters filters every response must pass to be stored, in order
     * @param options         the methods to cache and the safety rules
     */
    public FilterPolicy {
        requestFilters = List.copyOf(requestFilters);
        responseFilters = List.copyOf(responseFilters);
        Objects.requireNonNull(options, "options");
    }

    /**
     * A policy with {@link CacheOptions#defaults()}.
     *
     * @param requestFilters  filters every request must pass to use the cache
     * @param responseFilters filters every response must pass to be stored
     */
    public FilterPolicy(List<BaseFilter<Request>> requestFilters, List<BaseFilter<Response>> responseFilters) {
        this(requestFilters, responseFilters, CacheOptions.defaults());
    }

    /**
     * Whether any filter reads the request body, so the caller must read it before asking.
     *
     * @return true if a request filter needs the body
     */
    public boolean requestFiltersNeedBody() {
        return requestFilters.stream().anyMatch(BaseFilter::needsBody);
    }

    /**
     * Whether any filter reads the response body, so the caller must hold it before deciding.
     *
     * @return true if a response filter needs the body
     */
    public boolean responseFiltersNeedBody() {
        return responseFilters.stream().anyMatch(BaseFilter::needsBody);
    }
}
