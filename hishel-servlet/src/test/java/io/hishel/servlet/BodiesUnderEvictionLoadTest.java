package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.servlet.TestStorages.Kind;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bounded mixed load on every storage, every body checked against what the application sent,
 * while the storage evicts (its bound holds a few of the bodies) and a purger removes entries by
 * URL, prefix and all under it: no wrong body, ever. Bodies are several chunks long, so that an
 * eviction or purge lands between the chunks of a body being read or written.
 */
class BodiesUnderEvictionLoadTest {

    private static final int RESOURCES = 24;
    private static final int CHUNK = 16 * 1024;

    private final TestStorages storages = new TestStorages();
    private HishelCacheFilter filter;
    private TestServer server;

    /** The body of resource n: its own bytes, its own length, from one byte to several chunks. */
    static byte[] body(int n) {
        byte[] body = new byte[1 + n * 7919 % (5 * CHUNK)];
        new Random(n).nextBytes(body);
        return body;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (filter != null) {
            filter.destroy();
        }
        storages.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyBodyIsTheOneTheApplicationSentWhileEntriesAreEvictedAndPurged(Kind kind) throws Exception {
        Storage storage = storages.open(kind, StorageOptions.builder().chunkSize(CHUNK).maxBytes(6L * 5 * CHUNK)
                .readGrace(Duration.ofMinutes(1)).build());
        filter = HishelCacheFilter.builder(storage).build();
        server = TestServer.start(filter);
        for (int n = 0; n < RESOURCES; n++) {
            byte[] body = body(n);
            server.route("/r/" + n, (request, response) -> {
                response.setHeader("Cache-Control", "max-age=600");
                response.setContentType("application/octet-stream");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            });
        }
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger checked = new AtomicInteger();
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                int client = c;
                done.add(threads.submit(() -> {
                    Random random = new Random(client);
                    for (int i = 0; i < 150; i++) {
                        int n = random.nextInt(RESOURCES);
                        HttpResponse<byte[]> response = server.client.send(server.request("/r/" + n).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200 || !java.util.Arrays.equals(response.body(), body(n))) {
                            wrong.add("/r/" + n + ": " + response.statusCode() + ", " + response.body().length
                                    + " bytes, " + response.headers().firstValue("Cache-Status").orElse(""));
                        }
                        checked.incrementAndGet();
                    }
                    return null;
                }));
            }
            done.add(threads.submit(() -> {
                Random random = new Random(99);
                while (loading.get()) {
                    switch (random.nextInt(3)) {
                        case 0 -> storage.invalidate(server.uri("/r/" + random.nextInt(RESOURCES)));
                        case 1 -> storage.purgeByPrefix(server.uri("/r/1").toString());
                        default -> storage.purgeAll();
                    }
                    storage.cleanUp();
                    Thread.onSpinWait();
                }
                return null;
            }));
            for (int i = 0; i < 4; i++) {
                done.get(i).get(60, TimeUnit.SECONDS);
            }
            loading.set(false);
            done.get(4).get(10, TimeUnit.SECONDS);
        } finally {
            loading.set(false);
            threads.shutdownNow();
        }

        assertThat(wrong).as("wrong bodies on " + kind).isEmpty();
        assertThat(checked.get()).isEqualTo(600);
        assertThat(filter.statistics().hits()).as("the cache answered some of them").isPositive();
        assertThat(filter.statistics().stored()).as("and stored, evicted and purged many").isGreaterThan(RESOURCES);
    }
}
