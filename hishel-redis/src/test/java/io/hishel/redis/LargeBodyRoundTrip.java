package io.hishel.redis;

import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredBody;
import io.hishel.storage.StoredRequest;
import io.lettuce.core.RedisURI;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/**
 * Run in a child JVM whose heap is smaller than the body: writes a body to a Redis storage and
 * reads it back, printing both digests. It can only succeed if neither side holds the body whole.
 * Arguments: the Redis URL, the key prefix, the size.
 */
public final class LargeBodyRoundTrip {

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[2]);
        StorageOptions options = StorageOptions.builder().maxBytes(size * 2).build();
        RedisStorage storage = RedisStorage.builder(RedisURI.create(args[0])).keyPrefix(args[1]).options(options)
                .timeout(java.time.Duration.ofSeconds(5)).scheduleMaintenance(false).build();
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
        storage.purgeAll();
        storage.close();
        System.out.println("WRITTEN " + HexFormat.of().formatHex(written.digest()));
        System.out.println("READ " + HexFormat.of().formatHex(read.digest()) + " " + total
                + " max-heap " + Runtime.getRuntime().maxMemory());
    }
}
