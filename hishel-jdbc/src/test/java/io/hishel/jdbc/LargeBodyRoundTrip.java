package io.hishel.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredBody;
import io.hishel.storage.StoredRequest;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/**
 * Run in a child JVM whose heap is smaller than the body: writes a body to a JDBC storage and
 * reads it back, printing both digests. It can only succeed if neither side holds the body whole.
 * Arguments: {@code sqlite <file>} or {@code postgresql <url> <user> <schema>}, then the size.
 */
public final class LargeBodyRoundTrip {

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[args.length - 1]);
        StorageOptions options = StorageOptions.builder().maxBytes(size * 2).build();
        JdbcStorage storage;
        HikariDataSource pool = null;
        if (args[0].equals("sqlite")) {
            storage = JdbcStorage.sqlite(Path.of(args[1])).options(options).scheduleMaintenance(false).build();
        } else {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(args[1] + "?currentSchema=" + args[3]);
            config.setUsername(args[2]);
            config.setMaximumPoolSize(2);
            pool = new HikariDataSource(config);
            storage = JdbcStorage.builder(pool).options(options).scheduleMaintenance(false).build();
        }
        URI url = URI.create("https://example.com/large");
        Entry entry = new Entry(UUID.randomUUID(), new CacheKey("GET https://example.com/large"),
                new StoredRequest("GET", url, ""), new Response(200, Headers.EMPTY), Instant.now(), Instant.now());
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        byte[] piece = new byte[32 * 1024];
        Random random = new Random(7);
        try (EntryWriter writer = storage.create(entry, EntryOptions.defaults())) {
            for (long remaining = size; remaining > 0; remaining -= piece.length) {
                random.nextBytes(piece);
                int length = (int) Math.min(piece.length, remaining);
                writer.write(piece, 0, length);
                written.update(piece, 0, length);
            }
            writer.commit();
        }
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (StoredBody body = storage.openBody(entry.id()).orElseThrow(); InputStream in = body.stream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) > 0; total += n) {
                read.update(buffer, 0, n);
            }
        }
        storage.close();
        if (pool != null) {
            pool.close();
        }
        System.out.println("WRITTEN " + HexFormat.of().formatHex(written.digest()));
        System.out.println("READ " + HexFormat.of().formatHex(read.digest()) + " " + total
                + " max-heap " + Runtime.getRuntime().maxMemory());
    }
}
