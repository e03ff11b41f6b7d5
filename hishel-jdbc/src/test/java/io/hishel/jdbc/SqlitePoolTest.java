package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connections to one SQLite file, and noticing when the file is no longer the one they opened. */
class SqlitePoolTest {

    @TempDir
    Path folder;

    private SqlitePool pool;

    private SqlitePool open(Path file) {
        pool = SqlitePool.open(file, 2, Duration.ofSeconds(5));
        return pool;
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.connections().close();
        }
    }

    @Test
    void everyConnectionIsInWalModeWithForeignKeysAndABusyTimeout() throws SQLException {
        open(folder.resolve("pragmas.db"));

        try (Connection connection = pool.connections().getConnection()) {
            assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(connection, "synchronous")).isEqualTo("1"); // NORMAL
            assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(connection, "busy_timeout")).isEqualTo("5000");
        }
    }

    @Test
    void theFileItOpenedIsStillItsFile() {
        open(folder.resolve("same.db"));

        assertThat(pool.isStillItsFile()).isTrue();
    }

    @Test
    void aDeletedFileIsNoLongerItsFile() throws Exception {
        Path file = folder.resolve("deleted.db");
        open(file);

        Files.delete(file);

        assertThat(pool.isStillItsFile()).isFalse();
    }

    @Test
    void aFileReplacedAtItsPathIsNoLongerItsFile() throws Exception {
        Path file = folder.resolve("replaced.db");
        open(file);

        // The old file stays on disk under another name, so the new one cannot reuse its identity.
        Files.move(file, folder.resolve("aside.db"));
        Files.writeString(file, "");

        assertThat(pool.isStillItsFile()).isFalse();
    }

    @Test
    void looksAtTheFileAtMostOnceASecond() throws Exception {
        Path file = folder.resolve("checked.db");
        open(file);
        assertThat(pool.isStillItsFile()).isTrue();

        Files.delete(file);

        assertThat(pool.isStillItsFile()).as("within a second of the last look").isTrue();
    }

    @Test
    void createsTheFoldersOfItsFile() throws SQLException {
        Path file = folder.resolve("a/b/cache.db");

        open(file).connections().getConnection().close();

        assertThat(file).exists();
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA " + name)) {
            result.next();
            return result.getString(1);
        }
    }
}
