package io.hishel.jdbc;

import io.hishel.storage.Storage;
import io.hishel.storage.StorageContract;
import io.hishel.storage.StorageOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on SQLite as built by default, with its memory tier. */
class SqliteStorageTest extends StorageContract {

    @TempDir
    Path folder;

    @Override
    protected Storage newStorage(StorageOptions options) {
        return JdbcStorage.sqlite(folder.resolve("cache-" + System.nanoTime() + ".db")).options(options)
                .scheduleMaintenance(false).build();
    }
}
