package io.hishel.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hishel.memory.MemoryTier;
import io.hishel.memory.tier.Change;
import io.hishel.memory.tier.Tier;
import io.hishel.policy.Require;
import io.hishel.storage.CacheKey;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Storage in a relational database: SQLite (one file, the embedded default) or PostgreSQL (one
 * cache shared by many application instances).
 *
 * <p>Entries live in {@code hishel_entries}, the chunks of their bodies in {@code hishel_streams},
 * their tags in {@code hishel_tags}. An entry row is written first, with its tags, then its chunks,
 * each in a short transaction of its own, then — in one transaction — the last chunk and its
 * completion time: only then is it visible. A process that dies in between leaves an incomplete
 * entry that no query returns and that clean-up deletes after
 * {@link StorageOptions#incompleteGrace()}. No row marks the end of a body: a reader fetches chunk
 * after chunk until the entry's size is reached. Nothing holds a whole body in memory: a writer
 * holds one chunk, a reader fetches one chunk at a time.
 *
 * <p>The schema is created and upgraded by Flyway, from {@code db/hishel/migration/sqlite} or
 * {@code .../postgresql}, with its own history table {@code hishel_schema_history}; hishel never
 * touches other tables. On SQLite every write is serialised inside the storage, so
 * {@code SQLITE_BUSY} never reaches a caller; on PostgreSQL any number of instances may share the
 * tables.
 *
 * <p>A memory tier ({@link MemoryTier}, on by default) keeps what lookups found lately and the
 * bodies of small entries, so that a hit on a hot entry does not go to the database; every write
 * of the storage has it forget what the write changed as soon as it commits, and on PostgreSQL the
 * tiers of the other instances hear of it through {@code LISTEN/NOTIFY}. A hit the tier cannot
 * answer is one statement on one borrowed connection when its body is one chunk of at most 64 KiB:
 * the look-up reads the body's size, checksum and first chunk with the entry, and opening the body
 * right after on the same thread uses them; each further chunk costs one statement more.
 *
 * <p>Hits ({@link #recordAccess}) are recorded in memory and written in batches every second, so
 * the hit path does not write; a lookup takes them into account, so a refreshed entry never looks
 * expired. Clean-up runs on a daemon thread every {@link StorageOptions#cleanupInterval()}.
 * Thread-safe.
 */
public final class JdbcStorage implements Storage {

    private final StorageOptions options;
    private final Clock clock;
    private final String description;
    private final Transactions transactions;
    /** The same, held to a longer deadline, for the work no request waits for. */
    private final Transactions maintenanceTransactions;
    private final AccessRecorder accesses;
    private final Cleanup cleanup;
    private final Lookup lookup;
    private final ReadAhead readAhead;
    private final CorruptEntries corrupt;
    private final Listing listing;
    private final Set<ChunkWriter> openWriters = ConcurrentHashMap.newKeySet();
    private final long clockToleranceMillis;
    private final MemoryTier memoryTier;
    private final Tier<Lookup.Found> tier;
    /** On PostgreSQL with the memory tier: how the other instances' tiers hear of this one's writes. */
    private final TierNotifications notifications;
    private final Maintenance maintenance;

    /**
     * @param connections a database whose schema is ready
     */
    private JdbcStorage(Builder builder, Connections connections, Dialect dialect, String description) {
        this.options = builder.options;
        this.clock = options.clock();
        this.description = description;
        this.clockToleranceMillis = builder.clockTolerance != null ? builder.clockTolerance.toMillis()
                : dialect == Dialect.POSTGRESQL ? Builder.DEFAULT_POSTGRESQL_CLOCK_TOLERANCE.toMillis() : 0;
        this.transactions = new Transactions(connections, dialect, builder.timeout, description);
        this.maintenanceTransactions = transactions.forMaintenance();
        this.accesses = new AccessRecorder(clock, maintenanceTransactions);
        this.memoryTier = builder.memoryTier;
        this.tier = Tier.of(memoryTier, clock, accesses::alive);
        this.cleanup = new Cleanup(options, maintenanceTransactions, accesses, tier);
        if (connections instanceof SqliteFile file) {
            // The new file is empty: nothing read from the old one may be served.
            file.whenReplaced(() -> tier.forget(Change.everything()));
        }
        this.corrupt = new CorruptEntries(description, transactions, this::remove);
        this.lookup = new Lookup(clock, transactions, accesses, corrupt);
        this.readAhead = new ReadAhead(accesses, builder.timeout);
        this.listing = new Listing(clock, maintenanceTransactions, accesses, corrupt);
        try {
            cleanup.measure();
            // Last but the schedule: a storage that fails to build must not leave a listening thread behind.
            this.notifications = tier.enabled() && dialect == Dialect.POSTGRESQL
                    && connections instanceof Connections.Given given
                    ? TierNotifications.start(given.dataSource(), maintenanceTransactions, tier) : null;
        } catch (RuntimeException e) {
            // The storage never comes to be: its deadline sweeper must not outlive it.
            transactions.close();
            throw e;
        }
        this.maintenance = builder.scheduled
                ? Maintenance.start(options.cleanupInterval(), cleanup, accesses, maintenanceTransactions) : null;
    }

    /**
     * A storage in a SQLite file. The parent folders are created; a file or folder that cannot be
     * written is reported when {@link Builder#build()} runs, naming the path.
     *
     * <p>The file is hishel's: one that is corrupt when the storage is built, or that a statement
     * finds corrupt later, is moved aside as {@code <name>.corrupt-<UTC time>} with its {@code -wal}
     * and {@code -shm}, and a new file takes its place; one that is deleted or replaced while the
     * storage is open is opened again at the path, or created. Either way the schema is migrated
     * again and the cache goes on, empty, with one warning that names the paths.
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
     * given, and never moves, deletes or re-creates its database: when the database fails, the
     * storage's operations fail.
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
        Optional<List<Entry>> held = tier.entries(key, clock.millis());
        if (held.isPresent()) {
            return held.get();
        }
        long stamp = tier.stamp();
        Lookup.Answer answer = lookup.found(key);
        tier.keep(key, answer.found(), stamp);
        readAhead.keep(answer, stamp);
        return answer.entries();
    }

    @Override
    public EntryWriter create(Entry entry, EntryOptions entryOptions) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(entryOptions, "entryOptions");
        transactions.checkOpen();
        return ChunkWriter.start(entry, entryOptions, options, clockToleranceMillis, transactions, cleanup, tier,
                openWriters);
    }

    @Override
    public Optional<StoredBody> openBody(UUID id) {
        long now = clock.millis();
        Optional<Lookup.Body> readAhead = this.readAhead.take(id, tier.stamp(), now);
        Optional<byte[]> held = tier.body(id, now);
        if (held.isPresent()) {
            return Optional.of(stored(held.get()));
        }
        return (readAhead.isPresent() ? readAhead : lookup.body(id)).map(body -> {
            if (!tier.keepsBodyOf(body.size())) {
                return new StoredBody(body.size(), reader(id, body));
            }
            Optional<byte[]> kept = tier.bodyOfAlive(id);
            if (kept.isPresent()) {
                return stored(kept.get());
            }
            byte[] bytes;
            try (ChunkReader reader = reader(id, body)) {
                bytes = reader.readAllBytes();
            } catch (IOException e) {
                // Read again, lazily, the reader fails the way a reader of this body always does.
                return new StoredBody(body.size(), reader(id, body));
            }
            tier.keepBody(id, body.key(), bytes);
            return stored(bytes);
        });
    }

    @Override
    public void recordAccess(UUID id) {
        accesses.record(id);
    }

    @Override
    public boolean update(Entry entry) {
        byte[] data = EntryCodec.encode(entry);
        Change change = Change.of(entry.key());
        try {
            return transactions.write("update entry " + entry.id(), connection -> {
                try (PreparedStatement update = connection.prepareStatement(Sql.UPDATE_METADATA)) {
                    update.setBytes(1, data);
                    update.setLong(2, entry.responseTime().toEpochMilli());
                    transactions.dialect().bindId(update, 3, entry.id());
                    return update.executeUpdate() > 0;
                }
            }) && lookup.isAlive(entry.id());
        } finally {
            tier.changed(change);
        }
    }

    @Override
    public boolean remove(UUID id) {
        Optional<CacheKey> key = lookup.keyOfAlive(id);
        if (key.isEmpty()) {
            return false;
        }
        long now = clock.millis();
        Change change = Change.of(key.get());
        try {
            return transactions.write("remove entry " + id, connection -> {
                try (PreparedStatement update = connection.prepareStatement(Sql.REMOVE_ENTRY)) {
                    update.setLong(1, now);
                    transactions.dialect().bindId(update, 2, id);
                    return update.executeUpdate() > 0;
                }
            });
        } finally {
            tier.changed(change);
        }
    }

    @Override
    public long invalidate(URI url) {
        String normalized = CacheKey.normalizeUrl(url);
        long now = clock.millis();
        // The mark goes in with the removal, so that no later commit of an earlier response slips in between.
        return removing(transactions, "invalidate " + normalized, connection -> {
            mark(connection, normalized, now);
            return Sql.INVALIDATE_URL.run(connection, now, normalized);
        });
    }

    @Override
    public long purgeByPrefix(String urlPrefix) {
        Objects.requireNonNull(urlPrefix, "urlPrefix");
        String like = urlPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return markAndRemove("purge " + urlPrefix + "*", Sql.PREFIX_MARK + urlPrefix, Sql.PURGE_PREFIX, like,
                urlPrefix.length(), urlPrefix);
    }

    @Override
    public long purgeByTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        return markAndRemove("purge tag " + tag, Sql.TAG_MARK + tag, Sql.PURGE_TAG, tag);
    }

    @Override
    public long purgeAll() {
        return markAndRemove("purge everything", Sql.ALL_MARK, Sql.PURGE_ALL);
    }

    /**
     * A purge: its mark goes in with the removal, as an invalidation's does, so that a miss
     * requested before it cannot store the old version after it (the commit checks the marks).
     */
    private long markAndRemove(String operation, String mark, SoftDelete statements, Object... parameters) {
        long now = clock.millis();
        return removing(maintenanceTransactions, operation, connection -> {
            mark(connection, mark, now);
            return statements.run(connection, now, parameters);
        });
    }

    private static void mark(Connection connection, String what, long now) throws SQLException {
        try (PreparedStatement mark = connection.prepareStatement(Sql.MARK_INVALIDATED)) {
            mark.setString(1, what);
            mark.setLong(2, now);
            mark.executeUpdate();
        }
    }

    @Override
    public StorageStatistics statistics() {
        return listing.statistics();
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
        return listing.page(offset, limit);
    }

    @Override
    public CleanupResult cleanUp() {
        return cleanup.run();
    }

    @Override
    public void close() {
        if (transactions.isClosed()) {
            return;
        }
        if (maintenance != null) {
            maintenance.stop();
        }
        if (notifications != null) {
            notifications.close();
        }
        for (ChunkWriter writer : List.copyOf(openWriters)) {
            transactions.quietly("abort an open writer", writer::abort);
        }
        transactions.quietly("record hits", accesses::flush);
        transactions.close();
    }

    /**
     * The memory tier in front of the database, as the builder set it.
     *
     * @return its bounds, or {@link MemoryTier#off()}
     */
    public MemoryTier memoryTier() {
        return memoryTier;
    }

    /** What this storage stores in, for messages: the SQLite file, or the kind of database it was given. */
    @Override
    public String toString() {
        return description;
    }

    /** Writes the hits recorded since the last flush; for tests, which run without the schedule. */
    void flushAccesses() {
        accesses.flush();
    }

    /** Whether the other instances' changes are heard now: always, where there are none to hear. */
    boolean hearsOtherInstances() {
        return notifications == null || notifications.listening();
    }

    /**
     * Runs a removal, and hands the tier what it reached once committed — or everything, if it is
     * not known whether it committed.
     */
    private long removing(Transactions transactions, String operation, Transactions.SqlWork<SoftDelete.Removal> work) {
        Change reached = Change.everything();
        try {
            SoftDelete.Removal removal = transactions.write(operation, work);
            reached = removal.change();
            return removal.visible();
        } finally {
            tier.changed(reached);
        }
    }

    private static StoredBody stored(byte[] bytes) {
        return new StoredBody(bytes.length, new ByteArrayInputStream(bytes));
    }

    private ChunkReader reader(UUID id, Lookup.Body body) {
        return new ChunkReader(id, body, transactions, corrupt);
    }

    /** Builds a {@link JdbcStorage}. Not thread-safe; the storage it builds is. */
    public static final class Builder {
        /** The default of {@link #migrate}. */
        public static final boolean DEFAULT_MIGRATE = true;
        /** The default of {@link #scheduleMaintenance}. */
        public static final boolean DEFAULT_SCHEDULE_MAINTENANCE = true;
        /** The default of {@link #poolSize}. */
        public static final int DEFAULT_SQLITE_POOL_SIZE = 4;
        /** The default of {@link #timeout}. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
        /** The default of {@link #clockTolerance} on PostgreSQL; on SQLite, one machine's clock, it is zero. */
        public static final Duration DEFAULT_POSTGRESQL_CLOCK_TOLERANCE = Duration.ofSeconds(1);

        private final DataSource dataSource;
        private final Path sqliteFile;
        private StorageOptions options = StorageOptions.defaults();
        private boolean migrate = DEFAULT_MIGRATE;
        private boolean scheduled = DEFAULT_SCHEDULE_MAINTENANCE;
        private boolean closeDataSource;
        private int poolSize = DEFAULT_SQLITE_POOL_SIZE;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration clockTolerance;
        private MemoryTier memoryTier = MemoryTier.defaults();

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
         * true), and a SQLite storage migrates a new file that takes the place of a lost one. Turn
         * it off where the schema is managed elsewhere.
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
            Require.between(size, 1, 64, "poolSize", "");
            requireSqlite("poolSize");
            this.poolSize = size;
            return this;
        }

        /**
         * Sets how long one operation a request makes may take, from its start to its end: waiting
         * for a connection of the storage's own SQLite pool, for its turn to write on SQLite, and for
         * the database to answer (default 500 ms). An operation still running then is interrupted
         * and fails: the SQLite statement is interrupted, the PostgreSQL connection closed; the
         * filter answers from the application instead. Each read of a chunk of a body, and each
         * write, is one operation. Clean-up, recording hits, listing and purges, which no request
         * waits for, are held to one minute instead.
         *
         * <p>A DataSource the storage is given keeps its own bound on the wait for a connection
         * (HikariCP's {@code connectionTimeout}): set it no longer than this.
         *
         * @param timeout positive; on SQLite the wait for a connection is at least 250 ms, HikariCP's least
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Require.positive(timeout, "timeout");
            return this;
        }

        /**
         * Sets how far apart the clocks of the instances sharing the database may be. An
         * invalidation of a URL (RFC 9111 §4.4) keeps a response whose request was sent before it
         * from being stored; each instance stamps both with its own clock, so a request sent less
         * than this after an invalidation made by another instance is taken as sent before it, and
         * its response is not stored. Default 1 s on PostgreSQL, zero on SQLite.
         *
         * @param tolerance zero or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder clockTolerance(Duration tolerance) {
            this.clockTolerance = Require.notNegative(tolerance, "clockTolerance");
            return this;
        }

        /**
         * Sets the memory tier in front of the database (default {@link MemoryTier#defaults()}: on,
         * 32 MiB, bodies up to 64 KiB, five seconds). A lookup asks it first; every write of this
         * storage makes it forget what the write changed as soon as the write commits. On
         * PostgreSQL the instances sharing a schema tell each other's tiers of their writes with
         * {@code LISTEN/NOTIFY}, within milliseconds, on one connection of the DataSource that the
         * storage holds; a change whose notification is lost is unseen at most
         * {@link MemoryTier#maxAge()}. A change made to the tables other than through a storage is
         * unseen as long.
         *
         * @param tier the tier's bounds, or {@link MemoryTier#off()}
         * @return this builder
         */
        public Builder memoryTier(MemoryTier tier) {
            this.memoryTier = Objects.requireNonNull(tier, "memoryTier");
            return this;
        }

        /**
         * Builds the storage: opens the pool (SQLite: after {@code PRAGMA quick_check}, moving a
         * corrupt file aside), checks the database, and migrates.
         *
         * @return the storage
         * @throws StorageException if the database cannot be reached, created or migrated, or a
         *                          corrupt SQLite file cannot be moved aside; the message names the
         *                          file or the database
         */
        public JdbcStorage build() {
            if (dataSource == null) {
                String description = "hishel SQLite storage " + sqliteFile;
                SqliteFile file = SqliteFile.open(sqliteFile, poolSize, timeout, description,
                        schema(Dialect.SQLITE, description));
                return build(file, () -> new JdbcStorage(this, file, Dialect.SQLITE, description));
            }
            Connections given = new Connections.Given(dataSource, closeDataSource);
            return build(given, () -> {
                Dialect dialect = dialectOf(given);
                String description = "hishel " + (dialect == Dialect.POSTGRESQL ? "PostgreSQL" : "SQLite") + " storage";
                schema(dialect, description).accept(dataSource);
                return new JdbcStorage(this, given, dialect, description);
            });
        }

        /** What makes a database ready for the storage: the migration, unless it is turned off. */
        private Consumer<DataSource> schema(Dialect dialect, String description) {
            return migrate ? database -> Migration.run(database, dialect, description) : database -> { };
        }

        /** Builds a storage, and closes the connections it was to close if it never comes to be. */
        private static JdbcStorage build(Connections connections, Supplier<JdbcStorage> storage) {
            try {
                return storage.get();
            } catch (RuntimeException e) {
                connections.close();
                throw e;
            }
        }

        private static Dialect dialectOf(Connections given) {
            try {
                return given.run(Dialect::of);
            } catch (SQLException e) {
                throw new StorageException("hishel JDBC storage cannot connect to its DataSource: " + e.getMessage(), e);
            }
        }

        private void requireSqlite(String setting) {
            if (sqliteFile == null) {
                throw new IllegalStateException(setting + " configures the SQLite pool; a given DataSource is"
                        + " configured where it is created");
            }
        }
    }
}
