package io.hishel.storage;

import io.hishel.policy.Require;
import io.hishel.http.RequestMetadata;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a storage keeps one entry: its TTL, whether hits refresh it, and the tags it can be purged
 * by. Unset values fall back to the storage's defaults. Immutable and thread-safe.
 */
public final class EntryOptions {

    private static final EntryOptions DEFAULTS = new EntryOptions(null, null, Set.of());

    private final Duration ttl;
    private final Boolean refreshTtlOnAccess;
    private final Set<String> tags;

    private EntryOptions(Duration ttl, Boolean refreshTtlOnAccess, Set<String> tags) {
        this.ttl = ttl;
        this.refreshTtlOnAccess = refreshTtlOnAccess;
        this.tags = tags;
    }

    /**
     * The storage's defaults and no tags.
     *
     * @return the default options
     */
    public static EntryOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The options hishel's request metadata asks for ({@code hishel_ttl},
     * {@code hishel_refresh_ttl_on_access}).
     *
     * @param metadata the request's metadata
     * @return the options, without tags
     */
    public static EntryOptions of(RequestMetadata metadata) {
        return new EntryOptions(metadata.ttl().orElse(null), metadata.refreshTtlOnAccess().orElse(null), Set.of());
    }

    /**
     * These options with a TTL.
     *
     * @param ttl the entry expires that long after it is stored (or last used, if hits refresh
     *            it); zero expires it at once
     * @return new options
     * @throws IllegalArgumentException if {@code ttl} is negative
     */
    public EntryOptions withTtl(Duration ttl) {
        Require.notNegative(ttl, "ttl");
        return new EntryOptions(ttl, refreshTtlOnAccess, tags);
    }

    /**
     * These options with the choice of refreshing the TTL on each hit.
     *
     * @param refresh whether hits restart the TTL
     * @return new options
     */
    public EntryOptions withRefreshTtlOnAccess(boolean refresh) {
        return new EntryOptions(ttl, refresh, tags);
    }

    /**
     * These options with tags.
     *
     * @param tags non-blank strings; at most 32 are kept, each at most 256 characters
     * @return new options
     * @throws IllegalArgumentException if a tag is blank or too long, or there are more than 32
     */
    public EntryOptions withTags(Collection<String> tags) {
        Set<String> checked = new LinkedHashSet<>();
        for (String tag : tags) {
            if (tag == null || tag.isBlank() || tag.length() > 256) {
                throw new IllegalArgumentException("Tags must be 1 to 256 characters, but got \"" + tag + "\"");
            }
            checked.add(tag);
        }
        if (checked.size() > 32) {
            throw new IllegalArgumentException("At most 32 tags per entry, but got " + checked.size());
        }
        return new EntryOptions(ttl, refreshTtlOnAccess, Set.copyOf(checked));
    }

    /**
     * The TTL, if set.
     *
     * @return the TTL, or empty for the storage's default
     */
    public Optional<Duration> ttl() {
        return Optional.ofNullable(ttl);
    }

    /**
     * Whether hits restart the TTL, if set.
     *
     * @return the choice, or empty for the storage's default
     */
    public Optional<Boolean> refreshTtlOnAccess() {
        return Optional.ofNullable(refreshTtlOnAccess);
    }

    /**
     * The tags.
     *
     * @return the tags; empty if none
     */
    public Set<String> tags() {
        return tags;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EntryOptions that && Objects.equals(ttl, that.ttl)
                && Objects.equals(refreshTtlOnAccess, that.refreshTtlOnAccess) && tags.equals(that.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, refreshTtlOnAccess, tags);
    }

    @Override
    public String toString() {
        return "EntryOptions[ttl=" + ttl + ", refreshTtlOnAccess=" + refreshTtlOnAccess + ", tags=" + tags + "]";
    }
}
