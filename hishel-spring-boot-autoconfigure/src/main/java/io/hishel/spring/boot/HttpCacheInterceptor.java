package io.hishel.spring.boot;

import io.hishel.http.RequestMetadata;
import io.hishel.policy.CacheOptions;
import io.hishel.servlet.RequestAttributes;
import io.hishel.servlet.StatusScopedDirectives;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * Applies {@link HttpCache} annotations before the handler runs: the cache header, the entry's TTL
 * as an {@code X-Hishel-Ttl} response field, and its tags as the {@code hishel_tags} attribute.
 * When the handler fails, it takes them back before an exception handler answers: the directives
 * describe the handler's answer, and an error page must not be stored and served for a minute
 * because the page it replaced could be.
 *
 * <p>Each handler method's annotation is read and checked once; a mistake, such as an unparseable
 * duration, fails the first request to that handler with a message naming the method, and every
 * request after it the same way, so it is found in development.
 */
final class HttpCacheInterceptor implements HandlerInterceptor, HandlerExceptionResolver {

    /** The directives this interceptor applied to the request, so a failure can take them back. */
    private static final String APPLIED = HttpCacheInterceptor.class.getName() + ".applied";

    private static final Directives NONE = new Directives(null, null, null, List.of(), Set.of());

    private final Map<HandlerMethodKey, Directives> directives = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
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

    private static Directives read(HandlerMethod method) {
        HttpCache annotation = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), HttpCache.class);
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), HttpCache.class);
        }
        if (annotation == null) {
            return NONE;
        }
        String where = method.getBeanType().getSimpleName() + "." + method.getMethod().getName();
        return directives(annotation, where);
    }

    static Directives directives(HttpCache annotation, String where) {
        StringJoiner value = new StringJoiner(", ");
        switch (annotation.visibility()) {
            case PUBLIC -> value.add("public");
            case PRIVATE -> value.add("private");
            default -> { }
        }
        if (annotation.noStore()) {
            value.add("no-store");
        }
        if (annotation.noCache()) {
            value.add("no-cache");
        }
        seconds(value, "max-age", annotation.maxAge(), "maxAge", where);
        seconds(value, "s-maxage", annotation.sMaxAge(), "sMaxAge", where);
        seconds(value, "stale-while-revalidate", annotation.staleWhileRevalidate(), "staleWhileRevalidate", where);
        seconds(value, "stale-if-error", annotation.staleIfError(), "staleIfError", where);
        if (annotation.mustRevalidate()) {
            value.add("must-revalidate");
        }
        if (annotation.immutable()) {
            value.add("immutable");
        }
        String header = annotation.serverOnly() ? CacheOptions.HISHEL_CACHE_CONTROL : "Cache-Control";
        Set<Integer> statuses = new java.util.HashSet<>();
        for (int status : annotation.statuses()) {
            if (status < 100 || status > 999) {
                throw new IllegalStateException("@HttpCache(statuses = " + status + ") on " + where
                        + " is not a status code: write three-digit codes such as 200 or 404");
            }
            statuses.add(status);
        }
        return new Directives(header, value.length() == 0 ? null : value.toString(),
                duration(annotation.ttl(), "ttl", where), List.of(annotation.tags()), Set.copyOf(statuses));
    }

    private static void seconds(StringJoiner value, String directive, String text, String attribute, String where) {
        Duration duration = duration(text, attribute, where);
        if (duration != null) {
            value.add(directive + "=" + duration.toSeconds());
        }
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
            throw new IllegalStateException("@HttpCache(" + attribute + " = \"" + text + "\") on " + where
                    + " is not a duration: write 90, 90s, 10m, 1h or PT10M", e);
        }
    }

    record Directives(String header, String headerValue, Duration ttl, List<String> tags, Set<Integer> statuses) {
    }

    private record HandlerMethodKey(Class<?> beanType, java.lang.reflect.Method method) {
    }
}
