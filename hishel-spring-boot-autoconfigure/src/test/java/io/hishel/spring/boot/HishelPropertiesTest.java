package io.hishel.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.memory.MemoryTier;
import io.hishel.policy.CacheOptions;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.storage.StorageOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The properties' defaults are written out, so that the configuration processor puts them in the
 * IDE's metadata; each must be the default of the API it configures, as Spring Boot checks its own
 * ({@code FlywayPropertiesTests.defaultValuesAreConsistent}).
 */
class HishelPropertiesTest {

    private final HishelProperties properties = new HishelProperties();

    @Test
    void optionDefaultsAreCacheOptionsDefaults() {
        HishelProperties.Options options = properties.getOptions();
        CacheOptions api = CacheOptions.defaults();

        assertThat(options.isShared()).isEqualTo(api.shared());
        assertThat(options.getSupportedMethods()).containsExactlyInAnyOrderElementsOf(api.supportedMethods());
        assertThat(options.getAllowStale()).isEqualTo(api.allowStale());
        assertThat(options.getGrace()).isEqualTo(api.grace());
        // Issue 17: heuristic freshness is off in the starter; the static resources of an application
        // are stored only when they say so.
        assertThat(options.getHeuristicFraction()).isZero();
        assertThat(options.getHeuristicMaxLifetime()).isEqualTo(api.heuristicMaxLifetime());
        assertThat(options.isHonorRequestDirectives()).isEqualTo(api.honorRequestDirectives());
        // Unset, so that CacheOptions decides from shared, as it does for a builder.
        assertThat(options.getStoreSetCookie()).isNull();
        assertThat(options.getMaxEntrySize().toBytes()).isEqualTo(api.maxEntrySize());
        assertThat(options.getTargetedFields()).containsExactlyElementsOf(api.targetedFields());
    }

    @Test
    void storageDefaultsAreStorageOptionsDefaults() {
        HishelProperties.Storage storage = properties.getStorage();
        StorageOptions api = StorageOptions.defaults();

        assertThat(storage.getDefaultTtl()).isEqualTo(api.defaultTtl().orElse(null));
        assertThat(storage.isRefreshTtlOnAccess()).isEqualTo(api.refreshTtlOnAccess());
        assertThat(storage.getMaxSize().toBytes()).isEqualTo(api.maxBytes());
        assertThat(storage.getMaxEntries()).isEqualTo(api.maxEntries());
        assertThat(storage.getCleanupInterval()).isEqualTo(api.cleanupInterval());
    }

    @Test
    void memoryTierDefaultsAreMemoryTierDefaults() {
        HishelProperties.Tier tier = properties.getStorage().getTier();
        MemoryTier api = MemoryTier.defaults();

        assertThat(tier.isEnabled()).isEqualTo(api.enabled());
        assertThat(tier.getMaxSize().toBytes()).isEqualTo(api.maxBytes());
        assertThat(tier.getMaxBodySize().toBytes()).isEqualTo(api.maxBodyBytes());
        assertThat(tier.getMaxAge()).isEqualTo(api.maxAge());
    }

    @Test
    void sqliteAndJdbcDefaultsAreTheJdbcStorageBuildersDefaults() {
        HishelProperties.Sqlite sqlite = properties.getStorage().getSqlite();
        HishelProperties.Jdbc jdbc = properties.getStorage().getJdbc();

        assertThat(Path.of(sqlite.getPath())).isEqualTo(JdbcStorage.defaultSqlitePath());
        assertThat(sqlite.getPoolSize()).isEqualTo(JdbcStorage.Builder.DEFAULT_SQLITE_POOL_SIZE);
        assertThat(properties.getStorage().getTimeout()).isEqualTo(JdbcStorage.Builder.DEFAULT_TIMEOUT);
        assertThat(jdbc.isMigrate()).isEqualTo(JdbcStorage.Builder.DEFAULT_MIGRATE);
    }

    @Test
    void filterDefaultsAreTheFilterBuildersDefaults() {
        HishelProperties.Filter filter = properties.getFilter();

        // Issue 17: off in the starter, as Boot switched off X-Application-Context: they tell any client
        // whether someone else asked for a URL lately.
        assertThat(filter.isMetadataHeaders()).isFalse();
        assertThat(filter.isCacheStatus()).isEqualTo(HishelCacheFilter.Builder.DEFAULT_CACHE_STATUS);
        assertThat(filter.getCacheName()).isEqualTo(HishelCacheFilter.Builder.DEFAULT_CACHE_NAME);
        assertThat(filter.isTrustClientMetadata()).isEqualTo(HishelCacheFilter.Builder.DEFAULT_TRUST_CLIENT_METADATA);
        assertThat(filter.isStripTargetedFields()).isEqualTo(HishelCacheFilter.Builder.DEFAULT_STRIP_TARGETED_FIELDS);
        assertThat(filter.getMaxRequestBodySize().toBytes())
                .isEqualTo(HishelCacheFilter.Builder.DEFAULT_MAX_REQUEST_BODY_SIZE);
        // Unset means the builder's list, so that it is not repeated here.
        assertThat(filter.getKeyedRequestFields()).isNull();
        assertThat(filter.getCollapsing().isEnabled()).isEqualTo(HishelCacheFilter.Builder.DEFAULT_COLLAPSING);
        assertThat(filter.getCollapsing().getWait()).isEqualTo(HishelCacheFilter.Builder.DEFAULT_COLLAPSE_TIMEOUT);
        assertThat(filter.getCollapsing().getHitForMiss()).isEqualTo(HishelCacheFilter.Builder.DEFAULT_HIT_FOR_MISS);
        assertThat(filter.getStorageFailures().getThreshold())
                .isEqualTo(HishelCacheFilter.Builder.DEFAULT_STORAGE_FAILURE_THRESHOLD);
        assertThat(filter.getStorageFailures().getCoolDown())
                .isEqualTo(HishelCacheFilter.Builder.DEFAULT_STORAGE_COOL_DOWN);
        assertThat(filter.getStorageFailures().getSlowCall())
                .isEqualTo(HishelCacheFilter.Builder.DEFAULT_SLOW_STORAGE_CALL);
    }

    @Test
    void aRulesDefaultsLeaveEverythingToTheResponse() {
        HishelProperties.Rule rule = new HishelProperties.Rule();

        assertThat(rule.isEnabled()).isTrue();
        assertThat(rule.getMethods()).isEmpty();
        assertThat(rule.getTtl()).isNull();
        assertThat(rule.getSpecIgnore()).isNull();
        assertThat(rule.getBodyKey()).isNull();
        assertThat(rule.getRefreshTtlOnAccess()).isNull();
        assertThat(rule.getTags()).isEmpty();
    }
}
