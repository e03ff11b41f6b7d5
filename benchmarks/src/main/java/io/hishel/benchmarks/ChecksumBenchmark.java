package io.hishel.benchmarks;

import io.hishel.storage.BodyChecksum;
import io.hishel.storage.CorruptBodyException;
import io.hishel.storage.StorageOptions;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The checksum work of one cache hit on a JDBC storage, alone: what {@code ChunkReader} does with
 * {@link BodyChecksum} while it streams a body, without the queries that fetch the chunks.
 *
 * <ul>
 *   <li>{@link #verify}: a new {@link BodyChecksum}, and {@link BodyChecksum#verify} of each chunk
 *       of the body in order — the CRC32C of the chunk's number and bytes, compared with the one
 *       stored with it, and, with the last chunk, the CRC32C of the whole body compared with the
 *       entry's.</li>
 * </ul>
 *
 * <p>The body is cut as the JDBC storages cut it, in chunks of the default
 * {@link StorageOptions#chunkSize()} (64 KiB): one chunk for 1 KiB, 16 for 1 MiB; each chunk is its
 * own array, as a query returns it. The stored checksums are the ones a writer computes
 * ({@link BodyChecksum#chunk} and {@link BodyChecksum#body()}). The parameter and the forked JVM's
 * options are {@link StorageBenchmark}'s, so that one run of both gives the share of the checksums
 * in a hit: {@code java -jar benchmarks/target/benchmarks.jar 'ChecksumBenchmark|StorageBenchmark.get'}.
 * The set-up checks that the stored checksums pass and that a changed byte fails, so the benchmark
 * measures the check a hit makes. Run {@code java -jar benchmarks/target/benchmarks.jar -h} for the
 * options.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class ChecksumBenchmark {

    /** The size of each body in bytes: {@link StorageBenchmark}'s sizes. */
    @Param({"1024", "1048576"})
    public int bodySize;

    private final UUID id = UUID.randomUUID();
    private byte[][] chunks;
    private int[] chunkChecksums;
    private int bodyChecksum;

    /**
     * Cuts a body of random bytes into chunks and computes their checksums as a writer does.
     *
     * @throws CorruptBodyException if the stored checksums do not pass
     * @throws IllegalStateException  if a changed byte passes them
     */
    @Setup(Level.Trial)
    public void setUp() throws CorruptBodyException {
        byte[] body = new byte[bodySize];
        new Random(42).nextBytes(body);
        int chunkSize = StorageOptions.defaults().chunkSize();
        int count = (bodySize + chunkSize - 1) / chunkSize;
        chunks = new byte[count][];
        chunkChecksums = new int[count];
        BodyChecksum writer = new BodyChecksum();
        for (int i = 0; i < count; i++) {
            chunks[i] = Arrays.copyOfRange(body, i * chunkSize, Math.min(bodySize, (i + 1) * chunkSize));
            chunkChecksums[i] = writer.chunk(i, chunks[i]);
        }
        bodyChecksum = writer.body();

        verify();
        byte[] last = chunks[count - 1];
        last[last.length - 1] ^= 1;
        try {
            verify();
            throw new IllegalStateException("A changed byte in the last chunk passed the checksums");
        } catch (CorruptBodyException expected) {
            // What a hit on a changed body does.
        } finally {
            last[last.length - 1] ^= 1;
        }
    }

    /**
     * The checksums of one hit: every chunk of the body, then the body, as {@code ChunkReader} checks them.
     *
     * @return the body's checksum
     * @throws CorruptBodyException never: the body is the one the checksums were computed over
     */
    @Benchmark
    public int verify() throws CorruptBodyException {
        BodyChecksum checksum = new BodyChecksum();
        for (int i = 0; i < chunks.length; i++) {
            checksum.verify(id, i, chunks[i], chunkChecksums[i], bodySize, bodyChecksum);
        }
        return checksum.body();
    }
}
