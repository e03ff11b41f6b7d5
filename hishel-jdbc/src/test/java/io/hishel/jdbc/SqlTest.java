package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the statements share, so that a change to what "visible" means is made in one place. */
class SqlTest {

    @TempDir
    Path folder;

    @Test
    void everyLookupOfOneEntryOrAKeyTakesOnlyCommittedRowsNotRemoved() {
        assertThat(List.of(Sql.SELECT_ENTRIES, Sql.SELECT_BODY_SIZE, Sql.SELECT_LIFETIME, Sql.UPDATE_METADATA))
                .allSatisfy(statement -> assertThat(statement).endsWith(" AND " + Sql.COMMITTED_NOT_REMOVED));
    }

    @Test
    void whatTheOperatorSeesIsVisibleAsTheStorageSpiMeansIt() {
        assertThat(Sql.VISIBLE).startsWith(Sql.COMMITTED_NOT_REMOVED).contains("expires_at > ?");
        assertThat(List.of(Sql.STATISTICS, Sql.LIST_PAGE, Sql.PURGE_ALL.toString()))
                .allSatisfy(statement -> assertThat(statement).contains("WHERE " + Sql.VISIBLE));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theListingRepeatsTheConditionOfItsPartialIndex(String dialect) throws IOException {
        String migration = "/db/hishel/migration/" + dialect + "/V2__list_entries_newest_first.sql";
        try (InputStream script = Objects.requireNonNull(SqlTest.class.getResourceAsStream(migration), migration)) {
            assertThat(new String(script.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("hishel_entries_newest").contains("WHERE " + Sql.COMMITTED_NOT_REMOVED + ";");
        }
        assertThat(Sql.LIST_PAGE).contains(Sql.COMMITTED_NOT_REMOVED);
    }

    @Test
    void sqliteWalksTheNewestIndexForAPageInsteadOfSorting() {
        try (SqliteTables tables = new SqliteTables(folder.resolve("plan.db"))) {
            List<String> plan = tables.transactions.read("explain", connection -> {
                try (var explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + Sql.LIST_PAGE)) {
                    explain.setLong(1, 0);
                    explain.setInt(2, 10);
                    explain.setInt(3, 0);
                    try (var result = explain.executeQuery()) {
                        List<String> details = new ArrayList<>();
                        while (result.next()) {
                            details.add(result.getString("detail"));
                        }
                        return details;
                    }
                }
            });

            assertThat(plan).anySatisfy(step -> assertThat(step).contains("hishel_entries_newest"));
            assertThat(plan).noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
        }
    }

    @Test
    void sqliteLooksUpAKeyAndItsFirstChunksByIndexWithoutScanningTheChunks() {
        try (SqliteTables tables = new SqliteTables(folder.resolve("lookup-plan.db"))) {
            List<String> plan = tables.transactions.read("explain", connection -> {
                try (var explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + Sql.SELECT_ENTRIES)) {
                    explain.setLong(1, Lookup.BODY_WITH_ENTRY);
                    explain.setString(2, "GET https://example.com/");
                    try (var result = explain.executeQuery()) {
                        List<String> details = new ArrayList<>();
                        while (result.next()) {
                            details.add(result.getString("detail"));
                        }
                        return details;
                    }
                }
            });

            assertThat(plan).anySatisfy(step -> assertThat(step).contains("hishel_entries_cache_key"));
            assertThat(plan).anySatisfy(step -> assertThat(step).startsWith("SEARCH s USING INDEX"));
            assertThat(plan).noneSatisfy(step -> assertThat(step).startsWith("SCAN"));
        }
    }

    @Test
    void aPageOfTagsHasOnePlaceholderPerEntry() {
        assertThat(Sql.selectTagsOf(3)).isEqualTo("SELECT entry_id, tag FROM hishel_tags WHERE entry_id IN (?, ?, ?)");
    }
}
