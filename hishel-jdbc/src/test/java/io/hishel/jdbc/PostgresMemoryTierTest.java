package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.PostgresServer;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.memory.MemoryTier;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StoredRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two instances sharing one PostgreSQL schema, each with its memory tier: what one writes stops
 * being served by the other's tier as soon as the notification arrives. The tiers' maximum age is
 * ten minutes here, so that only the notifications can explain what the tests see. The entries
 * looked at are stored by the instance that looks them up, which does not hear its own writes: its
 * tier keeps them from the first lookup.
 */
class PostgresMemoryTierTest {

    private static final Duration MAX_AGE = Duration.ofMinutes(10);
    /** Far below the maximum age: what the notifications must do better than. */
    private static final Duration HEARD_WITHIN = Duration.ofSeconds(5);

    private final PostgresDatabase database = new PostgresDatabase();
    private final List<JdbcStorage> storages = new ArrayList<>();
    private String schema;

    @BeforeAll
    static void requirePostgres() {
        PostgresServer.assumeReachable();
    }

    @AfterEach
    void close() {
        storages.forEach(JdbcStorage::close);
        database.close();
    }

    private JdbcStorage instance() {
        if (schema == null) {
            schema = database.newSchema();
        }
        JdbcStorage storage = JdbcStorage.builder(database.pool(schema, 4))
                .memoryTier(MemoryTier.builder().maxAge(MAX_AGE).build()).scheduleMaintenance(false).build();
        storages.add(storage);
        return storage;
    }

    private static Entry entry(String url) {
        return new Entry(UUID.randomUUID(), new CacheKey("GET " + url), new StoredRequest("GET", URI.create(url), ""),
                new Response(200, Headers.of("ETag", "\"1\"")), Instant.now(), Instant.now());
    }

    private static Entry put(JdbcStorage storage, Entry entry) {
        try (EntryWriter writer = storage.create(entry, EntryOptions.defaults().withTags(List.of(TierWrite.TAG)))) {
            writer.write(new byte[100]);
            writer.commit();
        }
        return entry;
    }

    private static List<UUID> idsUnder(JdbcStorage storage, CacheKey key) {
        return storage.entries(key).stream().map(Entry::id).toList();
    }

    /** Hides a row from every instance without telling any: an instance that still finds it found it in its tier. */
    private void assertServedFromTheTier(JdbcStorage storage, Entry entry) {
        database.execute("UPDATE " + schema + ".hishel_entries SET deleted_at = 1 WHERE id = '" + entry.id() + "'");
        try {
            assertThat(idsUnder(storage, entry.key())).contains(entry.id());
        } finally {
            database.execute("UPDATE " + schema + ".hishel_entries SET deleted_at = NULL WHERE id = '" + entry.id() + "'");
        }
    }

    @ParameterizedTest
    @EnumSource(TierWrite.class)
    void aRemovalByAnotherInstanceStopsBeingServedWellWithinTheMaximumAge(TierWrite write) {
        JdbcStorage here = instance();
        JdbcStorage there = instance();
        Entry entry = put(here, entry(TierWrite.URL));
        assertThat(idsUnder(here, entry.key())).containsExactly(entry.id());
        assertThat(here.openBody(entry.id())).isPresent();
        assertServedFromTheTier(here, entry);

        write.apply(there, entry);

        await().atMost(HEARD_WITHIN).untilAsserted(() -> {
            assertThat(here.entries(entry.key())).isEmpty();
            assertThat(here.openBody(entry.id())).isEmpty();
        });
    }

    @Test
    void aFresheningByAnotherInstanceIsServedWellWithinTheMaximumAge() {
        JdbcStorage here = instance();
        JdbcStorage there = instance();
        Entry entry = put(here, entry(TierWrite.URL));
        here.entries(entry.key());
        assertServedFromTheTier(here, entry);

        there.update(entry.freshened(entry.request(), new Response(200, Headers.of("ETag", "\"2\"")), Instant.now(),
                Instant.now()));

        await().atMost(HEARD_WITHIN).untilAsserted(() -> assertThat(here.entries(entry.key())).singleElement()
                .satisfies(found -> assertThat(found.response().headers().firstValue("ETag")).contains("\"2\"")));
    }

    @Test
    void anEntryAnotherInstanceStoresUnderALookedUpKeyIsServedWellWithinTheMaximumAge() {
        JdbcStorage here = instance();
        JdbcStorage there = instance();
        Entry first = put(here, entry(TierWrite.URL));
        here.entries(first.key());
        assertServedFromTheTier(here, first);

        Entry second = put(there, entry(TierWrite.URL));

        await().atMost(HEARD_WITHIN).untilAsserted(() -> assertThat(idsUnder(here, first.key()))
                .containsExactlyInAnyOrder(first.id(), second.id()));
    }

    /** Even a storage closed before its listening thread first ran: the connection the builder listened on. */
    @Test
    void aClosedStorageGivesItsListeningConnectionBackToThePool() {
        schema = database.newSchema();
        HikariDataSource pool = database.pool(schema, 2);
        for (int i = 0; i < 10; i++) {
            // Flyway takes both connections of the pool: a connection still held fails the build.
            JdbcStorage.builder(pool).memoryTier(MemoryTier.defaults()).scheduleMaintenance(false).build().close();
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
    }

    @Test
    void whileItsListeningConnectionIsLostTheTierIsNotUsedAndOnceItListensAgainItIs() {
        JdbcStorage here = instance();
        JdbcStorage there = instance();
        Entry entry = put(here, entry(TierWrite.URL));
        here.entries(entry.key());
        assertServedFromTheTier(here, entry);

        database.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN \""
                + TierNotifications.channelOf(schema) + "\"'");
        database.execute("UPDATE " + schema + ".hishel_entries SET deleted_at = 1 WHERE id = '" + entry.id() + "'");

        await().atMost(HEARD_WITHIN).untilAsserted(() -> assertThat(here.entries(entry.key())).isEmpty());
        await().atMost(HEARD_WITHIN).until(here::hearsOtherInstances);
        Entry later = put(here, entry("https://example.com/tiered/later"));
        here.entries(later.key());
        assertServedFromTheTier(here, later);
    }
}
