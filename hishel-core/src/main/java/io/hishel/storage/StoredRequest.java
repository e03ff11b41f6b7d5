package io.hishel.storage;

import java.net.URI;
import java.util.Objects;

/**
 * What an entry keeps of the request that caused its response to be stored. Deliberately not
 * the request's header fields: they may hold credentials and cookies, and RFC 9111 §4.1 needs
 * only the fields that the response's {@code Vary} nominates — kept here as a digest.
 *
 * @param method  the request method, which decides what later requests the response may answer
 * @param url     the target URI
 * @param varyKey the digest of the nominated request fields, normalised; empty when the response
 *                has no {@code Vary}
 */
public record StoredRequest(String method, URI url, String varyKey) {

    /**
     * Checks the components.
     *
     * @param method  the request method
     * @param url     the target URI
     * @param varyKey the digest of the nominated request fields, normalised
     */
    public StoredRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(varyKey, "varyKey");
    }
}
