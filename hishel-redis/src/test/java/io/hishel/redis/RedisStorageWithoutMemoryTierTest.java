package io.hishel.redis;

import io.hishel.RedisServer;
import io.hishel.memory.MemoryTier;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageContract;
import io.hishel.storage.StorageOptions;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract on the shared Redis with the memory tier turned off: Redis alone keeps it. */
class RedisStorageWithoutMemoryTierTest extends StorageContract {

    private final RedisKeys keys = new RedisKeys();

    @BeforeAll
    static void requireRedis() {
        RedisServer.assumeReachable();
    }

    @Override
    protected Storage newStorage(StorageOptions options) {
        return RedisStorage.builder(RedisURI.create(RedisServer.URL)).keyPrefix(keys.newPrefix()).options(options)
                .memoryTier(MemoryTier.off()).scheduleMaintenance(false).build();
    }

    @AfterEach
    void deleteKeys() {
        closeStorages();
        keys.close();
    }
}
