package io.hishel.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What an operator sees of one stored entry in {@link Storage#list}: where it is stored, what it
 * holds, and how long the storage keeps it. Its body is not read.
 *
 * @param id        the storage's identity of the entry, as in {@link Entry#id()}
 * @param method    the method of the request that caused the response to be stored
 *                  ({@link StoredRequest#method()}); its key groups {@code HEAD} with {@code GET}
 * @param url       the target URI in its {@linkplain CacheKey#normalizeUrl normalised} form — the
 *                  form {@link Storage#invalidate} and {@link Storage#purgeByPrefix} compare, so a
 *                  prefix copied from here purges this entry
 * @param status    the stored response's status code
 * @param size      the bytes of the stored body, as {@link Storage#statistics()} counts them: the
 *                  metadata is not included
 * @param storedAt  the entry's {@link Entry#responseTime()}: when its response was received, or
 *                  when a validation last freshened it ({@link Storage#update}) —
 *                  {@code response_time} of RFC 9111 §4.2.3, not the moment the storage committed
 *                  the body. A storage that keeps times in milliseconds (the JDBC storage) gives it
 *                  to the millisecond
 * @param expiresAt when the storage's TTL ends and the entry stops being returned, as known when
 *                  listed: a hit moves it on for an entry that refreshes on access. {@code null}
 *                  when the entry has no TTL — neither {@link EntryOptions#ttl()} nor the
 *                  storage's {@link StorageOptions#defaultTtl()} gave one — and is kept until it
 *                  is removed, purged or evicted. This is the storage's TTL, not HTTP freshness:
 *                  the response may be stale (RFC 9111 §4.2) long before
 * @param tags      the tags it can be purged by ({@link EntryOptions#tags()}); empty if none
 */
public record EntrySummary(UUID id, String method, String url, int status, long size, Instant storedAt,
                           Instant expiresAt, Set<String> tags) {

    /**
     * Checks the components and copies the tags.
     *
     * @param id        the storage's identity of the entry
     * @param method    the method of the stored request
     * @param url       the normalised target URI
     * @param status    the stored response's status code
     * @param size      the bytes of the stored body
     * @param storedAt  the entry's response time
     * @param expiresAt when the storage's TTL ends, or {@code null} without a TTL
     * @param tags      the entry's tags; empty if none
     */
    public EntrySummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(storedAt, "storedAt");
        tags = Set.copyOf(Objects.requireNonNull(tags, "tags"));
    }
}
