package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hishel.PostgresServer;
import io.hishel.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One transaction per write, one connection per read, failures named, SQLite's writer taking turns. */
class TransactionsTest {

    @TempDir
    Path folder;

    @Test
    void aWriteThatFailsIsRolledBackAndItsFailureNamesTheStorageAndTheOperation() {
        try (SqliteTables tables = new SqliteTables(folder.resolve("rollback.db"))) {
            UUID id = UUID.randomUUID();

            assertThatThrownBy(() -> tables.transactions.write("store twice", connection -> {
                insert(tables, connection, id);
                insert(tables, connection, id);
                return null;
            })).isInstanceOf(StorageException.class).hasCauseInstanceOf(SQLException.class)
                    .hasMessageStartingWith(SqliteTables.DESCRIPTION + ": could not store twice: ");

            assertThat(tables.number("SELECT COUNT(*) FROM hishel_entries")).isZero();
        }
    }

    @Test
    void aWriteThatThrowsAnythingElseIsRolledBackAndTheExceptionPassesUnchanged() {
        try (SqliteTables tables = new SqliteTables(folder.resolve("runtime.db"))) {
            IllegalStateException failure = new IllegalStateException("not this one");

            assertThatThrownBy(() -> tables.transactions.write("store", connection -> {
                insert(tables, connection, UUID.randomUUID());
                throw failure;
            })).isSameAs(failure);

            assertThat(tables.number("SELECT COUNT(*) FROM hishel_entries")).isZero();
        }
    }

    @Test
    void aSqliteWriteWaitsForItsTurnNoLongerThanItsTimeout() throws Exception {
        try (SqliteTables tables = new SqliteTables(folder.resolve("turns.db"), 300)) {
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> tables.transactions.write("hold",
                    connection -> {
                        writing.countDown();
                        await(release);
                        return null;
                    }));
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();

            assertThatThrownBy(() -> tables.transactions.write("write meanwhile", connection -> null))
                    .isInstanceOf(StorageException.class)
                    .hasMessage(SqliteTables.DESCRIPTION + ": could not write meanwhile: no turn to write within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250),
                    Duration.ofSeconds(5));
            String read = tables.transactions.read("read meanwhile", connection -> "read");
            assertThat(read).isEqualTo("read");

            release.countDown();
            // The write that held the turn is past its own deadline by now, so whether its commit
            // was interrupted is a race: only that it ends matters here.
            first.handle((result, failure) -> null).get(10, TimeUnit.SECONDS);
            String written = tables.transactions.write("write after", connection -> "written");
            assertThat(written).isEqualTo("written");
        }
    }

    @Test
    void postgresqlWritesDoNotTakeTurns() throws Exception {
        PostgresServer.assumeReachable();
        try (PostgresDatabase database = new PostgresDatabase()) {
            DataSource pool = database.pool(database.newSchema(), 4);
            Transactions transactions = new Transactions(new Connections.Given(pool, false), Dialect.POSTGRESQL, Duration.ofSeconds(10),
                    "test storage");
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> transactions.write("hold",
                    connection -> {
                        writing.countDown();
                        await(release);
                        return null;
                    }));
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

            String written = transactions.write("write meanwhile", connection -> "written");
            assertThat(written).isEqualTo("written");

            release.countDown();
            first.get(10, TimeUnit.SECONDS);
        }
    }

    /** Issue 13: a statement that does not answer is interrupted at its deadline, and the connection serves the next. */
    @Test
    void aSqliteStatementStillRunningAtTheDeadlineIsInterrupted() {
        try (SqliteTables tables = new SqliteTables(folder.resolve("slow.db"), 300)) {
            long started = System.nanoTime();

            assertThatThrownBy(() -> tables.transactions.read("count for ever", connection -> {
                try (Statement statement = connection.createStatement()) {
                    return statement.executeQuery(ENDLESS_COUNT).next();
                }
            })).isInstanceOf(StorageException.class).hasCauseInstanceOf(SQLTimeoutException.class)
                    .hasMessage(SqliteTables.DESCRIPTION + ": could not count for ever: the database did not answer"
                            + " within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(tables.number("SELECT COUNT(*) FROM hishel_entries")).isZero();
        }
    }

    @Test
    void aPostgresqlStatementStillRunningAtTheDeadlineIsAbortedWithItsConnection() {
        PostgresServer.assumeReachable();
        try (PostgresDatabase database = new PostgresDatabase()) {
            DataSource pool = database.pool(database.newSchema(), 1);
            Transactions transactions = new Transactions(new Connections.Given(pool, false), Dialect.POSTGRESQL,
                    Duration.ofMillis(300), "test storage");
            long started = System.nanoTime();

            assertThatThrownBy(() -> transactions.write("sleep", connection -> {
                try (Statement statement = connection.createStatement()) {
                    return statement.execute("SELECT pg_sleep(30)");
                }
            })).isInstanceOf(StorageException.class).hasCauseInstanceOf(SQLTimeoutException.class)
                    .hasMessage("test storage: could not sleep: the database did not answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            // The pool's one connection was discarded, and a new one answers.
            String read = transactions.read("read after", connection -> "read");
            assertThat(read).isEqualTo("read");
        }
    }

    @Test
    void aWriteInterruptedWhileWaitingForItsTurnFailsAndKeepsTheInterrupt() {
        try (SqliteTables tables = new SqliteTables(folder.resolve("interrupted.db"))) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> tables.transactions.write("write", connection -> null))
                        .isInstanceOf(StorageException.class).hasCauseInstanceOf(InterruptedException.class)
                        .hasMessage(SqliteTables.DESCRIPTION + ": interrupted while waiting to write");
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void onceClosedEveryOperationFailsSayingSo() {
        try (SqliteTables tables = new SqliteTables(folder.resolve("closed.db"))) {
            tables.transactions.close();

            assertThat(tables.transactions.isClosed()).isTrue();
            assertThatThrownBy(() -> tables.transactions.read("read", connection -> null))
                    .isInstanceOf(StorageException.class).hasMessage(SqliteTables.DESCRIPTION + " is closed");
            assertThatThrownBy(() -> tables.transactions.write("write", connection -> null))
                    .isInstanceOf(StorageException.class).hasMessage(SqliteTables.DESCRIPTION + " is closed");
        }
    }

    @Test
    void quietlyLogsAFailureWithTheStorageAndTheOperationInsteadOfThrowing() {
        Transactions transactions = new Transactions(null, Dialect.SQLITE, Duration.ofSeconds(1), "quiet storage");
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            transactions.quietly("tidy up", () -> {
                throw new StorageException("the disk is full");
            });
        } finally {
            System.setErr(originalErr);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("WARN").contains(JdbcStorage.class.getName())
                .contains("quiet storage: could not tidy up: the disk is full");
    }

    private static void insert(SqliteTables tables, java.sql.Connection connection, UUID id) throws SQLException {
        try (var insert = connection.prepareStatement("INSERT INTO hishel_entries (id, cache_key, url, data,"
                + " created_at, last_access, refresh_ttl) VALUES (?, 'k', 'u', x'00', 0, 0, 0)")) {
            tables.transactions.dialect().bindId(insert, 1, id);
            insert.executeUpdate();
        }
    }

    /** A query SQLite runs until it is stopped. */
    private static final String ENDLESS_COUNT = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
            + " SELECT MAX(i) FROM n";

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
