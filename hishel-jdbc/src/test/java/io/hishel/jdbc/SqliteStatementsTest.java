package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.hishel.storage.StorageException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hit path's statements stay prepared on the connections of a SQLite file, which its driver does not do. */
class SqliteStatementsTest {

    private static final String QUERY = "SELECT COUNT(*) FROM hishel_entries WHERE cache_key = ?";

    @TempDir
    Path folder;

    private SqliteFile file;
    private Transactions transactions;

    @BeforeEach
    void open() {
        // One connection, so that every call is lent the same one.
        file = SqliteFile.open(folder.resolve("statements.db"), 1, Duration.ofSeconds(5), SqliteTables.DESCRIPTION,
                database -> Migration.run(database, Dialect.SQLITE, SqliteTables.DESCRIPTION));
        transactions = new Transactions(file, Dialect.SQLITE, Duration.ofSeconds(5), SqliteTables.DESCRIPTION);
    }

    @AfterEach
    void close() {
        transactions.close();
    }

    /** Runs the query, and returns the statement it ran on. */
    private PreparedStatement query(String key) {
        return transactions.query("count", QUERY, statement -> {
            statement.setString(1, key);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).isTrue();
                assertThat(result.getLong(1)).isZero();
            }
            return statement;
        });
    }

    @Test
    void aStatementIsPreparedOnceOnAConnectionAndRunsAgainWithNewParameters() throws SQLException {
        PreparedStatement first = query("GET https://example.com/a");
        PreparedStatement second = query("GET https://example.com/b");

        assertThat(second).isSameAs(first);
        assertThat(second.isClosed()).isFalse();
    }

    @Test
    void aStatementWhoseWorkFailedIsClosedAndPreparedAgain() throws SQLException {
        PreparedStatement kept = query("GET https://example.com/a");

        assertThatThrownBy(() -> transactions.query("fail", QUERY, statement -> {
            throw new SQLException("the work failed");
        })).isInstanceOf(StorageException.class).hasMessageContaining("the work failed");

        assertThat(kept.isClosed()).isTrue();
        assertThat(query("GET https://example.com/a")).isNotSameAs(kept);
    }

    @Test
    void closingTheFileFinalizesTheStatementsItsConnectionsKept() {
        PreparedStatement kept = query("GET https://example.com/a");

        transactions.close();

        // The driver finalizes a connection's statements when it closes, without marking them closed.
        assertThatThrownBy(kept::executeQuery).isInstanceOf(SQLException.class);
    }
}
