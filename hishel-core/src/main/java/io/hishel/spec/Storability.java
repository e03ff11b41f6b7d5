package io.hishel.spec;

import io.hishel.http.CacheControl;
import io.hishel.http.Headers;
import io.hishel.http.HttpDate;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.policy.BaseFilter;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.FilterPolicy;
import io.hishel.policy.SpecificationPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * May this response be stored? (RFC 9111 §3), and what of it (§3.1).
 */
final class Storability {

    /**
     * Fields never stored (§3.1): hop-by-hop fields that RFC 9110 §7.6.1 requires a proxy to
     * remove, and fields specific to the proxy the cache uses.
     */
    private static final Set<String> NOT_STORED = Set.of(
            "connection", "keep-alive", "proxy-connection", "te", "transfer-encoding", "upgrade", "trailer",
            "proxy-authenticate", "proxy-authentication-info", "proxy-authorization");

    /**
     * The status codes whose caching requirements this cache implements, for
     * {@code must-understand} (§5.2.2.3): those RFC 9110 §15 defines, but partial content and 304,
     * which it never stores as responses of their own.
     */
    private static final Set<Integer> UNDERSTOOD_STATUS = Set.of(
            200, 201, 202, 203, 204, 205, 300, 301, 302, 303, 305, 307, 308,
            400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422,
            426, 500, 501, 502, 503, 504, 505);

    /**
     * Fields the cache itself reads to select, age or validate a stored response. A response that
     * withholds one of them from storage is not stored: without its {@code Vary} it would answer
     * other users, without its {@code Cache-Control} it would skip validation.
     */
    private static final Set<String> CACHE_FIELDS = Set.of(
            "vary", "cache-control", "expires", "date", "age", "etag", "last-modified", "content-length");

    private Storability() {
    }

    /**
     * Why the response may not be stored, or empty if it may.
     *
     * @param request  the request it answers
     * @param response the response, as the application sent it
     * @param policy   the policy and its options
     * @param now      the time it was received
     */
    static Optional<Reason> refusal(Request request, Response response, CachePolicy policy, Instant now) {
        CacheOptions options = policy.options();
        ResponseDirectives directives = ResponseDirectives.of(response.headers(), options);
        Optional<Reason> unsafe = safetyRefusal(request, response, directives, options);
        if (unsafe.isPresent()) {
            return unsafe;
        }
        if (policy instanceof FilterPolicy filterPolicy) {
            for (BaseFilter<Response> filter : filterPolicy.responseFilters()) {
                if (!filter.apply(response, filter.needsBody() ? response.body().toByteArray() : null)) {
                    return Optional.of(Reason.RESPONSE_FILTERED);
                }
            }
            return Optional.empty();
        }
        if (request.metadata().specIgnore()) {
            return Optional.empty();
        }
        return specificationRefusal(request, response, directives, options, now);
    }

    /** The reason a stored response is kept, once {@link #refusal} found none. */
    static Reason storedReason(Request request, CachePolicy policy) {
        if (policy instanceof FilterPolicy) {
            return Reason.STORED_BY_FILTER_POLICY;
        }
        return request.metadata().specIgnore() ? Reason.STORED_IGNORING_SPECIFICATION : Reason.STORED;
    }

    /**
     * Rules that hold under every policy, because breaking them could serve one user's response
     * to another or store what cannot be served: a final, complete status; no {@code no-store}
     * (unless {@code must-understand} lifts it, §5.2.2.3); in a shared cache no {@code private}
     * response and no response to an authorised request without a directive that allows it
     * (§3.5); no cookies unless allowed; no {@code Vary: *}; no response that withholds a field
     * the cache depends on; the size limit. An application that wants this cache to keep a
     * response that tells other caches {@code no-store} says so in a targeted field such as
     * {@code Hishel-Cache-Control} (RFC 9213), which replaces {@code Cache-Control} here.
     */
    private static Optional<Reason> safetyRefusal(Request request, Response response, ResponseDirectives directives,
                                                  CacheOptions options) {
        int status = response.status();
        if (status < 200) {
            return Optional.of(Reason.NON_FINAL_STATUS);
        }
        if (status == 206 || status == 304) {
            // Partial content (§3.3, §3.4) is not combined; a 304 only ever freshens (§4.3.4).
            return Optional.of(Reason.STATUS_NOT_UNDERSTOOD);
        }
        CacheControl cacheControl = directives.cacheControl();
        boolean understood = UNDERSTOOD_STATUS.contains(status);
        if (cacheControl.mustUnderstand() && !understood) {
            return Optional.of(Reason.STATUS_NOT_UNDERSTOOD);
        }
        // §5.2.2.3: a cache that understands the status ignores no-store when must-understand is present.
        if (cacheControl.noStore() && !(cacheControl.mustUnderstand() && understood)) {
            return Optional.of(Reason.RESPONSE_NO_STORE);
        }
        if (options.shared() && cacheControl.isPrivate()) {
            return Optional.of(Reason.PRIVATE_IN_SHARED_CACHE);
        }
        if (excludedFields(response.headers(), directives, options).stream().anyMatch(name -> isCacheField(name, options))) {
            return Optional.of(Reason.CACHE_FIELD_EXCLUDED);
        }
        if (options.shared() && request.isAuthorized() && !directives.allowsSharingAuthorized()) {
            return Optional.of(Reason.AUTHORIZATION_IN_SHARED_CACHE);
        }
        if (Vary.isStar(response.headers())) {
            return Optional.of(Reason.VARY_STAR);
        }
        if (!options.storeSetCookie() && storableHeaders(response.headers(), directives, options).contains("Set-Cookie")) {
            return Optional.of(Reason.SET_COOKIE);
        }
        OptionalLong contentLength = response.headers().firstValue("Content-Length")
                .map(CacheControl::parseDeltaSeconds).orElse(OptionalLong.empty());
        if (contentLength.isPresent() && contentLength.getAsLong() > options.maxEntrySize()) {
            return Optional.of(Reason.TOO_LARGE);
        }
        return Optional.empty();
    }

    /** §3: the storing conditions of the specification itself. */
    private static Optional<Reason> specificationRefusal(Request request, Response response,
                                                         ResponseDirectives directives, CacheOptions options,
                                                         Instant now) {
        CacheControl cacheControl = directives.cacheControl();
        int status = response.status();
        if (RequestDirectives.of(request, options).noStore()) {
            return Optional.of(Reason.REQUEST_NO_STORE);
        }
        boolean explicitlyCacheable = cacheControl.isPublic()
                || !options.shared() && cacheControl.has("private")
                || directives.usesExpires(options) && response.headers().contains("Expires")
                || cacheControl.has("max-age")
                || options.shared() && cacheControl.has("s-maxage");
        if (!explicitlyCacheable && !Freshness.HEURISTICALLY_CACHEABLE.contains(status)) {
            return Optional.of(Reason.NOT_CACHEABLE);
        }
        // §3 allows storing what can never be reused; writing it on every request is pure cost.
        boolean hasValidator = Validation.hasValidator(response);
        if (cacheControl.noCache() && !hasValidator) {
            return Optional.of(Reason.NEVER_REUSABLE);
        }
        Duration lifetime = Freshness.freshnessLifetime(response, directives, options, now);
        boolean mayServeStale = !directives.forbidsStale(options) && (cacheControl.has("stale-while-revalidate")
                || cacheControl.has("stale-if-error") || !options.allowStale().isZero());
        if (lifetime.isZero() && !hasValidator && !mayServeStale) {
            return Optional.of(Reason.NEVER_REUSABLE);
        }
        return Optional.empty();
    }

    /**
     * The response as it is stored (§3.1): without the fields that must not be stored, those a
     * qualified {@code no-cache} names, and, in a shared cache, those a qualified {@code private}
     * names; with a {@code Date} if it had none or an invalid one (RFC 9110 §6.6.1).
     */
    static Response storable(Response response, CacheOptions options, Instant receivedAt) {
        ResponseDirectives directives = ResponseDirectives.of(response.headers(), options);
        Headers headers = storableHeaders(response.headers(), directives, options);
        if (headers.date("Date").isEmpty()) {
            headers = headers.with("Date", HttpDate.format(receivedAt));
        }
        return new Response(response.status(), headers);
    }

    static Headers storableHeaders(Headers headers, ResponseDirectives directives, CacheOptions options) {
        Set<String> excluded = excludedFields(headers, directives, options);
        return headers.removeIf(name -> excluded.contains(name.toLowerCase(Locale.ROOT)));
    }

    private static boolean isCacheField(String lowerCaseName, CacheOptions options) {
        return CACHE_FIELDS.contains(lowerCaseName)
                || options.targetedFields().stream().anyMatch(lowerCaseName::equalsIgnoreCase);
    }

    /** The lower-case names of the fields §3.1 keeps out of storage for this response. */
    private static Set<String> excludedFields(Headers headers, ResponseDirectives directives, CacheOptions options) {
        Set<String> excluded = new HashSet<>(NOT_STORED);
        for (String option : headers.listValues("Connection")) {
            excluded.add(option.toLowerCase(Locale.ROOT));
        }
        excluded.addAll(directives.cacheControl().noCacheFields());
        if (options.shared()) {
            excluded.addAll(directives.cacheControl().privateFields());
        }
        return excluded;
    }

    /** Whether the policy reuses stored responses without RFC 9111 freshness checks. */
    static boolean ignoresSpecification(Request request, CachePolicy policy) {
        return policy instanceof FilterPolicy
                || policy instanceof SpecificationPolicy && request.metadata().specIgnore();
    }
}
