package io.hishel.spring.boot;

import io.hishel.http.RequestMetadata;
import io.hishel.servlet.KeyUrl;
import io.hishel.servlet.RequestMetadataResolver;
import io.hishel.storage.EntryOptions;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * The {@code hishel.rules} list, compiled: per-route metadata for the filter, and the routes it
 * leaves alone. For each request the first rule whose pattern and methods match decides; the
 * application's own choices (request attributes, {@code X-Hishel-*} response headers) still win
 * over a rule's. Immutable and thread-safe.
 */
final class RouteRules implements RequestMetadataResolver, Predicate<HttpServletRequest> {

    /** The request's matched rule, or {@link #NO_RULE}: the filter asks twice, once to exclude and once for metadata. */
    private static final String MATCHED = RouteRules.class.getName() + ".matched";
    private static final Object NO_RULE = new Object();

    private final List<Rule> rules;

    private RouteRules(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * Compiles the rules, checking each one.
     *
     * @throws InvalidHishelPropertyException naming the first rule property that is wrong
     */
    static RouteRules of(List<HishelProperties.Rule> configured) {
        return of(configured, KeyUrl.asReceived());
    }

    /**
     * Compiles the rules, each rule's key settings added to the application's.
     *
     * @throws InvalidHishelPropertyException naming the first rule property that is wrong
     */
    static RouteRules of(List<HishelProperties.Rule> configured, KeyUrl keyUrl) {
        PathPatternParser parser = new PathPatternParser();
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            rules.add(Rule.of("hishel.rules[" + i + "]", configured.get(i), parser, keyUrl));
        }
        return new RouteRules(List.copyOf(rules));
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether the first matching rule takes the request out of the cache. */
    @Override
    public boolean test(HttpServletRequest request) {
        Rule rule = match(request);
        return rule != null && !rule.enabled;
    }

    @Override
    public RequestMetadata resolve(HttpServletRequest request) {
        Rule rule = match(request);
        return rule == null || !rule.enabled ? RequestMetadata.NONE : rule.metadata;
    }

    @Override
    public Set<String> tags(HttpServletRequest request) {
        Rule rule = match(request);
        return rule == null || !rule.enabled ? Set.of() : rule.tags;
    }

    /** The key settings of the request's rule, or null where no rule has its own. */
    KeyUrl keyUrl(HttpServletRequest request) {
        Rule rule = match(request);
        return rule == null ? null : rule.keyUrl;
    }

    /** Whether any rule has key settings of its own, so the filter need not ask. */
    boolean choosesKeys() {
        return rules.stream().anyMatch(rule -> rule.keyUrl != null);
    }

    private Rule match(HttpServletRequest request) {
        if (rules.isEmpty()) {
            return null;
        }
        Object matched = request.getAttribute(MATCHED);
        if (matched == null) {
            Rule rule = firstMatch(request);
            request.setAttribute(MATCHED, rule == null ? NO_RULE : rule);
            return rule;
        }
        return matched == NO_RULE ? null : (Rule) matched;
    }

    private Rule firstMatch(HttpServletRequest request) {
        String path = request.getRequestURI();
        String contextPath = request.getContextPath();
        if (!contextPath.isEmpty() && path.startsWith(contextPath)) {
            path = path.substring(contextPath.length());
        }
        PathContainer container = PathContainer.parsePath(path.isEmpty() ? "/" : path);
        String method = request.getMethod();
        for (Rule rule : rules) {
            if ((rule.methods.isEmpty() || rule.methods.contains(method)) && rule.pattern.matches(container)) {
                return rule;
            }
        }
        return null;
    }

    private record Rule(PathPattern pattern, Set<String> methods, boolean enabled, RequestMetadata metadata,
                        Set<String> tags, KeyUrl keyUrl) {

        static Rule of(String name, HishelProperties.Rule rule, PathPatternParser parser, KeyUrl applicationKeyUrl) {
            String text = rule.getPattern();
            if (text == null || text.isBlank()) {
                throw new InvalidHishelPropertyException(name + ".pattern", text,
                        "a path pattern such as /api/** or /products/{id}", null);
            }
            PathPattern pattern;
            try {
                pattern = parser.parse(text.startsWith("/") ? text : "/" + text);
            } catch (PatternParseException e) {
                throw new InvalidHishelPropertyException(name + ".pattern", text,
                        "a path pattern in Spring's PathPattern syntax, such as /api/** or /products/{id}", e);
            }
            Set<String> methods = new java.util.LinkedHashSet<>();
            for (String method : rule.getMethods()) {
                if (method == null || !method.matches("[A-Za-z]+")) {
                    throw new InvalidHishelPropertyException(name + ".methods", rule.getMethods(),
                            "HTTP method names such as GET or POST", null);
                }
                methods.add(method.toUpperCase(Locale.ROOT));
            }
            Duration ttl = rule.getTtl();
            if (ttl != null && ttl.isNegative()) {
                throw new InvalidHishelPropertyException(name + ".ttl", ttl, "a duration of zero or more, such as 10m", null);
            }
            try {
                EntryOptions.defaults().withTags(rule.getTags());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidHishelPropertyException(name + ".tags", rule.getTags(),
                        "at most 32 tags of 1 to 256 characters", e);
            }
            RequestMetadata.Builder metadata = RequestMetadata.builder();
            if (ttl != null) {
                metadata.ttl(ttl);
            }
            if (rule.getSpecIgnore() != null) {
                metadata.specIgnore(rule.getSpecIgnore());
            }
            if (rule.getBodyKey() != null) {
                metadata.bodyKey(rule.getBodyKey());
            }
            if (rule.getRefreshTtlOnAccess() != null) {
                metadata.refreshTtlOnAccess(rule.getRefreshTtlOnAccess());
            }
            KeyUrl keyUrl = null;
            if (!rule.getIgnoredQueryParameters().isEmpty() || rule.getSortQueryParameters() != null) {
                try {
                    keyUrl = applicationKeyUrl.with(rule.getIgnoredQueryParameters(), rule.getSortQueryParameters());
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new InvalidHishelPropertyException(name + ".ignored-query-parameters",
                            rule.getIgnoredQueryParameters(), "names such as gclid, or prefixes ending in *, such as utm_*", e);
                }
            }
            return new Rule(pattern, Set.copyOf(methods), rule.isEnabled(), metadata.build(),
                    Set.copyOf(rule.getTags()), keyUrl);
        }
    }
}
