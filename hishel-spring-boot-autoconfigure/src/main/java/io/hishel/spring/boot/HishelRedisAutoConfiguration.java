package io.hishel.spring.boot;

import io.hishel.redis.RedisStorage;
import io.hishel.storage.Storage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Redis storage, for {@code hishel.storage.type=redis}, when the application has
 * {@code io.hishel:hishel-redis} (and with it Lettuce): on Boot's {@code spring.data.redis.*}
 * connection when there is one, under a key prefix of the application's own. Applications without
 * Lettuce are not touched; one that asks for Redis without it is told what to add. Runs before
 * {@link HishelAutoConfiguration}, whose storage then steps aside; a {@link Storage} bean of the
 * application's own replaces this one too.
 */
@AutoConfiguration(before = HishelAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RedisStorage.class, RedisClient.class})
@ConditionalOnProperty(name = "hishel.storage.type", havingValue = "redis")
@EnableConfigurationProperties(HishelProperties.class)
public class HishelRedisAutoConfiguration {

    /** Where the storage connects, unless {@code hishel.storage.redis.url} says. */
    static final String DEFAULT_URL = "redis://localhost:6379";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Storage.class)
    Storage hishelStorage(HishelProperties properties, ObjectProvider<BootRedis> boot, Environment environment) {
        HishelProperties.Storage settings = properties.getStorage();
        HishelRedisProperties redis = settings.getRedis();
        RedisURI uri = uri(redis, boot.getIfAvailable());
        Duration timeout = settings.getTimeout();
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidHishelPropertyException("hishel.storage.timeout", timeout,
                    "a positive duration, such as 500ms", null);
        }
        uri.setTimeout(timeout);
        RedisStorage.Builder builder = RedisStorage.builder(uri).timeout(timeout)
                .options(HishelStorageConfiguration.storageOptions(settings))
                .memoryTier(HishelStorageConfiguration.SharedStoreSettings.memoryTier(settings.getTier()));
        String prefix = keyPrefix(redis, environment);
        HishelAutoConfiguration.set("hishel.storage.redis.key-prefix", prefix, "1 to 200 characters, such as hishel:orders:",
                () -> builder.keyPrefix(prefix));
        return builder.build();
    }

    private static RedisURI uri(HishelRedisProperties redis, BootRedis boot) {
        if (redis.getUrl() != null && !redis.getUrl().isBlank()) {
            try {
                return RedisURI.create(redis.getUrl());
            } catch (IllegalArgumentException e) {
                throw new InvalidHishelPropertyException("hishel.storage.redis.url", redis.getUrl(),
                        "a Redis URI such as redis://cache:6379/0", e);
            }
        }
        return boot != null ? boot.uri() : RedisURI.create(DEFAULT_URL);
    }

    /** hishel:, then the application's name: instances of one application share, applications do not. */
    static String keyPrefix(HishelRedisProperties redis, Environment environment) {
        if (redis.getKeyPrefix() != null) {
            return redis.getKeyPrefix();
        }
        String name = environment.getProperty("spring.application.name");
        return name == null || name.isBlank() ? "hishel:" : "hishel:" + name + ":";
    }

    /** The Redis of Boot's {@code spring.data.redis.*}, as a Lettuce URI. */
    record BootRedis(RedisURI uri) {
    }

    /** Boot's connection details, where the application has Spring Data Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DataRedisConnectionDetails.class)
    @ConditionalOnBean(DataRedisConnectionDetails.class)
    static class BootConnectionConfiguration {

        @Bean
        BootRedis hishelBootRedis(DataRedisConnectionDetails details) {
            RedisURI.Builder builder;
            if (details.getCluster() != null) {
                throw new InvalidHishelPropertyException("spring.data.redis.cluster.nodes",
                        details.getCluster().getNodes(), "no cluster: hishel's Redis storage needs Redis standalone"
                        + " or Sentinel; set hishel.storage.redis.url to such a Redis", null);
            } else if (details.getMasterReplica() != null) {
                throw new InvalidHishelPropertyException("spring.data.redis.masterreplica.nodes",
                        details.getMasterReplica().getNodes(), "no master/replica set: hishel's Redis storage needs"
                        + " Redis standalone or Sentinel; set hishel.storage.redis.url to such a Redis", null);
            } else if (details.getSentinel() != null) {
                DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
                DataRedisConnectionDetails.Node first = sentinel.getNodes().get(0);
                builder = RedisURI.Builder.sentinel(first.host(), first.port(), sentinel.getMaster());
                for (DataRedisConnectionDetails.Node node : sentinel.getNodes().subList(1, sentinel.getNodes().size())) {
                    builder.withSentinel(node.host(), node.port());
                }
                builder.withDatabase(sentinel.getDatabase());
            } else {
                DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
                builder = RedisURI.Builder.redis(standalone.getHost(), standalone.getPort())
                        .withDatabase(standalone.getDatabase());
            }
            if (details.getPassword() != null) {
                if (details.getUsername() != null) {
                    builder.withAuthentication(details.getUsername(), details.getPassword());
                } else {
                    builder.withPassword(details.getPassword().toCharArray());
                }
            }
            builder.withSsl(details.getSslBundle() != null);
            return new BootRedis(builder.build());
        }
    }
}
