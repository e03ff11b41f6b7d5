package io.hishel.servlet;

import io.hishel.http.Headers;
import io.hishel.http.RequestMetadata;
import io.hishel.http.Response;
import io.hishel.storage.EntryOptions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache settings of one exchange — hishel's metadata ({@code hishel_ttl} and the rest), the
 * stored entry's tags, and directives scoped to statuses — and the one place that decides which
 * of their sources wins.
 *
 * <p>They arrive by several routes: request attributes ({@link RequestAttributes}) that
 * application code sets before the filter or while it answers, {@code X-Hishel-*} request fields
 * from clients the operator trusts, a per-route {@link RequestMetadataResolver}
 * (the starter's rules), {@code X-Hishel-*} response fields (the wire format for upstreams that are
 * not Java), and {@link StatusScopedDirectives}. Before the lookup only what the key and the
 * lookup need is read ({@link #beforeLookup()}); everything else is read once, when the response
 * commits ({@link #answered}), so a controller may still choose while it answers. The application
 * wins over trusted clients, which win over routes; what the response says wins over the request.
 */
final class ExchangeSettings {

    private static final Logger LOG = LoggerFactory.getLogger(HishelCacheFilter.class);

    /** The metadata fields, in requests and responses: never passed on to the application's clients. */
    static final Set<String> METADATA_FIELDS = CacheContext.caseInsensitive(List.of(
            RequestMetadata.TTL_HEADER, RequestMetadata.REFRESH_TTL_ON_ACCESS_HEADER,
            RequestMetadata.SPEC_IGNORE_HEADER, RequestMetadata.BODY_KEY_HEADER, ExchangeSettings.ROUTE_FIELD));

    /** The stored field that carries {@link RequestAttributes#ROUTE} with the entry; never sent. */
    static final String ROUTE_FIELD = "Hishel-Route";

    private final HttpServletRequest request;
    /** What trusted clients and the route say; the application's own choices are read over them. */
    private final RequestMetadata fromClientAndRoute;
    private final Set<String> routeTags;
    private final RequestMetadata beforeLookup;
    private RequestMetadata answered;

    /**
     * @throws IllegalArgumentException if a request attribute set before the filter has a value of
     *                                  the wrong kind, naming it
     */
    ExchangeSettings(HttpServletRequest request, Headers headers, CacheContext context) {
        this.request = request;
        RequestMetadata metadata = RequestMetadata.NONE;
        if (context.trustClientMetadata) {
            metadata = RequestMetadata.fromHeaders(headers);
        }
        Set<String> tags = Set.of();
        if (context.metadataResolver != null) {
            RequestMetadata routed = context.metadataResolver.resolve(request);
            if (routed != null) {
                metadata = metadata.orElse(routed);
            }
            tags = context.metadataResolver.tags(request);
        }
        this.fromClientAndRoute = metadata;
        this.routeTags = tags;
        this.beforeLookup = RequestAttributes.metadata(request).orElse(fromClientAndRoute);
    }

    /** The metadata as the request arrives: what the key ({@code hishel_body_key}) and the lookup use. */
    RequestMetadata beforeLookup() {
        return beforeLookup;
    }

    /**
     * The metadata once the application has answered: its {@code X-Hishel-*} response fields,
     * then the request attributes as they are now, then trusted clients and the route. Read once.
     */
    RequestMetadata answered(Response appResponse) {
        if (answered == null) {
            RequestMetadata attributes;
            try {
                attributes = RequestAttributes.metadata(request);
            } catch (IllegalArgumentException e) {
                // The application's mistake must not cost its client the response.
                LOG.warn("Ignoring the cache attributes set while answering {}: {}", request.getRequestURI(),
                        e.getMessage());
                attributes = beforeLookup;
            }
            answered = RequestMetadata.fromHeaders(appResponse.headers())
                    .orElse(attributes.orElse(fromClientAndRoute));
        }
        return answered;
    }

    /** The stored entry's options: its TTL from the metadata, its tags from the application or the route. */
    EntryOptions entryOptions(RequestMetadata metadata) {
        EntryOptions options = EntryOptions.of(metadata);
        Set<String> tags;
        try {
            tags = request.getAttribute(RequestAttributes.TAGS) != null ? RequestAttributes.tags(request) : routeTags;
            return options.withTags(tags);
        } catch (IllegalArgumentException e) {
            LOG.warn("Storing {} without tags: {}", request.getRequestURI(), e.getMessage());
            return options;
        }
    }

    /**
     * The application's response without the cache's metadata fields, and without directives
     * meant for other statuses than the one it has.
     */
    Headers withoutInternalChoices(Response appResponse) {
        Headers headers = appResponse.headers().removeIf(METADATA_FIELDS::contains);
        if (request.getAttribute(RequestAttributes.ROUTE) instanceof String route && !route.isEmpty()) {
            headers = headers.plus(ROUTE_FIELD, route);
        }
        StatusScopedDirectives scoped = StatusScopedDirectives.of(request);
        if (scoped != null && !scoped.appliesTo(appResponse.status())
                && headers.allValues(scoped.field()).equals(List.of(scoped.value()))) {
            headers = headers.without(scoped.field());
        }
        return headers;
    }
}
