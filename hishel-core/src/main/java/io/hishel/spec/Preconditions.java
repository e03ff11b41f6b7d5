package io.hishel.spec;

import io.hishel.http.EntityTag;
import io.hishel.http.Headers;
import io.hishel.http.HttpDate;
import io.hishel.http.Request;
import io.hishel.http.Response;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cache answering its clients' own conditional requests (RFC 9111 §4.3.2, RFC 9110 §13).
 *
 * <p>A cache evaluates {@code If-None-Match} and {@code If-Modified-Since} for GET and HEAD
 * against the 200 response it would send, in the order of RFC 9110 §13.2.2, and answers
 * {@code 304 (Not Modified)} when the client's copy is current. {@code If-Match} and
 * {@code If-Unmodified-Since} apply only to the origin server (§4.3.2): requests carrying them go
 * to the application, which is why this class does not evaluate them.
 *
 * <p>Thread-safe; stateless.
 */
public final class Preconditions {

    /**
     * The fields a 304 carries from the 200 it stands for (RFC 9110 §15.4.5), plus {@code Age},
     * which describes the cache's copy, and {@code Set-Cookie}, which is not representation
     * metadata and which the client must receive whether or not its copy is current.
     * {@code Last-Modified} is added when there is no {@code ETag}, to guide the client's update.
     */
    private static final List<String> NOT_MODIFIED_FIELDS = List.of(
            "Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary", "Age", "Set-Cookie");

    private Preconditions() {
    }

    /**
     * Whether the request carries conditionals that this cache evaluates for its clients.
     *
     * @param request the client's request
     * @return true if it has {@code If-None-Match} or {@code If-Modified-Since}
     */
    public static boolean hasCacheConditionals(Request request) {
        return request.headers().contains("If-None-Match") || request.headers().contains("If-Modified-Since");
    }

    /**
     * Whether the request carries preconditions that only the origin server may evaluate
     * (RFC 9111 §4.3.2): {@code If-Match}, {@code If-Unmodified-Since}, or any conditional on a
     * method other than GET and HEAD.
     *
     * @param request the client's request
     * @return true if the request must reach the application with its preconditions intact
     */
    public static boolean hasOriginPreconditions(Request request) {
        Headers headers = request.headers();
        if (headers.contains("If-Match") || headers.contains("If-Unmodified-Since")) {
            return true;
        }
        boolean getOrHead = request.method().equals("GET") || request.method().equals("HEAD");
        return !getOrHead && hasCacheConditionals(request);
    }

    /**
     * Evaluates the client's {@code If-None-Match} and {@code If-Modified-Since} against the
     * response the cache would send (RFC 9110 §13.2.2, steps 3 and 4).
     *
     * @param request    the client's request
     * @param selected   the response the cache would send; only a 200 is evaluated (§4.3.2)
     * @param receivedAt when the selected response was received, the modification date of last
     *                   resort (§4.3.2)
     * @return the 304 to send instead, or empty to send the selected response
     */
    public static Optional<Response> notModified(Request request, Response selected, Instant receivedAt) {
        boolean getOrHead = request.method().equals("GET") || request.method().equals("HEAD");
        if (!getOrHead || selected.status() != 200) {
            return Optional.empty();
        }
        List<String> ifNoneMatch = request.headers().allValues("If-None-Match");
        if (!ifNoneMatch.isEmpty()) {
            // RFC 9110 §13.1.2: weak comparison; "*" matches any current representation.
            if (EntityTag.isWildcard(ifNoneMatch)) {
                return Optional.of(notModifiedResponse(selected));
            }
            Optional<EntityTag> current = Validation.etag(selected);
            boolean matches = current.isPresent() && EntityTag.parseList(ifNoneMatch).stream()
                    .anyMatch(tag -> tag.weakMatches(current.get()));
            return matches ? Optional.of(notModifiedResponse(selected)) : Optional.empty();
        }
        List<String> ifModifiedSince = request.headers().allValues("If-Modified-Since");
        if (ifModifiedSince.size() != 1) {
            // RFC 9110 §13.1.3: a value with more than one member is ignored.
            return Optional.empty();
        }
        Optional<Instant> since = HttpDate.parse(ifModifiedSince.get(0));
        if (since.isEmpty()) {
            return Optional.empty();
        }
        // §4.3.2: without Last-Modified, the stored response's Date, else the time it was received.
        Instant modified = Validation.lastModified(selected)
                .orElseGet(() -> Freshness.dateValue(selected, receivedAt));
        return modified.isAfter(since.get()) ? Optional.empty() : Optional.of(notModifiedResponse(selected));
    }

    /**
     * The 304 that stands for a 200 (RFC 9110 §15.4.5): only the fields a recipient needs to
     * update its stored copy.
     *
     * @param selected the 200 response
     * @return a 304 without content
     */
    public static Response notModifiedResponse(Response selected) {
        Headers.Builder headers = Headers.builder();
        for (Headers.Field field : selected.headers()) {
            if (NOT_MODIFIED_FIELDS.stream().anyMatch(field.name()::equalsIgnoreCase)) {
                headers.add(field.name(), field.value());
            }
        }
        if (!selected.headers().contains("ETag")) {
            selected.headers().firstValue("Last-Modified").ifPresent(value -> headers.add("Last-Modified", value));
        }
        return new Response(304, headers.build());
    }
}
