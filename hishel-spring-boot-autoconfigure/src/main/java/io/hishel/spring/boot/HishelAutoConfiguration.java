package io.hishel.spring.boot;

import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.servlet.KeyUrl;
import io.hishel.servlet.StorageObserver;
import io.hishel.storage.Storage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Installs the HTTP cache in a servlet web application: {@link CacheOptions}, a {@link CachePolicy},
 * a {@link Storage}, the {@link HishelCacheFilter} and its registration, all from {@code hishel.*}
 * properties, each replaced by a bean of the same type that the application declares.
 *
 * <p>The storage comes from {@link HishelStorageConfiguration}, each kind only when its jars are
 * on the class path. hishel's database never becomes the application's: the SQLite and JDBC-URL storages keep
 * their connection pool to themselves instead of declaring a {@code DataSource} bean, and migrate
 * their tables with their own Flyway history table, whatever {@code spring.flyway.*} says.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HishelCacheFilter.class)
@ConditionalOnBooleanProperty(name = "hishel.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HishelProperties.class)
@Import({HishelStorageConfiguration.class, HttpCacheConfiguration.class})
public class HishelAutoConfiguration {

    /** Spring Security's default filter order ({@code SecurityFilterProperties.DEFAULT_FILTER_ORDER}). */
    static final int SECURITY_FILTER_ORDER = -100;

    @Bean
    @ConditionalOnMissingBean
    CacheOptions hishelCacheOptions(HishelProperties properties) {
        HishelProperties.Options options = properties.getOptions();
        CacheOptions.Builder builder = CacheOptions.builder().shared(options.isShared());
        set("hishel.options.supported-methods", options.getSupportedMethods(),
                "HTTP method names such as GET, HEAD or POST", () -> builder.supportedMethods(options.getSupportedMethods()));
        set("hishel.options.allow-stale", options.getAllowStale(), "a duration of zero or more, such as 0 or 30s",
                () -> builder.allowStale(options.getAllowStale()));
        set("hishel.options.grace", options.getGrace(), "a duration of zero or more, such as 0 or 10m",
                () -> builder.grace(options.getGrace()));
        set("hishel.options.heuristic-fraction", options.getHeuristicFraction(), "a number from 0 to 1, such as 0.1",
                () -> builder.heuristicFraction(options.getHeuristicFraction()));
        set("hishel.options.heuristic-max-lifetime", options.getHeuristicMaxLifetime(),
                "a duration of zero or more, such as 1d", () -> builder.heuristicMaxLifetime(options.getHeuristicMaxLifetime()));
        builder.honorRequestDirectives(options.isHonorRequestDirectives());
        if (options.getStoreSetCookie() != null) {
            builder.storeSetCookie(options.getStoreSetCookie());
        }
        set("hishel.options.max-entry-size", options.getMaxEntrySize(), "a size of at least 1 byte, such as 10MB",
                () -> builder.maxEntrySize(options.getMaxEntrySize().toBytes()));
        set("hishel.options.targeted-fields", options.getTargetedFields(),
                "field names such as Hishel-Cache-Control or CDN-Cache-Control",
                () -> builder.targetedFields(options.getTargetedFields()));
        return builder.build();
    }

    /** The RFC 9111 policy, unless the application declares its own, a {@code FilterPolicy} for example. */
    @Bean
    @ConditionalOnMissingBean
    CachePolicy hishelCachePolicy(CacheOptions options) {
        return new SpecificationPolicy(options);
    }

    @Bean
    @ConditionalOnMissingBean
    HishelCacheFilter hishelCacheFilter(HishelProperties properties, CachePolicy policy, Storage storage,
                                        ObjectProvider<StorageObserver> observers,
                                        ObjectProvider<MetadataHeadersPredicate> metadataHeaders,
                                        ObjectProvider<BuildProperties> build, ApplicationContext context,
                                        @Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
                                        ObjectProvider<Executor> applicationTaskExecutor) {
        HishelProperties.Filter filter = properties.getFilter();
        HishelProperties.Collapsing collapsing = filter.getCollapsing();
        HishelProperties.StorageFailures failures = filter.getStorageFailures();
        HishelCacheFilter.Builder builder = HishelCacheFilter.builder(buildScoped(storage, properties, build, context))
                .policy(policy)
                .collapsing(collapsing.isEnabled())
                .cacheStatus(filter.isCacheStatus())
                .stripTargetedFields(filter.isStripTargetedFields())
                .trustClientMetadata(filter.isTrustClientMetadata());
        set("hishel.filter.collapsing.wait", collapsing.getWait(), "a positive duration, such as 10s",
                () -> builder.collapseTimeout(collapsing.getWait()));
        set("hishel.filter.hit-for-pass", filter.getHitForPass(), "0 to turn it off, or a positive duration, such as 2m",
                () -> builder.hitForPass(filter.getHitForPass()));
        set("hishel.filter.collapsing.hit-for-miss", collapsing.getHitForMiss(), "a positive duration, such as 2m",
                () -> builder.hitForMiss(collapsing.getHitForMiss()));
        set("hishel.filter.cache-name", filter.getCacheName(), "an RFC 8941 token, such as Hishel or app-cache",
                () -> builder.cacheName(filter.getCacheName()));
        set("hishel.filter.max-request-body-size", filter.getMaxRequestBodySize(), "a size from 1 byte to 2GB, such as 64KB",
                () -> builder.maxRequestBodySize(Math.toIntExact(filter.getMaxRequestBodySize().toBytes())));
        if (filter.getKeyedRequestFields() != null) {
            set("hishel.filter.keyed-request-fields", filter.getKeyedRequestFields(), "a list of field names",
                    () -> builder.keyedRequestFields(filter.getKeyedRequestFields()));
        }
        set("hishel.filter.storage-failures.threshold", failures.getThreshold(), "a positive number of failures",
                () -> builder.storageFailures(failures.getThreshold(), positive(
                        "hishel.filter.storage-failures.cool-down", failures.getCoolDown())));
        set("hishel.filter.storage-failures.slow-call", failures.getSlowCall(), "a positive duration, such as 2s",
                () -> builder.slowStorageCall(failures.getSlowCall()));
        // Boot's task executor, when the application has one, for what no response waits for: its
        // spring.task.execution.* settings, its graceful shutdown and its thread names apply.
        Executor background = applicationTaskExecutor.getIfAvailable();
        if (background != null) {
            builder.executor(background).refreshExecutor(background);
        }
        MetadataHeadersPredicate trusted = metadataHeaders.getIfAvailable();
        if (filter.isMetadataHeaders() || trusted == null) {
            builder.metadataHeaders(filter.isMetadataHeaders());
        } else {
            builder.metadataHeaders(trusted);
        }
        KeyUrl keyUrl = keyUrl(properties.getKey());
        builder.keyUrl(keyUrl);
        RouteRules rules = RouteRules.of(properties.getRules(), keyUrl);
        if (!rules.isEmpty()) {
            builder.requestMetadata(rules).exclude(rules);
        }
        if (rules.choosesKeys()) {
            builder.keyUrl(rules::keyUrl);
        }
        List<StorageObserver> all = observers.orderedStream().toList();
        if (!all.isEmpty()) {
            builder.storageObserver((operation, duration, failed) -> {
                for (StorageObserver observer : all) {
                    observer.observe(operation, duration, failed);
                }
            });
        }
        return builder.build();
    }

    private static KeyUrl keyUrl(HishelProperties.Key key) {
        KeyUrl.Builder builder = KeyUrl.builder().sortQueryParameters(key.isSortQueryParameters());
        if (key.getCanonicalHost() != null && !key.getCanonicalHost().isBlank()) {
            set("hishel.key.canonical-host", key.getCanonicalHost(),
                    "an origin such as https://shop.example, with hishel.key.host-aliases the host names keyed under it",
                    () -> builder.canonicalOrigin(java.net.URI.create(key.getCanonicalHost().trim()), key.getHostAliases()));
        } else if (!key.getHostAliases().isEmpty()) {
            throw new InvalidHishelPropertyException("hishel.key.canonical-host", null,
                    "the origin the host aliases are keyed under, such as https://shop.example", null);
        }
        set("hishel.key.ignored-query-parameters", key.getIgnoredQueryParameters(),
                "names such as gclid, or prefixes ending in *, such as utm_*",
                () -> builder.ignoreQueryParameters(key.getIgnoredQueryParameters()));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean(name = "hishelCacheFilterRegistration")
    FilterRegistrationBean<HishelCacheFilter> hishelCacheFilterRegistration(HishelCacheFilter filter,
                                                                            HishelProperties properties,
                                                                            Environment environment) {
        HishelProperties.Filter settings = properties.getFilter();
        FilterRegistrationBean<HishelCacheFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("hishelCacheFilter");
        if (settings.getUrlPatterns() == null || settings.getUrlPatterns().isEmpty()) {
            throw new InvalidHishelPropertyException("hishel.filter.url-patterns", settings.getUrlPatterns(),
                    "one or more servlet URL patterns, such as /* or /api/*", null);
        }
        registration.setUrlPatterns(settings.getUrlPatterns());
        if (settings.getDispatcherTypes() == null || settings.getDispatcherTypes().isEmpty()) {
            throw new InvalidHishelPropertyException("hishel.filter.dispatcher-types", settings.getDispatcherTypes(),
                    "one or more of REQUEST, ASYNC, ERROR, FORWARD, INCLUDE", null);
        }
        registration.setDispatcherTypes(EnumSet.copyOf(settings.getDispatcherTypes()));
        registration.setAsyncSupported(true);
        registration.setOrder(settings.getOrder() != null ? settings.getOrder()
                : environment.getProperty("spring.security.filter.order", Integer.class, SECURITY_FILTER_ORDER) + 1);
        return registration;
    }

    /**
     * The storage as this build of the application sees it: its own entries only, unless
     * {@code hishel.storage.serve-other-builds} says otherwise.
     */
    private static Storage buildScoped(Storage storage, HishelProperties properties, ObjectProvider<BuildProperties> build,
                                       ApplicationContext context) {
        HishelProperties.Storage settings = properties.getStorage();
        if (settings.isServeOtherBuilds()) {
            return storage;
        }
        Class<?> application = null;
        for (String name : context.getBeanNamesForAnnotation(SpringBootConfiguration.class)) {
            Class<?> type = context.getType(name);
            if (type != null) {
                application = ClassUtils.getUserClass(type);
                break;
            }
        }
        String id = ApplicationBuild.id(settings.getBuildId(), build.getIfAvailable(), application);
        return new BuildScopedStorage(storage, id);
    }

    /**
     * Applies one setting, turning the builder's rejection into a report naming the property.
     * A missing value (null) is rejected the same way.
     */
    static void set(String property, Object value, String accepted, Runnable apply) {
        if (value == null) {
            throw new InvalidHishelPropertyException(property, null, accepted, null);
        }
        try {
            apply.run();
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw new InvalidHishelPropertyException(property, value, accepted, e);
        }
    }

    private static Duration positive(String property, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidHishelPropertyException(property, value, "a positive duration, such as 30s", null);
        }
        return value;
    }
}
