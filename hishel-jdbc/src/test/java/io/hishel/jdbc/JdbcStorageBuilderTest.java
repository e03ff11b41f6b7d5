package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.storage.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteDataSource;

/** Settings are checked when they are given, with a message naming the setting and its value. */
class JdbcStorageBuilderTest {

    private static final Path FILE = Path.of("never-opened.db");

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, 65})
    void refusesAPoolSizeOutsideOneTo64(int size) {
        assertThatThrownBy(() -> JdbcStorage.sqlite(FILE).poolSize(size)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poolSize must be between 1 and 64, but was " + size);
    }

    @Test
    void acceptsThePoolSizesAtItsBounds() {
        assertThat(JdbcStorage.sqlite(FILE).poolSize(1).poolSize(64)).isNotNull();
    }

    @Test
    void refusesATimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> JdbcStorage.sqlite(FILE).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, but was PT0S");
        assertThatThrownBy(() -> JdbcStorage.sqlite(FILE).timeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout");
        assertThat(JdbcStorage.builder(new SQLiteDataSource()).timeout(Duration.ofMillis(1))).isNotNull();
    }

    @Test
    void thePoolSettingsAreOnlyForTheSqlitePoolItOpensItself() {
        JdbcStorage.Builder given = JdbcStorage.builder(new SQLiteDataSource());

        assertThatThrownBy(() -> given.poolSize(2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("poolSize configures the SQLite pool; a given DataSource is configured where it is created");
    }

    @Test
    void closesOnlyAGivenHikariPool() {
        assertThatThrownBy(() -> JdbcStorage.builder(new SQLiteDataSource()).closeDataSource(true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("closeDataSource needs a HikariDataSource, but the storage was given "
                        + SQLiteDataSource.class.getName());
        assertThatThrownBy(() -> JdbcStorage.sqlite(FILE).closeDataSource(true)).isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("a SQLite file, whose pool it closes anyway");
        assertThat(JdbcStorage.builder(new SQLiteDataSource()).closeDataSource(false)).isNotNull();
    }

    @Test
    void theDefaultsAreInTheRangesTheSettersAccept() {
        assertThat(JdbcStorage.sqlite(FILE).poolSize(JdbcStorage.Builder.DEFAULT_SQLITE_POOL_SIZE)
                .timeout(JdbcStorage.Builder.DEFAULT_TIMEOUT)).isNotNull();
    }

    @Test
    void aBuildThatFailsAfterConnectingClosesThePoolItWasToClose(@TempDir Path folder) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + folder.resolve("no-tables.db"));
        HikariDataSource pool = new HikariDataSource(config);
        try {
            // Without its tables the storage cannot measure what it holds.
            assertThatThrownBy(() -> JdbcStorage.builder(pool).closeDataSource(true).migrate(false).build())
                    .isInstanceOf(StorageException.class).hasMessageContaining("measure the storage");

            assertThat(pool.isClosed()).isTrue();
        } finally {
            pool.close();
        }
    }
}
