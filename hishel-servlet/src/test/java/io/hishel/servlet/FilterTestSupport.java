package io.hishel.servlet;

import io.hishel.MutableClock;
import io.hishel.memory.MemoryStorage;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import io.hishel.http.Request;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** A server with the filter in front, on a clock the test moves, and a memory storage on the same clock. */
abstract class FilterTestSupport {

    final MutableClock clock = new MutableClock(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    Storage storage;
    HishelCacheFilter filter;
    TestServer server;

    TestServer start() throws Exception {
        return start(UnaryOperator.identity());
    }

    TestServer start(UnaryOperator<HishelCacheFilter.Builder> configure) throws Exception {
        return start(null, configure);
    }

    /** With a filter in front of the cache, as security or other application filters are. */
    TestServer start(jakarta.servlet.Filter before, UnaryOperator<HishelCacheFilter.Builder> configure)
            throws Exception {
        if (storage == null) {
            storage = new MemoryStorage(StorageOptions.builder().clock(clock).build());
        }
        filter = configure.apply(HishelCacheFilter.builder(storage).clock(clock).executor(Runnable::run)).build();
        server = TestServer.start(before, filter);
        return server;
    }

    List<Entry> stored(String pathAndQuery) {
        return storage.entries(CacheKey.of(Request.of("GET", server.uri(pathAndQuery).toString())));
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        if (filter != null) {
            filter.destroy();
        }
        if (storage != null) {
            storage.close();
        }
    }
}
