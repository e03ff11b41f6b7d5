package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hishel.MutableClock;
import io.hishel.storage.StorageException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Liveness, decided in one place, and the hits that are written later. */
class AccessRecorderTest {

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock();
    private SqliteTables tables;
    private AccessRecorder accesses;

    @BeforeEach
    void open() {
        tables = new SqliteTables(folder.resolve("hits.db"));
        accesses = new AccessRecorder(clock, tables.transactions);
    }

    @AfterEach
    void close() {
        tables.close();
    }

    @ParameterizedTest(name = "expires {0}, ttl {1}, refresh {2}, hit {3}, at {4}: alive {5}")
    @CsvSource(nullValues = "-", value = {
            // expiresAt, ttlMillis, refresh, hit at, now, alive
            "-,    -,    true,  -,   5000, true",   // no TTL: alive until clean-up or eviction decides
            "6000, 1000, true,  -,   5000, true",   // not yet expired
            "5000, 1000, true,  -,   5000, false",  // expires at the instant it reaches expires_at
            "4000, 1000, true,  -,   5000, false",  // expired, no hit
            "4000, 1000, true,  4500, 5000, true",  // a hit not yet written restarted the TTL
            "4000, 1000, true,  4000, 5000, false", // the restarted TTL has run out as well
            "4000, 1000, false, 4500, 5000, false", // the entry does not refresh on access
            "4000, -,    true,  4500, 5000, false", // no TTL to restart
    })
    void anEntryIsAliveUntilItExpiresUnlessAHitNotYetWrittenRestartedItsTtl(Long expiresAt, Long ttlMillis,
            boolean refresh, Long hitAt, long now, boolean alive) {
        UUID id = UUID.randomUUID();
        if (hitAt != null) {
            clock.set(Instant.ofEpochMilli(hitAt));
            accesses.record(id);
        }

        assertThat(accesses.alive(id, expiresAt, ttlMillis, refresh, now)).isEqualTo(alive);
    }

    @Test
    void aFlushWritesTheLastAccessAndRestartsTheTtlOfAnEntryThatRefreshes() {
        UUID refreshes = UUID.randomUUID();
        UUID keeps = UUID.randomUUID();
        tables.insertEntry(refreshes, 0L, 1_000L, 10_000L, true);
        tables.insertEntry(keeps, 0L, 1_000L, 10_000L, false);
        clock.set(Instant.ofEpochMilli(500));
        accesses.record(refreshes);
        accesses.record(keeps);

        accesses.flush();

        assertThat(tables.number("SELECT expires_at FROM hishel_entries WHERE id = '" + refreshes + "'"))
                .isEqualTo(10_500);
        assertThat(tables.number("SELECT expires_at FROM hishel_entries WHERE id = '" + keeps + "'")).isEqualTo(1_000);
        assertThat(tables.number("SELECT MIN(last_access) FROM hishel_entries")).isEqualTo(500);
    }

    @Test
    void aFlushNeverMovesTheLastAccessBack() {
        UUID id = UUID.randomUUID();
        tables.insertEntry(id, 0L, null, null, true);
        tables.transactions.write("touch", connection -> {
            try (var update = connection.createStatement()) {
                return update.executeUpdate("UPDATE hishel_entries SET last_access = 2000");
            }
        });
        clock.set(Instant.ofEpochMilli(1000));
        accesses.record(id);

        accesses.flush();

        assertThat(tables.number("SELECT last_access FROM hishel_entries")).isEqualTo(2000);
    }

    @Test
    void hitsThatCouldNotBeWrittenStayForTheNextFlushAndStillKeepTheirEntryAlive() {
        UUID id = UUID.randomUUID();
        clock.set(Instant.ofEpochMilli(4_500));
        accesses.record(id);
        tables.transactions.close();

        assertThatThrownBy(accesses::flush).isInstanceOf(StorageException.class).hasMessageContaining("closed");
        assertThat(accesses.alive(id, 4_000L, 1_000L, true, 5_000)).isTrue();
    }
}
