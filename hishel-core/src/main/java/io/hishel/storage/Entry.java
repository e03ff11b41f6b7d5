package io.hishel.storage;

import io.hishel.http.Response;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A stored response and what the cache needs to reuse it: hishel's entry (a "pair" of request and
 * response), grouped with others under a {@link CacheKey}. The body is not held here; the
 * storage streams it.
 *
 * @param id           the storage's identity of the entry
 * @param key          the primary key it is stored under
 * @param request      what is kept of the request that caused it to be stored
 * @param response     the stored status and header fields
 * @param requestTime  when the request that fetched or last validated the response was sent
 *                     ({@code request_time}, RFC 9111 §4.2.3)
 * @param responseTime when that response was received ({@code response_time}, §4.2.3)
 */
public record Entry(UUID id, CacheKey key, StoredRequest request, Response response,
                    Instant requestTime, Instant responseTime) {

    /**
     * Checks the components.
     *
     * @param id           the storage's identity of the entry
     * @param key          the primary key it is stored under
     * @param request      what is kept of the request that caused it to be stored
     * @param response     the stored status and header fields
     * @param requestTime  when the request that fetched or last validated the response was sent ({@code request_time}, RFC 9111 §4.2.3)
     * @param responseTime when that response was received ({@code response_time}, §4.2.3)
     */
    public Entry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(requestTime, "requestTime");
        Objects.requireNonNull(responseTime, "responseTime");
    }

    /**
     * This entry with a response freshened by validation (RFC 9111 §4.3.4).
     *
     * @param request      the stored request, whose vary key may have been recomputed
     * @param response     the updated stored response
     * @param requestTime  when the validation request was sent
     * @param responseTime when its response was received
     * @return a new entry with the same id and key
     */
    public Entry freshened(StoredRequest request, Response response, Instant requestTime, Instant responseTime) {
        return new Entry(id, key, request, response, requestTime, responseTime);
    }
}
