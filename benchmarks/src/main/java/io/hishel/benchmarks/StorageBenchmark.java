package io.hishel.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.hishel.http.Response;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.memory.MemoryStorage;
import io.hishel.memory.MemoryTier;
import io.hishel.redis.RedisStorage;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredBody;
import io.hishel.storage.StoredRequest;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Reading and writing one entry, on each storage, for a small and a large body.
 *
 * <ul>
 *   <li>{@link #get}: looks up a random pre-populated key, opens the body of its entry and reads
 *       it to the end — what a cache hit costs the storage.</li>
 *   <li>{@link #put}: creates an entry with a new id under a rotating set of keys, writes the body
 *       in 16 KiB pieces (as a response streams through) and commits — what storing a response
 *       costs.</li>
 * </ul>
 *
 * <p>The storages: {@code memory} (on the heap), {@code sqlite} (a file in a temporary folder) and
 * {@code postgresql}, both with their memory tier as built by default, and {@code sqlite-no-tier}
 * and {@code postgresql-no-tier} with it off — every lookup and read goes to the database
 * ({@code postgresql}: a fresh schema in the database at {@code jdbc:postgresql://127.0.0.1:5432/test},
 * user {@code postgres}, without a password; set the system properties
 * {@code hishel.postgres.url}, {@code hishel.postgres.user} and {@code hishel.postgres.password} to
 * use another), and {@code redis}, which has no memory tier: the Redis at
 * {@code redis://127.0.0.1:6379} ({@code hishel.redis.url} for another), under a key prefix of its
 * own that is purged when the trial ends. Maintenance is not scheduled, so no clean-up runs while measuring; what
 * {@code put} writes is purged after every iteration, so the storage does not grow without bound.
 * The forked JVM gets a fixed 2 GiB heap, touched up front; the memory storage is bounded at
 * 512 MiB. Run {@code java -jar benchmarks/target/benchmarks.jar -h} for the options.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A fixed, pre-touched heap: growing the heap while put fills the memory storage otherwise costs more than
// the storage itself, and varies from run to run. Prepended, so the host JVM's own options still win.
@Fork(value = 1, jvmArgsPrepend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class StorageBenchmark {

    /** The size of the pieces bodies are written and read in. */
    static final int PIECE = 16 * 1024;

    /** The bound of the memory storage: 5 times what {@code get} pre-populates, small enough for the heap. */
    static final long MEMORY_MAX_BYTES = 512L * 1024 * 1024;

    /** The bound of the database storages: a backstop only, as what {@code put} writes is purged each iteration. */
    static final long DATABASE_MAX_BYTES = 4L * 1024 * 1024 * 1024;

    /** How many keys {@code put} rotates through. */
    static final int PUT_KEYS = 1000;

    static final String GET_PREFIX = "https://bench.hishel.io/get/";
    static final String PUT_PREFIX = "https://bench.hishel.io/put/";

    /**
     * Which storage: {@code memory}, {@code sqlite}, {@code sqlite-no-tier}, {@code postgresql},
     * {@code postgresql-no-tier} or {@code redis}.
     */
    @Param({"memory", "sqlite", "sqlite-no-tier", "postgresql", "postgresql-no-tier", "redis"})
    public String storage;

    /** The size of each body in bytes. */
    @Param({"1024", "1048576"})
    public int bodySize;

    private Storage store;
    private Path sqliteFolder;
    private PostgresSchema postgres;

    private byte[] body;
    private Response response;
    private CacheKey[] getKeys;
    private CacheKey[] putKeys;
    private URI[] putUrls;

    /** What each benchmark thread keeps to itself. */
    @State(Scope.Thread)
    public static class ThreadState {
        /** The buffer {@code get} reads bodies into. */
        final byte[] buffer = new byte[PIECE];
        /** The next key {@code put} writes under. */
        int nextPutKey = ThreadLocalRandom.current().nextInt(PUT_KEYS);
    }

    /**
     * Opens the storage and stores the entries {@code get} reads: 1000 of 1 KiB, 100 of 1 MiB.
     *
     * @param params the benchmark's parameters, for its thread count
     * @throws Exception if the storage cannot be opened; JMH reports it and skips the combination
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        body = new byte[bodySize];
        new Random(42).nextBytes(body);
        response = Response.of(200, "Content-Type", "application/octet-stream",
                "Content-Length", Integer.toString(bodySize), "Cache-Control", "max-age=3600");
        try {
            store = open(storage, params.getThreads());
            int count = prePopulatedCount(bodySize);
            getKeys = new CacheKey[count];
            for (int i = 0; i < count; i++) {
                URI url = URI.create(GET_PREFIX + i);
                getKeys[i] = keyOf(url);
                write(getKeys[i], url);
            }
            putKeys = new CacheKey[PUT_KEYS];
            putUrls = new URI[PUT_KEYS];
            for (int i = 0; i < PUT_KEYS; i++) {
                putUrls[i] = URI.create(PUT_PREFIX + i);
                putKeys[i] = keyOf(putUrls[i]);
            }
        } catch (Exception | Error e) {
            closeQuietly();
            throw e;
        }
    }

    /** Removes what {@code put} wrote in the iteration that ended, and reclaims its space. */
    @TearDown(Level.Iteration)
    public void purgePuts() {
        if (store.purgeByPrefix(PUT_PREFIX) > 0 && store instanceof JdbcStorage) {
            // Purging is a soft delete; clean-up (deletedRetention 0) deletes the rows and their chunks.
            while (store.cleanUp().total() > 0) {
                // Each round deletes at most a clean-up batch.
            }
        }
    }

    /** Closes the storage and deletes its file or schema. */
    @TearDown(Level.Trial)
    public void tearDown() {
        closeQuietly();
    }

    /**
     * A cache hit: look up a stored key, open the body of its entry and read it to the end.
     *
     * @param thread the buffer to read into
     * @return the number of bytes read
     * @throws IOException if the body cannot be read
     */
    @Benchmark
    public long get(ThreadState thread) throws IOException {
        CacheKey key = getKeys[ThreadLocalRandom.current().nextInt(getKeys.length)];
        List<Entry> entries = store.entries(key);
        if (entries.isEmpty()) {
            throw new IllegalStateException("No entry under " + key + " in " + store);
        }
        UUID id = entries.get(0).id();
        long total = 0;
        try (StoredBody stored = store.openBody(id)
                .orElseThrow(() -> new IllegalStateException("No body for " + id + " in " + store))) {
            InputStream stream = stored.stream();
            byte[] buffer = thread.buffer;
            int n;
            while ((n = stream.read(buffer, 0, buffer.length)) != -1) {
                total += n;
            }
        }
        if (total != bodySize) {
            throw new IllegalStateException("Read " + total + " bytes of a body of " + bodySize);
        }
        return total;
    }

    /**
     * Storing a response: create an entry with a new id, write its body in 16 KiB pieces, commit.
     *
     * @param thread which key comes next
     * @return the id of the stored entry
     */
    @Benchmark
    public UUID put(ThreadState thread) {
        int index = thread.nextPutKey;
        thread.nextPutKey = index + 1 == PUT_KEYS ? 0 : index + 1;
        return write(putKeys[index], putUrls[index]);
    }

    private UUID write(CacheKey key, URI url) {
        Instant now = Instant.now();
        Entry entry = new Entry(UUID.randomUUID(), key, new StoredRequest("GET", url, ""), response, now, now);
        try (EntryWriter writer = store.create(entry, EntryOptions.defaults())) {
            for (int offset = 0; offset < body.length; offset += PIECE) {
                writer.write(body, offset, Math.min(PIECE, body.length - offset));
            }
            writer.commit();
        }
        return entry.id();
    }

    /** 1000 entries of 1 KiB, 100 of 1 MiB: about 100 MiB at most, a thousand keys at most. */
    static int prePopulatedCount(int bodySize) {
        return (int) Math.max(100, Math.min(1000, 100L * 1024 * 1024 / Math.max(1, bodySize)));
    }

    private static CacheKey keyOf(URI url) {
        return new CacheKey(CacheKey.methodGroup("GET") + " " + CacheKey.normalizeUrl(url));
    }

    private Storage open(String kind, int threads) throws IOException {
        StorageOptions.Builder options = StorageOptions.builder()
                // What put wrote is purged after each iteration and deleted at once by clean-up.
                .deletedRetention(Duration.ZERO)
                .cleanupBatchSize(10_000);
        switch (kind) {
            case "memory":
                return new MemoryStorage(options.maxBytes(MEMORY_MAX_BYTES).build());
            case "sqlite", "sqlite-no-tier":
                sqliteFolder = Files.createTempDirectory("hishel-benchmark-");
                return JdbcStorage.sqlite(sqliteFolder.resolve("hishel_cache.db"))
                        .options(options.maxBytes(DATABASE_MAX_BYTES).build())
                        .memoryTier(tier(kind))
                        .scheduleMaintenance(false)
                        .build();
            case "postgresql", "postgresql-no-tier":
                // One more connection, which the memory tier holds to hear other instances' writes.
                return JdbcStorage.builder(postgresPool(Math.max(4, threads + 2) + 1))
                        .options(options.maxBytes(DATABASE_MAX_BYTES).build())
                        .memoryTier(tier(kind))
                        .scheduleMaintenance(false)
                        .build();
            case "redis":
                // Purged bodies go at once: no reader outlives an iteration, and Redis holds them in memory.
                return RedisStorage.builder(RedisURI.create(System.getProperty("hishel.redis.url",
                                "redis://127.0.0.1:6379")))
                        .keyPrefix("hishel-benchmark:" + Long.toHexString(System.nanoTime()) + ":")
                        .options(options.maxBytes(DATABASE_MAX_BYTES).readGrace(Duration.ZERO).build())
                        .scheduleMaintenance(false)
                        .build();
            default:
                throw new IllegalArgumentException("Unknown storage \"" + kind + "\": use memory, sqlite,"
                        + " sqlite-no-tier, postgresql, postgresql-no-tier or redis");
        }
    }

    private static MemoryTier tier(String kind) {
        return kind.endsWith("-no-tier") ? MemoryTier.off() : MemoryTier.defaults();
    }

    /** A pool on a fresh schema, created here and dropped by {@link #tearDown()}. */
    private HikariDataSource postgresPool(int size) {
        try {
            postgres = PostgresSchema.create("hishel_benchmark");
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + ", or leave it out with -p storage=memory,sqlite", e);
        }
        return postgres.pool("hishel-benchmark-postgresql", size);
    }

    private void closeQuietly() {
        if (store != null) {
            try {
                if (store instanceof RedisStorage) {
                    // Its keys live on in Redis otherwise.
                    store.purgeAll();
                }
                store.close();
            } catch (RuntimeException e) {
                System.err.println("Could not close " + store + ": " + e);
            }
            store = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        if (sqliteFolder != null) {
            try (Stream<Path> files = Files.walk(sqliteFolder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not delete " + sqliteFolder, e);
            }
            sqliteFolder = null;
        }
    }
}
