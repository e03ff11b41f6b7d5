package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.http.RequestMetadata;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.StoredRequest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The application's response may be stored: send it to the client as it is, and write
 * {@link #response()} with the body to storage; remove {@link #obsoleteEntries()}.
 *
 * @param request         the client's request
 * @param response        the response as it is to be stored: without the fields RFC 9111 §3.1
 *                        excludes, with a {@code Date}
 * @param storedRequest   what the entry keeps of the request
 * @param requestTime     when the request was sent
 * @param responseTime    when the response was received
 * @param obsoleteEntries stored responses this one replaces
 * @param reason          why it may be stored
 * @param freshness       the stored response's freshness when it was received; unbounded when it is
 *                        stored to be reused without freshness checks
 */
public record StoreAndUse(Request request, Response response, StoredRequest storedRequest, Instant requestTime,
                          Instant responseTime, List<Entry> obsoleteEntries, Reason reason, Freshness freshness)
        implements StorageDecision {

    /**
     * Checks the components.
     *
     * @param request         the client's request
     * @param response        the response as it is to be stored
     * @param storedRequest   what the entry keeps of the request
     * @param requestTime     when the request was sent
     * @param responseTime    when the response was received
     * @param obsoleteEntries stored responses this one replaces
     * @param reason          why it may be stored
     * @param freshness       the stored response's freshness when it was received
     */
    public StoreAndUse {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(storedRequest, "storedRequest");
        Objects.requireNonNull(requestTime, "requestTime");
        Objects.requireNonNull(responseTime, "responseTime");
        obsoleteEntries = List.copyOf(obsoleteEntries);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(freshness, "freshness");
    }

    /**
     * Whether a stored entry was kept under {@code hishel_spec_ignore}, so that every later request
     * reuses it the same way. The stored response carries the metadata field as its mark; the
     * servlet layer never sends it to a client.
     *
     * @param entry a stored entry
     * @return true if it is to be reused without RFC 9111's freshness checks
     */
    public static boolean storedIgnoringSpecification(Entry entry) {
        return entry.response().headers().contains(RequestMetadata.SPEC_IGNORE_HEADER);
    }

    /** The response as stored: marked when it is kept regardless of its directives. */
    static Response marked(Response stored, Request request) {
        if (!request.metadata().specIgnore()) {
            return stored;
        }
        return stored.withHeaders(stored.headers().with(RequestMetadata.SPEC_IGNORE_HEADER, "true"));
    }

    /**
     * What the client receives: the application's response, or — when the client's own
     * {@code If-None-Match} or {@code If-Modified-Since}, which {@link CacheMiss#forwardRequest()}
     * left out, match it — a 304 made from it (RFC 9111 §4.3.2).
     *
     * @param applicationResponse the response the application sent
     * @return the response to send to the client
     */
    public Response clientResponse(Response applicationResponse) {
        return Preconditions.notModified(request, applicationResponse, responseTime).orElse(applicationResponse);
    }

    /**
     * The entry to store.
     *
     * @param id  the identity the storage gives it
     * @param key the key to store it under, usually {@code CacheKey.of(request())}
     * @return the entry
     */
    public Entry toEntry(UUID id, CacheKey key) {
        return new Entry(id, key, storedRequest, response, requestTime, responseTime);
    }
}
