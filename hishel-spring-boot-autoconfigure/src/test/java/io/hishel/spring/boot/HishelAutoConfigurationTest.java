package io.hishel.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.memory.MemoryStorage;
import io.hishel.memory.MemoryTier;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.FilterPolicy;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.spring.boot.actuate.HishelActuatorAutoConfiguration;
import io.hishel.spring.boot.actuate.HishelEndpoint;
import io.hishel.spring.boot.actuate.HishelHealthIndicator;
import io.hishel.spring.boot.actuate.HishelMetrics;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.DispatcherType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every condition and property of the auto-configuration, without a server. */
class HishelAutoConfigurationTest {

    @TempDir
    Path dir;

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HishelAutoConfiguration.class,
                        HishelActuatorAutoConfiguration.class))
                .withPropertyValues("hishel.storage.sqlite.path=" + dir.resolve("cache.db"));
    }

    @Test
    void installsTheCacheOnASqliteFileWithTheDefaults() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(CacheOptions.class).hasSingleBean(CachePolicy.class)
                    .hasSingleBean(Storage.class).hasSingleBean(HishelCacheFilter.class)
                    .doesNotHaveBean(DataSource.class);
            assertThat(context.getBean(CacheOptions.class))
                    .isEqualTo(CacheOptions.builder().heuristicFraction(0).build());
            assertThat(context.getBean(CachePolicy.class)).isInstanceOf(SpecificationPolicy.class);
            assertThat(context.getBean(Storage.class)).isInstanceOf(JdbcStorage.class);
            assertThat(dir.resolve("cache.db")).exists();
            FilterRegistrationBean<?> registration = context.getBean("hishelCacheFilterRegistration",
                    FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isSameAs(context.getBean(HishelCacheFilter.class));
            assertThat(registration.getUrlPatterns()).containsExactly("/*");
            assertThat(registration.getOrder()).isEqualTo(-99);
            assertThat(registration.isAsyncSupported()).isTrue();
        });
    }

    @Test
    void installsNothingOutsideAServletWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HishelAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(HishelCacheFilter.class)
                        .doesNotHaveBean(Storage.class));
    }

    @Test
    void installsNothingWhenDisabled() {
        runner().withPropertyValues("hishel.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(HishelCacheFilter.class).doesNotHaveBean(Storage.class)
                    .doesNotHaveBean(HishelEndpoint.class).doesNotHaveBean(HishelMetrics.class);
            assertThat(dir.resolve("cache.db")).doesNotExist();
        });
    }

    /** Issue 17: {@code ttl: 60} meant 60 ms; as in {@code @HttpCache} and Boot's own cache properties, seconds. */
    @Test
    void bareNumbersInTtlLikePropertiesMeanSeconds() {
        runner().withPropertyValues(
                "hishel.storage.type=memory",
                "hishel.storage.default-ttl=60",
                "hishel.storage.tier.max-age=7",
                "hishel.options.allow-stale=30",
                "hishel.options.grace=600",
                "hishel.options.heuristic-max-lifetime=3600",
                "hishel.rules[0].pattern=/**",
                "hishel.rules[0].ttl=90").run(context -> {
            HishelProperties properties = context.getBean(HishelProperties.class);
            assertThat(properties.getStorage().getDefaultTtl()).isEqualTo(Duration.ofSeconds(60));
            assertThat(properties.getStorage().getTier().getMaxAge()).isEqualTo(Duration.ofSeconds(7));
            assertThat(properties.getRules().get(0).getTtl()).isEqualTo(Duration.ofSeconds(90));
            CacheOptions options = context.getBean(CacheOptions.class);
            assertThat(options.allowStale()).isEqualTo(Duration.ofSeconds(30));
            assertThat(options.grace()).isEqualTo(Duration.ofMinutes(10));
            assertThat(options.heuristicMaxLifetime()).isEqualTo(Duration.ofHours(1));
        });
    }

    @Test
    void mapsEveryOptionsPropertyToCacheOptions() {
        runner().withPropertyValues(
                "hishel.options.shared=false",
                "hishel.options.supported-methods=GET,HEAD,POST",
                "hishel.options.allow-stale=30s",
                "hishel.options.grace=0",
                "hishel.options.heuristic-fraction=0.2",
                "hishel.options.heuristic-max-lifetime=2h",
                "hishel.options.honor-request-directives=false",
                "hishel.options.store-set-cookie=true",
                "hishel.options.max-entry-size=2MB",
                "hishel.options.targeted-fields=CDN-Cache-Control").run(context -> {
            CacheOptions options = context.getBean(CacheOptions.class);
            assertThat(options.shared()).isFalse();
            assertThat(options.supportedMethods()).containsExactlyInAnyOrder("GET", "HEAD", "POST");
            assertThat(options.allowStale()).isEqualTo(Duration.ofSeconds(30));
            assertThat(options.grace()).isZero();
            assertThat(options.heuristicFraction()).isEqualTo(0.2);
            assertThat(options.heuristicMaxLifetime()).isEqualTo(Duration.ofHours(2));
            assertThat(options.honorRequestDirectives()).isFalse();
            assertThat(options.storeSetCookie()).isTrue();
            assertThat(options.maxEntrySize()).isEqualTo(DataSize.ofMegabytes(2).toBytes());
            assertThat(options.targetedFields()).containsExactly("CDN-Cache-Control");
            assertThat(((SpecificationPolicy) context.getBean(CachePolicy.class)).options()).isSameAs(options);
        });
    }

    @Test
    void unsetOptionsAreWhatCacheOptionsWouldChooseForTheSameSettings() {
        runner().withPropertyValues("hishel.options.shared=false", "hishel.options.heuristic-fraction=0.1").run(context ->
                assertThat(context.getBean(CacheOptions.class))
                        .isEqualTo(CacheOptions.builder().shared(false).build()));
        runner().run(context -> assertThat(context.getBean(CacheOptions.class))
                .isEqualTo(CacheOptions.builder().heuristicFraction(0).build()));
    }

    @Test
    void aFilterPolicyBeanReplacesTheSpecificationPolicy() {
        runner().withUserConfiguration(FilterPolicyConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(CachePolicy.class);
            assertThat(context.getBean(HishelCacheFilter.class).policy()).isInstanceOf(FilterPolicy.class);
        });
    }

    @Test
    void storageAndOptionsBeansOfTheApplicationReplaceHishels() {
        runner().withUserConfiguration(OwnStorageConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(Storage.class);
            assertThat(((BuildScopedStorage) context.getBean(HishelCacheFilter.class).storage()).storage())
                    .isSameAs(context.getBean("myStorage"));
            assertThat(context.getBean(CacheOptions.class).maxEntrySize()).isEqualTo(1234);
            assertThat(dir.resolve("cache.db")).doesNotExist();
        });
    }

    @Test
    void aFilterRegistrationOfTheApplicationReplacesHishels() {
        runner().withUserConfiguration(OwnRegistrationConfiguration.class).run(context -> {
            FilterRegistrationBean<?> registration = context.getBean("hishelCacheFilterRegistration",
                    FilterRegistrationBean.class);
            assertThat(registration.getUrlPatterns()).containsExactly("/api/*");
        });
    }

    @Test
    void memoryStorageIsBoundedByTheStorageProperties() {
        runner().withPropertyValues("hishel.storage.type=memory", "hishel.storage.max-size=1MB",
                "hishel.storage.default-ttl=10m").run(context -> {
            assertThat(context.getBean(Storage.class)).isInstanceOf(MemoryStorage.class);
            assertThat(dir.resolve("cache.db")).doesNotExist();
        });
    }

    /** Issue 17: an application with memory storage needs none of the JDBC jars. */
    @Test
    void memoryStorageStartsAndCachesWithoutAnyJdbcJar() {
        runner().withClassLoader(withoutJdbcJars()).withPropertyValues("hishel.storage.type=memory").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(HishelCacheFilter.class);
            assertThat(context.getBean(Storage.class)).isInstanceOf(MemoryStorage.class);
            assertThat(dir.resolve("cache.db")).doesNotExist();
        });
    }

    @Test
    void withoutTheSqliteJarsTheStorageIsMemoryUnlessATypeIsSet() {
        runner().withClassLoader(new FilteredClassLoader("org.sqlite")).run(context ->
                assertThat(context.getBean(Storage.class)).isInstanceOf(MemoryStorage.class));
        runner().run(context -> assertThat(context.getBean(Storage.class)).isInstanceOf(JdbcStorage.class));
    }

    @Test
    void aStorageTypeWhoseJarsAreMissingIsReportedWithTheArtifactsToAdd() {
        assertMissingJars(withoutJdbcJars(), "hishel.storage.type=sqlite", "hishel.storage.type is sqlite",
                "io.hishel:hishel-jdbc, com.zaxxer:HikariCP, org.flywaydb:flyway-core, org.xerial:sqlite-jdbc",
                "io.hishel:hishel-spring-boot-starter");
        assertMissingJars(new FilteredClassLoader("org.sqlite"), "hishel.storage.type=sqlite",
                "hishel.storage.type is sqlite, but org.xerial:sqlite-jdbc is not", "org.xerial:sqlite-jdbc", "brings it");
        assertMissingJars(new FilteredClassLoader("com.zaxxer.hikari"), "hishel.storage.type=jdbc",
                "hishel.storage.type is jdbc", "com.zaxxer:HikariCP", "io.hishel:hishel-spring-boot-starter");
        assertMissingJars(new FilteredClassLoader("io.hishel.memory"), "hishel.storage.type=memory",
                "hishel.storage.type is memory", "io.hishel:hishel-memory", "io.hishel:hishel-spring-boot-starter-memory");
    }

    private static FilteredClassLoader withoutJdbcJars() {
        return new FilteredClassLoader("io.hishel.jdbc", "com.zaxxer.hikari", "org.flywaydb", "org.sqlite");
    }

    private void assertMissingJars(FilteredClassLoader classLoader, String type, String description, String artifacts,
                                   String action) {
        runner().withClassLoader(classLoader).withPropertyValues(type).run(context -> {
            assertThat(context).as(type).hasFailed();
            FailureAnalysis analysis = new HishelFailureAnalyzer.MissingStorageJarsAnalyzer()
                    .analyze(context.getStartupFailure());
            assertThat(analysis).as(type).isNotNull();
            assertThat(analysis.getDescription()).contains(description, artifacts);
            assertThat(analysis.getAction()).contains("Add " + artifacts, action);
        });
    }

    @Test
    void jdbcStorageUsesANamedDataSourceBeanWithoutMakingItTheApplications() {
        runner().withUserConfiguration(CacheDataSourceConfiguration.class)
                .withPropertyValues("hishel.storage.type=jdbc", "hishel.storage.jdbc.data-source=cacheDataSource")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Storage.class)).isInstanceOf(JdbcStorage.class);
                    assertThat(context).doesNotHaveBean("hishelStorageDataSource");
                    assertThat(dir.resolve("cache-bean.db")).isNotEmptyFile();
                    assertThat(dir.resolve("cache.db")).doesNotExist();
                });
    }

    /** Issue 17: a qualifier, as {@code @FlywayDataSource}, instead of a bean name. */
    @Test
    void jdbcStorageUsesTheHishelDataSourceAndNotTheApplicationsOwn() {
        runner().withUserConfiguration(QualifiedDataSourceConfiguration.class)
                .withPropertyValues("hishel.storage.type=jdbc").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Storage.class)).isInstanceOf(JdbcStorage.class);
                    assertThat(context.getBean(DataSource.class)).as("the application's, the only default candidate")
                            .isSameAs(context.getBean("applicationDataSource"));
                    assertThat(dir.resolve("cache-qualified.db")).isNotEmptyFile();
                    assertThat(dir.resolve("application.db")).doesNotExist();
                });
    }

    @Test
    void withoutAUrlOrAHishelDataSourceJdbcStorageSharesTheApplicationsDataSource() {
        runner().withUserConfiguration(CacheDataSourceConfiguration.class).withPropertyValues("hishel.storage.type=jdbc")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Storage.class)).isInstanceOf(JdbcStorage.class);
                    assertThat(dir.resolve("cache-bean.db")).isNotEmptyFile();
                });
    }

    @Test
    void filterPropertiesShapeTheRegistration() {
        runner().withPropertyValues("hishel.filter.url-patterns=/api/*,/pages/*", "hishel.filter.order=5",
                "hishel.filter.dispatcher-types=REQUEST,ASYNC").run(context -> {
            FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
            assertThat(registration.getUrlPatterns()).containsExactly("/api/*", "/pages/*");
            assertThat(registration.getOrder()).isEqualTo(5);
            assertThat(registration.determineDispatcherTypes())
                    .isEqualTo(java.util.EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        });
    }

    @Test
    void theFilterFollowsSpringSecuritysFilterOrder() {
        runner().withPropertyValues("spring.security.filter.order=10").run(context ->
                assertThat(context.getBean(FilterRegistrationBean.class).getOrder()).isEqualTo(11));
    }

    @Test
    void actuatorPartsAreInstalledWhenActuatorIsPresent() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=hishel")
                .run(context -> assertThat(context).hasSingleBean(HishelEndpoint.class)
                        .hasSingleBean(io.hishel.spring.boot.actuate.HishelEndpointWebExtension.class)
                        .hasSingleBean(HishelHealthIndicator.class).hasSingleBean(HishelMetrics.class));
    }

    @Test
    void theEndpointExistsOnlyWhenExposed() {
        runner().run(context -> assertThat(context).doesNotHaveBean(HishelEndpoint.class)
                .hasSingleBean(HishelHealthIndicator.class));
    }

    @Test
    void eachActuatorPartNeedsItsLibrary() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=hishel")
                .withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class, MeterBinder.class))
                .run(context -> assertThat(context).hasSingleBean(HishelCacheFilter.class)
                        .doesNotHaveBean(HishelEndpoint.class).doesNotHaveBean(HishelHealthIndicator.class)
                        .doesNotHaveBean(HishelMetrics.class));
    }

    @Test
    void everyStorageObserverBeanLearnsTheTimings() {
        runner().withBean("mine", io.hishel.servlet.StorageObserver.class, () -> (operation, duration, failed) -> { })
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(HishelCacheFilter.class)
                        .getBeans(io.hishel.servlet.StorageObserver.class).hasSize(2));
    }

    @Test
    void theHealthIndicatorCanBeSwitchedOff() {
        runner().withPropertyValues("management.health.hishel.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(HishelHealthIndicator.class));
    }

    @Test
    void worksWithoutSpringMvc() {
        runner().withClassLoader(new FilteredClassLoader(WebMvcConfigurer.class))
                .run(context -> assertThat(context).hasSingleBean(HishelCacheFilter.class));
    }

    @Test
    void rejectsABadValueWithAReportNamingTheProperty() {
        assertFailure("hishel.options.heuristic-fraction", "a number from 0 to 1", "hishel.options.heuristic-fraction=2");
        assertFailure("hishel.options.max-entry-size", "at least 1 byte", "hishel.options.max-entry-size=0");
        assertFailure("hishel.options.supported-methods", "HTTP method", "hishel.options.supported-methods=GE T");
        assertFailure("hishel.filter.cache-name", "RFC 8941 token", "hishel.filter.cache-name=my cache");
        assertFailure("hishel.filter.collapsing.wait", "positive duration", "hishel.filter.collapsing.wait=0s");
        assertFailure("hishel.storage.sqlite.pool-size", "from 1 to 64", "hishel.storage.sqlite.pool-size=0");
        assertFailure("hishel.rules[0].pattern", "PathPattern", "hishel.rules[0].pattern=/api/{*rest}/more");
        assertFailure("hishel.rules[0].pattern", "path pattern", "hishel.rules[0].ttl=10m");
        assertFailure("hishel.rules[1].methods", "HTTP method", "hishel.rules[0].pattern=/a",
                "hishel.rules[1].pattern=/b", "hishel.rules[1].methods=G@T");
        assertFailure("hishel.storage.jdbc.url", "JDBC URL", "hishel.storage.type=jdbc");
    }

    @Test
    void theMemoryTierOfTheSqliteStorageIsOnByDefaultAndConfiguredByItsProperties() {
        runner().run(context -> assertThat(((JdbcStorage) context.getBean(Storage.class)).memoryTier())
                .isEqualTo(MemoryTier.defaults()));
        runner().withPropertyValues("hishel.storage.tier.max-size=8MB", "hishel.storage.tier.max-body-size=4KB",
                "hishel.storage.tier.max-age=1s").run(context -> {
                    MemoryTier tier = ((JdbcStorage) context.getBean(Storage.class)).memoryTier();
                    assertThat(tier.maxBytes()).isEqualTo(8L * 1024 * 1024);
                    assertThat(tier.maxBodyBytes()).isEqualTo(4096);
                    assertThat(tier.maxAge()).isEqualTo(Duration.ofSeconds(1));
                });
        runner().withPropertyValues("hishel.storage.tier.enabled=false").run(context ->
                assertThat(((JdbcStorage) context.getBean(Storage.class)).memoryTier().enabled()).isFalse());
    }

    @Test
    void rejectsMemoryTierBoundsThatCannotHoldNamingTheProperty() {
        assertFailure("hishel.storage.tier.max-size", "at least 1KB", "hishel.storage.tier.max-size=100B");
        assertFailure("hishel.storage.tier.max-age", "positive duration", "hishel.storage.tier.max-age=0s");
        assertFailure("hishel.storage.tier.max-body-size", "no larger than hishel.storage.tier.max-size",
                "hishel.storage.tier.max-size=1MB", "hishel.storage.tier.max-body-size=2MB");
    }

    @Test
    void aMissingDataSourceBeanIsReportedByName() {
        runner().withPropertyValues("hishel.storage.type=jdbc", "hishel.storage.jdbc.data-source=nope").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new HishelFailureAnalyzer(new StandardEnvironment()).analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("hishel.storage.jdbc.data-source", "'nope'");
            assertThat(analysis.getAction()).contains("DataSource bean");
        });
    }

    @Test
    void anUnwritableSqlitePathIsReportedWithWhatToChange() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-folder"));
        runner().withPropertyValues("hishel.storage.sqlite.path=" + file.resolve("cache.db")).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new HishelFailureAnalyzer.StorageFailureAnalyzer()
                    .analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("not-a-folder");
            assertThat(analysis.getAction()).contains("hishel.storage.sqlite.path");
        });
    }

    /** Issue 17: a container's read-only working directory must not stop the application. */
    @Test
    void aWorkingDirectoryThatCannotHoldTheDefaultFileFallsBackToTheTemporaryFolder() throws Exception {
        Path unwritable = Files.createFile(dir.resolve("working-directory-is-a-file"));
        Path temporary = Files.createDirectories(dir.resolve("tmp"));

        Path fallback = HishelStorageConfiguration.SqliteStorageConfiguration.file(".cache/hishel/hishel_cache.db",
                false, unwritable, temporary);
        Path kept = HishelStorageConfiguration.SqliteStorageConfiguration.file(".cache/hishel/hishel_cache.db",
                true, unwritable, temporary);
        Path usual = HishelStorageConfiguration.SqliteStorageConfiguration.file(".cache/hishel/hishel_cache.db",
                false, dir, temporary);

        assertThat(fallback.getParent().getParent()).isEqualTo(temporary);
        assertThat(fallback.getFileName()).hasToString("hishel_cache.db");
        assertThat(kept).as("a path the application set is its choice").isEqualTo(unwritable.resolve(".cache/hishel/hishel_cache.db"));
        assertThat(usual).isEqualTo(dir.resolve(".cache/hishel/hishel_cache.db"));
        assertThat(dir.resolve(".cache/hishel")).isDirectory();
    }

    @Test
    void aNativeImageHoldsTheMigrationScripts() {
        org.springframework.aot.hint.RuntimeHints hints = new org.springframework.aot.hint.RuntimeHints();
        new HishelStorageConfiguration.MigrationScriptsHints().registerHints(hints, getClass().getClassLoader());

        for (String database : List.of("sqlite", "postgresql")) {
            assertThat(org.springframework.aot.hint.predicate.RuntimeHintsPredicates.resource()
                    .forResource("db/hishel/migration/" + database + "/V1__create_hishel_tables.sql")).accepts(hints);
        }
        assertThat(getClass().getClassLoader().getResource("db/hishel/migration/sqlite/V1__create_hishel_tables.sql"))
                .isNotNull();
    }

    private void assertFailure(String name, String accepted, String... properties) {
        String given = String.join(", ", properties);
        runner().withPropertyValues(properties).run(context -> {
            assertThat(context).as(given).hasFailed();
            FailureAnalysis analysis = new HishelFailureAnalyzer(new StandardEnvironment()).analyze(context.getStartupFailure());
            assertThat(analysis).as(given).isNotNull();
            assertThat(analysis.getDescription()).as(given).contains("the property " + name);
            assertThat(analysis.getAction()).as(given).contains("Set " + name, accepted);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class FilterPolicyConfiguration {
        @Bean
        FilterPolicy apiOnly(CacheOptions options) {
            return new FilterPolicy(List.of((request, body) -> request.url().getPath().startsWith("/api/")),
                    List.of(), options);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStorageConfiguration {
        @Bean
        Storage myStorage() {
            return new MemoryStorage(StorageOptions.defaults());
        }

        @Bean
        CacheOptions myOptions() {
            return CacheOptions.builder().maxEntrySize(1234).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistrationConfiguration {
        @Bean
        FilterRegistrationBean<HishelCacheFilter> hishelCacheFilterRegistration(HishelCacheFilter filter) {
            FilterRegistrationBean<HishelCacheFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setUrlPatterns(Set.of("/api/*"));
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedDataSourceConfiguration {
        @Bean(destroyMethod = "close")
        com.zaxxer.hikari.HikariDataSource applicationDataSource(org.springframework.core.env.Environment environment) {
            // Lazy: a connection would create the file, which must stay absent.
            com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource();
            dataSource.setJdbcUrl("jdbc:sqlite:" + environment.getProperty("hishel.storage.sqlite.path")
                    .replace("cache.db", "application.db"));
            return dataSource;
        }

        @Bean(destroyMethod = "close", defaultCandidate = false)
        @HishelDataSource
        com.zaxxer.hikari.HikariDataSource cacheDataSource(org.springframework.core.env.Environment environment) {
            com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource();
            dataSource.setJdbcUrl("jdbc:sqlite:" + environment.getProperty("hishel.storage.sqlite.path")
                    .replace("cache.db", "cache-qualified.db"));
            return dataSource;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CacheDataSourceConfiguration {
        @Bean(destroyMethod = "close")
        com.zaxxer.hikari.HikariDataSource cacheDataSource(org.springframework.core.env.Environment environment) {
            com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource();
            dataSource.setJdbcUrl("jdbc:sqlite:" + environment.getProperty("hishel.storage.sqlite.path")
                    .replace("cache.db", "cache-bean.db"));
            return dataSource;
        }
    }
}
