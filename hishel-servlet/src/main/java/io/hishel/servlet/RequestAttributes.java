package io.hishel.servlet;

import io.hishel.http.RequestMetadata;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Request metadata that application code sets as request attributes before the filter runs (a
 * filter or interceptor ordered earlier): hishel's own names, or a whole {@link RequestMetadata}
 * under {@link #METADATA}.
 */
public final class RequestAttributes {

    /** A whole {@link RequestMetadata}; the single attributes below fill in what it leaves unset. */
    public static final String METADATA = RequestMetadata.class.getName();
    /** {@code hishel_ttl}: a {@link Duration}, or a number of seconds as a number or string. */
    public static final String TTL = "hishel_ttl";
    /** {@code hishel_refresh_ttl_on_access}: a {@link Boolean} or {@code "true"}/{@code "false"}. */
    public static final String REFRESH_TTL_ON_ACCESS = "hishel_refresh_ttl_on_access";
    /** {@code hishel_spec_ignore}: a {@link Boolean} or {@code "true"}/{@code "false"}. */
    public static final String SPEC_IGNORE = "hishel_spec_ignore";
    /** {@code hishel_body_key}: a {@link Boolean} or {@code "true"}/{@code "false"}. */
    public static final String BODY_KEY = "hishel_body_key";

    /**
     * The tags of the entry stored for this request, for {@link io.hishel.storage.Storage#purgeByTag}:
     * a {@link java.util.Collection} of strings or one comma-separated string. Read when the response
     * is stored, so the application may set it while it answers.
     */
    public static final String TAGS = "hishel_tags";
    /**
     * {@code hishel_route}: the pattern of the route that answered, such as {@code /products/{id}},
     * as a {@link String}. The filter stores it with the entry and sets it again on every request
     * the entry answers, which never reaches the application's router, so that metrics and traces
     * name the route of a hit. The Spring Boot starter sets it from Spring MVC's best matching
     * pattern.
     */
    public static final String ROUTE = "hishel_route";

    private RequestAttributes() {
    }

    /**
     * The metadata the request's attributes carry.
     *
     * @param request the request
     * @return the metadata; {@link RequestMetadata#NONE} if there is none
     * @throws IllegalArgumentException if an attribute has a value of the wrong kind, naming it
     */
    public static RequestMetadata metadata(HttpServletRequest request) {
        Object whole = request.getAttribute(METADATA);
        Object ttl = request.getAttribute(TTL);
        Object refresh = request.getAttribute(REFRESH_TTL_ON_ACCESS);
        Object specIgnore = request.getAttribute(SPEC_IGNORE);
        Object bodyKey = request.getAttribute(BODY_KEY);
        if (whole == null && ttl == null && refresh == null && specIgnore == null && bodyKey == null) {
            return RequestMetadata.NONE;
        }
        RequestMetadata.Builder builder = RequestMetadata.builder();
        if (ttl != null) {
            builder.ttl(duration(ttl));
        }
        if (refresh != null) {
            builder.refreshTtlOnAccess(flag(REFRESH_TTL_ON_ACCESS, refresh));
        }
        if (specIgnore != null) {
            builder.specIgnore(flag(SPEC_IGNORE, specIgnore));
        }
        if (bodyKey != null) {
            builder.bodyKey(flag(BODY_KEY, bodyKey));
        }
        RequestMetadata single = builder.build();
        if (whole instanceof RequestMetadata metadata) {
            return metadata.orElse(single);
        }
        if (whole != null) {
            throw new IllegalArgumentException("Request attribute " + METADATA + " must be a RequestMetadata, but was "
                    + whole.getClass().getName());
        }
        return single;
    }

    /**
     * The tags the request's {@link #TAGS} attribute carries.
     *
     * @param request the request
     * @return the tags, trimmed, without blanks; empty if there are none
     * @throws IllegalArgumentException if the attribute is neither a collection nor a string
     */
    public static Set<String> tags(HttpServletRequest request) {
        Object value = request.getAttribute(TAGS);
        if (value == null) {
            return Set.of();
        }
        Stream<?> items;
        if (value instanceof Collection<?> collection) {
            items = collection.stream();
        } else if (value instanceof CharSequence text) {
            items = Arrays.stream(text.toString().split(","));
        } else {
            throw new IllegalArgumentException("Request attribute " + TAGS
                    + " must be a collection of strings or a comma-separated string, but was "
                    + value.getClass().getName());
        }
        return items.map(item -> String.valueOf(item).trim()).filter(tag -> !tag.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Duration duration(Object value) {
        if (value instanceof Duration duration) {
            return duration;
        }
        if (value instanceof Number number) {
            return Duration.ofSeconds(number.longValue());
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.toString().trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Request attribute " + TTL
                    + " must be a Duration or a number of seconds, but was \"" + value + "\"", e);
        }
    }

    private static boolean flag(String name, Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("Request attribute " + name + " must be true or false, but was \""
                + value + "\"");
    }
}
