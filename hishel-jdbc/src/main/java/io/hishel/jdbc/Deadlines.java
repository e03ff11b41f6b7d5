package io.hishel.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds every database call of a storage to its deadline, whatever the database or the network
 * does: a call still running at its deadline has its connection interrupted — the SQLite statement
 * with {@code sqlite3_interrupt}, the PostgreSQL connection aborted, which closes its socket and
 * discards it from its pool — and fails with an {@link SQLTimeoutException}.
 *
 * <p>A sweeper looks at the calls in flight a few times per deadline, rather than a timer per call:
 * registering a call is a set insertion, so a hit pays no thread hand-off and no wake-up, and a call
 * is held to its deadline plus at most one sweep. A JDBC query timeout would not do: PostgreSQL's
 * sends its cancel over a new connection, which a stalled network stalls too, and SQLite's counts
 * whole seconds. Thread-safe.
 */
final class Deadlines {

    private static final long MIN_SWEEP_NANOS = Duration.ofMillis(10).toNanos();
    private static final long MAX_SWEEP_NANOS = Duration.ofMillis(100).toNanos();

    private final Dialect dialect;
    private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    /**
     * @param shortest the shortest deadline the calls will have, which sets how often the sweeper looks
     */
    Deadlines(Dialect dialect, Duration shortest, String description) {
        this.dialect = dialect;
        long sweepNanos = Math.max(MIN_SWEEP_NANOS, Math.min(MAX_SWEEP_NANOS, shortest.toNanos() / 5));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hishel-jdbc-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleAtFixedRate(this::sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs work on a connection, interrupting it if it is still running at the deadline.
     *
     * @param deadline a {@link System#nanoTime()}
     * @param timeout  what the deadline allowed, for the message
     * @throws SQLTimeoutException if the deadline had passed before the work began, or the work
     *                             failed after it was interrupted
     */
    <T> T run(Connection connection, long deadline, Duration timeout, Transactions.SqlWork<T> work)
            throws SQLException {
        if (System.nanoTime() - deadline >= 0) {
            throw late(timeout, null);
        }
        Call call = new Call(connection, deadline);
        inFlight.add(call);
        try {
            T result = work.run(connection);
            if (call.end()) {
                // Interrupted just as it ended: a PostgreSQL connection is closed, and its pool learns it
                // only from a call that fails through it, before it lends the connection again.
                probe(connection);
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            if (call.interrupted()) {
                throw late(timeout, e);
            }
            throw e;
        } finally {
            // Before the connection goes back to its pool, where an interruption would hit another call.
            call.end();
            inFlight.remove(call);
        }
    }

    private static void probe(Connection connection) {
        try {
            connection.getAutoCommit();
        } catch (SQLException expected) {
            // What the pool needed to see.
        }
    }

    /** Stops the sweeper; calls still in flight are no longer held to their deadlines. */
    void close() {
        sweeper.shutdownNow();
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Call call : inFlight) {
                if (now - call.deadline >= 0) {
                    // Again at every sweep: an interruption that falls between two statements is lost.
                    call.interrupt(dialect);
                }
            }
        } catch (Throwable e) {
            // A task that throws is never run again: the deadlines would no longer hold.
            Transactions.LOG.warn("Could not interrupt the calls past their deadline", e);
        }
    }

    private static SQLTimeoutException late(Duration timeout, Exception cause) {
        return new SQLTimeoutException("the database did not answer within " + timeout.toMillis() + " ms", cause);
    }

    /** One call in flight. */
    private static final class Call {
        final Connection connection;
        final long deadline;
        private boolean ended;
        private boolean interrupted;

        Call(Connection connection, long deadline) {
            this.connection = connection;
            this.deadline = deadline;
        }

        synchronized void interrupt(Dialect dialect) {
            if (ended) {
                return;
            }
            interrupted = true;
            try {
                dialect.interrupt(connection);
            } catch (SQLException | RuntimeException e) {
                Transactions.LOG.debug("Could not interrupt a late call", e);
            }
        }

        synchronized boolean interrupted() {
            return interrupted;
        }

        /** Ends the call; whether it was interrupted. */
        synchronized boolean end() {
            ended = true;
            return interrupted;
        }
    }
}
