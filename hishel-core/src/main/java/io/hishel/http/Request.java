package io.hishel.http;

import java.net.URI;
import java.util.Objects;

/**
 * An HTTP request as the cache sees it: method, absolute target URI, header fields, the body when
 * someone read it, and hishel's {@linkplain RequestMetadata metadata}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param method        the method, case-sensitive as in RFC 9110 §9.1 (a token)
 * @param url           the absolute target URI (RFC 9110 §7.1), with scheme and host
 * @param headers       the header fields
 * @param body          the content, or {@link Body#EMPTY} when there is none or it was not read
 * @param metadata      hishel's per-request settings, or {@link RequestMetadata#NONE}
 * @param authenticated whether the server knows who sent the request by other means than an
 *                      {@code Authorization} field — a signed-in user whose session cookie
 *                      identified them, a client certificate. A shared cache treats such a
 *                      request as authorised (RFC 9111 §3.5): the answer may be about that user.
 */
public record Request(String method, URI url, Headers headers, Body body, RequestMetadata metadata,
                      boolean authenticated) {

    /**
     * Checks the components.
     *
     * @param method        the method, case-sensitive as in RFC 9110 §9.1 (a token)
     * @param url           the absolute target URI (RFC 9110 §7.1)
     * @param headers       the header fields
     * @param body          the content, or {@link Body#EMPTY} when there is none or it was not read
     * @param metadata      hishel's per-request settings, or {@link RequestMetadata#NONE}
     * @param authenticated whether the server identified the sender by other means than {@code Authorization}
     * @throws IllegalArgumentException if the method is not a token or the URL is not absolute with a host
     */
    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(metadata, "metadata");
        if (!FieldValues.isToken(method)) {
            throw new IllegalArgumentException("Method must be a token (RFC 9110 §9.1): \"" + method + "\"");
        }
        if (!url.isAbsolute() || url.getHost() == null) {
            throw new IllegalArgumentException("URL must be absolute with a host, but was " + url);
        }
    }

    /**
     * A request the server did not identify the sender of, other than by its fields.
     *
     * @param method   the method
     * @param url      the absolute target URI
     * @param headers  the header fields
     * @param body     the content, or {@link Body#EMPTY}
     * @param metadata hishel's per-request settings, or {@link RequestMetadata#NONE}
     */
    public Request(String method, URI url, Headers headers, Body body, RequestMetadata metadata) {
        this(method, url, headers, body, metadata, false);
    }

    /**
     * A request without body or metadata.
     *
     * @param method  the method
     * @param url     the absolute target URI
     * @param headers the header fields
     */
    public Request(String method, URI url, Headers headers) {
        this(method, url, headers, Body.EMPTY, RequestMetadata.NONE);
    }

    /**
     * A request without header fields, body or metadata.
     *
     * @param method the method
     * @param url    the absolute target URI, as text
     * @return the request
     * @throws IllegalArgumentException if the URL does not parse or is not absolute
     */
    public static Request of(String method, String url) {
        return new Request(method, URI.create(url), Headers.EMPTY);
    }

    /**
     * This request with other header fields.
     *
     * @param headers the new header fields
     * @return a new request
     */
    public Request withHeaders(Headers headers) {
        return new Request(method, url, headers, body, metadata, authenticated);
    }

    /**
     * This request with other metadata.
     *
     * @param metadata the new metadata
     * @return a new request
     */
    public Request withMetadata(RequestMetadata metadata) {
        return new Request(method, url, headers, body, metadata, authenticated);
    }

    /**
     * This request with a body.
     *
     * @param body the content
     * @return a new request
     */
    public Request withBody(Body body) {
        return new Request(method, url, headers, body, metadata, authenticated);
    }

    /**
     * This request as one the server identified the sender of, or not.
     *
     * @param authenticated whether the server identified the sender by other means than {@code Authorization}
     * @return a new request
     */
    public Request withAuthenticated(boolean authenticated) {
        return new Request(method, url, headers, body, metadata, authenticated);
    }

    /**
     * Whether the request is authorised in the sense of RFC 9111 §3.5: it carries
     * {@code Authorization}, or the server identified its sender otherwise.
     *
     * @return true if a shared cache must treat the answer as possibly about one user
     */
    public boolean isAuthorized() {
        return authenticated || headers.contains("Authorization");
    }

    /**
     * Whether the method is safe (RFC 9110 §9.2.1): GET, HEAD, OPTIONS or TRACE. Any other
     * method, including one the cache does not know, is unsafe for RFC 9111 §4.4.
     *
     * @return true for a safe method
     */
    public boolean hasSafeMethod() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

    /** The method and URL only: headers may carry credentials, and the body may be large. */
    @Override
    public String toString() {
        return method + " " + url;
    }
}
