package io.hishel.servlet;

import java.time.Duration;

/**
 * Learns how long each storage call of the filter took, for metrics. Called on the request
 * thread right after the call, so implementations must be quick, thread-safe and must not throw
 * (what they throw is logged at DEBUG and ignored).
 */
@FunctionalInterface
public interface StorageObserver {

    /**
     * One storage call finished.
     *
     * @param operation what was asked: {@code lookup}, {@code open-body}, {@code create},
     *                  {@code commit}, {@code update}, {@code remove}, {@code invalidate} or
     *                  {@code record-access}
     * @param duration  how long it took
     * @param failed    whether it threw
     */
    void observe(String operation, Duration duration, boolean failed);
}
