package io.hishel.spec;

import io.hishel.http.CacheControl;
import io.hishel.http.Headers;
import io.hishel.policy.CacheOptions;
import java.util.Optional;

/**
 * The cache directives a response gives this cache: those of the first targeted field on the
 * cache's target list that is present and valid (RFC 9213 §2.2), otherwise {@code Cache-Control}.
 *
 * @param cacheControl the directives in force
 * @param targeted     whether they came from a targeted field, in which case {@code Expires} is
 *                     ignored as well as {@code Cache-Control}
 */
record ResponseDirectives(CacheControl cacheControl, boolean targeted) {

    static ResponseDirectives of(Headers headers, CacheOptions options) {
        for (String field : options.targetedFields()) {
            Optional<CacheControl> parsed = headers.targetedCacheControl(field);
            if (parsed.isPresent()) {
                return new ResponseDirectives(parsed.get(), true);
            }
        }
        return new ResponseDirectives(headers.cacheControl(), false);
    }

    /** §5.3: {@code Expires} counts unless max-age, a shared cache's s-maxage, or a targeted field overrides it. */
    boolean usesExpires(CacheOptions options) {
        return !targeted && !cacheControl.has("max-age") && !(options.shared() && cacheControl.has("s-maxage"));
    }

    /**
     * §4.2.4: directives that forbid serving the response stale — no-cache, must-revalidate, and in
     * a shared cache proxy-revalidate and s-maxage.
     */
    boolean forbidsStale(CacheOptions options) {
        return cacheControl.noCache() || cacheControl.mustRevalidate()
                || options.shared() && (cacheControl.proxyRevalidate() || cacheControl.has("s-maxage"));
    }

    /**
     * §3.5: the directives that let a shared cache reuse a response to an authorised request —
     * only in the spelling that defines them, since here they loosen what the cache may do: a
     * valid {@code s-maxage}, {@code public} and {@code must-revalidate} without arguments.
     */
    boolean allowsSharingAuthorized() {
        return cacheControl.isPublic() || cacheControl.sMaxAge().isPresent() || cacheControl.valueless("must-revalidate");
    }
}
