package io.hishel.jdbc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The storage's own daemon thread: a round of clean-up every
 * {@link io.hishel.storage.StorageOptions#cleanupInterval()}, the recorded hits written every
 * second. A failure is logged and the schedule goes on. Thread-safe.
 */
final class Maintenance {

    private static final Duration ACCESS_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final ScheduledExecutorService scheduler;

    private Maintenance(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    static Maintenance start(Duration cleanupInterval, Cleanup cleanup, AccessRecorder accesses,
                             Transactions transactions) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hishel-jdbc-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        long cleanupMillis = cleanupInterval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> transactions.quietly("clean up", cleanup::run), cleanupMillis,
                cleanupMillis, TimeUnit.MILLISECONDS);
        long flushMillis = ACCESS_FLUSH_INTERVAL.toMillis();
        scheduler.scheduleWithFixedDelay(() -> transactions.quietly("record hits", accesses::flush), flushMillis,
                flushMillis, TimeUnit.MILLISECONDS);
        return new Maintenance(scheduler);
    }

    /** Stops the schedule, interrupting a round that is running. */
    void stop() {
        scheduler.shutdownNow();
    }
}
