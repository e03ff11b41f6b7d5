package io.hishel.spec;

import java.util.Locale;
import java.util.Optional;

/**
 * Why the engine chose a state — the answer to "why was this (not) cached?".
 *
 * <p>Each reason has a sentence for people, the section of the specification that makes it so,
 * a stable {@linkplain #token() token} for machines (an RFC 9211 {@code Cache-Status}
 * {@code detail}, a metric tag, a log field) and, for reasons that send a request to the
 * application, the {@code Cache-Status} {@code fwd} value (RFC 9211 §2.2).
 *
 * <pre>
 * log.debug("{} {}: {}", request.method(), request.url(), state.reason());
 * // GET https://example.com/me: private response in a shared cache (RFC 9111 §5.2.2.7)
 * </pre>
 */
public enum Reason {

    // Answered from storage.

    /** A stored response is fresh and acceptable to the request. */
    FRESH("fresh stored response", "RFC 9111 §4.2", null),
    /** The client's {@code max-stale} accepts a stale stored response. */
    STALE_ALLOWED_BY_REQUEST("stale response accepted by the request's max-stale", "RFC 9111 §5.2.1.2", null),
    /** A stale stored response is served while it is revalidated in the background. */
    STALE_WHILE_REVALIDATE("stale response served while it is revalidated", "RFC 5861 §3", null),
    /** The application failed and a stale stored response may stand in for its answer. */
    STALE_IF_ERROR("stale response served because the application failed", "RFC 5861 §4", null),
    /** As {@link #STALE_IF_ERROR}, allowed by {@code CacheOptions.allowStale} rather than a directive. */
    STALE_ALLOWED_BY_OPTIONS("stale response served because the application failed, as the options allow",
            "RFC 9111 §4.2.4", null),
    /**
     * The application could not be reached — it threw before answering, or answered 502 or 504 —
     * and a stale stored response stands in, within {@code CacheOptions.grace}.
     */
    STALE_WHILE_DISCONNECTED("stale response served because the application could not be reached, within the grace",
            "RFC 9111 §4.2.4", null),
    /** A {@code FilterPolicy} or {@code hishel_spec_ignore} reuses a stored response without freshness checks. */
    REUSED_WITHOUT_SPECIFICATION("stored response reused without freshness checks (FilterPolicy or hishel_spec_ignore)",
            "hishel policies", null),
    /** The application answered 304 and the stored response was freshened. */
    REVALIDATED("stored response freshened by a 304 (Not Modified)", "RFC 9111 §4.3.4", null),
    /** The application answered a HEAD with 200 whose validators match the stored response. */
    FRESHENED_BY_HEAD("stored response freshened by a HEAD response", "RFC 9111 §4.3.5", null),

    // Sent to the application without looking at storage.

    /** The method is safe but not among {@code supportedMethods}. */
    METHOD_NOT_CACHEABLE("the request method is not cacheable", "RFC 9111 §3", "method"),
    /** An unsafe method: written through, never answered from storage. */
    UNSAFE_METHOD("unsafe request methods are written through to the application", "RFC 9111 §4", "method"),
    /** A method other than GET and HEAD uses the cache only when its body is part of the key. */
    BODY_KEY_REQUIRED("requests with a body use the cache only when keyed by it (hishel_body_key)",
            "RFC 9111 §2", "method"),
    /** A request filter of the {@code FilterPolicy} refused the request. */
    REQUEST_FILTERED("a FilterPolicy request filter refused the request", "hishel FilterPolicy", "bypass"),
    /** {@code If-Match} or {@code If-Unmodified-Since}: preconditions only the origin may evaluate. */
    PRECONDITIONS_FOR_APPLICATION("If-Match and If-Unmodified-Since are evaluated by the application",
            "RFC 9111 §4.3.2", "bypass"),

    // Sent to the application after looking at storage.

    /** Nothing is stored for the URI (and method). */
    NO_STORED_RESPONSE("no stored response for the URI", "RFC 9111 §4", "uri-miss"),
    /** Stored responses exist, but none matches the fields their {@code Vary} nominates. */
    VARY_MISMATCH("no stored response matches the request's Vary-nominated fields", "RFC 9111 §4.1", "vary-miss"),
    /** The request carries {@code Authorization}, or is a signed-in user's, and no stored response allows sharing with it. */
    AUTHORIZATION_NOT_SHAREABLE("stored responses do not allow sharing with an authorised request",
            "RFC 9111 §3.5", "request"),
    /** The request's {@code no-cache} (or {@code Pragma: no-cache}) requires validation. */
    REQUEST_NO_CACHE("the request's no-cache requires validation", "RFC 9111 §5.2.1.4", "request"),
    /** The stored response is older than the request's {@code max-age}. */
    REQUEST_MAX_AGE("stored response is older than the request's max-age", "RFC 9111 §5.2.1.1", "request"),
    /** The stored response will not stay fresh for the request's {@code min-fresh}. */
    REQUEST_MIN_FRESH("stored response will not stay fresh as long as the request's min-fresh",
            "RFC 9111 §5.2.1.3", "request"),
    /** The stored response has {@code no-cache}: it must be validated before each reuse. */
    RESPONSE_NO_CACHE("stored response has no-cache and must be validated", "RFC 9111 §5.2.2.4", "stale"),
    /** The stored response is stale and nothing allows serving it stale. */
    STALE("stored response is stale", "RFC 9111 §4.2", "stale"),
    /**
     * A 304 identified none of the stored responses: none is updated, and rather than asking the
     * application a second time the newest is served stale (or a 504 sent if it must not be).
     */
    VALIDATION_SELECTED_NOTHING("the 304 (Not Modified) identified no stored response; the newest is served "
            + "unchanged rather than asking the application again", "RFC 9111 §4.3.4", "stale"),

    // Not sent anywhere.

    /** {@code only-if-cached} and no stored response could be used: the cache answers 504. */
    ONLY_IF_CACHED("only-if-cached and no usable stored response", "RFC 9111 §5.2.1.7", null),

    // Storing outcomes.

    /** The response may be stored. */
    STORED("response is storable", "RFC 9111 §3", null),
    /** The response passed every filter of the {@code FilterPolicy} and the safety rules. */
    STORED_BY_FILTER_POLICY("response passed the FilterPolicy's response filters", "hishel FilterPolicy", null),
    /** {@code hishel_spec_ignore}: stored regardless of RFC 9111 directives. */
    STORED_IGNORING_SPECIFICATION("response stored regardless of directives (hishel_spec_ignore)",
            "hishel metadata", null),
    /** A response filter of the {@code FilterPolicy} refused the response. */
    RESPONSE_FILTERED("a FilterPolicy response filter refused the response", "hishel FilterPolicy", null),
    /** A 1xx response is not final. */
    NON_FINAL_STATUS("the status code is not final", "RFC 9111 §3", null),
    /** 206, 304, or an unknown status with {@code must-understand}. */
    STATUS_NOT_UNDERSTOOD("the cache does not implement this status code's caching", "RFC 9111 §3, §5.2.2.3", null),
    /** The response has {@code no-store}. */
    RESPONSE_NO_STORE("the response has no-store", "RFC 9111 §5.2.2.5", null),
    /** The request has {@code no-store}. */
    REQUEST_NO_STORE("the request has no-store", "RFC 9111 §5.2.1.5", null),
    /** An unqualified {@code private} in a shared cache. */
    PRIVATE_IN_SHARED_CACHE("private response in a shared cache", "RFC 9111 §5.2.2.7", null),
    /**
     * A response to a request with {@code Authorization}, or from a signed-in user, without public,
     * s-maxage or must-revalidate.
     */
    AUTHORIZATION_IN_SHARED_CACHE("response to an authorised or signed-in request without public, s-maxage or "
            + "must-revalidate", "RFC 9111 §3.5", null),
    /** No explicit freshness, not {@code public}, and a status that is not heuristically cacheable. */
    NOT_CACHEABLE("no explicit freshness and a status that is not heuristically cacheable", "RFC 9111 §3", null),
    /** No freshness lifetime and no validator: it could never be served, so it is not written. */
    NEVER_REUSABLE("no freshness lifetime and no validator, so it could never be reused", "RFC 9111 §3", null),
    /** {@code Vary: *} never matches a later request. */
    VARY_STAR("Vary: * never matches a later request", "RFC 9111 §4.1", null),
    /**
     * A qualified {@code private} or {@code no-cache}, or {@code Connection}, names a field the cache
     * itself depends on ({@code Vary}, {@code Cache-Control}, validators, dates): storing the
     * response without it could serve it to the wrong request.
     */
    CACHE_FIELD_EXCLUDED("the response withholds a field the cache depends on (Vary, Cache-Control, …)",
            "RFC 9111 §3.1, §4.1", null),
    /** A shared cache does not store responses that set cookies, unless the options allow it. */
    SET_COOKIE("the response sets a cookie (CacheOptions.storeSetCookie)", "RFC 9111 §7.3", null),
    /**
     * The answer was made for one client's session though its fields do not say so: it created
     * the session, or rendered a value of it such as a CSRF token. The servlet layer sees this;
     * storing it would hand that session's state to every other client.
     */
    SESSION_STATE("the response was made for one session: it created the session or rendered its CSRF token",
            "RFC 9111 §7.3", null),
    /** {@code Content-Length} exceeds {@code CacheOptions.maxEntrySize}. */
    TOO_LARGE("the body exceeds the maximum entry size (CacheOptions.maxEntrySize)", "hishel options", null),
    /** An error response to an unsafe method: nothing is stored or invalidated. */
    UNSAFE_METHOD_ERROR("error response to an unsafe method invalidates nothing", "RFC 9111 §4.4", null),

    // Invalidation.

    /** A non-error response to an unsafe method invalidates the target URI and its same-origin relatives. */
    INVALIDATED_BY_UNSAFE_METHOD("non-error response to an unsafe method invalidates stored responses",
            "RFC 9111 §4.4", null);

    private final String description;
    private final String section;
    private final String forward;

    Reason(String description, String section, String forward) {
        this.description = description;
        this.section = section;
        this.forward = forward;
    }

    /**
     * A sentence for people.
     *
     * @return for example {@code private response in a shared cache}
     */
    public String description() {
        return description;
    }

    /**
     * The specification and section behind the reason.
     *
     * @return for example {@code RFC 9111 §5.2.2.7}
     */
    public String section() {
        return section;
    }

    /**
     * A stable lower-case token, suitable for a {@code Cache-Status} {@code detail}, a metric
     * tag or a log field.
     *
     * @return for example {@code private-in-shared-cache}
     */
    public String token() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The RFC 9211 §2.2 {@code fwd} value, for reasons that send the request to the application.
     *
     * @return for example {@code uri-miss}; empty for reasons that do not forward
     */
    public Optional<String> forward() {
        return Optional.ofNullable(forward);
    }

    /** The description and the section, as a log line would show them. */
    @Override
    public String toString() {
        return description + " (" + section + ")";
    }
}
