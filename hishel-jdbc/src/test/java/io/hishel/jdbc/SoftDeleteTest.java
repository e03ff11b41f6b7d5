package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A removal counts what a caller could see, and marks everything that matches, seen or not. */
class SoftDeleteTest {

    private static final long NOW = 10_000;

    @TempDir
    Path folder;

    private SqliteTables tables;

    @BeforeEach
    void open() {
        tables = new SqliteTables(folder.resolve("removals.db"));
    }

    @AfterEach
    void close() {
        tables.close();
    }

    private long run(SoftDelete removal, Object... parameters) {
        return tables.transactions.write("remove", connection -> removal.run(connection, NOW, parameters)).visible();
    }

    private Long deletedAt(UUID id) {
        return tables.number("SELECT deleted_at FROM hishel_entries WHERE id = '" + id + "'");
    }

    @Test
    void countsOnlyTheVisibleEntriesButMarksEveryOneThatMatches() {
        UUID visible = UUID.randomUUID();
        UUID expired = UUID.randomUUID();
        UUID beingWritten = UUID.randomUUID();
        tables.insertEntry(visible, 0L, NOW + 1, null, false);
        tables.insertEntry(expired, 0L, NOW, null, false);
        tables.insertEntry(beingWritten, null, null, null, false);

        assertThat(run(Sql.PURGE_ALL)).isEqualTo(1);

        assertThat(deletedAt(visible)).isEqualTo(NOW);
        assertThat(deletedAt(expired)).isEqualTo(NOW);
        // Its commit must not bring back what was purged while the response was on its way.
        assertThat(deletedAt(beingWritten)).isEqualTo(NOW);
    }

    @Test
    void keepsTheTimeAnEntryWasFirstRemoved() {
        UUID removed = UUID.randomUUID();
        tables.insertEntry(removed, 0L, null, null, false);
        tables.execute("UPDATE hishel_entries SET deleted_at = 5");

        assertThat(run(Sql.PURGE_ALL)).isZero();

        assertThat(deletedAt(removed)).as("its retention runs from the first removal").isEqualTo(5);
    }

    @Test
    void bindsTheConditionsParametersAfterTheTime() {
        UUID matching = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        tables.insertEntry(matching, 0L, null, null, false);
        tables.insertEntry(other, 0L, null, null, false);
        tables.execute("UPDATE hishel_entries SET url = 'https://example.com/other' WHERE id = '" + other + "'");

        assertThat(run(Sql.INVALIDATE_URL, "https://example.com/")).isEqualTo(1);

        assertThat(deletedAt(matching)).isEqualTo(NOW);
        assertThat(deletedAt(other)).isNull();
    }
}
