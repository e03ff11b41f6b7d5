package io.hishel.redis;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.RedisServer;
import io.hishel.storage.StorageOptions;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The examples of the storage page of the documentation, run as they are shown. */
class StorageExamplesTest {

    @Test
    void redisSharedByInstances() {
        RedisServer.assumeReachable();
        String prefix = "hishel-test:" + UUID.randomUUID() + ":orders:";
        // tag::redis[]
        try (RedisStorage storage = RedisStorage.builder(RedisURI.create("redis://127.0.0.1:6379/0"))
                .keyPrefix(prefix)                            // e.g. "hishel:orders:", one per application
                .timeout(Duration.ofMillis(500))              // each command; then the filter fails open
                .options(StorageOptions.builder()
                        .maxBytes(1024L * 1024 * 1024)        // evict least recently used above 1 GiB
                        .defaultTtl(Duration.ofHours(1))      // and let Redis reclaim what nobody asks for
                        .build())
                .build()) {                                   // connects, loads its script, starts clean-up
            // end::redis[]
            assertThat(storage.statistics().entries()).isZero();
            assertThat(storage.toString()).contains(prefix);
        }
    }
}
