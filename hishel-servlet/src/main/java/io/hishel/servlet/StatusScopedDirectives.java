package io.hishel.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Set;

/**
 * Cache directives the application set on its response before it knew the status, meant only for
 * some statuses: an annotation such as the starter's {@code @HttpCache} is written for the success
 * case, and its {@code max-age} must not make the 503 its handler returns during an outage
 * cacheable. Application code sets the field and leaves this record in the request attribute
 * {@link #ATTRIBUTE}; when the response turns out to have another status, the filter withdraws the
 * field — if it still holds {@link #value()}, so a handler that chose its own value keeps it.
 *
 * @param field    the field the directives were written to, such as {@code Cache-Control}
 * @param value    the field value as it was set
 * @param statuses the statuses the directives are meant for
 */
public record StatusScopedDirectives(String field, String value, Set<Integer> statuses) {

    /** The request attribute under which application code leaves the directives it applied. */
    public static final String ATTRIBUTE = StatusScopedDirectives.class.getName();

    /**
     * Checks the components.
     *
     * @param field    the field the directives were written to
     * @param value    the field value as it was set
     * @param statuses the statuses the directives are meant for
     */
    public StatusScopedDirectives {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        statuses = Set.copyOf(statuses);
    }

    /** The directives the request's attribute carries, or null. */
    static StatusScopedDirectives of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof StatusScopedDirectives directives ? directives : null;
    }

    /**
     * Whether a response with this status keeps the directives.
     *
     * @param status the response's status
     * @return true if the directives are meant for it
     */
    public boolean appliesTo(int status) {
        return statuses.contains(status);
    }
}
