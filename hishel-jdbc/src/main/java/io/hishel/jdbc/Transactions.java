package io.hishel.jdbc;

import io.hishel.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the storage talks to its database: one borrowed connection per read, one transaction per
 * write, and every {@link SQLException} turned into a {@link StorageException} that names the
 * storage and the operation. On SQLite, writes take turns inside the process, so that
 * {@code SQLITE_BUSY} never reaches a caller. Each operation has a deadline, which covers the wait
 * for a connection and for a turn to write as well as the database's answer ({@link Deadlines}), so
 * a slow storage fails and never hangs.
 *
 * <p>Before each operation it checks that the storage is open; where the connections come from,
 * and what becomes of a SQLite file that is lost, is the business of {@link Connections}.
 * Thread-safe.
 */
final class Transactions {

    /** The storage's one logger, whichever of its classes logs, so that one logging setting covers it. */
    static final Logger LOG = LoggerFactory.getLogger(JdbcStorage.class);

    /**
     * The deadline of the work no request waits for: clean-up, recording hits, listing, purges. It
     * only keeps a dead database from holding the maintenance thread for ever.
     */
    static final Duration MAINTENANCE_TIMEOUT = Duration.ofMinutes(1);

    private final Connections connections;
    private final Dialect dialect;
    private final Duration timeout;
    private final long timeoutNanos;
    private final String description;
    private final ReentrantLock writeLock;
    private final AtomicBoolean closed;
    private final Deadlines deadlines;

    /**
     * @param timeout     how long one operation may take, from its start to its end: waiting for a
     *                    connection, for its turn to write on SQLite, and for the database
     * @param description the storage, as messages name it
     */
    Transactions(Connections connections, Dialect dialect, Duration timeout, String description) {
        this(connections, dialect, timeout, description, new ReentrantLock(), new AtomicBoolean(),
                new Deadlines(dialect, timeout, description));
    }

    private Transactions(Connections connections, Dialect dialect, Duration timeout, String description,
                         ReentrantLock writeLock, AtomicBoolean closed, Deadlines deadlines) {
        this.connections = connections;
        this.dialect = dialect;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.description = description;
        this.writeLock = writeLock;
        this.closed = closed;
        this.deadlines = deadlines;
    }

    /**
     * The same transactions for the work no request waits for, held to {@link #MAINTENANCE_TIMEOUT}
     * instead: they share the connections, the turns to write and being closed.
     */
    Transactions forMaintenance() {
        return new Transactions(connections, dialect, MAINTENANCE_TIMEOUT, description, writeLock, closed, deadlines);
    }

    /** Work on a borrowed connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Work on a statement prepared on a borrowed connection. */
    @FunctionalInterface
    interface StatementWork<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    Dialect dialect() {
        return dialect;
    }

    String description() {
        return description;
    }

    /** Runs work on a connection in auto-commit mode: each statement sees the latest commits. */
    <T> T read(String operation, SqlWork<T> work) {
        checkOpen();
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            return connections.run(connection -> deadlines.run(connection, deadline, timeout, work));
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /**
     * Runs one statement as {@link #read} runs work, on a statement the connection may keep prepared
     * from an earlier call ({@link Connections#prepared}): for the statements of the hit path.
     */
    <T> T query(String operation, String sql, StatementWork<T> work) {
        return read(operation, connection -> connections.prepared(connection, sql, work));
    }

    /** Runs work in one transaction, committed if it returns and rolled back if it throws. */
    <T> T write(String operation, SqlWork<T> work) {
        checkOpen();
        long deadline = System.nanoTime() + timeoutNanos;
        boolean locked = false;
        try {
            if (dialect.singleWriter()) {
                if (!writeLock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                    throw new StorageException(description + ": could not " + operation + ": no turn to write within "
                            + timeout.toMillis() + " ms");
                }
                locked = true;
            }
            return connections.run(connection -> deadlines.run(connection, deadline, timeout, inTransaction(work)));
        } catch (SQLException e) {
            throw failure(operation, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(description + ": interrupted while waiting to " + operation, e);
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }

    private static <T> SqlWork<T> inTransaction(SqlWork<T> work) {
        return connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        };
    }

    /** Runs an action whose failure must not reach the caller: it is logged, once, with the storage's name. */
    void quietly(String operation, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: could not {}: {}", description, operation, e.getMessage());
        }
    }

    void checkOpen() {
        if (closed.get()) {
            throw new StorageException(description + " is closed");
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** From now on every operation fails, saying the storage is closed; the connections it owns are closed. */
    void close() {
        closed.set(true);
        connections.close();
        deadlines.close();
    }

    private StorageException failure(String operation, SQLException e) {
        return new StorageException(description + ": could not " + operation + ": " + e.getMessage(), e);
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The original failure is the one worth reporting.
        }
    }
}
