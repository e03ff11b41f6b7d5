package io.hishel.spring.boot;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringValueResolver;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.util.UriTemplate;

/**
 * Applies {@link HttpCacheEvict} around the methods that carry it, on any bean, through the
 * infrastructure proxies that also apply {@code @Transactional}. Each method's annotation is read
 * once, its {@code ${…}} placeholders resolved; {@link #check} reads it at start-up for the
 * handler methods, so a mistake stops the application instead of its first write.
 */
final class HttpCacheEvictAdvisor extends StaticMethodMatcherPointcutAdvisor implements MethodInterceptor {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HttpCacheEvictor.class);
    private static final boolean TRANSACTIONS = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            HttpCacheEvictAdvisor.class.getClassLoader());
    /** {@code HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE}, written out: Spring MVC is optional here. */
    private static final String PATH_VARIABLES = "org.springframework.web.servlet.HandlerMapping.uriTemplateVariables";
    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    private final transient ObjectProvider<HttpCacheEvictor> evictor;
    private final transient StringValueResolver placeholders;
    private final transient Map<Method, Eviction> evictions = new ConcurrentHashMap<>();

    HttpCacheEvictAdvisor(ObjectProvider<HttpCacheEvictor> evictor, StringValueResolver placeholders) {
        this.evictor = evictor;
        this.placeholders = placeholders;
        setAdvice(this);
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        boolean annotated = AnnotatedElementUtils.hasAnnotation(specific, HttpCacheEvict.class)
                || AnnotatedElementUtils.hasAnnotation(ClassUtils.getUserClass(targetClass), HttpCacheEvict.class);
        if (annotated) {
            // While the bean is proxied at start-up: a mistake fails its creation, naming the method.
            check(specific, targetClass);
        }
        return annotated;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object result = invocation.proceed();
        if (result instanceof ResponseEntity<?> entity && entity.getStatusCode().isError()) {
            return result;
        }
        Class<?> target = invocation.getThis() == null ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), target);
        Eviction eviction = evictions.computeIfAbsent(method, key -> read(key, target));
        if (eviction == null) {
            return result;
        }
        Runnable evict = eviction.bind(variables(method, invocation.getArguments()));
        if (eviction.afterCommit() && TRANSACTIONS && Transactions.defer(evict)) {
            return result;
        }
        evict.run();
        return result;
    }

    /**
     * Reads a method's annotation as a call would, so that its mistakes are reported now.
     *
     * @throws InvalidHttpCacheAnnotationException naming the method and the attribute
     */
    void check(Method method, Class<?> beanType) {
        evictions.computeIfAbsent(method, key -> read(key, beanType));
    }

    private Eviction read(Method method, Class<?> target) {
        HttpCacheEvict annotation = AnnotatedElementUtils.findMergedAnnotation(method, HttpCacheEvict.class);
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(ClassUtils.getUserClass(target), HttpCacheEvict.class);
        }
        if (annotation == null) {
            return null;
        }
        String where = ClassUtils.getUserClass(target).getSimpleName() + "." + method.getName();
        Eviction eviction = new Eviction(where, resolve(annotation.tags(), "tags", where),
                resolve(annotation.urls(), "urls", where),
                resolve(annotation.prefixes(), "prefixes", where), annotation.all(), annotation.afterCommit(),
                this);
        if (eviction.isEmpty()) {
            throw new InvalidHttpCacheAnnotationException("@HttpCacheEvict on " + where
                    + " evicts nothing: give tags, urls, prefixes or all = true");
        }
        return eviction;
    }

    private List<String> resolve(String[] values, String attribute, String where) {
        List<String> resolved = new ArrayList<>(values.length);
        for (String value : values) {
            String text;
            try {
                text = placeholders.resolveStringValue(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidHttpCacheAnnotationException("@HttpCacheEvict(" + attribute + " = \"" + value + "\") on " + where
                        + ": " + e.getMessage(), e);
            }
            if (text == null || text.isBlank()) {
                throw new InvalidHttpCacheAnnotationException("@HttpCacheEvict(" + attribute + " = \"" + value + "\") on " + where
                        + " is empty: remove it, or write a " + (attribute.equals("tags") ? "tag" : "path such as /products"));
            }
            resolved.add(text);
        }
        return List.copyOf(resolved);
    }

    /** The current request's path variables, then the method's arguments by name. */
    private static Map<String, Object> variables(Method method, Object[] arguments) {
        Map<String, Object> variables = new HashMap<>();
        String[] names = NAMES.getParameterNames(method);
        if (names != null) {
            for (int i = 0; i < names.length && i < arguments.length; i++) {
                if (arguments[i] != null) {
                    variables.put(names[i], arguments[i]);
                }
            }
        }
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null && request.getAttribute(PATH_VARIABLES,
                RequestAttributes.SCOPE_REQUEST) instanceof Map<?, ?> pathVariables) {
            pathVariables.forEach((name, value) -> variables.put(String.valueOf(name), value));
        }
        return variables;
    }

    private HttpCacheEvictor evictor() {
        return evictor.getObject();
    }

    /** One method's eviction, its placeholders resolved. */
    private record Eviction(String where, List<String> tags, List<String> urls, List<String> prefixes, boolean all,
                            boolean afterCommit, HttpCacheEvictAdvisor advisor) {

        boolean isEmpty() {
            return tags.isEmpty() && urls.isEmpty() && prefixes.isEmpty() && !all;
        }

        /** The eviction of one call, its URL templates filled now, while the call's request is current. */
        Runnable bind(Map<String, Object> variables) {
            List<String> boundUrls;
            List<String> boundPrefixes;
            try {
                boundUrls = urls.stream().map(url -> expand(url, variables)).toList();
                boundPrefixes = prefixes.stream().map(prefix -> expand(prefix, variables)).toList();
            } catch (IllegalArgumentException e) {
                return () -> LOG.warn("Not evicting after {}: {}", where, e.getMessage());
            }
            return () -> {
                try {
                    HttpCacheEvictor evictor = advisor.evictor();
                    long evicted = all ? evictor.evictAll() : 0;
                    if (!all) {
                        evicted += evictor.evictTags(tags) + evictor.evictUrls(boundUrls) + evictor.evictPrefixes(boundPrefixes);
                    }
                    LOG.debug("Evicted {} entries after {}", evicted, where);
                } catch (RuntimeException e) {
                    // The write has happened: failing its caller now would report a change that was made as not made.
                    LOG.warn("Could not evict the cache entries of {} (tags {}, urls {}, prefixes {}): {}", where, tags,
                            boundUrls, boundPrefixes, e.toString());
                }
            };
        }

        private static String expand(String template, Map<String, Object> variables) {
            if (template.indexOf('{') < 0) {
                return template;
            }
            UriTemplate uri = new UriTemplate(template);
            for (String name : uri.getVariableNames()) {
                if (!variables.containsKey(name)) {
                    throw new IllegalArgumentException("no path variable or argument named '" + name + "' for " + template);
                }
            }
            return uri.expand(variables).toString();
        }
    }

    /** Kept apart so that an application without spring-tx never loads these types. */
    private static final class Transactions {

        /** Runs the eviction after the surrounding transaction commits; false when there is none. */
        static boolean defer(Runnable evict) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                return false;
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    evict.run();
                }
            });
            return true;
        }
    }
}
