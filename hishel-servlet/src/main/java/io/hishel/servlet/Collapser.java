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

    /**
     * One trip to the application that other requests for the same key may wait for. A leader's
     * flight ends once: it lands with a verdict, or is abandoned when it is closed without one, so
     * a try-with-resources block around the trip ends it on every path. When the trip outlives the
     * block (the application went asynchronous, a refresh runs in the background), the block hands
     * it over and the new holder closes it.
     */
    final class Flight implements AutoCloseable {
        private final String key;
        private final boolean leader;
        private final CountDownLatch landed;
        private final AtomicBoolean done;
        /** The flight as the map of flights under way holds it; handles share it. */
        private final Flight registered;
        private boolean handedOver;

        private Flight(String key, boolean leader) {
            this.key = key;
            this.leader = leader;
            this.landed = new CountDownLatch(1);
            this.done = new AtomicBoolean();
            this.registered = this;
        }

        private Flight(Flight of, boolean leader) {
            this.key = of.key;
            this.leader = leader;
            this.landed = of.landed;
            this.done = of.done;
            this.registered = of.registered;
        }

        private Flight asFollower() {
            return new Flight(this, false);
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
            inFlight.remove(key, registered);
            landed.countDown();
        }

        /** Ends the flight without a verdict (the leader failed): waiters try for themselves. */
        void abandon() {
            if (leader && done.compareAndSet(false, true)) {
                inFlight.remove(key, registered);
                landed.countDown();
            }
        }

        /**
         * This handle no longer ends the flight when closed; the one returned does.
         *
         * @return the handle for whoever carries the trip on
         */
        Flight handOver() {
            handedOver = true;
            return new Flight(this, leader);
        }

        /** Abandons the flight, unless it landed already or was handed over. */
        @Override
        public void close() {
            if (!handedOver) {
                abandon();
            }
        }
    }
}
