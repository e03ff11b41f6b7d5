package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hishel.MutableClock;
import io.hishel.storage.StorageException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Liveness, decided in one place, and the hits that are written later. */
class AccessRecorderTest {

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock();
    private SqliteTables tables;
    private AccessRecorder accesses;

    @BeforeEach
    void open() {
        tables = new SqliteTables(folder.resolve("hits.db"));
        accesses = new AccessRecorder(clock, tables.transactions);
    }

    @AfterEach
    void close() {
        tables.close();
    }

    @ParameterizedTest(name = "expires {0}, ttl {1}, refresh {2}, hit {3}, at {4}: alive {5}")
    @CsvSource(nullValues = "-", value = {
            // expiresAt, ttlMillis, refresh, hit at, now, alive
            "-,    -,    true,  -,   5000, true",   // no TTL: alive until clean-up or eviction decides
            "6000, 1000, true,  -,   5000, true",   // not yet expired
            "5000, 1000, true,  -,   5000, false",  // expires at the instant it reaches expires_at
            "4000, 1000, true,  -,   5000, false",  // expired, no hit
            "4000, 1000, true,  4500, 5000, true",  // a hit not yet written restarted the TTL
            "4000, 1000, true,  4000, 5000, false", // the restarted TTL has run out as well
            "4000, 1000, false, 4500, 5000, false", // the entry does not refresh on access
            "4000, -,    true,  4500, 5000, false", // no TTL to restart
    })
    void anEntryIsAliveUntilItExpiresUnlessAHitNotYetWrittenRestartedItsTtl(Long expiresAt, Long ttlMillis,
            boolean refresh, Long hitAt, long now, boolean alive) {
        UUID id = UUID.randomUUID();
        if (hitAt != null) {
            clock.set(Instant.ofEpochMilli(hitAt));
            accesses.record(id);
        }

        assertThat(accesses.alive(id, expiresAt, ttlMillis, refresh, now)).isEqualTo(alive);
    }

    @Test
    void aFlushWritesTheLastAccessAndRestartsTheTtlOfAnEntryThatRefreshes() {
        UUID refreshes = UUID.randomUUID();
        UUID keeps = UUID.randomUUID();
        tables.insertEntry(refreshes, 0L, 1_000L, 10_000L, true);
        tables.insertEntry(keeps, 0L, 1_000L, 10_000L, false);
        clock.set(Instant.ofEpochMilli(500));
        accesses.record(refreshes);
        accesses.record(keeps);

        accesses.flush();

        assertThat(tables.number("SELECT expires_at FROM hishel_entries WHERE id = '" + refreshes + "'"))
                .isEqualTo(10_500);
        assertThat(tables.number("SELECT expires_at FROM hishel_entries WHERE id = '" + keeps + "'")).isEqualTo(1_000);
        assertThat(tables.number("SELECT MIN(last_access) FROM hishel_entries")).isEqualTo(500);
    }

    @Test
    void aFlushNeverMovesTheLastAccessBack() {
        UUID id = UUID.randomUUID();
        tables.insertEntry(id, 0L, null, null, true);
        tables.transactions.write("touch", connection -> {
            try (var update = connection.createStatement()) {
                return update.executeUpdate("UPDATE hishel_entries SET last_access = 2000");
            }
        });
        clock.set(Instant.ofEpochMilli(1000));
        accesses.record(id);

        accesses.flush();

        assertThat(tables.number("SELECT last_access FROM hishel_entries")).isEqualTo(2000);
    }

    @Test
    void aHitKeepsItsEntryAliveWhileAFlushWaitsForItsTurnToWriteIt() throws Exception {
        UUID id = UUID.randomUUID();
        tables.insertEntry(id, 0L, 4_000L, 1_000L, true);
        clock.set(Instant.ofEpochMilli(4_500));
        accesses.record(id);

        flushWhileAnotherWriteHoldsTheTurn(() -> assertThat(accesses.alive(id, 4_000L, 1_000L, true, 5_000))
                .as("while its hit waits to be written").isTrue());

        assertThat(tables.number("SELECT expires_at FROM hishel_entries")).isEqualTo(5_500);
        assertThat(accesses.alive(id, 4_000L, 1_000L, true, 5_000)).as("once written, the row says so").isFalse();
    }

    @Test
    void aHitRecordedWhileAFlushWritesAnEarlierOneStaysForTheNextFlush() throws Exception {
        UUID id = UUID.randomUUID();
        tables.insertEntry(id, 0L, 4_000L, 1_000L, true);
        clock.set(Instant.ofEpochMilli(4_500));
        accesses.record(id);

        flushWhileAnotherWriteHoldsTheTurn(() -> {
            clock.set(Instant.ofEpochMilli(4_800));
            accesses.record(id);
        });

        assertThat(tables.number("SELECT expires_at FROM hishel_entries")).isEqualTo(5_500);
        assertThat(accesses.alive(id, 5_500L, 1_000L, true, 5_700)).as("kept alive by the later hit").isTrue();
        accesses.flush();
        assertThat(tables.number("SELECT expires_at FROM hishel_entries")).isEqualTo(5_800);
    }

    @Test
    void hitsThatCouldNotBeWrittenStayForTheNextFlushAndStillKeepTheirEntryAlive() {
        UUID id = UUID.randomUUID();
        clock.set(Instant.ofEpochMilli(4_500));
        accesses.record(id);
        tables.transactions.close();

        assertThatThrownBy(accesses::flush).isInstanceOf(StorageException.class).hasMessageContaining("closed");
        assertThat(accesses.alive(id, 4_000L, 1_000L, true, 5_000)).isTrue();
    }

    /** Flushes on a thread of its own, which waits for SQLite's writer turn while {@code meanwhile} runs. */
    private void flushWhileAnotherWriteHoldsTheTurn(Runnable meanwhile) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> writer = CompletableFuture.supplyAsync(() -> tables.transactions.write("hold",
                connection -> {
                    holding.countDown();
                    await(release);
                    return null;
                }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> flush = new CompletableFuture<>();
        Thread flusher = new Thread(() -> {
            try {
                accesses.flush();
                flush.complete(null);
            } catch (RuntimeException e) {
                flush.completeExceptionally(e);
            }
        });
        flusher.start();
        try {
            awaitWaiting(flusher);
            meanwhile.run();
        } finally {
            release.countDown();
            writer.get(10, TimeUnit.SECONDS);
        }
        flush.get(10, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Until the thread waits for SQLite's writer turn, which it takes only after it took the hits. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the flush never waited for its turn: " + thread.getState());
            }
            Thread.sleep(1);
        }
    }
}
