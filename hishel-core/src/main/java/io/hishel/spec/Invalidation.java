package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Invalidation after unsafe methods (RFC 9111 §4.4).
 */
final class Invalidation {

    private Invalidation() {
    }

    /** §4.4: a non-error response is one with a 2xx or 3xx status. */
    static boolean isNonError(Response response) {
        return response.status() >= 200 && response.status() < 400;
    }

    /**
     * The URIs to invalidate: the target URI, and the URIs in {@code Location} and
     * {@code Content-Location} when they share its origin — never another origin's, which would
     * let one site evict another's responses.
     */
    static List<URI> targets(Request request, Response response) {
        Set<String> seen = new LinkedHashSet<>();
        List<URI> targets = new ArrayList<>(3);
        add(request.url(), seen, targets);
        for (String field : List.of("Location", "Content-Location")) {
            response.headers().firstValue(field)
                    .flatMap(value -> resolve(request.url(), value))
                    .filter(uri -> sameOrigin(request.url(), uri))
                    .ifPresent(uri -> add(uri, seen, targets));
        }
        return List.copyOf(targets);
    }

    private static void add(URI uri, Set<String> seen, List<URI> targets) {
        if (seen.add(CacheKey.normalizeUrl(uri))) {
            targets.add(uri);
        }
    }

    private static Optional<URI> resolve(URI base, String reference) {
        if (reference.isBlank()) {
            // A same-document reference: the target URI itself (java.net.URI would resolve it to the parent).
            return Optional.empty();
        }
        try {
            URI resolved = base.resolve(new URI(reference.trim()));
            return resolved.isAbsolute() && resolved.getHost() != null ? Optional.of(resolved) : Optional.empty();
        } catch (Exception e) {
            // A malformed Location invalidates nothing extra; it is the application's to fix.
            return Optional.empty();
        }
    }

    /** RFC 9110 §4.3.1: scheme, host and port. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }
}
