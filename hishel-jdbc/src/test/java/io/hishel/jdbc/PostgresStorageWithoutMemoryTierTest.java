package io.hishel.jdbc;

import io.hishel.PostgresServer;
import io.hishel.memory.MemoryTier;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageContract;
import io.hishel.storage.StorageOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract on PostgreSQL with the memory tier turned off, each storage in a schema of its own. */
class PostgresStorageWithoutMemoryTierTest extends StorageContract {

    private final PostgresDatabase database = new PostgresDatabase();

    @BeforeAll
    static void requirePostgres() {
        PostgresServer.assumeReachable();
    }

    @Override
    protected Storage newStorage(StorageOptions options) {
        return JdbcStorage.builder(database.pool(database.newSchema(), 10)).options(options)
                .memoryTier(MemoryTier.off()).scheduleMaintenance(false).build();
    }

    @AfterEach
    void dropSchemas() {
        closeStorages();
        database.close();
    }
}
