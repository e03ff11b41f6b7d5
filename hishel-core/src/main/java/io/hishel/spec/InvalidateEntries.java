package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.http.Response;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * An unsafe method succeeded (RFC 9111 §4.4): send the response to the client as it is, and
 * invalidate every stored response for each of {@link #uris()} — all methods and all variants.
 *
 * @param request  the client's request
 * @param response the application's non-error response
 * @param uris     the target URI, then the same-origin {@code Location} and
 *                 {@code Content-Location}, without repeats
 * @param reason   why they are invalidated
 */
public record InvalidateEntries(Request request, Response response, List<URI> uris, Reason reason)
        implements CacheMiss.Next {

    /**
     * Checks the components.
     *
     * @param request  the client's request
     * @param response the application's non-error response
     * @param uris     the target URI, then the same-origin {@code Location} and {@code Content-Location}
     * @param reason   why they are invalidated
     */
    public InvalidateEntries {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        uris = List.copyOf(uris);
        Objects.requireNonNull(reason, "reason");
    }
}
