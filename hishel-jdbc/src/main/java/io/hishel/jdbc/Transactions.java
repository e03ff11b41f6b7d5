package io.hishel.jdbc;

import io.hishel.storage.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the storage talks to its database: one borrowed connection per read, one transaction per
 * write, and every {@link SQLException} turned into a {@link StorageException} that names the
 * storage and the operation. On SQLite, writes take turns inside the process, so that
 * {@code SQLITE_BUSY} never reaches a caller; the wait for a turn is bounded like the wait for a
 * connection, so a slow storage fails and never hangs.
 *
 * <p>Before each operation it checks that the storage is open; where the connections come from,
 * and what becomes of a SQLite file that is lost, is the business of {@link Connections}.
 * Thread-safe.
 */
final class Transactions {

    /** The storage's one logger, whichever of its classes logs, so that one logging setting covers it. */
    static final Logger LOG = LoggerFactory.getLogger(JdbcStorage.class);

    private final Connections connections;
    private final Dialect dialect;
    private final long writeLockTimeoutMillis;
    private final String description;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    /**
     * @param writeLockTimeoutMillis how long a SQLite write waits for its turn
     * @param description            the storage, as messages name it
     */
    Transactions(Connections connections, Dialect dialect, long writeLockTimeoutMillis, String description) {
        this.connections = connections;
        this.dialect = dialect;
        this.writeLockTimeoutMillis = writeLockTimeoutMillis;
        this.description = description;
    }

    /** Work on a borrowed connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
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
        try {
            return connections.run(work);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /** Runs work in one transaction, committed if it returns and rolled back if it throws. */
    <T> T write(String operation, SqlWork<T> work) {
        checkOpen();
        boolean locked = false;
        try {
            if (dialect.singleWriter()) {
                if (!writeLock.tryLock(writeLockTimeoutMillis, TimeUnit.MILLISECONDS)) {
                    throw new StorageException(description + ": could not " + operation + ": no turn to write within "
                            + writeLockTimeoutMillis + " ms");
                }
                locked = true;
            }
            return connections.run(connection -> {
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
            });
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

    /** Runs an action whose failure must not reach the caller: it is logged, once, with the storage's name. */
    void quietly(String operation, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: could not {}: {}", description, operation, e.getMessage());
        }
    }

    void checkOpen() {
        if (closed) {
            throw new StorageException(description + " is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** From now on every operation fails, saying the storage is closed; the connections it owns are closed. */
    void close() {
        closed = true;
        connections.close();
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
