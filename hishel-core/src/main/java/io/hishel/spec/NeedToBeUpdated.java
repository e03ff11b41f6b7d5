package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.storage.Entry;
import java.util.List;
import java.util.Objects;

/**
 * Validation succeeded (RFC 9111 §4.3.4, §4.3.5): write {@link #updatedEntries()} to storage,
 * remove {@link #obsoleteEntries()}, and answer as for a hit — send {@link #response()}, then, if
 * {@link #sendsBody()}, the stored body of {@link #entry()}.
 *
 * @param request         the client's request
 * @param entry           the freshened entry to serve
 * @param response        the status and headers to send: the freshened stored response with its
 *                        {@code Age}, or a 304 if the client's own conditionals match it
 * @param updatedEntries  entries whose stored header fields and times are to be replaced
 * @param obsoleteEntries entries to remove: candidates the validation did not select, and
 *                        selected ones whose new metadata forbids storing them
 * @param reason          why the stored response may be served
 * @param freshness       the freshened entry's freshness as it is served
 */
public record NeedToBeUpdated(Request request, Entry entry, Response response, List<Entry> updatedEntries,
                              List<Entry> obsoleteEntries, Reason reason, Freshness freshness)
        implements NeedRevalidation.Next {

    /**
     * Checks the components.
     *
     * @param request         the client's request
     * @param entry           the freshened entry to serve
     * @param response        the status and headers to send
     * @param updatedEntries  entries whose stored header fields and times are to be replaced
     * @param obsoleteEntries entries to remove
     * @param reason          why the stored response may be served
     * @param freshness       the freshened entry's freshness as it is served
     */
    public NeedToBeUpdated {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(response, "response");
        updatedEntries = List.copyOf(updatedEntries);
        obsoleteEntries = List.copyOf(obsoleteEntries);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(freshness, "freshness");
    }

    /**
     * Whether the stored body follows the headers: not for HEAD, and not when the answer is a 304.
     *
     * @return true to stream the entry's body to the client
     */
    public boolean sendsBody() {
        return FromCache.sendsBody(request, response);
    }
}
