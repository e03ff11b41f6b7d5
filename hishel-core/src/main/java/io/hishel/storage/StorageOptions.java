package io.hishel.storage;

import io.hishel.policy.Require;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What every storage is configured with: TTL defaults, bounds, chunking and the clean-up
 * schedule. Build with {@link #builder()}; each value is checked when it is set, and a rejected
 * value names the setting. Immutable and thread-safe.
 */
public final class StorageOptions {

    private static final StorageOptions DEFAULTS = builder().build();

    private final Duration defaultTtl;
    private final boolean refreshTtlOnAccess;
    private final long maxBytes;
    private final long maxEntries;
    private final int chunkSize;
    private final Duration cleanupInterval;
    private final Duration deletedRetention;
    private final Duration incompleteGrace;
    private final Duration readGrace;
    private final int cleanupBatchSize;
    private final Clock clock;

    private StorageOptions(Builder builder) {
        this.defaultTtl = builder.defaultTtl;
        this.refreshTtlOnAccess = builder.refreshTtlOnAccess;
        this.maxBytes = builder.maxBytes;
        this.maxEntries = builder.maxEntries;
        this.chunkSize = builder.chunkSize;
        this.cleanupInterval = builder.cleanupInterval;
        this.deletedRetention = builder.deletedRetention;
        this.incompleteGrace = builder.incompleteGrace;
        this.readGrace = builder.readGrace;
        this.cleanupBatchSize = builder.cleanupBatchSize;
        this.clock = builder.clock;
    }

    /**
     * The defaults: no default TTL, hits refresh TTLs, 256 MiB, no entry limit, 64 KiB chunks,
     * clean-up every five minutes, removed entries kept seven days, incomplete ones one hour, the
     * chunks of a removed, evicted or expired entry kept ten minutes for its readers.
     *
     * @return the default options
     */
    public static StorageOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.defaultTtl = defaultTtl;
        builder.refreshTtlOnAccess = refreshTtlOnAccess;
        builder.maxBytes = maxBytes;
        builder.maxEntries = maxEntries;
        builder.chunkSize = chunkSize;
        builder.cleanupInterval = cleanupInterval;
        builder.deletedRetention = deletedRetention;
        builder.incompleteGrace = incompleteGrace;
        builder.readGrace = readGrace;
        builder.cleanupBatchSize = cleanupBatchSize;
        builder.clock = clock;
        return builder;
    }

    /**
     * The TTL of entries whose options set none.
     *
     * @return the TTL, or empty: such entries live until freshness, clean-up and eviction decide
     */
    public Optional<Duration> defaultTtl() {
        return Optional.ofNullable(defaultTtl);
    }

    /**
     * Whether a hit restarts an entry's TTL, unless its options say otherwise (hishel's
     * {@code refresh_ttl_on_access}, default true).
     *
     * @return the default choice
     */
    public boolean refreshTtlOnAccess() {
        return refreshTtlOnAccess;
    }

    /**
     * The bound on the bytes of all bodies together; the least recently used entries are evicted
     * above it.
     *
     * @return the bound in bytes
     */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The bound on the number of entries.
     *
     * @return the bound, or 0 for none
     */
    public long maxEntries() {
        return maxEntries;
    }

    /**
     * The size of the chunks a body is stored in.
     *
     * @return bytes per chunk
     */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * How often clean-up runs on its own.
     *
     * @return the interval
     */
    public Duration cleanupInterval() {
        return cleanupInterval;
    }

    /**
     * How long a removed entry is kept before clean-up deletes it for good.
     *
     * @return the retention
     */
    public Duration deletedRetention() {
        return deletedRetention;
    }

    /**
     * How long an entry may stay incomplete before clean-up treats it as abandoned (its writer
     * crashed).
     *
     * @return the grace period
     */
    public Duration incompleteGrace() {
        return incompleteGrace;
    }

    /**
     * How long the body of an entry stays readable after the entry was removed, evicted or
     * expired, for the responses that were already reading it: no clean-up deletes its chunks
     * sooner, so a read that started before the removal ends with the body, not cut off. A read
     * that lasts longer may fail, and then ends incomplete, never with other bytes. The space of
     * such entries is reclaimed once the grace has passed, so a storage may hold, beyond its bound,
     * what was removed within it.
     *
     * @return the grace period
     */
    public Duration readGrace() {
        return readGrace;
    }

    /**
     * How many rows one clean-up round deletes per kind at most, so it never stalls requests.
     *
     * @return the batch size
     */
    public int cleanupBatchSize() {
        return cleanupBatchSize;
    }

    /**
     * The clock for TTLs, access times and clean-up.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /** Builds {@link StorageOptions}, starting from the defaults. Not thread-safe. */
    public static final class Builder {
        private Duration defaultTtl;
        private boolean refreshTtlOnAccess = true;
        private long maxBytes = 256L * 1024 * 1024;
        private long maxEntries;
        private int chunkSize = 64 * 1024;
        private Duration cleanupInterval = Duration.ofMinutes(5);
        private Duration deletedRetention = Duration.ofDays(7);
        private Duration incompleteGrace = Duration.ofHours(1);
        private Duration readGrace = Duration.ofMinutes(10);
        private int cleanupBatchSize = 500;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the TTL of entries whose options set none (default: none).
         *
         * @param ttl zero or positive, or {@code null} for none
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder defaultTtl(Duration ttl) {
            this.defaultTtl = ttl == null ? null : Require.notNegative(ttl, "defaultTtl");
            return this;
        }

        /**
         * Sets whether hits restart TTLs by default (default true).
         *
         * @param refresh the default choice
         * @return this builder
         */
        public Builder refreshTtlOnAccess(boolean refresh) {
            this.refreshTtlOnAccess = refresh;
            return this;
        }

        /**
         * Sets the bound on the bytes of all bodies (default 256 MiB).
         *
         * @param bytes at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxBytes(long bytes) {
            this.maxBytes = Require.between(bytes, 1, Long.MAX_VALUE, "maxBytes", "bytes");
            return this;
        }

        /**
         * Sets the bound on the number of entries (default 0: none).
         *
         * @param entries 0 for none, or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxEntries(long entries) {
            this.maxEntries = Require.between(entries, 0, Long.MAX_VALUE, "maxEntries (0 for no bound)", "");
            return this;
        }

        /**
         * Sets the chunk size (default 64 KiB).
         *
         * @param bytes 1 KiB to 16 MiB
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        public Builder chunkSize(int bytes) {
            this.chunkSize = (int) Require.between(bytes, 1024, 16 * 1024 * 1024, "chunkSize", "bytes");
            return this;
        }

        /**
         * Sets how often clean-up runs (default five minutes).
         *
         * @param interval positive
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder cleanupInterval(Duration interval) {
            this.cleanupInterval = Require.positive(interval, "cleanupInterval");
            return this;
        }

        /**
         * Sets how long removed entries are kept (default seven days).
         *
         * @param retention zero or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder deletedRetention(Duration retention) {
            this.deletedRetention = Require.notNegative(retention, "deletedRetention");
            return this;
        }

        /**
         * Sets how long an entry may stay incomplete (default one hour).
         *
         * @param grace positive
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder incompleteGrace(Duration grace) {
            this.incompleteGrace = Require.positive(grace, "incompleteGrace");
            return this;
        }

        /**
         * Sets how long the body of a removed, evicted or expired entry stays readable for the
         * responses already reading it (default ten minutes).
         *
         * @param grace zero or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder readGrace(Duration grace) {
            this.readGrace = Require.notNegative(grace, "readGrace");
            return this;
        }

        /**
         * Sets how many rows one clean-up round deletes per kind at most (default 500).
         *
         * @param rows at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder cleanupBatchSize(int rows) {
            this.cleanupBatchSize = (int) Require.between(rows, 1, Integer.MAX_VALUE, "cleanupBatchSize", "rows");
            return this;
        }

        /**
         * Sets the clock (default the system clock in UTC).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public StorageOptions build() {
            return new StorageOptions(this);
        }
    }
}
