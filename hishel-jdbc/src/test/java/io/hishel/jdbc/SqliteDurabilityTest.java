package io.hishel.jdbc;

import io.hishel.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hishel.MutableClock;
import io.hishel.storage.CacheKey;
import io.hishel.storage.CleanupResult;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StorageStatistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only a file on disk can do to a cache: crash mid-write, hold a huge body; {@link SqliteHealingTest} has it vanish. */
class SqliteDurabilityTest {

    @TempDir
    Path folder;

    @Test
    void anEntryWhoseWriterWasKilledIsNeverReturnedAndCleanUpRemovesItsChunks() throws Exception {
        Path file = folder.resolve("crash.db");
        UUID id = UUID.randomUUID();
        ChildJvm child = ChildJvm.start("64m", CrashingWriter.class, file.toString(), id.toString());
        assertThat(child.awaitLine("WRITING")).isEqualTo("WRITING " + 40 * 8 * 1024);
        child.kill(); // SIGKILL: no shutdown hook, no rollback, no close.

        assertThat(countRows(file, "SELECT COUNT(*) FROM hishel_streams")).isEqualTo(40);
        MutableClock clock = new MutableClock(java.time.Instant.now());
        try (JdbcStorage reopened = JdbcStorage.sqlite(file).scheduleMaintenance(false)
                .options(StorageOptions.builder().clock(clock).build()).build()) {
            assertThat(reopened.entries(new CacheKey("GET https://example.com/crash"))).isEmpty();
            assertThat(reopened.openBody(id)).isEmpty();
            assertThat(reopened.statistics()).isEqualTo(new StorageStatistics(0, 0));
            assertThat(reopened.cleanUp().incomplete()).as("still within the grace period").isZero();

            clock.advance(Duration.ofHours(1).plusSeconds(1));
            CleanupResult result = reopened.cleanUp();

            assertThat(result.incomplete()).isEqualTo(1);
        }
        assertThat(countRows(file, "SELECT COUNT(*) FROM hishel_streams")).isZero();
        assertThat(countRows(file, "SELECT COUNT(*) FROM hishel_entries")).isZero();
    }

    @Test
    void streamsA100MiBBodyThroughAHeapOf32MiB() throws Exception {
        ChildJvm child = ChildJvm.start("32m", LargeBodyRoundTrip.class, "sqlite",
                folder.resolve("large.db").toString(), Long.toString(100L * 1024 * 1024));

        String written = child.awaitLine("WRITTEN ").substring("WRITTEN ".length());
        String read = child.awaitLine("READ ");

        assertThat(read).startsWith("READ " + written + " " + 100L * 1024 * 1024 + " max-heap ");
        assertThat(Long.parseLong(read.substring(read.lastIndexOf(' ') + 1))).isLessThan(100L * 1024 * 1024);
        assertThat(child.awaitExit()).isZero();
    }

    @Test
    void createsTheFoldersOfItsFile() {
        Path file = folder.resolve("a/b/c/cache.db");

        try (JdbcStorage storage = JdbcStorage.sqlite(file).scheduleMaintenance(false).build()) {
            assertThat(Files.exists(file)).isTrue();
            assertThat(storage.toString()).contains(file.toString());
        }
    }

    @Test
    void namesThePathItCannotCreate() throws IOException {
        // A regular file where a folder must go: no user, root included, can create the database there.
        Path blocker = Files.writeString(folder.resolve("blocker"), "a file");
        Path file = blocker.resolve("sub/cache.db");

        assertThatThrownBy(() -> JdbcStorage.sqlite(file).build()).isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void usesWalAndForeignKeysOnEveryConnection() throws SQLException {
        Path file = folder.resolve("pragmas.db");
        try (JdbcStorage storage = JdbcStorage.sqlite(file).scheduleMaintenance(false).build()) {
            storage.statistics();
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            mode.next();
            assertThat(mode.getString(1)).isEqualTo("wal");
        }
    }

    static long countRows(Path file, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
