package io.hishel.jdbc;

import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryCodec;
import io.hishel.storage.EntrySummary;
import io.hishel.storage.StorageStatistics;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The operator's view of the storage: how much is visible, and the visible entries a page at a
 * time, newest first. Both write the hits recorded so far first, so that an entry kept alive by
 * one counts, with its TTL moved on; then the database decides expiry ({@link Sql#VISIBLE}).
 * Thread-safe: each call reads on a connection of its own.
 */
final class Listing {

    static final int MAX_PAGE = 1000;

    private final Clock clock;
    private final Transactions transactions;
    private final AccessRecorder accesses;
    private final CorruptEntries corrupt;

    /**
     * @param corrupt where an entry whose stored data cannot be read is reported; it is left out
     */
    Listing(Clock clock, Transactions transactions, AccessRecorder accesses, CorruptEntries corrupt) {
        this.clock = clock;
        this.transactions = transactions;
        this.accesses = accesses;
        this.corrupt = corrupt;
    }

    StorageStatistics statistics() {
        accesses.flush();
        long now = clock.millis();
        return transactions.read("count entries", connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.STATISTICS)) {
                select.setLong(1, now);
                try (ResultSet result = select.executeQuery()) {
                    result.next();
                    return new StorageStatistics(result.getLong(1), result.getLong(2));
                }
            }
        });
    }

    /** As {@link io.hishel.storage.Storage#list} describes it. */
    List<EntrySummary> page(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, but was " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", but was " + limit);
        }
        accesses.flush();
        long now = clock.millis();
        Dialect dialect = transactions.dialect();
        Map<UUID, Set<String>> tags = new HashMap<>();
        List<ListedRow> rows = transactions.read("list entries from " + offset, connection -> {
            List<ListedRow> page = new ArrayList<>(Math.min(limit, 64));
            try (PreparedStatement select = connection.prepareStatement(Sql.LIST_PAGE)) {
                select.setLong(1, now);
                select.setInt(2, limit);
                select.setInt(3, offset);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        page.add(new ListedRow(dialect.readId(result, 1), result.getString(2), result.getString(3),
                                result.getBytes(4), result.getLong(5), result.getLong(6), Sql.nullableLong(result, 7)));
                    }
                }
            }
            if (page.isEmpty()) {
                return page;
            }
            // Tags never change after create, so a second statement for the page's ids reads the same ones.
            try (PreparedStatement select = connection.prepareStatement(Sql.selectTagsOf(page.size()))) {
                for (int i = 0; i < page.size(); i++) {
                    dialect.bindId(select, i + 1, page.get(i).id());
                }
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        tags.computeIfAbsent(dialect.readId(result, 1), id -> new HashSet<>()).add(result.getString(2));
                    }
                }
            }
            return page;
        });
        List<EntrySummary> summaries = new ArrayList<>(rows.size());
        for (ListedRow row : rows) {
            Entry entry;
            try {
                entry = EntryCodec.decode(row.id(), new CacheKey(row.key()), row.data());
            } catch (EntryCodec.CorruptEntryException e) {
                corrupt.report(row.id(), e);
                continue;
            }
            summaries.add(new EntrySummary(row.id(), entry.request().method(), row.url(), entry.response().status(),
                    row.size(), Instant.ofEpochMilli(row.responseTime()),
                    row.expiresAt() == null ? null : Instant.ofEpochMilli(row.expiresAt()),
                    tags.getOrDefault(row.id(), Set.of())));
        }
        return summaries;
    }

    /** A row of a listed page, before its data is decoded. */
    private record ListedRow(UUID id, String key, String url, byte[] data, long size, long responseTime,
                             Long expiresAt) {
    }
}
