package io.hishel.redis;

import io.hishel.storage.StorageException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage's Lua script ({@code storage.lua}) and the one connection it runs on: each call is
 * one round trip, atomic in Redis, and every failure of Redis — down, restarting, slower than the
 * timeout, out of memory — comes back as a {@link StorageException} naming the storage and what
 * it was doing. A Redis that restarted has forgotten the script; the call loads it again and goes
 * on. Thread-safe: Lettuce multiplexes the connection.
 */
final class StorageScript {

    private static final Logger log = LoggerFactory.getLogger(StorageScript.class);
    private static final byte[][] NO_KEYS = new byte[0][];

    private final byte[] source;
    private final byte[] prefix;
    private final String description;
    private final RedisCommands<byte[], byte[]> sync;
    private final RedisAsyncCommands<byte[], byte[]> async;
    private volatile String digest;

    StorageScript(StatefulRedisConnection<byte[], byte[]> connection, String prefix, String description) {
        this.source = load();
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.description = description;
        this.sync = connection.sync();
        this.async = connection.async();
    }

    /** Runs an operation and returns the script's integer answer. */
    long number(String operation, String what, Object... arguments) {
        return (Long) run(ScriptOutputType.INTEGER, operation, what, arguments);
    }

    /** Runs an operation and returns the script's array answer. */
    @SuppressWarnings("unchecked")
    List<Object> list(String operation, String what, Object... arguments) {
        return (List<Object>) run(ScriptOutputType.MULTI, operation, what, arguments);
    }

    /**
     * Sends an operation without waiting for it: for what may be lost (a hit's record). Commands
     * on one connection run in order, so a later call sees it.
     */
    void send(String operation, String what, Object... arguments) {
        String known = digest;
        if (known == null) {
            return;
        }
        try {
            async.evalsha(known, ScriptOutputType.INTEGER, NO_KEYS, values(operation, arguments))
                    .exceptionally(failure -> {
                        log.debug("{} could not {}: {}", description, what, failure.toString());
                        return null;
                    });
        } catch (RedisException e) {
            log.debug("{} could not {}: {}", description, what, e.toString());
        }
    }

    /** Reads one field of a hash, for the chunks of a body. */
    byte[] field(String key, String field, String what) {
        try {
            return sync.hget(key(key), field.getBytes(StandardCharsets.US_ASCII));
        } catch (RedisException e) {
            throw failure(what, e);
        }
    }

    /** The full name of a key under the prefix. */
    byte[] key(String key) {
        byte[] suffix = key.getBytes(StandardCharsets.UTF_8);
        byte[] full = new byte[prefix.length + suffix.length];
        System.arraycopy(prefix, 0, full, 0, prefix.length);
        System.arraycopy(suffix, 0, full, prefix.length, suffix.length);
        return full;
    }

    String description() {
        return description;
    }

    StorageException failure(String what, RuntimeException cause) {
        return new StorageException(description + " could not " + what + ": " + cause.getMessage(), cause);
    }

    private Object run(ScriptOutputType type, String operation, String what, Object... arguments) {
        byte[][] values = values(operation, arguments);
        try {
            String known = digest;
            if (known != null) {
                try {
                    return sync.evalsha(known, type, NO_KEYS, values);
                } catch (RedisNoScriptException restarted) {
                    log.info("{} loads its script again: Redis has restarted or flushed its scripts", description);
                }
            }
            digest = sync.scriptLoad(source);
            return sync.evalsha(digest, type, NO_KEYS, values);
        } catch (RedisException e) {
            throw failure(what, e);
        }
    }

    private byte[][] values(String operation, Object... arguments) {
        byte[][] values = new byte[arguments.length + 2][];
        values[0] = operation.getBytes(StandardCharsets.US_ASCII);
        values[1] = prefix;
        for (int i = 0; i < arguments.length; i++) {
            Object argument = arguments[i];
            values[i + 2] = argument instanceof byte[] bytes ? bytes
                    : String.valueOf(argument).getBytes(StandardCharsets.UTF_8);
        }
        return values;
    }

    private static byte[] load() {
        try (InputStream in = StorageScript.class.getResourceAsStream("storage.lua")) {
            if (in == null) {
                throw new IllegalStateException("storage.lua is missing from hishel-redis");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
