package io.hishel.memory;

import io.hishel.policy.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * How the memory tier in front of a shared storage ({@code JdbcStorage}, {@code RedisStorage}) is
 * bounded: the tier keeps the metadata of the entries looked up lately and the bodies of the small
 * ones, so that a hit on a hot entry costs no round trip to the database or to Redis. Everything
 * the tier holds — metadata and bodies together — stays within {@link #maxBytes()}, the least recently used going first; a body larger than
 * {@link #maxBodyBytes()} is always read from the store; and nothing is kept longer than
 * {@link #maxAge()}, which bounds how long a change made by another instance whose notification
 * was lost may go unseen. On by default ({@link #defaults()}); {@link #off()} turns it off.
 * Immutable and thread-safe.
 */
public final class MemoryTier {

    /** The default of {@link Builder#maxBytes}: 32 MiB. */
    public static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;
    /** The default of {@link Builder#maxBodyBytes}: 64 KiB, the default chunk size. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024;
    /** The default of {@link Builder#maxAge}: five seconds. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);

    private static final MemoryTier DEFAULTS = builder().build();
    private static final MemoryTier OFF = new MemoryTier(false, 0, 0, Duration.ZERO);

    private final boolean enabled;
    private final long maxBytes;
    private final long maxBodyBytes;
    private final Duration maxAge;

    private MemoryTier(boolean enabled, long maxBytes, long maxBodyBytes, Duration maxAge) {
        this.enabled = enabled;
        this.maxBytes = maxBytes;
        this.maxBodyBytes = maxBodyBytes;
        this.maxAge = maxAge;
    }

    /**
     * The tier a storage has unless told otherwise: 32 MiB, bodies up to 64 KiB, five seconds.
     *
     * @return the default tier
     */
    public static MemoryTier defaults() {
        return DEFAULTS;
    }

    /**
     * No tier: every lookup goes to the store.
     *
     * @return the tier that is off
     */
    public static MemoryTier off() {
        return OFF;
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
     * Whether there is a tier.
     *
     * @return false for {@link #off()}
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The bound on what the tier holds, metadata and bodies together.
     *
     * @return bytes, as estimated from the stored metadata and the bodies' sizes; 0 when off
     */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The largest body the tier keeps.
     *
     * @return bytes; 0 when off
     */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * How long the tier keeps what it read from the store at most.
     *
     * @return the age; zero when off
     */
    public Duration maxAge() {
        return maxAge;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MemoryTier that && enabled == that.enabled && maxBytes == that.maxBytes
                && maxBodyBytes == that.maxBodyBytes && maxAge.equals(that.maxAge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, maxBytes, maxBodyBytes, maxAge);
    }

    @Override
    public String toString() {
        return enabled ? "MemoryTier[maxBytes=" + maxBytes + ", maxBodyBytes=" + maxBodyBytes + ", maxAge=" + maxAge + "]"
                : "MemoryTier[off]";
    }

    /** Builds a {@link MemoryTier}, starting from the defaults. Not thread-safe. */
    public static final class Builder {
        private long maxBytes = DEFAULT_MAX_BYTES;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration maxAge = DEFAULT_MAX_AGE;

        private Builder() {
        }

        /**
         * Sets the bound on what the tier holds, metadata and bodies together (default 32 MiB).
         *
         * @param bytes at least 1 KiB
         * @return this builder
         * @throws IllegalArgumentException if less than 1 KiB
         */
        public Builder maxBytes(long bytes) {
            this.maxBytes = Require.between(bytes, 1024, Long.MAX_VALUE, "memory tier maxBytes", "bytes");
            return this;
        }

        /**
         * Sets the largest body the tier keeps (default 64 KiB); larger ones are read from the
         * store. On JDBC, only bodies stored in one chunk are kept when they are written; others when
         * they are first read.
         *
         * @param bytes 0 (no bodies, only metadata) to 16 MiB
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = Require.between(bytes, 0, 16L * 1024 * 1024, "memory tier maxBodyBytes", "bytes");
            return this;
        }

        /**
         * Sets how long the tier keeps what it read at most (default five seconds): the bound on how
         * long a change another instance made may go unseen here when its notification is lost, and,
         * on SQLite shared by several processes, the bound on every such change.
         *
         * @param age positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxAge(Duration age) {
            this.maxAge = Require.positive(age, "memory tier maxAge");
            return this;
        }

        /**
         * Builds the tier's settings.
         *
         * @return immutable settings
         * @throws IllegalArgumentException if the largest body is larger than the whole tier
         */
        public MemoryTier build() {
            if (maxBodyBytes > maxBytes) {
                throw new IllegalArgumentException("memory tier maxBodyBytes (" + maxBodyBytes
                        + ") must not be larger than maxBytes (" + maxBytes + ")");
            }
            return new MemoryTier(true, maxBytes, maxBodyBytes, Objects.requireNonNull(maxAge));
        }
    }
}
