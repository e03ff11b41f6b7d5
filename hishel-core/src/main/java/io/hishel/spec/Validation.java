package io.hishel.spec;

import io.hishel.http.EntityTag;
import io.hishel.http.Headers;
import io.hishel.http.HttpDate;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.storage.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Validation (RFC 9111 §4.3): the conditional request the cache sends, the stored responses a
 * 304 selects, and how their header fields are updated (§3.2).
 */
final class Validation {

    /** The client's own conditionals and range, replaced by the cache's when it validates. */
    static final List<String> CLIENT_CONDITIONALS = List.of(
            "If-None-Match", "If-Modified-Since", "If-Range", "Range");

    /**
     * Fields a 304 or HEAD response does not update (§3.2): those never stored (§3.1),
     * {@code Content-Length}, and the fields the stored body depends upon — its media type,
     * coding and range — which a validation that confirms the same representation cannot change.
     */
    private static final Set<String> NOT_UPDATED = Set.of(
            "content-length", "content-encoding", "content-type", "content-range", "transfer-encoding");

    private Validation() {
    }

    /**
     * §4.3.1: the request with every stored entity-tag in {@code If-None-Match}, and, when a single
     * stored response is validated, its {@code Last-Modified} in {@code If-Modified-Since}. The
     * client's own conditionals are removed; the cache evaluates them itself afterwards against the
     * response it serves (§4.3.2).
     */
    static Request conditionalRequest(Request request, List<Entry> candidates) {
        Headers headers = request.headers().without(CLIENT_CONDITIONALS);
        Set<String> entityTags = new LinkedHashSet<>();
        List<Entry> withValidators = new ArrayList<>();
        for (Entry candidate : candidates) {
            Optional<EntityTag> etag = etag(candidate.response());
            etag.ifPresent(tag -> entityTags.add(tag.toString()));
            if (etag.isPresent() || lastModified(candidate.response()).isPresent()) {
                withValidators.add(candidate);
            }
        }
        if (!entityTags.isEmpty()) {
            headers = headers.with("If-None-Match", String.join(", ", entityTags));
        }
        if (withValidators.size() == 1) {
            Response validated = withValidators.get(0).response();
            if (lastModified(validated).isPresent()) {
                headers = headers.with("If-Modified-Since", validated.headers().firstValue("Last-Modified").orElseThrow());
            }
        }
        return request.withHeaders(headers);
    }

    /**
     * §4.3.4: the stored responses a 304 identifies for update, from the initial set of those that
     * could have been chosen for the request.
     */
    static List<Entry> selectForUpdate(List<Entry> candidates, Response notModified) {
        Optional<EntityTag> etag = etag(notModified);
        if (etag.isPresent() && !etag.get().weak()) {
            List<Entry> selected = new ArrayList<>();
            for (Entry candidate : candidates) {
                if (etag(candidate.response()).filter(stored -> stored.strongMatches(etag.get())).isPresent()) {
                    selected.add(candidate);
                }
            }
            // None has the same strong validator: the 304 MUST NOT update any of them.
            return selected;
        }
        Optional<Instant> lastModified = lastModified(notModified);
        if (etag.isPresent() || lastModified.isPresent()) {
            // Weak validators: the most recent stored response they correspond to.
            return Selection.newestFirst(candidates).stream()
                    .filter(candidate -> etag.isPresent()
                            ? etag(candidate.response()).filter(stored -> stored.weakMatches(etag.get())).isPresent()
                            : lastModified.equals(lastModified(candidate.response())))
                    .findFirst().map(List::of).orElse(List.of());
        }
        if (candidates.size() == 1 && !hasValidator(candidates.get(0).response())) {
            return List.of(candidates.get(0));
        }
        // No validator in the 304. The RFC selects nothing here, but when the conditional request
        // carried the validators of a single stored response, the 304 can only be about that one.
        List<Entry> validated = candidates.stream().filter(candidate -> hasValidator(candidate.response())).toList();
        return validated.size() == 1 ? validated : List.of();
    }

    /**
     * §4.3.5: whether a 200 response to HEAD can update a stored GET response — matching
     * validators where the HEAD response has them, and a matching {@code Content-Length} if it has
     * one. Otherwise the stored response is to be considered stale.
     */
    static boolean headResponseMatches(Entry candidate, Response head) {
        Response stored = candidate.response();
        Optional<EntityTag> headEtag = etag(head);
        if (headEtag.isPresent() && !etag(stored).filter(tag -> tag.strongMatches(headEtag.get())
                || headEtag.get().weak() && tag.weakMatches(headEtag.get())).isPresent()) {
            return false;
        }
        Optional<Instant> headLastModified = lastModified(head);
        if (headLastModified.isPresent() && !headLastModified.equals(lastModified(stored))) {
            return false;
        }
        if (headEtag.isEmpty() && headLastModified.isEmpty() && hasValidator(stored)) {
            return false;
        }
        Optional<String> headLength = head.headers().firstValue("Content-Length");
        return headLength.isEmpty() || headLength.equals(stored.headers().firstValue("Content-Length"));
    }

    /**
     * §3.2: each field of the newer response replaces the stored field of the same name, except
     * the fields that are not updated. {@code Age} and {@code Date} describe the newer message, so
     * they always come from it ({@code Date} from its receipt time when it has none). Fields the
     * options keep out of storage — {@code Set-Cookie} — are never brought in by an update.
     */
    static Response updateHeaders(Response stored, Response newer, CacheOptions options, Instant receivedAt) {
        Set<String> excluded = new HashSet<>(NOT_UPDATED);
        ResponseDirectives newerDirectives = ResponseDirectives.of(newer.headers(), options);
        Headers newerHeaders = Storability.storableHeaders(newer.headers(), newerDirectives, options);
        if (!options.storeSetCookie()) {
            excluded.add("set-cookie");
        }
        Headers.Builder updated = stored.headers().toBuilder();
        updated.remove("Age");
        for (String name : newerHeaders.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (excluded.contains(lower)) {
                continue;
            }
            updated.remove(name);
            for (String value : newerHeaders.allValues(name)) {
                updated.add(name, value);
            }
        }
        if (newer.headers().date("Date").isEmpty()) {
            updated.set("Date", HttpDate.format(receivedAt));
        }
        Response merged = new Response(stored.status(), updated.build());
        // The merged response may now carry directives that exclude more fields.
        ResponseDirectives mergedDirectives = ResponseDirectives.of(merged.headers(), options);
        return merged.withHeaders(Storability.storableHeaders(merged.headers(), mergedDirectives, options));
    }

    static Optional<EntityTag> etag(Response response) {
        return response.headers().entityTag();
    }

    static Optional<Instant> lastModified(Response response) {
        return response.headers().date("Last-Modified");
    }

    static boolean hasValidator(Response response) {
        return etag(response).isPresent() || lastModified(response).isPresent();
    }
}
