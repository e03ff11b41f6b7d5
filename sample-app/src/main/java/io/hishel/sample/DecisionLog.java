package io.hishel.sample;

import io.hishel.servlet.CacheOutcome;
import io.hishel.servlet.HishelCacheFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The most recent decisions of the cache, for the live page: a filter just outside the cache reads
 * the {@link CacheOutcome} it leaves on each request, and {@code /demo/decisions} returns them
 * with the cache's counts. Only the demo endpoints are logged, not the page's own polling.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "hishel", name = "enabled", havingValue = "true", matchIfMissing = true)
class DecisionLog {

    static final int KEPT = 20;

    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> decisionLogFilter(
            FilterRegistrationBean<HishelCacheFilter> hishelCacheFilterRegistration) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                long start = System.nanoTime();
                chain.doFilter(request, response);
                if (request.getAttribute(CacheOutcome.ATTRIBUTE) instanceof CacheOutcome outcome) {
                    record(request, response.getStatus(), outcome, (System.nanoTime() - start) / 1_000_000);
                }
            }

            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                String path = request.getRequestURI();
                return path.startsWith("/demo/") || path.startsWith("/actuator/") || !path.matches("/[a-z-]+.*")
                        || path.endsWith(".js") || path.endsWith(".css") || path.endsWith(".html");
            }
        });
        registration.setOrder(hishelCacheFilterRegistration.getOrder() - 1);
        return registration;
    }

    private synchronized void record(HttpServletRequest request, int status, CacheOutcome outcome, long millis) {
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("time", Instant.now().toString());
        decision.put("method", request.getMethod());
        decision.put("path", request.getRequestURI());
        decision.put("status", status);
        decision.put("fromCache", outcome.fromCache());
        decision.put("stored", outcome.stored());
        decision.put("reason", outcome.detail());
        decision.put("cacheStatus", outcome.cacheStatus("Hishel"));
        decision.put("millis", millis);
        recent.addFirst(decision);
        while (recent.size() > KEPT) {
            recent.removeLast();
        }
    }

    synchronized List<Map<String, Object>> recent() {
        return new ArrayList<>(recent);
    }

    @RestController
    @ConditionalOnProperty(prefix = "hishel", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class DecisionsController {
        private final DecisionLog log;
        private final HishelCacheFilter cache;

        DecisionsController(DecisionLog log, HishelCacheFilter cache) {
            this.log = log;
            this.cache = cache;
        }

        @GetMapping("/demo/decisions")
        Map<String, Object> decisions() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("statistics", cache.statistics());
            body.put("policy", cache.policy().getClass().getSimpleName());
            body.put("decisions", log.recent());
            return body;
        }
    }
}
