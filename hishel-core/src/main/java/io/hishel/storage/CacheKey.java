package io.hishel.storage;

import io.hishel.http.Request;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The primary cache key (RFC 9111 §2): the stored responses that may answer a request are those
 * stored under its key, among which {@code Vary} then chooses (§4.1).
 *
 * <p>The key is readable text, stable across versions and processes:
 * <pre>
 * GET https://example.com/search?q=cache
 * POST https://example.com/graphql body=sha-256:9f86d081884c7d65…
 * </pre>
 * <ul>
 *   <li>the method group: {@code GET} for GET and HEAD, which share entries (a stored GET answers
 *       a HEAD); any other method as itself;</li>
 *   <li>the {@linkplain #normalizeUrl target URI}: scheme, host and port as the origin (so virtual
 *       hosts and ports never share entries), path and query exactly as received;</li>
 *   <li>with {@code hishel_body_key}, the SHA-256 of the request body — added to the URL, never in
 *       place of it, so two endpoints that receive the same body do not collide;</li>
 *   <li>with {@link #of(Request, List) keyed fields}, a digest of those the request carries.</li>
 * </ul>
 *
 * @param value the key text
 */
public record CacheKey(String value) {

    /**
     * Checks the components.
     *
     * @param value the key text
     * @throws IllegalArgumentException if the value is blank
     */
    public CacheKey {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("A cache key must not be blank");
        }
    }

    /**
     * Request fields that applications and frameworks build URLs from or choose methods by, without
     * naming them in {@code Vary}: the forwarding fields and the method overrides. A server-side cache
     * keys on them whenever a request carries one ({@link #of(Request, List)}), so that a client
     * sending {@code X-Forwarded-Host: evil.example} gets an entry of its own instead of poisoning
     * everyone's.
     */
    public static final List<String> FORWARDING_FIELDS = List.of(
            "Forwarded", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix",
            "X-Forwarded-Server", "X-Host", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override",
            "X-HTTP-Method", "X-Method-Override");

    /**
     * The key of a request, honouring its {@code hishel_body_key} metadata.
     *
     * @param request the request
     * @return the key
     */
    public static CacheKey of(Request request) {
        String key = methodGroup(request.method()) + ' ' + normalizeUrl(request.url());
        if (request.metadata().bodyKey()) {
            key += " body=sha-256:" + HexFormat.of().formatHex(sha256(request.body().toByteArray()));
        }
        return new CacheKey(key);
    }

    /**
     * The key of a request, and, when it carries any of the keyed fields, a digest of their names
     * and values in the order given: as if every response varied on them (the unkeyed-header
     * attack, where a field outside the key changes what everyone is served).
     *
     * <pre>GET https://example.com/ fields=sha-256:Yx2…</pre>
     *
     * @param request     the request
     * @param keyedFields field names, such as {@link #FORWARDING_FIELDS}; empty for none
     * @return the key; {@link #of(Request)} when the request carries none of the fields
     */
    public static CacheKey of(Request request, List<String> keyedFields) {
        CacheKey key = of(request);
        MessageDigest digest = null;
        for (String name : keyedFields) {
            List<String> values = request.headers().allValues(name);
            if (values.isEmpty()) {
                continue;
            }
            if (digest == null) {
                digest = sha256();
            }
            for (String value : values) {
                digest.update((name.toLowerCase(Locale.ROOT) + ": " + value + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        if (digest == null) {
            return key;
        }
        return new CacheKey(key.value() + " fields=sha-256:"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest()));
    }

    /**
     * The target URI in the form keys use: lower-case scheme and host, the port only when it is
     * not the scheme's default, an empty path as {@code /}, path and query byte for byte as
     * received (percent-encoding is not normalised: an application may tell {@code %2F} from
     * {@code /}), no user information and no fragment.
     *
     * @param url an absolute URI
     * @return for example {@code https://example.com:8443/a?b=1}
     */
    public static String normalizeUrl(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        StringBuilder text = new StringBuilder(128).append(scheme).append("://")
                .append(url.getHost().toLowerCase(Locale.ROOT));
        int port = url.getPort();
        if (port >= 0 && !(port == 80 && scheme.equals("http")) && !(port == 443 && scheme.equals("https"))) {
            text.append(':').append(port);
        }
        String path = url.getRawPath();
        text.append(path == null || path.isEmpty() ? "/" : path);
        if (url.getRawQuery() != null) {
            text.append('?').append(url.getRawQuery());
        }
        return text.toString();
    }

    /**
     * The method under which a method's responses are stored: HEAD shares GET's entries.
     *
     * @param method a request method
     * @return {@code GET} for GET and HEAD, otherwise the method
     */
    public static String methodGroup(String method) {
        return method.equals("HEAD") ? "GET" : method;
    }

    private static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256", e);
        }
    }

    /** The key text. */
    @Override
    public String toString() {
        return value;
    }
}
