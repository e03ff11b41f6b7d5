package io.hishel.spec;

import io.hishel.http.CacheControl;
import io.hishel.http.Request;
import io.hishel.policy.CacheOptions;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The request directives this cache honours (RFC 9111 §5.2.1): none when the options say clients'
 * directives are ignored; {@code Pragma: no-cache} as {@code no-cache} when the request has no
 * {@code Cache-Control} (§5.4). Arguments that are not valid delta-seconds are ignored. When a
 * directive occurs more than once, the client's strictest wish counts: the smallest
 * {@code max-age}, {@code max-stale} and {@code stale-if-error}, the largest {@code min-fresh};
 * {@code max-stale} accepts any staleness only when no occurrence bounds it.
 */
record RequestDirectives(CacheControl cacheControl, boolean pragmaNoCache) {

    static final RequestDirectives NONE = new RequestDirectives(CacheControl.EMPTY, false);

    static RequestDirectives of(Request request, CacheOptions options) {
        if (!options.honorRequestDirectives()) {
            return NONE;
        }
        if (!request.headers().contains("Cache-Control")) {
            boolean pragma = request.headers().listValues("Pragma").stream()
                    .anyMatch(member -> member.equalsIgnoreCase("no-cache"));
            return pragma ? new RequestDirectives(CacheControl.EMPTY, true) : NONE;
        }
        return new RequestDirectives(request.headers().cacheControl(), false);
    }

    boolean noCache() {
        return pragmaNoCache || cacheControl.has("no-cache");
    }

    boolean noStore() {
        return cacheControl.noStore();
    }

    boolean onlyIfCached() {
        return cacheControl.onlyIfCached();
    }

    OptionalLong maxAge() {
        return cacheControl.smallestSeconds("max-age");
    }

    OptionalLong minFresh() {
        return cacheControl.largestSeconds("min-fresh");
    }

    OptionalLong staleIfError() {
        return cacheControl.smallestSeconds("stale-if-error");
    }

    /** §5.2.1.2: {@code max-stale} alone accepts any staleness; with a value, up to that many seconds. */
    boolean acceptsStaleness(Duration staleness) {
        if (cacheControl.valueless("max-stale")) {
            return true;
        }
        OptionalLong limit = cacheControl.smallestSeconds("max-stale");
        return limit.isPresent() && staleness.compareTo(Duration.ofSeconds(limit.getAsLong())) <= 0;
    }
}
