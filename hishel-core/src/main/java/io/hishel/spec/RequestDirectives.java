package io.hishel.spec;

import io.hishel.http.CacheControl;
import io.hishel.http.Request;
import io.hishel.policy.CacheOptions;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * The request directives this cache honours (RFC 9111 §5.2.1): none when the options say clients'
 * directives are ignored; {@code Pragma: no-cache} as {@code no-cache} when the request has no
 * {@code Cache-Control} (§5.4). Arguments that are not valid delta-seconds are ignored.
 */
record RequestDirectives(CacheControl cacheControl, boolean pragmaNoCache) {

    static final RequestDirectives NONE = new RequestDirectives(CacheControl.EMPTY, false);

    static RequestDirectives of(Request request, CacheOptions options) {
        if (!options.honorRequestDirectives()) {
            return NONE;
        }
        List<String> lines = request.headers().allValues("Cache-Control");
        if (lines.isEmpty()) {
            boolean pragma = request.headers().listValues("Pragma").stream()
                    .anyMatch(member -> member.equalsIgnoreCase("no-cache"));
            return pragma ? new RequestDirectives(CacheControl.EMPTY, true) : NONE;
        }
        return new RequestDirectives(CacheControl.parse(lines), false);
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
        return cacheControl.maxAge();
    }

    OptionalLong minFresh() {
        return cacheControl.minFresh();
    }

    OptionalLong staleIfError() {
        return cacheControl.staleIfError();
    }

    /** §5.2.1.2: {@code max-stale} alone accepts any staleness; with a value, up to that many seconds. */
    boolean acceptsStaleness(Duration staleness) {
        if (!cacheControl.has("max-stale")) {
            return false;
        }
        if (cacheControl.argument("max-stale").isEmpty()) {
            return true;
        }
        OptionalLong limit = cacheControl.maxStale();
        return limit.isPresent() && staleness.compareTo(Duration.ofSeconds(limit.getAsLong())) <= 0;
    }
}
