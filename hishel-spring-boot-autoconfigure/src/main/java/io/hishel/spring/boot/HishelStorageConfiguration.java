package io.hishel.spring.boot;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.memory.MemoryStorage;
import io.hishel.memory.MemoryTier;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * The storage named by {@code hishel.storage.type}, each kind configured only when its jars are on
 * the class path, as Boot configures its own connection pools: the starters bring one flavour each,
 * and an application that excludes a storage's jars still starts with another. Without a type, the
 * SQLite file when its jars are there, memory otherwise. A type whose jars are missing fails the
 * start with a report naming the artifacts to add ({@link MissingStorageJarsException}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(Storage.class)
@Import({HishelStorageConfiguration.SqliteStorageConfiguration.class,
        HishelStorageConfiguration.JdbcStorageConfiguration.class,
        HishelStorageConfiguration.MemoryStorageConfiguration.class,
        HishelStorageConfiguration.MissingJarsConfiguration.class})
class HishelStorageConfiguration {

    /** What a storage needs on the class path: a class that tells, and the artifact that brings it. */
    record Requirement(String className, String artifact) {
    }

    private static final Requirement JDBC_STORAGE = new Requirement("io.hishel.jdbc.JdbcStorage", "io.hishel:hishel-jdbc");
    private static final Requirement HIKARI = new Requirement("com.zaxxer.hikari.HikariDataSource", "com.zaxxer:HikariCP");
    private static final Requirement FLYWAY = new Requirement("org.flywaydb.core.Flyway", "org.flywaydb:flyway-core");
    private static final Requirement SQLITE_DRIVER = new Requirement("org.sqlite.JDBC", "org.xerial:sqlite-jdbc");
    private static final Requirement MEMORY_STORAGE = new Requirement("io.hishel.memory.MemoryStorage",
            "io.hishel:hishel-memory");
    private static final Requirement REDIS_STORAGE = new Requirement("io.hishel.redis.RedisStorage",
            "io.hishel:hishel-redis");
    private static final Requirement LETTUCE = new Requirement("io.lettuce.core.RedisClient",
            "io.lettuce:lettuce-core, which io.hishel:hishel-redis brings");

    /**
     * The jars each type needs. hishel-jdbc depends on HikariCP, Flyway and sqlite-jdbc; they are
     * listed one by one because an application may have excluded any of them.
     */
    static List<Requirement> requirements(HishelProperties.StorageType type) {
        return switch (type) {
            case SQLITE -> List.of(JDBC_STORAGE, HIKARI, FLYWAY, SQLITE_DRIVER);
            case JDBC -> List.of(JDBC_STORAGE, HIKARI, FLYWAY);
            case MEMORY -> List.of(MEMORY_STORAGE);
            case REDIS -> List.of(REDIS_STORAGE, LETTUCE);
        };
    }

    static List<Requirement> missing(HishelProperties.StorageType type, ClassLoader classLoader) {
        return requirements(type).stream()
                .filter(requirement -> !ClassUtils.isPresent(requirement.className(), classLoader))
                .toList();
    }

    /**
     * What the SQLite, JDBC and Redis storages share; a class of its own, loaded only with one of
     * them (each brings hishel-memory, where the memory tier is).
     */
    static final class SharedStoreSettings {

        private SharedStoreSettings() {
        }

        static Duration timeout(HishelProperties.Storage settings) {
            Duration timeout = settings.getTimeout();
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new InvalidHishelPropertyException("hishel.storage.timeout", timeout,
                        "a positive duration, such as 500ms", null);
            }
            return timeout;
        }

        static MemoryTier memoryTier(HishelProperties.Tier tier) {
            if (!tier.isEnabled()) {
                return MemoryTier.off();
            }
            MemoryTier.Builder builder = MemoryTier.builder();
            HishelAutoConfiguration.set("hishel.storage.tier.max-size", tier.getMaxSize(), "a size of at least 1KB, such as 32MB",
                    () -> builder.maxBytes(tier.getMaxSize().toBytes()));
            HishelAutoConfiguration.set("hishel.storage.tier.max-body-size", tier.getMaxBodySize(),
                    "a size from 0 to 16MB and no larger than hishel.storage.tier.max-size, such as 64KB",
                    () -> builder.maxBodyBytes(tier.getMaxBodySize().toBytes()));
            HishelAutoConfiguration.set("hishel.storage.tier.max-age", tier.getMaxAge(), "a positive duration, such as 5s",
                    () -> builder.maxAge(tier.getMaxAge()));
            if (tier.getMaxBodySize().toBytes() > tier.getMaxSize().toBytes()) {
                throw new InvalidHishelPropertyException("hishel.storage.tier.max-body-size", tier.getMaxBodySize(),
                        "a size no larger than hishel.storage.tier.max-size (" + tier.getMaxSize() + ")", null);
            }
            return builder.build();
        }
    }

    /** hishel-jdbc's Flyway scripts, which a native image must hold. */
    static final class MigrationScriptsHints implements RuntimeHintsRegistrar {

        @Override
        public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
            hints.resources().registerPattern("db/hishel/migration/*/*.sql");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.hishel.jdbc.JdbcStorage", "com.zaxxer.hikari.HikariDataSource",
            "org.flywaydb.core.Flyway", "org.sqlite.JDBC"})
    @Conditional(OnSqliteStorage.class)
    @ImportRuntimeHints(MigrationScriptsHints.class)
    static class SqliteStorageConfiguration {

        private static final Logger log = LoggerFactory.getLogger(SqliteStorageConfiguration.class);

        @Bean(destroyMethod = "close")
        JdbcStorage hishelStorage(HishelProperties properties, Environment environment) {
            HishelProperties.Storage settings = properties.getStorage();
            HishelProperties.Sqlite sqlite = settings.getSqlite();
            if (sqlite.getPath() == null || sqlite.getPath().isBlank()) {
                throw new InvalidHishelPropertyException("hishel.storage.sqlite.path", sqlite.getPath(),
                        "the path of a SQLite file, such as .cache/hishel/hishel_cache.db", null);
            }
            Path file = file(sqlite.getPath(), environment.containsProperty("hishel.storage.sqlite.path"),
                    Path.of("").toAbsolutePath(), Path.of(System.getProperty("java.io.tmpdir")));
            JdbcStorage.Builder builder = JdbcStorage.sqlite(file).options(storageOptions(settings))
                    .timeout(SharedStoreSettings.timeout(settings)).memoryTier(SharedStoreSettings.memoryTier(settings.getTier()));
            HishelAutoConfiguration.set("hishel.storage.sqlite.pool-size", sqlite.getPoolSize(), "a number from 1 to 64",
                    () -> builder.poolSize(sqlite.getPoolSize()));
            return builder.build();
        }

        /**
         * The SQLite file. The default path is relative to the working directory, which a container
         * or a service manager often leaves unwritable: then the file goes under the temporary
         * folder instead, in a folder named after the working directory so that two applications do
         * not share one, and a warning says which property keeps it elsewhere. A path the
         * application set is used as it is, and a failure to open it names the property.
         */
        static Path file(String configured, boolean explicit, Path workingDirectory, Path temporaryDirectory) {
            Path file = workingDirectory.resolve(configured);
            if (explicit || writable(file.getParent())) {
                return file;
            }
            String folder = "hishel-" + Integer.toHexString(workingDirectory.toAbsolutePath().normalize().toString().hashCode());
            Path fallback = temporaryDirectory.resolve(folder).resolve(file.getFileName());
            log.warn("hishel cannot create its SQLite file {} (the working directory {} is not writable);"
                    + " it uses {} instead, which may not survive a restart. Set hishel.storage.sqlite.path to a"
                    + " writable path to choose, or hishel.storage.type=memory.", file, workingDirectory, fallback);
            return fallback;
        }

        private static boolean writable(Path folder) {
            try {
                Files.createDirectories(folder);
                return Files.isWritable(folder);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    /**
     * The JDBC storage, in the first of: a pool of its own for {@code hishel.storage.jdbc.url};
     * the {@link HishelDataSource} bean; the bean {@code hishel.storage.jdbc.data-source} names
     * (deprecated); the application's DataSource. It is created after the application's own database
     * initialisation (Flyway, Liquibase, SQL scripts), so that hishel's tables never come first into
     * a schema the application's Flyway expects empty.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.hishel.jdbc.JdbcStorage", "com.zaxxer.hikari.HikariDataSource",
            "org.flywaydb.core.Flyway"})
    @Conditional(OnJdbcStorage.class)
    @Import(JdbcStorageConfiguration.DatabaseInitializationOrder.class)
    @ImportRuntimeHints(MigrationScriptsHints.class)
    static class JdbcStorageConfiguration {

        @Bean(destroyMethod = "close")
        @DependsOnDatabaseInitialization
        JdbcStorage hishelStorage(HishelProperties properties, Environment environment, BeanFactory beans,
                                  @HishelDataSource ObjectProvider<DataSource> hishelDataSource,
                                  ObjectProvider<DataSource> applicationDataSource) {
            HishelProperties.Storage settings = properties.getStorage();
            HishelProperties.Jdbc jdbc = settings.getJdbc();
            StorageOptions options = storageOptions(settings);
            Duration timeout = SharedStoreSettings.timeout(settings);
            MemoryTier tier = SharedStoreSettings.memoryTier(settings.getTier());
            boolean hasUrl = jdbc.getUrl() != null && !jdbc.getUrl().isBlank();
            boolean hasName = jdbc.getDataSource() != null && !jdbc.getDataSource().isBlank();
            if (hasUrl && hasName) {
                throw new InvalidHishelPropertyException("hishel.storage.jdbc.url", jdbc.getUrl(),
                        "a JDBC URL such as jdbc:postgresql://localhost:5432/cache, or a @HishelDataSource bean"
                                + " instead, not both a URL and hishel.storage.jdbc.data-source", null);
            }
            if (hasUrl) {
                return ownPool(jdbc, environment, options, timeout, tier, beans);
            }
            DataSource dataSource = hishelDataSource.getIfAvailable();
            if (dataSource == null && hasName) {
                try {
                    dataSource = beans.getBean(jdbc.getDataSource(), DataSource.class);
                } catch (NoSuchBeanDefinitionException e) {
                    throw new InvalidHishelPropertyException("hishel.storage.jdbc.data-source", jdbc.getDataSource(),
                            "the name of a DataSource bean of this application (or mark the bean @HishelDataSource)", e);
                }
            }
            if (dataSource == null) {
                dataSource = applicationDataSource.getIfUnique();
            }
            if (dataSource == null) {
                throw new InvalidHishelPropertyException("hishel.storage.jdbc.url", null,
                        "a JDBC URL such as jdbc:postgresql://localhost:5432/cache, or declare a DataSource bean"
                                + " marked @HishelDataSource, or give the application a DataSource"
                                + " (spring.datasource.url) to share", null);
            }
            return JdbcStorage.builder(dataSource).options(options).timeout(timeout).migrate(jdbc.isMigrate())
                    .memoryTier(tier).build();
        }

        /**
         * hishel's own pool, configured like Boot's: {@code hishel.storage.jdbc.hikari.*} takes every
         * HikariCP setting, as {@code spring.datasource.hikari.*} does, and with Micrometer the pool
         * reports {@code hikaricp.*} meters tagged {@code pool=hishel-jdbc}.
         */
        private static JdbcStorage ownPool(HishelProperties.Jdbc jdbc, Environment environment, StorageOptions options,
                                           Duration timeout, MemoryTier tier, BeanFactory beans) {
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
            try {
                Binder.get(environment).bind("hishel.storage.jdbc.hikari", Bindable.ofInstance(config));
            } catch (BindException e) {
                throw new InvalidHishelPropertyException("hishel.storage.jdbc.hikari", e.getProperty() == null ? null
                        : e.getProperty().getValue(), "HikariCP settings, as for spring.datasource.hikari.*", e);
            }
            if (ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry",
                    HishelStorageConfiguration.class.getClassLoader())) {
                PoolMeters.bind(config, beans);
            }
            HikariDataSource pool;
            try {
                pool = new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw new StorageException("hishel cannot connect to " + jdbc.getUrl() + ": " + e.getMessage(), e);
            }
            try {
                return JdbcStorage.builder(pool).options(options).timeout(timeout).migrate(jdbc.isMigrate())
                        .memoryTier(tier).closeDataSource(true).build();
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }

        /** Makes {@link DependsOnDatabaseInitialization} count where Boot's own database support is there. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer")
        @Import(DatabaseInitializationDependencyConfigurer.class)
        static class DatabaseInitializationOrder {
        }
    }

    /** Micrometer's HikariCP meters for hishel's pool; a class of its own, loaded only with Micrometer. */
    static final class PoolMeters {

        private PoolMeters() {
        }

        static void bind(HikariConfig config, BeanFactory beans) {
            MeterRegistry registry = beans.getBeanProvider(MeterRegistry.class).getIfUnique();
            if (registry != null && config.getMetricsTrackerFactory() == null && config.getMetricRegistry() == null) {
                config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.hishel.memory.MemoryStorage")
    @Conditional(OnMemoryStorage.class)
    static class MemoryStorageConfiguration {

        @Bean(destroyMethod = "close")
        MemoryStorage hishelStorage(HishelProperties properties) {
            return new MemoryStorage(storageOptions(properties.getStorage()));
        }
    }

    /** The type asked for cannot be configured: a bean whose creation says which artifacts to add. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(OnMissingStorageJars.class)
    static class MissingJarsConfiguration {

        @Bean
        Storage hishelStorage(ApplicationContext context) {
            HishelProperties.StorageType type = effectiveType(context.getEnvironment(), context.getClassLoader());
            throw new MissingStorageJarsException(type, missing(type, context.getClassLoader()));
        }
    }

    /**
     * Matches when the storage type in effect is this condition's: the one {@code hishel.storage.type}
     * names or, without it, SQLite when its jars are present and memory otherwise.
     */
    abstract static class StorageTypeCondition extends SpringBootCondition {

        private final HishelProperties.StorageType type;

        StorageTypeCondition(HishelProperties.StorageType type) {
            this.type = type;
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            HishelProperties.StorageType effective;
            try {
                effective = effectiveType(context.getEnvironment(), context.getClassLoader());
            } catch (BindException e) {
                // The binding of HishelProperties reports the bad value, with Boot's own analysis.
                return ConditionOutcome.noMatch("hishel.storage.type cannot be read: " + e.getMessage());
            }
            return matches(effective, context) ? ConditionOutcome.match("hishel storage is " + effective)
                    : ConditionOutcome.noMatch("hishel storage is " + effective + ", not " + type);
        }

        boolean matches(HishelProperties.StorageType effective, ConditionContext context) {
            return effective == type;
        }

    }

    /** The type {@code hishel.storage.type} names or, without it, SQLite when its jars are present and memory otherwise. */
    static HishelProperties.StorageType effectiveType(Environment environment, ClassLoader classLoader) {
        return Binder.get(environment).bind("hishel.storage.type", HishelProperties.StorageType.class)
                .orElseGet(() -> missing(HishelProperties.StorageType.SQLITE, classLoader).isEmpty()
                        ? HishelProperties.StorageType.SQLITE : HishelProperties.StorageType.MEMORY);
    }

    static final class OnSqliteStorage extends StorageTypeCondition {
        OnSqliteStorage() {
            super(HishelProperties.StorageType.SQLITE);
        }
    }

    static final class OnJdbcStorage extends StorageTypeCondition {
        OnJdbcStorage() {
            super(HishelProperties.StorageType.JDBC);
        }
    }

    static final class OnMemoryStorage extends StorageTypeCondition {
        OnMemoryStorage() {
            super(HishelProperties.StorageType.MEMORY);
        }
    }

    static final class OnMissingStorageJars extends StorageTypeCondition {
        OnMissingStorageJars() {
            super(null);
        }

        @Override
        boolean matches(HishelProperties.StorageType effective, ConditionContext context) {
            return !missing(effective, context.getClassLoader()).isEmpty();
        }
    }

    static StorageOptions storageOptions(HishelProperties.Storage settings) {
        StorageOptions.Builder builder = StorageOptions.builder().refreshTtlOnAccess(settings.isRefreshTtlOnAccess());
        if (settings.getDefaultTtl() != null) {
            HishelAutoConfiguration.set("hishel.storage.default-ttl", settings.getDefaultTtl(),
                    "a duration of zero or more, such as 1h", () -> builder.defaultTtl(settings.getDefaultTtl()));
        }
        HishelAutoConfiguration.set("hishel.storage.max-size", settings.getMaxSize(), "a size of at least 1 byte, such as 256MB",
                () -> builder.maxBytes(settings.getMaxSize().toBytes()));
        HishelAutoConfiguration.set("hishel.storage.max-entries", settings.getMaxEntries(),
                "0 for no bound, or a positive number", () -> builder.maxEntries(settings.getMaxEntries()));
        HishelAutoConfiguration.set("hishel.storage.cleanup-interval", settings.getCleanupInterval(),
                "a positive duration, such as 5m", () -> builder.cleanupInterval(settings.getCleanupInterval()));
        return builder.build();
    }
}
