package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.policy.CacheOptions;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which stored responses could answer a request (RFC 9111 §4): same target URI, a method that
 * allows it, matching {@code Vary}-nominated fields (§4.1) — and, in a shared cache, for a
 * request with {@code Authorization}, only responses that explicitly allow shared reuse.
 */
final class Selection {

    /** Most recent first, by {@code Date}, then by receipt time (§4, §4.1). */
    private static final Comparator<Entry> NEWEST_FIRST = Comparator
            .comparing((Entry entry) -> Freshness.dateValue(entry.response(), entry.responseTime()))
            .thenComparing(Entry::responseTime)
            .reversed();

    private Selection() {
    }

    /** Stored responses for the same target URI whose method allows them to answer this request. */
    static List<Entry> sameResource(Request request, List<Entry> entries) {
        String url = null;
        List<Entry> same = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (!methodAllows(entry.request().method(), request.method())) {
                continue;
            }
            // The same text is the same URI; only different spellings need normalising to compare.
            if (entry.request().url().toString().equals(request.url().toString())) {
                same.add(entry);
                continue;
            }
            if (url == null) {
                url = CacheKey.normalizeUrl(request.url());
            }
            if (CacheKey.normalizeUrl(entry.request().url()).equals(url)) {
                same.add(entry);
            }
        }
        return same;
    }

    /**
     * Those whose {@code Vary}-nominated fields match. When some match with a {@code Vary} and
     * some without, the ones with {@code Vary} are preferred: §4.1 suspects a response that omits
     * it of having omitted it by mistake.
     */
    static List<Entry> varyMatching(Request request, List<Entry> entries) {
        List<Entry> withVary = new ArrayList<>();
        List<Entry> withoutVary = new ArrayList<>();
        for (Entry entry : entries) {
            if (Vary.matches(entry, request)) {
                (entry.request().varyKey().isEmpty() ? withoutVary : withVary).add(entry);
            }
        }
        return withVary.isEmpty() ? withoutVary : withVary;
    }

    /**
     * §3.5 read at reuse as well as at storage: in a shared cache a request with
     * {@code Authorization}, or a signed-in user's, is answered only by a response that public, s-maxage or
     * must-revalidate makes shareable. Anything else might be a representation for anonymous
     * users that the application would have tailored to this user.
     */
    static List<Entry> shareableWith(Request request, List<Entry> entries, CacheOptions options) {
        if (!options.shared() || !request.isAuthorized()) {
            return entries;
        }
        List<Entry> shareable = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (ResponseDirectives.of(entry.response().headers(), options).allowsSharingAuthorized()) {
                shareable.add(entry);
            }
        }
        return shareable;
    }

    static List<Entry> newestFirst(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(NEWEST_FIRST);
        return sorted;
    }

    /** A stored GET answers GET and HEAD; a stored HEAD only HEAD; any other method only itself. */
    private static boolean methodAllows(String storedMethod, String requestMethod) {
        if (storedMethod.equals("GET")) {
            return requestMethod.equals("GET") || requestMethod.equals("HEAD");
        }
        return storedMethod.equals(requestMethod);
    }
}
