package io.hishel.servlet;

import io.hishel.http.RequestMetadata;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Locale;

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
