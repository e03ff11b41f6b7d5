package io.hishel.servlet;

import io.hishel.http.RequestMetadata;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Per-route request metadata: the TTL, body key and the rest for requests the application
 * does not mark itself (Spring's starter builds one from {@code hishel.rules}).
 */
@FunctionalInterface
public interface RequestMetadataResolver {
    /**
     * The metadata for a request.
     *
     * @param request the request as the container received it
     * @return the metadata, or null or {@link RequestMetadata#NONE} for none
     */
    RequestMetadata resolve(HttpServletRequest request);

    /**
     * The tags the route gives the entry stored for a request. Tags the application sets
     * itself ({@link RequestAttributes#TAGS}, the starter's {@code @HttpCache}) replace them.
     *
     * @param request the request as the container received it
     * @return the tags; empty for none
     */
    default Set<String> tags(HttpServletRequest request) {
        return Set.of();
    }
}
