package io.hishel.jdbc;

import static io.hishel.jdbc.Sql.nullableLong;
import static io.hishel.jdbc.Sql.setNullableLong;

import com.zaxxer.hikari.HikariDataSource;
import io.hishel.storage.CacheKey;
import io.hishel.storage.ChunkingWriter;
import io.hishel.storage.CleanupResult;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryCodec;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntrySummary;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StorageStatistics;
import io.hishel.storage.StoredBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage in a relational database: SQLite (one file, the embedded default) or PostgreSQL (one
 * cache shared by many application instances).
 *
 * <p>Entries live in {@code hishel_entries}, the chunks of their bodies in {@code hishel_streams}
 * (chunk {@code -1} is the end marker), their tags in {@code hishel_tags}. An entry row is written
 * first, then its chunks, each in a short transaction of its own, then — in one transaction — the
 * end marker, the tags and its completion time: only then is it visible. A process that dies in
 * between leaves an incomplete entry that no query returns and that clean-up deletes after
 * {@link StorageOptions#incompleteGrace()}. Nothing holds a whole body in memory: a writer holds
 * one chunk, a reader fetches one chunk at a time.
 *
 * <p>The schema is created and upgraded by Flyway, from {@code db/hishel/migration/sqlite} or
 * {@code .../postgresql}, with its own history table {@code hishel_schema_history}; hishel never
 * touches other tables. On SQLite every write is serialised inside the storage, so
 * {@code SQLITE_BUSY} never reaches a caller; on PostgreSQL any number of instances may share the
 * tables.
 *
 * <p>Hits ({@link #recordAccess}) are recorded in memory and written in batches every second, so
 * the hit path does not write; a lookup takes them into account, so a refreshed entry never looks
 * expired. Clean-up runs on a daemon thread every {@link StorageOptions#cleanupInterval()}.
 * Thread-safe.
 */
public final class JdbcStorage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStorage.class);
    private static final Duration ACCESS_FLUSH_INTERVAL = Duration.ofSeconds(1);
    private static final int MAX_REPORTED_CORRUPT = 10_000;
    private static final int MAX_PAGE = 1000;

    private final HikariDataSource ownedPool;
    private final Dialect dialect;
    private final StorageOptions options;
    private final Clock clock;
    private final String description;
    private final Transactions transactions;
    private final Map<UUID, Long> pendingAccess = new ConcurrentHashMap<>();
    private final Set<UUID> reportedCorrupt = ConcurrentHashMap.newKeySet();
    private final Set<Writer> openWriters = ConcurrentHashMap.newKeySet();
    private final AtomicLong approximateBytes = new AtomicLong();
    private final AtomicLong approximateEntries = new AtomicLong();
    private final ScheduledExecutorService scheduler;

    private JdbcStorage(Builder builder, DataSource dataSource, HikariDataSource ownedPool, SqlitePool sqlite) {
        this.ownedPool = ownedPool;
        this.options = builder.options;
        this.clock = options.clock();
        try (Connection connection = dataSource.getConnection()) {
            this.dialect = Dialect.of(connection);
        } catch (SQLException e) {
            closePool();
            throw new StorageException("hishel-jdbc cannot connect to " + describe(builder, null) + ": "
                    + e.getMessage(), e);
        }
        this.description = describe(builder, dialect);
        this.transactions = new Transactions(dataSource, dialect, builder.connectionTimeout.toMillis(), description,
                sqlite);
        if (builder.migrate) {
            try {
                Migration.run(dataSource, transactions);
            } catch (StorageException e) {
                closePool();
                throw e;
            }
        }
        refreshApproximateSize();
        if (builder.scheduled) {
            this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "hishel-jdbc-maintenance");
                thread.setDaemon(true);
                return thread;
            });
            long cleanupMillis = options.cleanupInterval().toMillis();
            scheduler.scheduleWithFixedDelay(() -> quietly("clean up", this::cleanUp), cleanupMillis, cleanupMillis,
                    TimeUnit.MILLISECONDS);
            long flushMillis = ACCESS_FLUSH_INTERVAL.toMillis();
            scheduler.scheduleWithFixedDelay(() -> quietly("record hits", this::flushAccesses), flushMillis,
                    flushMillis, TimeUnit.MILLISECONDS);
        } else {
            this.scheduler = null;
        }
    }

    /**
     * A storage in a SQLite file. The parent folders are created; a file or folder that cannot be
     * written is reported when {@link Builder#build()} runs, naming the path.
     *
     * @param file the database file, for example {@link #defaultSqlitePath()}
     * @return a builder
     */
    public static Builder sqlite(Path file) {
        return new Builder(null, Objects.requireNonNull(file, "file").toAbsolutePath().normalize());
    }

    /**
     * A storage in the database of a {@link DataSource} — PostgreSQL, usually, to share one cache
     * between application instances, or SQLite. The storage does not close a DataSource it was
     * given.
     *
     * @param dataSource the database
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /**
     * Where the SQLite cache lives unless told otherwise, as in hishel: {@code .cache/hishel/
     * hishel_cache.db} under the working directory.
     *
     * @return the relative path
     */
    public static Path defaultSqlitePath() {
        return Path.of(".cache", "hishel", "hishel_cache.db");
    }

    @Override
    public List<Entry> entries(CacheKey key) {
        long now = clock.millis();
        List<Row> rows = read("look up " + key, connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_ENTRIES)) {
                select.setString(1, key.value());
                try (ResultSet result = select.executeQuery()) {
                    List<Row> found = new ArrayList<>(2);
                    while (result.next()) {
                        found.add(new Row(dialect.readId(result, 1), result.getBytes(2), nullableLong(result, 3),
                                nullableLong(result, 4), result.getInt(5) != 0));
                    }
                    return found;
                }
            }
        });
        List<Entry> entries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (!row.alive(now, pendingAccess.get(row.id))) {
                continue;
            }
            try {
                entries.add(EntryCodec.decode(row.id, key, row.data));
            } catch (EntryCodec.CorruptEntryException e) {
                reportCorrupt(row.id, e);
            }
        }
        return entries;
    }

    @Override
    public EntryWriter create(Entry entry, EntryOptions entryOptions) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(entryOptions, "entryOptions");
        transactions.checkOpen();
        long now = clock.millis();
        byte[] data = EntryCodec.encode(entry);
        Duration ttl = entryOptions.ttl().orElse(options.defaultTtl().orElse(null));
        boolean refresh = entryOptions.refreshTtlOnAccess().orElse(options.refreshTtlOnAccess());
        write("create entry " + entry.id(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement(Sql.INSERT_ENTRY)) {
                dialect.bindId(insert, 1, entry.id());
                insert.setString(2, entry.key().value());
                insert.setString(3, CacheKey.normalizeUrl(entry.request().url()));
                insert.setBytes(4, data);
                insert.setLong(5, now);
                insert.setLong(6, now);
                setNullableLong(insert, 7, ttl == null ? null : saturatedMillis(ttl));
                insert.setInt(8, refresh ? 1 : 0);
                insert.setLong(9, entry.responseTime().toEpochMilli());
                insert.executeUpdate();
            }
            // Tags go in with the row, so that a purge by tag also reaches an entry still being written.
            if (!entryOptions.tags().isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement(Sql.INSERT_TAG)) {
                    for (String tag : entryOptions.tags()) {
                        dialect.bindId(insert, 1, entry.id());
                        insert.setString(2, tag);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            return null;
        });
        Writer writer = new Writer(entry.id(), ttl);
        openWriters.add(writer);
        return writer;
    }

    @Override
    public Optional<StoredBody> openBody(UUID id) {
        long now = clock.millis();
        Optional<Long> size = read("open the body of " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_BODY_SIZE)) {
                dialect.bindId(select, 1, id);
                try (ResultSet result = select.executeQuery()) {
                    if (!result.next()) {
                        return Optional.empty();
                    }
                    Row row = new Row(id, null, nullableLong(result, 2), nullableLong(result, 3), result.getInt(4) != 0);
                    return row.alive(now, pendingAccess.get(id)) ? Optional.of(result.getLong(1)) : Optional.empty();
                }
            }
        });
        return size.map(bytes -> new StoredBody(bytes, new ChunkStream(id, bytes)));
    }

    @Override
    public void recordAccess(UUID id) {
        pendingAccess.put(id, clock.millis());
    }

    @Override
    public boolean update(Entry entry) {
        byte[] data = EntryCodec.encode(entry);
        return write("update entry " + entry.id(), connection -> {
            try (PreparedStatement update = connection.prepareStatement(Sql.UPDATE_METADATA)) {
                update.setBytes(1, data);
                update.setLong(2, entry.responseTime().toEpochMilli());
                dialect.bindId(update, 3, entry.id());
                return update.executeUpdate() > 0;
            }
        }) && isAlive(entry.id());
    }

    @Override
    public boolean remove(UUID id) {
        if (!isAlive(id)) {
            return false;
        }
        long now = clock.millis();
        return write("remove entry " + id, connection -> {
            try (PreparedStatement update = connection.prepareStatement(Sql.REMOVE_ENTRY)) {
                update.setLong(1, now);
                dialect.bindId(update, 2, id);
                return update.executeUpdate() > 0;
            }
        });
    }

    @Override
    public long invalidate(URI url) {
        String normalized = CacheKey.normalizeUrl(url);
        return softDelete("invalidate " + normalized, Sql.INVALIDATE_URL, normalized);
    }

    @Override
    public long purgeByPrefix(String urlPrefix) {
        Objects.requireNonNull(urlPrefix, "urlPrefix");
        String like = urlPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return softDelete("purge " + urlPrefix + "*", Sql.PURGE_PREFIX, like, urlPrefix.length(), urlPrefix);
    }

    @Override
    public long purgeByTag(String tag) {
        return softDelete("purge tag " + tag, Sql.PURGE_TAG, tag);
    }

    @Override
    public long purgeAll() {
        return softDelete("purge everything", Sql.PURGE_ALL);
    }

    @Override
    public StorageStatistics statistics() {
        flushAccesses();
        long now = clock.millis();
        return read("count entries", connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.STATISTICS)) {
                select.setLong(1, now);
                try (ResultSet result = select.executeQuery()) {
                    result.next();
                    return new StorageStatistics(result.getLong(1), result.getLong(2));
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The same query on SQLite and PostgreSQL walks the index {@code hishel_entries_newest}
     * from its newest end and stops after {@code offset + limit} rows, so a page costs no sort;
     * a far offset still steps over the rows before it. Hits not yet written are written first,
     * so that an entry kept alive by one is listed, with its TTL moved on. Only the page's
     * metadata is decoded, for the method and the status; {@code storedAt} is kept to the
     * millisecond.
     */
    @Override
    public List<EntrySummary> list(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, but was " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", but was " + limit);
        }
        flushAccesses();
        long now = clock.millis();
        Map<UUID, Set<String>> tags = new HashMap<>();
        List<ListedRow> rows = read("list entries from " + offset, connection -> {
            List<ListedRow> page = new ArrayList<>(Math.min(limit, 64));
            try (PreparedStatement select = connection.prepareStatement(Sql.LIST_PAGE)) {
                select.setLong(1, now);
                select.setInt(2, limit);
                select.setInt(3, offset);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        page.add(new ListedRow(dialect.readId(result, 1), result.getString(2), result.getString(3),
                                result.getBytes(4), result.getLong(5), result.getLong(6), nullableLong(result, 7)));
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
                reportCorrupt(row.id(), e);
                continue;
            }
            summaries.add(new EntrySummary(row.id(), entry.request().method(), row.url(), entry.response().status(),
                    row.size(), Instant.ofEpochMilli(row.responseTime()),
                    row.expiresAt() == null ? null : Instant.ofEpochMilli(row.expiresAt()),
                    tags.getOrDefault(row.id(), Set.of())));
        }
        return summaries;
    }

    @Override
    public CleanupResult cleanUp() {
        flushAccesses();
        long now = clock.millis();
        int batch = options.cleanupBatchSize();
        long expired = deleteBatch("delete expired entries", Sql.DELETE_EXPIRED, now, batch);
        long removed = deleteBatch("delete removed entries", Sql.DELETE_REMOVED,
                now - options.deletedRetention().toMillis(), batch);
        long incomplete = deleteBatch("delete incomplete entries", Sql.DELETE_INCOMPLETE,
                now - options.incompleteGrace().toMillis(), batch);
        long orphaned = write("delete orphaned chunks", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(Sql.DELETE_ORPHANED_CHUNKS)) {
                delete.setInt(1, batch);
                return (long) delete.executeUpdate();
            }
        });
        long evicted = evict();
        CleanupResult result = new CleanupResult(expired, removed, incomplete, orphaned, evicted);
        if (result.total() > 0) {
            LOG.debug("{}: clean-up deleted {}", description, result);
        }
        return result;
    }

    /**
     * Deletes, least recently used first, until the entries' bytes and count are within bounds.
     * Removed entries go before live ones; one call deletes at most a clean-up batch.
     */
    private long evict() {
        // Hits not yet written would otherwise make the most used entries look least recently used.
        flushAccesses();
        refreshApproximateSize();
        long maxEntries = options.maxEntries() > 0 ? options.maxEntries() : Long.MAX_VALUE;
        if (approximateBytes.get() <= options.maxBytes() && approximateEntries.get() <= maxEntries) {
            return 0;
        }
        long bytesOver = approximateBytes.get() - options.maxBytes();
        long entriesOver = approximateEntries.get() - maxEntries;
        int batch = options.cleanupBatchSize();
        return write("evict entries", connection -> {
            List<UUID> victims = new ArrayList<>();
            long bytes = 0;
            try (PreparedStatement select = connection.prepareStatement(Sql.EVICTION_CANDIDATES)) {
                select.setInt(1, batch);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next() && (bytes < bytesOver || victims.size() < entriesOver)) {
                        victims.add(dialect.readId(result, 1));
                        bytes += result.getLong(2);
                    }
                }
            }
            deleteIds(connection, victims);
            approximateBytes.addAndGet(-bytes);
            approximateEntries.addAndGet(-victims.size());
            return (long) victims.size();
        });
    }

    @Override
    public void close() {
        if (transactions.isClosed()) {
            return;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        for (Writer writer : List.copyOf(openWriters)) {
            quietly("abort an open writer", writer::abort);
        }
        quietly("record hits", this::flushAccesses);
        transactions.close();
        closePool();
    }

    /** What this storage stores in, for messages: the SQLite file, or the PostgreSQL URL. */
    @Override
    public String toString() {
        return description;
    }

    // Internals.

    private boolean isAlive(UUID id) {
        long now = clock.millis();
        return read("find entry " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_LIFETIME)) {
                dialect.bindId(select, 1, id);
                try (ResultSet result = select.executeQuery()) {
                    return result.next() && new Row(id, null, nullableLong(result, 1), nullableLong(result, 2),
                            result.getInt(3) != 0).alive(now, pendingAccess.get(id));
                }
            }
        });
    }

    /** Marks the entries matching a condition removed, and returns how many of them were visible. */
    private long softDelete(String operation, SoftDelete statements, Object... parameters) {
        long now = clock.millis();
        return write(operation, connection -> statements.run(connection, now, parameters));
    }

    private long deleteBatch(String operation, String sql, long threshold, int batch) {
        return write(operation, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setLong(1, threshold);
                delete.setInt(2, batch);
                return (long) delete.executeUpdate();
            }
        });
    }

    private void deleteIds(Connection connection, List<UUID> ids) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(Sql.DELETE_ENTRY)) {
            for (UUID id : ids) {
                dialect.bindId(delete, 1, id);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    /** Writes the hits recorded since the last flush: last access for eviction, and refreshed TTLs. */
    void flushAccesses() {
        if (pendingAccess.isEmpty()) {
            return;
        }
        Map<UUID, Long> batch = new HashMap<>();
        for (UUID id : List.copyOf(pendingAccess.keySet())) {
            Long at = pendingAccess.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            write("record hits", connection -> {
                try (PreparedStatement update = connection.prepareStatement(Sql.RECORD_HIT)) {
                    for (Map.Entry<UUID, Long> access : batch.entrySet()) {
                        update.setLong(1, access.getValue());
                        update.setLong(2, access.getValue());
                        dialect.bindId(update, 3, access.getKey());
                        update.setLong(4, access.getValue());
                        update.addBatch();
                    }
                    update.executeBatch();
                }
                return null;
            });
        } catch (StorageException e) {
            // Keep them for the next flush rather than let an entry expire that was in use.
            batch.forEach((id, at) -> pendingAccess.merge(id, at, Math::max));
            throw e;
        }
    }

    private void refreshApproximateSize() {
        read("measure the storage", connection -> {
            try (Statement select = connection.createStatement();
                 ResultSet result = select.executeQuery(Sql.MEASURE)) {
                result.next();
                approximateEntries.set(result.getLong(1));
                approximateBytes.set(result.getLong(2));
            }
            return null;
        });
    }

    private void reportCorrupt(UUID id, EntryCodec.CorruptEntryException e) {
        if (reportedCorrupt.size() < MAX_REPORTED_CORRUPT && reportedCorrupt.add(id)) {
            LOG.warn("{}: skipping an entry whose stored data cannot be read; it is removed. {}", description,
                    e.getMessage());
            quietly("remove a corrupt entry", () -> remove(id));
        }
    }

    private <T> T read(String operation, Transactions.SqlWork<T> work) {
        return transactions.read(operation, work);
    }

    private <T> T write(String operation, Transactions.SqlWork<T> work) {
        return transactions.write(operation, work);
    }

    private void quietly(String operation, Runnable action) {
        transactions.quietly(operation, action);
    }

    private void closePool() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private static String describe(Builder builder, Dialect dialect) {
        if (builder.sqliteFile != null) {
            return "hishel SQLite storage " + builder.sqliteFile;
        }
        return "hishel " + (dialect == Dialect.POSTGRESQL ? "PostgreSQL" : dialect == Dialect.SQLITE ? "SQLite" : "JDBC")
                + " storage";
    }

    private static long saturatedMillis(Duration duration) {
        try {
            return duration.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    /** A looked-up row, before its data is decoded. */
    private record Row(UUID id, byte[] data, Long expiresAt, Long ttlMillis, boolean refresh) {
        /** Not expired — counting a hit not yet written that restarts the TTL. */
        boolean alive(long now, Long pendingAccess) {
            if (expiresAt == null || expiresAt > now) {
                return true;
            }
            return pendingAccess != null && refresh && ttlMillis != null && pendingAccess + ttlMillis > now;
        }
    }

    /** A row of a listed page, before its data is decoded. */
    private record ListedRow(UUID id, String key, String url, byte[] data, long size, long responseTime,
                             Long expiresAt) {
    }

    /** Writes chunks as they fill, each in a transaction of its own; commit makes the entry visible. */
    private final class Writer extends ChunkingWriter {
        private final UUID id;
        private final Duration ttl;

        Writer(UUID id, Duration ttl) {
            super(options.chunkSize());
            this.id = id;
            this.ttl = ttl;
        }

        @Override
        protected void writeChunk(int number, byte[] chunk) {
            JdbcStorage.this.write("write chunk " + number + " of entry " + id, connection -> {
                insertChunk(connection, number, chunk);
                return null;
            });
        }

        @Override
        protected void commitEntry(int number, byte[] last, long size) {
            if (size > options.maxBytes()) {
                throw new StorageException(description + ": an entry of " + size
                        + " bytes does not fit in a storage of " + options.maxBytes() + " bytes");
            }
            long now = clock.millis();
            // The last chunk, the end marker and the completion share one transaction: for most bodies, the only one.
            JdbcStorage.this.write("commit entry " + id, connection -> {
                if (last.length > 0) {
                    insertChunk(connection, number, last);
                }
                insertChunk(connection, Sql.END_MARKER, new byte[0]);
                try (PreparedStatement update = connection.prepareStatement(Sql.COMPLETE_ENTRY)) {
                    update.setLong(1, now);
                    update.setLong(2, now);
                    update.setLong(3, size);
                    setNullableLong(update, 4, ttl == null ? null : now + saturatedMillis(ttl));
                    dialect.bindId(update, 5, id);
                    if (update.executeUpdate() != 1) {
                        throw new SQLException("the entry row is gone (deleted by clean-up or purge while written)");
                    }
                }
                return null;
            });
            openWriters.remove(this);
            approximateBytes.addAndGet(size);
            approximateEntries.incrementAndGet();
            long maxEntries = options.maxEntries() > 0 ? options.maxEntries() : Long.MAX_VALUE;
            if (approximateBytes.get() > options.maxBytes() || approximateEntries.get() > maxEntries) {
                quietly("evict entries", () -> evict());
            }
        }

        @Override
        protected void abortEntry() {
            openWriters.remove(this);
            quietly("abort entry " + id, () -> JdbcStorage.this.write("abort entry " + id, connection -> {
                deleteIds(connection, List.of(id));
                return null;
            }));
        }

        private void insertChunk(Connection connection, int number, byte[] chunk) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement(Sql.INSERT_CHUNK)) {
                dialect.bindId(insert, 1, id);
                insert.setInt(2, Sql.BODY);
                insert.setInt(3, number);
                insert.setBytes(4, chunk);
                insert.executeUpdate();
            }
        }
    }

    /** Fetches one chunk at a time, each with a short query of its own. */
    private final class ChunkStream extends InputStream {
        private final UUID id;
        private final long size;
        private byte[] chunk = new byte[0];
        private int position;
        private int nextChunk;
        private long delivered;

        ChunkStream(UUID id, long size) {
            this.id = id;
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, target.length);
            if (length == 0) {
                return 0;
            }
            if (position == chunk.length) {
                if (delivered >= size) {
                    return -1;
                }
                chunk = fetch(nextChunk++);
                position = 0;
            }
            int n = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, target, offset, n);
            position += n;
            delivered += n;
            return n;
        }

        private byte[] fetch(int number) throws IOException {
            try {
                byte[] bytes = JdbcStorage.this.read("read chunk " + number + " of entry " + id, connection -> {
                    try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_CHUNK)) {
                        dialect.bindId(select, 1, id);
                        select.setInt(2, Sql.BODY);
                        select.setInt(3, number);
                        try (ResultSet result = select.executeQuery()) {
                            return result.next() ? result.getBytes(1) : null;
                        }
                    }
                });
                if (bytes == null || bytes.length == 0) {
                    throw new IOException(description + ": chunk " + number + " of entry " + id
                            + " is missing; the entry was deleted while it was read");
                }
                return bytes;
            } catch (StorageException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /**
     * Builds a {@link JdbcStorage}. Not thread-safe.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private final Path sqliteFile;
        private StorageOptions options = StorageOptions.defaults();
        private boolean migrate = true;
        private boolean scheduled = true;
        private boolean closeDataSource;
        private int poolSize = 4;
        private Duration connectionTimeout = Duration.ofSeconds(5);

        private Builder(DataSource dataSource, Path sqliteFile) {
            this.dataSource = dataSource;
            this.sqliteFile = sqliteFile;
        }

        /**
         * Sets the storage options (default {@link StorageOptions#defaults()}).
         *
         * @param options TTL defaults, bounds, chunk size, clean-up schedule and clock
         * @return this builder
         */
        public Builder options(StorageOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Sets whether {@link #build()} creates or upgrades hishel's tables with Flyway (default
         * true). Turn it off where the schema is managed elsewhere.
         *
         * @param migrate whether to migrate
         * @return this builder
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Sets whether clean-up and the writing of hits run on their own daemon thread (default
         * true). Without it, call {@link Storage#cleanUp()} yourself.
         *
         * @param scheduled whether to schedule maintenance
         * @return this builder
         */
        public Builder scheduleMaintenance(boolean scheduled) {
            this.scheduled = scheduled;
            return this;
        }

        /**
         * Sets whether the storage closes the HikariCP pool it was given when it closes (default
         * false: a DataSource that was given stays open). For a caller that opened a pool for the
         * storage alone and hands it over.
         *
         * @param close whether to close the pool with the storage
         * @return this builder
         * @throws IllegalStateException if the storage was not given a {@code HikariDataSource}
         */
        public Builder closeDataSource(boolean close) {
            if (close && !(dataSource instanceof HikariDataSource)) {
                throw new IllegalStateException("closeDataSource needs a HikariDataSource, but the storage was given "
                        + (dataSource == null ? "a SQLite file, whose pool it closes anyway" : dataSource.getClass().getName()));
            }
            this.closeDataSource = close;
            return this;
        }

        /**
         * Sets the number of connections of the SQLite pool (default 4): readers share them,
         * writers take turns.
         *
         * @param size 1 to 64
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         * @throws IllegalStateException    for a storage built on a given DataSource
         */
        public Builder poolSize(int size) {
            if (size < 1 || size > 64) {
                throw new IllegalArgumentException("poolSize must be between 1 and 64, but was " + size);
            }
            requireSqlite("poolSize");
            this.poolSize = size;
            return this;
        }

        /**
         * Sets how long an operation waits for a SQLite connection, or for its turn to write,
         * before it fails (default 5 s).
         *
         * @param timeout at least 250 ms
         * @return this builder
         * @throws IllegalArgumentException if shorter
         * @throws IllegalStateException    for a storage built on a given DataSource
         */
        public Builder connectionTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectionTimeout");
            if (timeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, but was " + timeout);
            }
            requireSqlite("connectionTimeout");
            this.connectionTimeout = timeout;
            return this;
        }

        /**
         * Builds the storage: opens the pool (SQLite), checks the database, and migrates.
         *
         * @return the storage
         * @throws StorageException if the database cannot be reached, created or migrated; the
         *                          message names the file or the database
         */
        public JdbcStorage build() {
            if (dataSource != null) {
                return new JdbcStorage(this, dataSource, closeDataSource ? (HikariDataSource) dataSource : null, null);
            }
            SqlitePool pool = SqlitePool.open(sqliteFile, poolSize, connectionTimeout);
            return new JdbcStorage(this, pool.connections(), pool.connections(), pool);
        }

        private void requireSqlite(String setting) {
            if (sqliteFile == null) {
                throw new IllegalStateException(setting + " configures the SQLite pool; a given DataSource is"
                        + " configured where it is created");
            }
        }
    }
}
