package io.hishel.servlet;

import io.hishel.storage.Storage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fail-open access to the storage: a failure becomes an empty answer, so the request is served by
 * the application instead. Failures are logged at most once per interval and counted; after
 * several in a row the storage is not asked at all for a cool-down, so a dead database costs each
 * request nothing rather than a connection timeout. A call slower than the slow-call bound counts
 * as a failure too, though its answer is used.
 */
final class GuardedStorage {

    private static final Logger LOG = LoggerFactory.getLogger(HishelCacheFilter.class);
    private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private final Storage storage;
    private final int failureThreshold;
    private final long coolDownNanos;
    private final long slowCallNanos;
    private final LongSupplier nanoTime;
    private final StorageObserver observer;

    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong openUntil = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unlogged = new AtomicLong();
    private final LongAdder errors = new LongAdder();

    GuardedStorage(Storage storage, int failureThreshold, Duration coolDown, Duration slowCall, LongSupplier nanoTime,
                   StorageObserver observer) {
        this.storage = storage;
        this.observer = observer;
        this.failureThreshold = failureThreshold;
        this.coolDownNanos = coolDown.toNanos();
        this.slowCallNanos = slowCall.toNanos();
        this.nanoTime = nanoTime;
    }

    Storage storage() {
        return storage;
    }

    /** Whether the storage may be asked now: false during a cool-down after repeated failures. */
    boolean available() {
        long until = openUntil.get();
        return until == Long.MIN_VALUE || nanoTime.getAsLong() - until >= 0;
    }

    /**
     * Runs one storage operation.
     *
     * @return its answer, or empty if it failed or the storage is cooling down
     */
    <T> Optional<T> call(StorageOperation operation, Supplier<T> action) {
        if (!available()) {
            return Optional.empty();
        }
        long start = nanoTime.getAsLong();
        try {
            T result = action.get();
            long elapsed = nanoTime.getAsLong() - start;
            observe(operation, elapsed, false);
            if (elapsed > slowCallNanos) {
                failed(operation, new SlowStorageException(operation, Duration.ofNanos(elapsed)));
            } else {
                succeeded();
            }
            return Optional.ofNullable(result);
        } catch (RuntimeException e) {
            observe(operation, nanoTime.getAsLong() - start, true);
            failed(operation, e);
            return Optional.empty();
        }
    }

    private void observe(StorageOperation operation, long nanos, boolean failed) {
        if (observer == null) {
            return;
        }
        try {
            observer.observe(operation.token(), Duration.ofNanos(nanos), failed);
        } catch (RuntimeException e) {
            LOG.debug("A storage observer failed", e);
        }
    }

    /** Runs one storage operation whose answer is not needed. */
    boolean run(StorageOperation operation, Runnable action) {
        return call(operation, () -> {
            action.run();
            return Boolean.TRUE;
        }).isPresent();
    }

    void succeeded() {
        consecutiveFailures.set(0);
    }

    /** Records a failure that happened outside {@link #call}, for example while writing a body. */
    void failed(StorageOperation operation, Exception failure) {
        errors.increment();
        int failures = consecutiveFailures.incrementAndGet();
        if (failures >= failureThreshold) {
            openUntil.set(nanoTime.getAsLong() + coolDownNanos);
        }
        long now = nanoTime.getAsLong();
        long last = lastLogged.get();
        if ((last == Long.MIN_VALUE || now - last >= LOG_INTERVAL_NANOS) && lastLogged.compareAndSet(last, now)) {
            long suppressed = unlogged.getAndSet(0);
            String coolDown = failures >= failureThreshold
                    ? "; not using it for " + Duration.ofNanos(coolDownNanos).toSeconds() + " s after "
                            + failures + " failures in a row" : "";
            LOG.warn("Cache storage failed to {}; answering from the application instead{}{}", operation, coolDown,
                    suppressed > 0 ? " (" + suppressed + " similar failures not logged)" : "", failure);
        } else {
            unlogged.incrementAndGet();
            LOG.debug("Cache storage failed to {}", operation, failure);
        }
    }

    long errors() {
        return errors.sum();
    }

    /** A storage call that answered, but too late to be worth waiting for next time. */
    static final class SlowStorageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SlowStorageException(StorageOperation operation, Duration elapsed) {
            super("Storage took " + elapsed.toMillis() + " ms to " + operation, null, false, false);
        }
    }
}
