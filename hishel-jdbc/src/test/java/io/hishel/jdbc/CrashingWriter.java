package io.hishel.jdbc;

import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/** Run in a child JVM: writes half an entry to a SQLite file, says so, and waits to be killed. */
public final class CrashingWriter {

    public static void main(String[] args) throws Exception {
        JdbcStorage storage = JdbcStorage.sqlite(Path.of(args[0]))
                .options(StorageOptions.builder().chunkSize(8 * 1024).build())
                .scheduleMaintenance(false).build();
        URI url = URI.create("https://example.com/crash");
        Entry entry = new Entry(UUID.fromString(args[1]), new CacheKey("GET https://example.com/crash"),
                new StoredRequest("GET", url, ""), new Response(200, Headers.of("Content-Type", "text/plain")),
                Instant.now(), Instant.now());
        EntryWriter writer = storage.create(entry, EntryOptions.defaults());
        byte[] chunk = new byte[8 * 1024];
        for (int i = 0; i < 40; i++) {
            writer.write(chunk);
        }
        System.out.println("WRITING " + writer.size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
