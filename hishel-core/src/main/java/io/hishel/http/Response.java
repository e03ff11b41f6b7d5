package io.hishel.http;

import java.util.Objects;

/**
 * An HTTP response as the cache sees it: status, header fields and, only when someone read it,
 * the body. A response read from storage carries its headers here and streams its body
 * separately.
 *
 * <p>Immutable and thread-safe.
 *
 * @param status  the status code, 100–999
 * @param headers the header fields
 * @param body    the content, or {@link Body#EMPTY} when there is none or it is not held
 */
public record Response(int status, Headers headers, Body body) {

    /**
     * Checks the components.
     *
     * @param status  the status code, 100–999
     * @param headers the header fields
     * @param body    the content, or {@link Body#EMPTY} when there is none or it is not held
     * @throws IllegalArgumentException if the status is not a three-digit code
     */
    public Response {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("Status must be a three-digit code, but was " + status);
        }
    }

    /**
     * A response without a body.
     *
     * @param status  the status code
     * @param headers the header fields
     */
    public Response(int status, Headers headers) {
        this(status, headers, Body.EMPTY);
    }

    /**
     * A response from alternating header names and values.
     *
     * @param status         the status code
     * @param namesAndValues {@code name0, value0, name1, value1, …}
     * @return the response
     */
    public static Response of(int status, String... namesAndValues) {
        return new Response(status, Headers.of(namesAndValues));
    }

    /**
     * This response with other header fields.
     *
     * @param headers the new header fields
     * @return a new response
     */
    public Response withHeaders(Headers headers) {
        return new Response(status, headers, body);
    }

    /** The status and the header fields; never the body. */
    @Override
    public String toString() {
        return status + "\n" + headers;
    }
}
