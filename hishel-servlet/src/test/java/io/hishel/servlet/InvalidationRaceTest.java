package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.servlet.TestStorages.Kind;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 9111 §4.4: once an unsafe request's response has completed, no response the application
 * produced before it becomes visible for that URL. The case that undid a client's own write: a
 * {@code GET} miss was answered by the application, then a {@code POST} to the same URL completed
 * and invalidated it, and only then was the older answer stored — so the client's next
 * {@code GET} got the version from before its write. On every storage, and across two instances
 * sharing PostgreSQL.
 */
class InvalidationRaceTest {

    private final TestStorages storages = new TestStorages();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<TestServer, HishelCacheFilter> filters = new ConcurrentHashMap<>();
    private final AtomicInteger version = new AtomicInteger();
    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;

    /** One application instance: the filter on its own storage, and the versioned resource. */
    private TestServer instance(Storage storage) throws Exception {
        HishelCacheFilter filter = HishelCacheFilter.builder(storage).executor(Runnable::run).build();
        TestServer server = TestServer.start(filter);
        filters.put(server, filter);
        running.add(0, filter::destroy);
        running.add(0, server);
        server.route("/item", (request, response) -> {
            if (request.getMethod().equals("POST")) {
                request.getInputStream().readAllBytes();
                response.setHeader("Cache-Control", "no-store");
                response.getWriter().print(version.incrementAndGet());
                return;
            }
            int current = version.get();
            CountDownLatch held = release;
            if (held != null) {
                entered.countDown();
                held.await(10, TimeUnit.SECONDS);
            } else {
                // The application's own work, during which a write may complete.
                LockSupport.parkNanos(200_000);
            }
            response.setHeader("Cache-Control", "max-age=600");
            response.getWriter().print(current);
        });
        return server;
    }

    private Storage storage(Kind kind) {
        return storages.open(kind, StorageOptions.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
        storages.close();
    }

    /** Every instance answers for the same site, as a fleet behind one host name does. */
    private static final String HOST = "Host: shop.example";

    private static int versionOf(RawHttp.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Integer.parseInt(reply.body().trim());
    }

    private static RawHttp.Reply get(TestServer server) throws IOException {
        return RawHttp.exchange(server.port, "GET", "/item", HOST);
    }

    private static RawHttp.Reply post(TestServer server) throws IOException {
        return RawHttp.exchange(server.port, "POST", "/item", HOST, "Content-Length: 0");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMissInFlightWhenAWriteCompletesIsNotStoredOverIt(Kind kind) throws Exception {
        TestServer server = instance(storage(kind));
        aMissInFlightIsNotStoredOverAWrite(server, server, kind);
    }

    @Test
    void aWriteThroughAnotherInstanceSharingPostgresqlIsNotUndoneEither() throws Exception {
        TestServer first = instance(storage(Kind.POSTGRESQL));
        TestServer second = instance(storage(Kind.POSTGRESQL));
        aMissInFlightIsNotStoredOverAWrite(first, second, Kind.POSTGRESQL);
    }

    private void aMissInFlightIsNotStoredOverAWrite(TestServer reader, TestServer writer, Kind kind)
            throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        CompletableFuture<RawHttp.Reply> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return get(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        int written = versionOf(post(writer));
        release.countDown();
        release = null;

        assertThat(versionOf(inFlight.get(10, TimeUnit.SECONDS))).as("produced before the write").isZero();
        HishelCacheFilter readerFilter = filterOf(reader);
        // The in-flight response's commit has run (and been undone) before the next request.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> readerFilter.statistics().stored() == 1);
        assertThat(versionOf(get(reader))).as("after the write, on " + kind).isEqualTo(written);
        // What the application answers after the write is stored, and served, again.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertThat(versionOf(get(reader))).isEqualTo(written);
            return readerFilter.statistics().hits() > 0;
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void underConcurrentLoadNoClientReadsAVersionOlderThanItsOwnWrite(Kind kind) throws Exception {
        TestServer server = instance(storage(kind));
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch writersDone = new CountDownLatch(2);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                done.add(clients.submit(() -> {
                    try {
                        for (int round = 0; round < 15; round++) {
                            int written = versionOf(post(server));
                            int read = versionOf(get(server));
                            if (read < written) {
                                violations.add("wrote " + written + ", then read " + read);
                            }
                            // Other clients' reads in between, which the cache answers once it stored the new version.
                            for (int i = 0; i < 10; i++) {
                                int later = versionOf(get(server));
                                if (later < written) {
                                    violations.add("wrote " + written + ", then read " + later);
                                }
                            }
                        }
                    } finally {
                        writersDone.countDown();
                    }
                    return null;
                }));
            }
            for (int c = 0; c < 4; c++) {
                done.add(clients.submit(() -> {
                    while (writersDone.getCount() > 0) {
                        versionOf(get(server));
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(violations).as("on " + kind).isEmpty();
        assertThat(reads.get()).as("reads by other clients meanwhile").isPositive();
        assertThat(version.get()).as("writes made").isEqualTo(30);
        assertThat(filterOf(server).statistics().hits()).as("the cache answered reads in between").isPositive();
    }

    private HishelCacheFilter filterOf(TestServer server) {
        return filters.get(server);
    }
}
