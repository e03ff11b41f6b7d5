package io.hishel.redis;

import io.hishel.RedisServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A key prefix of its own per test storage on the shared Redis, and a plain client to look at and
 * tamper with what a storage stored — as {@code maxmemory} eviction or a failing medium would.
 */
final class RedisKeys implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisConnection<byte[], byte[]> binary;
    private final List<String> prefixes = new ArrayList<>();

    RedisKeys() {
        this(RedisServer.URL);
    }

    RedisKeys(String url) {
        client = RedisClient.create(RedisURI.create(url));
        connection = client.connect();
        binary = client.connect(ByteArrayCodec.INSTANCE);
    }

    String newPrefix() {
        String prefix = "hishel-test:" + UUID.randomUUID() + ":";
        prefixes.add(prefix);
        return prefix;
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    RedisCommands<byte[], byte[]> binary() {
        return binary.sync();
    }

    /** Every key under a prefix — SCAN, as only a test may, on a prefix of a few keys. */
    List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    @Override
    public void close() {
        for (String prefix : prefixes) {
            List<String> keys = keys(prefix);
            if (!keys.isEmpty()) {
                redis().del(keys.toArray(String[]::new));
            }
        }
        connection.close();
        binary.close();
        client.shutdown();
    }
}
