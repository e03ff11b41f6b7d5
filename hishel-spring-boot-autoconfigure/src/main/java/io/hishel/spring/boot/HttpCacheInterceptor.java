package io.hishel.spring.boot;

import io.hishel.http.RequestMetadata;
import io.hishel.policy.CacheOptions;
import io.hishel.servlet.RequestAttributes;
import io.hishel.servlet.StatusScopedDirectives;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringValueResolver;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Applies {@link HttpCache} annotations before the handler runs: the cache header, the entry's TTL
 * as an {@code X-Hishel-Ttl} response field, and its tags as the {@code hishel_tags} attribute.
 * When the handler fails, it takes them back before an exception handler answers: the directives
 * describe the handler's answer, and an error page must not be stored and served for a minute
 * because the page it replaced could be.
 *
 * <p>Each handler method's annotations (the class's and the method's, merged) are read and checked
 * once, at start-up ({@link #check}), with their {@code ${…}} placeholders resolved; a mistake, such
 * as an unparseable duration, stops the application with a message naming the method and the
 * attribute.
 */
final class HttpCacheInterceptor implements HandlerInterceptor, HandlerExceptionResolver {

    /** The directives this interceptor applied to the request, so a failure can take them back. */
    private static final String APPLIED = HttpCacheInterceptor.class.getName() + ".applied";

    private static final Directives NONE = new Directives(null, null, null, List.of(), Set.of(), List.of());

    private final Map<HandlerMethodKey, Directives> directives = new ConcurrentHashMap<>();
    private final StringValueResolver placeholders;

    HttpCacheInterceptor(StringValueResolver placeholders) {
        this.placeholders = placeholders;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // Stored with the entry, so that the hits it answers, which never get here, name their route.
        if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern) {
            request.setAttribute(RequestAttributes.ROUTE, pattern);
        }
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Directives found = directives.computeIfAbsent(new HandlerMethodKey(method.getBeanType(), method.getMethod()),
                key -> read(method));
        if (found == NONE) {
            return true;
        }
        if (found.headerValue() != null && !response.containsHeader(found.header())) {
            response.setHeader(found.header(), found.headerValue());
            // Set before the status is known: the filter withdraws it from answers with other statuses.
            request.setAttribute(StatusScopedDirectives.ATTRIBUTE,
                    new StatusScopedDirectives(found.header(), found.headerValue(), found.statuses()));
        }
        // Added to what a filter before the handler may have set: each field is one more dimension of the key.
        for (String field : found.vary()) {
            if (!response.getHeaders(HttpHeaders.VARY).contains(field)) {
                response.addHeader(HttpHeaders.VARY, field);
            }
        }
        // A response header, because the filter has read the request's attributes by now; it reads
        // X-Hishel-* response fields when it stores, and removes them before the response leaves.
        if (found.ttl() != null && !response.containsHeader(RequestMetadata.TTL_HEADER)) {
            response.setHeader(RequestMetadata.TTL_HEADER, Long.toString(found.ttl().toSeconds()));
        }
        // The handler's annotation is the most specific choice: it replaces a rule's tags.
        if (!found.tags().isEmpty()) {
            request.setAttribute(RequestAttributes.TAGS, found.tags());
        }
        request.setAttribute(APPLIED, found);
        return true;
    }

    /** Runs first among the resolvers, resolves nothing: it only withdraws what {@link #preHandle} set. */
    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception failure) {
        if (request.getAttribute(APPLIED) instanceof Directives applied && !response.isCommitted()) {
            request.removeAttribute(APPLIED);
            // Only what is still ours: a handler that set its own value before failing keeps it.
            if (applied.headerValue() != null && applied.headerValue().equals(response.getHeader(applied.header()))) {
                response.setHeader(applied.header(), null);
            }
            request.removeAttribute(StatusScopedDirectives.ATTRIBUTE);
            response.setHeader(RequestMetadata.TTL_HEADER, null);
            if (!applied.tags().isEmpty()) {
                request.removeAttribute(RequestAttributes.TAGS);
            }
        }
        return null;
    }

    /**
     * Reads a handler method's annotations now, so that their mistakes stop the start-up.
     *
     * @throws InvalidHttpCacheAnnotationException naming the method and the attribute
     */
    void check(HandlerMethod method) {
        directives.computeIfAbsent(new HandlerMethodKey(method.getBeanType(), method.getMethod()), key -> read(method));
    }

    /** The class's annotation with the method's over it, attribute by attribute, as {@code @CrossOrigin} combines. */
    private Directives read(HandlerMethod method) {
        HttpCache onMethod = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), HttpCache.class);
        HttpCache onClass = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), HttpCache.class);
        if (onMethod == null && onClass == null) {
            return NONE;
        }
        String where = method.getBeanType().getSimpleName() + "." + method.getMethod().getName();
        return directives(Attributes.merge(onClass, onMethod, placeholders, where), where);
    }

    private static Directives directives(Attributes annotation, String where) {
        Duration maxAge = duration(annotation.maxAge, "maxAge", where);
        CacheControl control;
        if (annotation.noStore) {
            if (maxAge != null || annotation.noCache) {
                throw new InvalidHttpCacheAnnotationException("@HttpCache(noStore = true) on " + where + " also sets "
                        + (maxAge != null ? "maxAge" : "noCache") + ": a response that is never stored has no use"
                        + " for it; remove one of the two");
            }
            control = CacheControl.noStore();
        } else if (annotation.noCache) {
            if (maxAge != null) {
                throw new InvalidHttpCacheAnnotationException("@HttpCache(noCache = true) on " + where + " also sets maxAge: a"
                        + " response revalidated before every reuse has no use for a lifetime; remove one of the two");
            }
            control = CacheControl.noCache();
        } else {
            control = maxAge != null ? CacheControl.maxAge(maxAge) : CacheControl.empty();
        }
        switch (annotation.visibility) {
            case PUBLIC -> control = control.cachePublic();
            case PRIVATE -> control = control.cachePrivate();
            default -> { }
        }
        Duration sMaxAge = duration(annotation.sMaxAge, "sMaxAge", where);
        if (sMaxAge != null) {
            control = control.sMaxAge(sMaxAge);
        }
        Duration staleWhileRevalidate = duration(annotation.staleWhileRevalidate, "staleWhileRevalidate", where);
        if (staleWhileRevalidate != null) {
            control = control.staleWhileRevalidate(staleWhileRevalidate);
        }
        Duration staleIfError = duration(annotation.staleIfError, "staleIfError", where);
        if (staleIfError != null) {
            control = control.staleIfError(staleIfError);
        }
        if (annotation.mustRevalidate) {
            control = control.mustRevalidate();
        }
        if (annotation.proxyRevalidate) {
            control = control.proxyRevalidate();
        }
        if (annotation.noTransform) {
            control = control.noTransform();
        }
        if (annotation.immutable) {
            control = control.immutable();
        }
        String header = annotation.serverOnly ? CacheOptions.HISHEL_CACHE_CONTROL : "Cache-Control";
        Set<Integer> statuses = new HashSet<>();
        for (int status : annotation.statuses) {
            if (status < 100 || status > 999) {
                throw new InvalidHttpCacheAnnotationException("@HttpCache(statuses = " + status + ") on " + where
                        + " is not a status code: write three-digit codes such as 200 or 404");
            }
            statuses.add(status);
        }
        for (String field : annotation.vary) {
            if (field.isBlank() || !field.chars().allMatch(HttpCacheInterceptor::isTokenChar)) {
                throw new InvalidHttpCacheAnnotationException("@HttpCache(vary = \"" + field + "\") on " + where
                        + " is not a field name: write names such as Accept-Language or Accept");
            }
        }
        String value = control.getHeaderValue();
        return new Directives(header, value == null || value.isEmpty() ? null : value,
                duration(annotation.ttl, "ttl", where), annotation.tags, Set.copyOf(statuses), annotation.vary);
    }

    /** An RFC 9110 §5.6.2 token character, as field names are. */
    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private static Duration duration(String text, String attribute, String where) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Duration duration = DurationStyle.detectAndParse(text.trim(), ChronoUnit.SECONDS);
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw new InvalidHttpCacheAnnotationException("@HttpCache(" + attribute + " = \"" + text + "\") on " + where
                    + " is not a duration: write 90, 90s, 10m, 1h or PT10M", e);
        }
    }

    /**
     * One handler's attributes: the class's, with each the method gives over it. Strings and the
     * visibility are the method's when it gives them; flags are on when either sets them; tags and
     * vary fields add up; statuses are the method's when they differ from the default.
     */
    private static final class Attributes {
        private static final int[] DEFAULT_STATUSES = defaultStatuses();

        String maxAge = "";
        String sMaxAge = "";
        String staleWhileRevalidate = "";
        String staleIfError = "";
        String ttl = "";
        HttpCache.Visibility visibility = HttpCache.Visibility.DEFAULT;
        boolean noCache;
        boolean noStore;
        boolean mustRevalidate;
        boolean proxyRevalidate;
        boolean noTransform;
        boolean immutable;
        boolean serverOnly;
        int[] statuses = DEFAULT_STATUSES;
        List<String> tags = List.of();
        List<String> vary = List.of();

        static Attributes merge(HttpCache onClass, HttpCache onMethod, StringValueResolver placeholders, String where) {
            Attributes attributes = new Attributes();
            for (HttpCache annotation : new HttpCache[] {onClass, onMethod}) {
                if (annotation != null) {
                    attributes.add(annotation, new Placeholders(placeholders, where));
                }
            }
            return attributes;
        }

        private void add(HttpCache annotation, Placeholders placeholders) {
            maxAge = over(maxAge, placeholders.resolve("maxAge", annotation.maxAge()));
            sMaxAge = over(sMaxAge, placeholders.resolve("sMaxAge", annotation.sMaxAge()));
            staleWhileRevalidate = over(staleWhileRevalidate,
                    placeholders.resolve("staleWhileRevalidate", annotation.staleWhileRevalidate()));
            staleIfError = over(staleIfError, placeholders.resolve("staleIfError", annotation.staleIfError()));
            ttl = over(ttl, placeholders.resolve("ttl", annotation.ttl()));
            if (annotation.visibility() != HttpCache.Visibility.DEFAULT) {
                visibility = annotation.visibility();
            }
            noCache |= annotation.noCache();
            noStore |= annotation.noStore();
            mustRevalidate |= annotation.mustRevalidate();
            proxyRevalidate |= annotation.proxyRevalidate();
            noTransform |= annotation.noTransform();
            immutable |= annotation.immutable();
            serverOnly |= annotation.serverOnly();
            if (!Arrays.equals(annotation.statuses(), DEFAULT_STATUSES)) {
                statuses = annotation.statuses();
            }
            tags = union(tags, annotation.tags(), "tags", placeholders);
            vary = union(vary, annotation.vary(), "vary", placeholders);
        }

        private static String over(String current, String given) {
            return given.isBlank() ? current : given;
        }

        private static List<String> union(List<String> current, String[] given, String attribute,
                                          Placeholders placeholders) {
            Set<String> all = new LinkedHashSet<>(current);
            for (String value : given) {
                all.add(placeholders.resolve(attribute, value).trim());
            }
            return List.copyOf(all);
        }

        private static int[] defaultStatuses() {
            try {
                return (int[]) HttpCache.class.getMethod("statuses").getDefaultValue();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** {@code ${…}} in an attribute, resolved from the environment; an unknown one names the attribute. */
    private record Placeholders(StringValueResolver resolver, String where) {

        String resolve(String attribute, String value) {
            if (value.indexOf('$') < 0 && value.indexOf('#') < 0) {
                return value;
            }
            try {
                String resolved = resolver.resolveStringValue(value);
                return resolved == null ? "" : resolved;
            } catch (IllegalArgumentException e) {
                throw new InvalidHttpCacheAnnotationException("@HttpCache(" + attribute + " = \"" + value + "\") on " + where + ": "
                        + e.getMessage(), e);
            }
        }
    }

    record Directives(String header, String headerValue, Duration ttl, List<String> tags, Set<Integer> statuses,
                      List<String> vary) {
    }

    private record HandlerMethodKey(Class<?> beanType, java.lang.reflect.Method method) {
    }
}
