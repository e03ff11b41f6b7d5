package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.http.Response;
import java.util.Objects;

/**
 * The cache answers 504 without calling the application: the client sent {@code only-if-cached}
 * and nothing stored can answer it (RFC 9111 §5.2.1.7), or a validation was answered by a 304
 * that selected no stored response and the stored one must not be served stale (§4.2.4, §4.3.4).
 *
 * @param request the client's request
 * @param reason  why the cache answers 504
 */
public record GatewayTimeout(Request request, Reason reason) implements Idle.Next, NeedRevalidation.Next {

    /**
     * Checks the components.
     *
     * @param request the client's request
     * @param reason  why the cache answers 504
     */
    public GatewayTimeout {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The response to send.
     *
     * @return a 504 (Gateway Timeout) that no cache may store
     */
    public Response response() {
        return Response.of(504, "Cache-Control", "no-store");
    }
}
