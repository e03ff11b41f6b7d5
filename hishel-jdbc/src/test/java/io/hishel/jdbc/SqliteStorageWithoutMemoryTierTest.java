package io.hishel.jdbc;

import io.hishel.memory.MemoryTier;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageContract;
import io.hishel.storage.StorageOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on SQLite with the memory tier turned off: the database alone keeps it. */
class SqliteStorageWithoutMemoryTierTest extends StorageContract {

    @TempDir
    Path folder;

    @Override
    protected Storage newStorage(StorageOptions options) {
        return JdbcStorage.sqlite(folder.resolve("cache-" + System.nanoTime() + ".db")).options(options)
                .memoryTier(MemoryTier.off()).scheduleMaintenance(false).build();
    }
}
