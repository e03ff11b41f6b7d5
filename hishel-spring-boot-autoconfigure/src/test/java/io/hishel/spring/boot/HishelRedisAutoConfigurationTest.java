package io.hishel.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.RedisServer;
import io.hishel.TcpProxy;
import io.hishel.memory.MemoryStorage;
import io.hishel.memory.MemoryTier;
import io.hishel.redis.RedisStorage;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code hishel.storage.type=redis}: on Boot's Redis connection, under the application's own prefix. */
class HishelRedisAutoConfigurationTest {

    private static final URI SHARED = URI.create(RedisServer.URL);

    @BeforeAll
    static void requireRedis() {
        RedisServer.assumeReachable();
    }

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                        HishelRedisAutoConfiguration.class, HishelAutoConfiguration.class));
    }

    @Test
    void usesBootsRedisConnectionUnderAPrefixNamedAfterTheApplication() throws Exception {
        // A port of its own in front of the shared Redis: only Boot's properties name it.
        try (TcpProxy proxy = new TcpProxy(SHARED.getHost(), SHARED.getPort())) {
            runner().withPropertyValues("hishel.storage.type=redis", "spring.application.name=orders",
                            "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + proxy.port())
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasSingleBean(Storage.class);
                        Storage storage = context.getBean(Storage.class);
                        assertThat(storage).isInstanceOf(RedisStorage.class);
                        assertThat(storage.toString()).contains("127.0.0.1:" + proxy.port())
                                .contains("prefix hishel:orders:");
                        assertThat(storage.list(0, 1)).isNotNull();
                    });
        }
    }

    @Test
    void withoutAnApplicationNameThePrefixIsHishels() {
        runner().withPropertyValues("hishel.storage.type=redis", "spring.data.redis.host=" + SHARED.getHost(),
                        "spring.data.redis.port=" + SHARED.getPort())
                .run(context -> assertThat(context.getBean(Storage.class).toString()).endsWith("(prefix hishel:)"));
    }

    @Test
    void aKeyPrefixAndAUrlOfItsOwnWinOverBoots() {
        runner().withPropertyValues("hishel.storage.type=redis", "spring.application.name=orders",
                        "hishel.storage.redis.key-prefix=shop:", "hishel.storage.redis.url=" + RedisServer.URL,
                        // Nothing listens on port 1: were Boot's connection used, the storage would not start.
                        "spring.data.redis.port=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Storage.class).toString()).endsWith("(prefix shop:)");
                    assertThat(context.getBean(Storage.class).statistics()).isNotNull();
                });
    }

    @Test
    void theTierPropertiesApplyToRedisToo() {
        runner().withPropertyValues("hishel.storage.type=redis", "hishel.storage.redis.url=" + RedisServer.URL)
                .run(context -> assertThat(((RedisStorage) context.getBean(Storage.class)).memoryTier())
                        .isEqualTo(MemoryTier.defaults()));
        runner().withPropertyValues("hishel.storage.type=redis", "hishel.storage.redis.url=" + RedisServer.URL,
                        "hishel.storage.tier.max-size=8MB", "hishel.storage.tier.max-body-size=16KB",
                        "hishel.storage.tier.max-age=2s")
                .run(context -> assertThat(((RedisStorage) context.getBean(Storage.class)).memoryTier())
                        .isEqualTo(MemoryTier.builder().maxBytes(8L * 1024 * 1024).maxBodyBytes(16 * 1024)
                                .maxAge(Duration.ofSeconds(2)).build()));
        runner().withPropertyValues("hishel.storage.type=redis", "hishel.storage.redis.url=" + RedisServer.URL,
                        "hishel.storage.tier.enabled=false")
                .run(context -> assertThat(((RedisStorage) context.getBean(Storage.class)).memoryTier())
                        .isEqualTo(MemoryTier.off()));
        runner().withPropertyValues("hishel.storage.type=redis", "hishel.storage.redis.url=" + RedisServer.URL,
                        "hishel.storage.tier.max-age=0s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("hishel.storage.tier.max-age"));
    }

    @Test
    void worksWithoutSpringDataRedis() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HishelRedisAutoConfiguration.class,
                        HishelAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.data.redis"))
                .withPropertyValues("hishel.storage.type=redis", "hishel.storage.redis.url=" + RedisServer.URL)
                .run(context -> assertThat(context).hasNotFailed().getBean(Storage.class)
                        .isInstanceOf(RedisStorage.class));
    }

    @Test
    void anEmptyKeyPrefixIsRejectedNamingTheProperty() {
        runner().withPropertyValues("hishel.storage.type=redis", "hishel.storage.redis.key-prefix=",
                        "hishel.storage.redis.url=" + RedisServer.URL)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("keyPrefix"));
        runner().withPropertyValues("hishel.storage.type=redis", "hishel.storage.redis.key-prefix=",
                        "hishel.storage.redis.url=" + RedisServer.URL)
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "hishel.storage.redis.key-prefix"));
    }

    @Test
    void withoutLettuceAskingForRedisSaysWhatToAdd() {
        runner().withClassLoader(new FilteredClassLoader(RedisClient.class))
                .withPropertyValues("hishel.storage.type=redis")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasStackTraceContaining("hishel.storage.type")
                        .hasStackTraceContaining("io.hishel:hishel-redis"));
    }

    @Test
    void otherStoragesAreUntouched() {
        runner().withPropertyValues("hishel.storage.type=memory", "spring.data.redis.port=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Storage.class)).isInstanceOf(MemoryStorage.class);
                    assertThat(context).doesNotHaveBean(HishelRedisAutoConfiguration.class);
                });
    }

    @Test
    void anApplicationsOwnStorageWins() {
        runner().withUserConfiguration(OwnStorage.class)
                .withPropertyValues("hishel.storage.type=redis", "spring.data.redis.port=1")
                .run(context -> assertThat(context).hasNotFailed().getBean(Storage.class)
                        .isInstanceOf(MemoryStorage.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStorage {
        @Bean
        Storage storage() {
            return new MemoryStorage(StorageOptions.defaults());
        }
    }
}
