package io.hishel.servlet;

import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.policy.FilterPolicy;
import io.hishel.storage.CacheKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Enumeration;
import java.util.Optional;

/**
 * The client's request as the engine sees it: its URL as the container sees it, its fields, whether
 * the server knows who sent it, its metadata and key, and the body the cache read to key on it —
 * and the request the application then receives. One per exchange.
 */
final class ClientRequest {

    private final CacheContext context;
    private final HttpServletRequest request;
    private final ExchangeSettings settings;
    private Request core;
    private byte[] readBody;
    private CacheKey key;
    private ForwardedRequest forwarded;

    private ClientRequest(CacheContext context, HttpServletRequest request, Request core, ExchangeSettings settings) {
        this.context = context;
        this.request = request;
        this.core = core;
        this.settings = settings;
    }

    /**
     * Reads the request.
     *
     * @param leftOut fields the engine and the application are not to see
     * @return the request, or empty if the container's URL is not an absolute URI with a host
     */
    static Optional<ClientRequest> of(CacheContext context, HttpServletRequest request, String... leftOut) {
        StringBuffer url = request.getRequestURL();
        String query = request.getQueryString();
        if (query != null) {
            url.append('?').append(query);
        }
        Optional<URI> received = context.url(url.toString());
        if (received.isEmpty()) {
            return Optional.empty();
        }
        Optional<URI> uri = Optional.of(context.keyUrl(request, received.get()));
        Headers headers = headers(request, leftOut);
        ExchangeSettings settings = new ExchangeSettings(request, headers, context);
        // A user signed in through a session cookie is as identified as one who sends Authorization (§3.5).
        boolean authenticated = request.getUserPrincipal() != null || request.getRemoteUser() != null;
        Request core = new Request(request.getMethod(), uri.get(), headers, Body.EMPTY, settings.beforeLookup(),
                authenticated);
        return Optional.of(new ClientRequest(context, request, core, settings));
    }

    private static Headers headers(HttpServletRequest request, String... leftOut) {
        Headers.Builder headers = Headers.builder();
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            if (isLeftOut(name, leftOut)) {
                continue;
            }
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                headers.add(name, values.nextElement());
            }
        }
        return headers.build();
    }

    private static boolean isLeftOut(String name, String... leftOut) {
        for (String field : leftOut) {
            if (field.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    Request core() {
        return core;
    }

    /** The request as the engine continues with it (with {@code hishel_spec_ignore} from a stored entry, say). */
    void continueAs(Request request) {
        this.core = request;
    }

    ExchangeSettings settings() {
        return settings;
    }

    /** The primary key, with the keyed fields the request carries. */
    CacheKey key() {
        if (key == null) {
            key = CacheKey.of(core, context.keyedFields);
        }
        return key;
    }

    /** Whether the cache must read the body before the lookup: to key on it, or for a request filter. */
    boolean needsBody() {
        String method = core.method();
        return context.options.supports(method) && !method.equals("GET") && !method.equals("HEAD")
                && (core.metadata().bodyKey()
                        || context.policy instanceof FilterPolicy filterPolicy && filterPolicy.requestFiltersNeedBody());
    }

    /**
     * Reads the body, at most {@code maxRequestBodySize} bytes, for the key and the request
     * filters; the application receives it again.
     *
     * @return false if it is larger; what was read is still replayed
     */
    boolean readBody() throws IOException {
        InputStream in = request.getInputStream();
        byte[] bytes = in.readNBytes(context.maxRequestBodySize + 1);
        readBody = bytes;
        if (bytes.length > context.maxRequestBodySize) {
            return false;
        }
        core = core.withBody(Body.of(bytes));
        return true;
    }

    /** The body the cache read, or null. */
    byte[] bodyRead() {
        return readBody;
    }

    /** The request the application receives on a miss or a validation, with the fields the cache chose. */
    ForwardedRequest forward(Headers headers) {
        forwarded = new ForwardedRequest(request, headers, readBody);
        return forwarded;
    }

    /** The request the application receives when the cache leaves it alone. */
    HttpServletRequest passedThrough() {
        return readBody == null ? request : new ForwardedRequest(request, core.headers(), readBody);
    }

    /**
     * Whether the answer belongs to the client's session though its own fields need not say so
     * (RFC 9111 §7.3): the request created the session, or the application read a value of it, such
     * as its CSRF token, to render. Asked at commit and again before the entry is made visible,
     * since a page may render its token after its first bytes went out.
     */
    boolean madeForOneSession() {
        if (forwarded != null && forwarded.sessionStateRead()) {
            return true;
        }
        try {
            HttpSession session = request.getSession(false);
            return session != null && session.isNew();
        } catch (IllegalStateException invalidated) {
            return true;
        }
    }
}
