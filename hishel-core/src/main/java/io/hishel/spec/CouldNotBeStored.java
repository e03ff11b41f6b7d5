package io.hishel.spec;

import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.storage.Entry;
import java.util.List;
import java.util.Objects;

/**
 * The application's response is not stored: send it to the client as it is; remove
 * {@link #obsoleteEntries()}.
 *
 * @param request         the client's request
 * @param response        the application's response
 * @param obsoleteEntries stored responses the response shows to be unsuitable (RFC 9111 §4.3.3)
 * @param reason          why it is not stored
 */
public record CouldNotBeStored(Request request, Response response, List<Entry> obsoleteEntries, Reason reason)
        implements StorageDecision {

    /**
     * Checks the components.
     *
     * @param request         the client's request
     * @param response        the application's response
     * @param obsoleteEntries stored responses the response shows to be unsuitable (RFC 9111 §4.3.3)
     * @param reason          why it is not stored
     */
    public CouldNotBeStored {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        obsoleteEntries = List.copyOf(obsoleteEntries);
        Objects.requireNonNull(reason, "reason");
    }
}
