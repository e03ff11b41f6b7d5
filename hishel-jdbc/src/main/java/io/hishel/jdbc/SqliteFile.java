package io.hishel.jdbc;

import io.hishel.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.sqlite.SQLiteConnection;

/**
 * The SQLite file the storage owns at its path, whatever happens to it. The file is opened ready
 * for use — checked by {@link Corruption#check}, moved aside if corrupt, migrated — at start-up, and
 * again whenever it is lost under the storage: deleted or replaced ({@link SqlitePool#isStillItsFile},
 * within a second), or reported corrupt by a statement ({@link Corruption#isReportedBy}). Then the
 * old pool is closed, a corrupt file moved aside with its {@code -wal} and {@code -shm} as
 * {@code <name>.corrupt-<UTC time>}, and a new pool opened on the path and migrated, with one
 * warning that names the paths: the cache goes on, empty, without a restart.
 *
 * <p>One call opens the file again; the calls meanwhile, and those still at work on the old pool,
 * fail with a {@link StorageException}, which the filter serves without the cache. An attempt waits
 * at least {@link #RETRY_INTERVAL} after the one before, so a disk that keeps failing costs one
 * attempt and one warning every few seconds, not one per call.
 *
 * <p>The statements of the hit path stay prepared on each connection ({@link #prepared}):
 * sqlite-jdbc prepares a statement anew every time, which took a hit as long as running it.
 * Thread-safe.
 */
final class SqliteFile implements Connections {

    static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

    /** Sorts by time, and has no character a file system refuses. */
    private static final DateTimeFormatter ASIDE_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final int size;
    private final Duration timeout;
    private final String description;
    private final Consumer<DataSource> schema;
    private final ReentrantLock openingAgain = new ReentrantLock();
    /** The pool in use; null while another is being opened, after an attempt that failed, and once closed. */
    private volatile SqlitePool pool;
    /** What the calls that find no pool to use say about the file. */
    private volatile String unavailable = "is not open";
    /** Guarded by {@link #openingAgain}. */
    private long nextAttemptAt;
    /** Guarded by {@link #openingAgain}. */
    private boolean closed;
    /** What forgets what was read from the file before it was replaced: the memory tier. */
    private volatile Runnable whenReplaced = () -> { };
    /**
     * The statements kept prepared on each of the pool's connections, by their text. A connection's
     * map is only used by the thread the pool lends the connection to; the maps of closed
     * connections are dropped when another connection comes, and all when the pool closes. Closing
     * a connection finalizes its statements.
     */
    private final Map<SQLiteConnection, Map<String, PreparedStatement>> statements = new ConcurrentHashMap<>();

    private SqliteFile(Path file, int size, Duration timeout, String description,
                       Consumer<DataSource> schema) {
        this.file = file;
        this.size = size;
        this.timeout = timeout;
        this.description = description;
        this.schema = schema;
        this.nextAttemptAt = System.nanoTime();
    }

    /**
     * Opens the file at a path ready for use, moving it aside first if it is corrupt.
     *
     * @param size   the connections of each pool
     * @param schema what makes the database of a new pool ready: the migration, or nothing where the
     *               schema is managed elsewhere
     * @throws StorageException if the file cannot be opened, moved aside or migrated; the message
     *                          names it
     */
    static SqliteFile open(Path file, int size, Duration timeout, String description,
                           Consumer<DataSource> schema) {
        SqliteFile sqlite = new SqliteFile(file, size, timeout, description, schema);
        sqlite.pool = sqlite.openReady();
        return sqlite;
    }

    @Override
    public <T> T run(Transactions.SqlWork<T> work) throws SQLException {
        SqlitePool current = current();
        try (Connection connection = current.connections().getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            if (Corruption.isReportedBy(e)) {
                openAgain(current, () -> moveAside(e.getMessage()));
            }
            throw e;
        }
    }

    /**
     * Runs work on a statement kept prepared on the connection since an earlier call, or prepared
     * now and kept. It is prepared on the driver's connection, whose statements the pool does not
     * close when the connection comes back. A statement whose work failed is closed: the next call
     * prepares it again, whatever state the failure left it in.
     */
    @Override
    public <T> T prepared(Connection connection, String sql, Transactions.StatementWork<T> work)
            throws SQLException {
        SQLiteConnection own = connection.unwrap(SQLiteConnection.class);
        Map<String, PreparedStatement> kept = statements.get(own);
        if (kept == null) {
            statements.keySet().removeIf(SqliteFile::isClosed);
            kept = new HashMap<>();
            statements.put(own, kept);
        }
        PreparedStatement statement = kept.get(sql);
        if (statement == null) {
            statement = own.prepareStatement(sql);
            kept.put(sql, statement);
        }
        try {
            return work.run(statement);
        } catch (SQLException | RuntimeException e) {
            kept.remove(sql);
            try {
                statement.close();
            } catch (SQLException ignored) {
                // The work's failure is the one worth reporting.
            }
            throw e;
        }
    }

    /** Sets what runs once a new pool has taken the place of one that lost its file. */
    void whenReplaced(Runnable action) {
        this.whenReplaced = action;
    }

    @Override
    public void close() {
        openingAgain.lock();
        try {
            closed = true;
            unavailable = "is closed";
            if (pool != null) {
                pool.close();
                pool = null;
            }
            statements.clear();
        } finally {
            openingAgain.unlock();
        }
    }

    /** The pool to borrow from: the one in use while its file is still at the path, else a new one. */
    private SqlitePool current() {
        SqlitePool current = pool;
        if (current != null && current.isStillItsFile()) {
            return current;
        }
        // No pool: the last attempt failed, and said why.
        openAgain(current, current == null ? () -> { } : () -> Transactions.LOG.warn(
                "{}: the database file {} was deleted or replaced; opening the file at the path again, or a new one",
                description, file));
        SqlitePool fresh = pool;
        if (fresh == null || fresh == current) {
            throw new StorageException(description + ": the database file " + file + " " + unavailable);
        }
        return fresh;
    }

    /**
     * Closes a pool that lost its file, and opens the file at the path again, ready for use — unless
     * another call is at it, a pool was opened since, or the last attempt is too recent. A failure
     * is logged, and the calls until the next attempt fail saying why.
     *
     * @param lost      the pool that lost its file, or null where the last attempt failed
     * @param clearPath what becomes of the file at the path before it is opened again
     */
    private void openAgain(SqlitePool lost, PathStep clearPath) {
        if (!openingAgain.tryLock()) {
            return;
        }
        try {
            long now = System.nanoTime();
            if (closed || pool != lost || now - nextAttemptAt < 0) {
                return;
            }
            nextAttemptAt = now + RETRY_INTERVAL.toNanos();
            unavailable = "is being opened again";
            pool = null;
            if (lost != null) {
                lost.close();
            }
            statements.clear();
            clearPath.run();
            pool = openReady();
            whenReplaced.run();
            unavailable = "was lost again; trying again within " + RETRY_INTERVAL.toSeconds() + " s";
        } catch (IOException | RuntimeException e) {
            unavailable = "could not be opened again (" + e.getMessage() + "); trying again within "
                    + RETRY_INTERVAL.toSeconds() + " s";
            Transactions.LOG.warn("{}: the database file {} {}", description, file, unavailable);
        } finally {
            openingAgain.unlock();
        }
    }

    /** Opens a pool on the file at the path, moving a corrupt file aside first, and makes its schema ready. */
    private SqlitePool openReady() {
        Optional<String> damage = Corruption.check(file);
        if (damage.isPresent()) {
            try {
                moveAside(damage.get());
            } catch (IOException e) {
                throw new StorageException(description + ": the database file " + file + " is corrupt ("
                        + damage.get() + ") and cannot be moved aside: " + e.getMessage(), e);
            }
        }
        SqlitePool opened = SqlitePool.open(file, size, timeout);
        try {
            schema.accept(opened.connections());
            return opened;
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /**
     * Renames the file and its {@code -wal} and {@code -shm} after the time, so that a new file can
     * take the path while the old one stays, whole, for whoever wants to look at it.
     */
    private void moveAside(String damage) throws IOException {
        Path aside = sibling(file.getFileName() + ".corrupt-" + ASIDE_TIME.format(Instant.now()));
        for (String suffix : List.of("", "-wal", "-shm")) {
            try {
                Files.move(sibling(file.getFileName() + suffix), sibling(aside.getFileName() + suffix));
            } catch (NoSuchFileException e) {
                // Not every file has its logs, and a deleted one has nothing to move.
            }
        }
        Transactions.LOG.warn("{}: the database file {} is corrupt ({}); moved it aside to {}, a new file takes its place",
                description, file, damage, aside);
    }

    private static boolean isClosed(SQLiteConnection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private Path sibling(String name) {
        return file.resolveSibling(name);
    }

    /** A step on the file system before the file is opened again. */
    @FunctionalInterface
    private interface PathStep {
        void run() throws IOException;
    }
}
