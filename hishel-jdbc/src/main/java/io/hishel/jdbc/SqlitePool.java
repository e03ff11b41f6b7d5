package io.hishel.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.hishel.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The connections to one SQLite file, and whether the file at its path is still the one they
 * opened; when it is not, {@link SqliteFile} closes the pool and opens another. Every connection
 * is in WAL mode, with {@code synchronous=NORMAL}, foreign keys on (so that deleting an entry
 * deletes its chunks and tags) and a busy timeout. Thread-safe.
 */
final class SqlitePool {

    private static final long FILE_CHECK_INTERVAL_NANOS = 1_000_000_000L;
    private static final long DRAIN_NANOS = 1_000_000_000L;

    private final HikariDataSource connections;
    private final Path file;
    private final Object identity;
    private volatile long fileCheckedAt;

    private SqlitePool(HikariDataSource connections, Path file) {
        this.connections = connections;
        this.file = file;
        // The pool opened its first connection, so the file exists: this is its identity from now on.
        this.identity = identityOf(file);
    }

    /**
     * Opens a pool on a file, creating its folders.
     *
     * @throws StorageException if the folder cannot be created, the file or folder is not writable,
     *                          or the file cannot be opened; the message names the file
     */
    static SqlitePool open(Path file, int size, Duration timeout) {
        Path parent = file.getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StorageException("Cannot create the folder of the SQLite cache " + file + ": "
                    + e.getMessage(), e);
        }
        if (parent != null && !Files.isWritable(parent) || Files.exists(file) && !Files.isWritable(file)) {
            throw new StorageException("The SQLite cache " + file + " is not writable: choose a path this"
                    + " process may write, or fix the permissions");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("hishel-sqlite");
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        // HikariCP waits at least 250 ms; the operation's own deadline still holds.
        config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("foreign_keys", "true");
        config.addDataSourceProperty("busy_timeout", String.valueOf(timeout.toMillis()));
        HikariDataSource connections;
        try {
            connections = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException("Cannot open the SQLite cache " + file + ": " + e.getMessage(), e);
        }
        return new SqlitePool(connections, file);
    }

    HikariDataSource connections() {
        return connections;
    }

    /**
     * Closes the connections; borrowing fails from now on. Work still at it has up to
     * {@link #DRAIN_NANOS} to give its connection back: HikariCP aborts the connections in use when
     * it closes, and sqlite-jdbc's abort does nothing, so an aborted connection would stay open for
     * good, and keep a deleted file's space from being freed.
     */
    void close() {
        HikariPoolMXBean pool = connections.getHikariPoolMXBean();
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (pool != null && pool.getActiveConnections() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000L);
        }
        connections.close();
    }

    /**
     * Whether the file at the path is still the one the pool opened: false once it was deleted, or
     * replaced — a new connection may already have created an empty file at the same path, so
     * identities are compared. Looks at the file at most once a second; in between, says yes.
     */
    boolean isStillItsFile() {
        long now = System.nanoTime();
        if (now - fileCheckedAt < FILE_CHECK_INTERVAL_NANOS) {
            return true;
        }
        Object current = identityOf(file);
        if (current == null || identity != null && !identity.equals(current)) {
            return false;
        }
        fileCheckedAt = now;
        return true;
    }

    /** The file system's key for a file (its inode, say), true where there is none, or null if there is no file. */
    private static Object identityOf(Path file) {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null ? key : Boolean.TRUE;
        } catch (IOException e) {
            return null;
        }
    }
}
