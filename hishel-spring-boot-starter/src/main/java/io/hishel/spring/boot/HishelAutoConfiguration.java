package io.hishel.spring.boot;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.jdbc.MemoryTier;
import io.hishel.memory.MemoryStorage;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.servlet.KeyUrl;
import io.hishel.servlet.StorageObserver;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Installs the HTTP cache in a servlet web application: {@link CacheOptions}, a {@link CachePolicy},
 * a {@link Storage}, the {@link HishelCacheFilter} and its registration, all from {@code hishel.*}
 * properties, each replaced by a bean of the same type that the application declares.
 *
 * <p>hishel's database never becomes the application's: the SQLite and JDBC-URL storages keep
 * their connection pool to themselves instead of declaring a {@code DataSource} bean, and migrate
 * their tables with their own Flyway history table, whatever {@code spring.flyway.*} says.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HishelCacheFilter.class)
@ConditionalOnProperty(prefix = "hishel", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(HishelProperties.class)
@Import(HttpCacheConfiguration.class)
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
                                        ObjectProvider<StorageObserver> observers) {
        HishelProperties.Filter filter = properties.getFilter();
        HishelProperties.Collapsing collapsing = filter.getCollapsing();
        HishelProperties.StorageFailures failures = filter.getStorageFailures();
        HishelCacheFilter.Builder builder = HishelCacheFilter.builder(storage).policy(policy)
                .collapsing(collapsing.isEnabled())
                .metadataHeaders(filter.isMetadataHeaders())
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

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(Storage.class)
    static class StorageConfiguration {

        @Bean(destroyMethod = "close")
        Storage hishelStorage(HishelProperties properties, BeanFactory beans) {
            HishelProperties.Storage settings = properties.getStorage();
            StorageOptions options = storageOptions(settings);
            HishelProperties.StorageType type = settings.getType();
            if (type == null) {
                throw new InvalidHishelPropertyException("hishel.storage.type", null, "sqlite, memory or jdbc", null);
            }
            return switch (type) {
                case MEMORY -> new MemoryStorage(options);
                case SQLITE -> sqlite(settings.getSqlite(), options, timeout(settings), memoryTier(settings.getTier()));
                case JDBC -> jdbc(settings.getJdbc(), options, timeout(settings), memoryTier(settings.getTier()), beans);
            };
        }

        private static Duration timeout(HishelProperties.Storage settings) {
            Duration timeout = settings.getTimeout();
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new InvalidHishelPropertyException("hishel.storage.timeout", timeout,
                        "a positive duration, such as 500ms", null);
            }
            return timeout;
        }

        private static MemoryTier memoryTier(HishelProperties.Tier tier) {
            if (!tier.isEnabled()) {
                return MemoryTier.off();
            }
            MemoryTier.Builder builder = MemoryTier.builder();
            set("hishel.storage.tier.max-size", tier.getMaxSize(), "a size of at least 1KB, such as 32MB",
                    () -> builder.maxBytes(tier.getMaxSize().toBytes()));
            set("hishel.storage.tier.max-body-size", tier.getMaxBodySize(),
                    "a size from 0 to 16MB and no larger than hishel.storage.tier.max-size, such as 64KB",
                    () -> builder.maxBodyBytes(tier.getMaxBodySize().toBytes()));
            set("hishel.storage.tier.max-age", tier.getMaxAge(), "a positive duration, such as 5s",
                    () -> builder.maxAge(tier.getMaxAge()));
            if (tier.getMaxBodySize().toBytes() > tier.getMaxSize().toBytes()) {
                throw new InvalidHishelPropertyException("hishel.storage.tier.max-body-size", tier.getMaxBodySize(),
                        "a size no larger than hishel.storage.tier.max-size (" + tier.getMaxSize() + ")", null);
            }
            return builder.build();
        }

        private static Storage sqlite(HishelProperties.Sqlite sqlite, StorageOptions options, Duration timeout,
                                      MemoryTier tier) {
            if (sqlite.getPath() == null || sqlite.getPath().isBlank()) {
                throw new InvalidHishelPropertyException("hishel.storage.sqlite.path", sqlite.getPath(),
                        "the path of a SQLite file, such as .cache/hishel/hishel_cache.db", null);
            }
            JdbcStorage.Builder builder = JdbcStorage.sqlite(Path.of(sqlite.getPath())).options(options).timeout(timeout)
                    .memoryTier(tier);
            set("hishel.storage.sqlite.pool-size", sqlite.getPoolSize(), "a number from 1 to 64",
                    () -> builder.poolSize(sqlite.getPoolSize()));
            return builder.build();
        }

        private static Storage jdbc(HishelProperties.Jdbc jdbc, StorageOptions options, Duration timeout,
                                    MemoryTier tier, BeanFactory beans) {
            boolean hasUrl = jdbc.getUrl() != null && !jdbc.getUrl().isBlank();
            boolean hasBean = jdbc.getDataSource() != null && !jdbc.getDataSource().isBlank();
            if (hasUrl == hasBean) {
                throw new InvalidHishelPropertyException("hishel.storage.jdbc.url", jdbc.getUrl(),
                        "a JDBC URL such as jdbc:postgresql://localhost:5432/cache, or set"
                                + " hishel.storage.jdbc.data-source to the name of a DataSource bean instead (exactly one of the two)",
                        null);
            }
            if (hasBean) {
                DataSource dataSource;
                try {
                    dataSource = beans.getBean(jdbc.getDataSource(), DataSource.class);
                } catch (NoSuchBeanDefinitionException e) {
                    throw new InvalidHishelPropertyException("hishel.storage.jdbc.data-source", jdbc.getDataSource(),
                            "the name of a DataSource bean of this application", e);
                }
                return JdbcStorage.builder(dataSource).options(options).timeout(timeout).migrate(jdbc.isMigrate())
                        .memoryTier(tier).build();
            }
            if (jdbc.getPoolSize() < 1) {
                throw new InvalidHishelPropertyException("hishel.storage.jdbc.pool-size", jdbc.getPoolSize(),
                        "a positive number of connections", null);
            }
            JdbcDrivers.require("hishel.storage.jdbc.url", jdbc.getUrl());
            HikariConfig config = new HikariConfig();
            config.setPoolName("hishel-jdbc");
            config.setJdbcUrl(jdbc.getUrl());
            config.setUsername(jdbc.getUsername());
            config.setPassword(jdbc.getPassword());
            config.setMaximumPoolSize(jdbc.getPoolSize());
            // The waits of the pool itself, which the storage's deadline cannot interrupt: no longer than
            // it, within what HikariCP allows.
            long poolWait = Math.max(250, timeout.toMillis());
            config.setConnectionTimeout(poolWait);
            config.setValidationTimeout(poolWait);
            HikariDataSource pool;
            try {
                pool = new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw new io.hishel.storage.StorageException("hishel cannot connect to " + jdbc.getUrl() + ": "
                        + e.getMessage(), e);
            }
            try {
                return JdbcStorage.builder(pool).options(options).timeout(timeout).migrate(jdbc.isMigrate())
                        .memoryTier(tier).closeDataSource(true).build();
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }

        private static StorageOptions storageOptions(HishelProperties.Storage settings) {
            StorageOptions.Builder builder = StorageOptions.builder().refreshTtlOnAccess(settings.isRefreshTtlOnAccess());
            if (settings.getDefaultTtl() != null) {
                set("hishel.storage.default-ttl", settings.getDefaultTtl(), "a duration of zero or more, such as 1h",
                        () -> builder.defaultTtl(settings.getDefaultTtl()));
            }
            set("hishel.storage.max-size", settings.getMaxSize(), "a size of at least 1 byte, such as 256MB",
                    () -> builder.maxBytes(settings.getMaxSize().toBytes()));
            set("hishel.storage.max-entries", settings.getMaxEntries(), "0 for no bound, or a positive number",
                    () -> builder.maxEntries(settings.getMaxEntries()));
            set("hishel.storage.cleanup-interval", settings.getCleanupInterval(), "a positive duration, such as 5m",
                    () -> builder.cleanupInterval(settings.getCleanupInterval()));
            return builder.build();
        }
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
