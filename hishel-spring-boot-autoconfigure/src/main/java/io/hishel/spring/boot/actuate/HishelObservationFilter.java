package io.hishel.spring.boot.actuate;

import io.hishel.servlet.CacheOutcome;
import io.hishel.servlet.RequestAttributes;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Completes Spring's {@code http.server.requests} observations for the cache, when they stop:
 *
 * <ul>
 *   <li>a low-cardinality key {@value #KEY} = {@code hit}, {@code stale}, {@code revalidated},
 *       {@code miss}, {@code pass} or {@code bypass} ({@link CacheOutcome#result()}), and
 *       {@code none} for requests the cache did not see, so every series has the same keys;</li>
 *   <li>for a request answered from storage, which never reached {@code DispatcherServlet} and so
 *       has no path pattern, the route's pattern stored with the entry: on the context
 *       ({@link ServerRequestObservationContext#setPathPattern}), as the {@code uri} key instead of
 *       {@code UNKNOWN}, and in the span's name ({@code http get /products/{id}}).</li>
 * </ul>
 *
 * Spring Boot applies every {@code ObservationFilter} bean to the application's registry.
 * Stateless and thread-safe.
 */
public class HishelObservationFilter implements ObservationFilter {

    /** The key that carries the cache's result. */
    public static final String KEY = "hishel.cache";

    @Override
    public Observation.Context map(Observation.Context context) {
        if (!(context instanceof ServerRequestObservationContext server) || server.getCarrier() == null) {
            return context;
        }
        HttpServletRequest request = server.getCarrier();
        Object outcome = request.getAttribute(CacheOutcome.ATTRIBUTE);
        context.addLowCardinalityKeyValue(KeyValue.of(KEY,
                outcome instanceof CacheOutcome cached ? cached.result() : "none"));
        if (server.getPathPattern() == null && request.getAttribute(RequestAttributes.ROUTE) instanceof String route) {
            server.setPathPattern(route);
            context.addLowCardinalityKeyValue(KeyValue.of("uri", route));
            context.setContextualName("http " + request.getMethod().toLowerCase(Locale.ROOT) + " " + route);
        }
        return context;
    }
}
