package io.hishel.servlet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Request collapsing: of concurrent requests that must go to the application for one key, the
 * first (the leader) goes and the others wait for it to land, then look at storage again. A key
 * whose response could not be stored is remembered for a while (Varnish's hit-for-miss), so
 * requests for it go to the application at once instead of queueing behind each other.
 */
final class Collapser {

    private final ConcurrentHashMap<String, Flight> inFlight = new ConcurrentHashMap<>();
    private final Cache<String, Boolean> notStorable;

    Collapser(Duration hitForMiss, Ticker ticker) {
        this.notStorable = Caffeine.newBuilder()
                .expireAfterWrite(hitForMiss)
                .maximumSize(100_000)
                .ticker(ticker)
                .build();
    }

    /**
     * Takes the lead for a key, or finds the flight already under way.
     *
     * @return a flight that the caller leads ({@link Flight#leader()}) and must land, or one to
     *         wait for
     */
    Flight join(String key) {
        Flight mine = new Flight(key, true);
        Flight existing = inFlight.putIfAbsent(key, mine);
        return existing == null ? mine : existing.asFollower();
    }

    /** Starts a flight only if none is under way: for refreshes that nobody waits for. */
    Flight tryLead(String key) {
        Flight mine = new Flight(key, true);
        return inFlight.putIfAbsent(key, mine) == null ? mine : null;
    }

    /** Whether the last response for this key could not be stored, recently. */
    boolean isHitForMiss(String key) {
        return notStorable.getIfPresent(key) != null;
    }

    /** One trip to the application that other requests for the same key may wait for. */
    final class Flight {
        private final String key;
        private final boolean leader;
        private final CountDownLatch landed;
        private final AtomicBoolean done;

        private Flight(String key, boolean leader) {
            this(key, leader, new CountDownLatch(1), new AtomicBoolean());
        }

        private Flight(String key, boolean leader, CountDownLatch landed, AtomicBoolean done) {
            this.key = key;
            this.leader = leader;
            this.landed = landed;
            this.done = done;
        }

        private Flight asFollower() {
            return new Flight(key, false, landed, done);
        }

        boolean leader() {
            return leader;
        }

        /**
         * Waits for the leader.
         *
         * @return true if it landed within the time, false on time-out or interruption
         */
        boolean await(Duration timeout) {
            try {
                return landed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /**
         * Ends the flight; the first call counts, later ones do nothing.
         *
         * @param storable false if the response could not be stored: the key becomes hit-for-miss
         */
        void land(boolean storable) {
            if (!leader || !done.compareAndSet(false, true)) {
                return;
            }
            if (!storable) {
                notStorable.put(key, Boolean.TRUE);
            }
            inFlight.remove(key, this);
            landed.countDown();
        }

        /** Ends the flight without a verdict (the leader failed): waiters try for themselves. */
        void abandon() {
            if (leader && done.compareAndSet(false, true)) {
                inFlight.remove(key, this);
                landed.countDown();
            }
        }
    }
}
