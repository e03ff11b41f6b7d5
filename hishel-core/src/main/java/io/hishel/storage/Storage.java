package io.hishel.storage;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where entries live: stored responses, grouped under their {@link CacheKey}, with bodies kept as
 * chunks that are written and read as streams.
 *
 * <p>The contract every implementation keeps, and that its tests prove:
 * <ul>
 *   <li><b>Atomic visibility.</b> An entry becomes visible only when its writer
 *       {@linkplain EntryWriter#commit() commits}, together with the last chunk of its body.
 *       Until then, after an {@linkplain EntryWriter#abort() abort}, or after a crash in between,
 *       no method returns it.</li>
 *   <li><b>Streaming.</b> No implementation holds a whole body in memory to write or read it
 *       (the memory storage holds it as its value, in chunks).</li>
 *   <li><b>Expiry.</b> An entry past its TTL is never returned. A hit
 *       ({@link #recordAccess}) restarts the TTL of an entry that refreshes on access.</li>
 *   <li><b>Bounds.</b> The total size stays within the configured bound; the least recently used
 *       entries go first.</li>
 *   <li><b>Errors.</b> Failures surface as {@link StorageException}, within a bounded time; an
 *       entry whose stored data cannot be read is skipped and logged, never thrown to the caller.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe: one instance serves every request of an application, and
 * several instances may share one database where the implementation says so.
 */
public interface Storage extends AutoCloseable {

    /**
     * The visible entries stored under a key, in no particular order: committed, not removed, not
     * expired. Their bodies are not read.
     *
     * @param key the primary key
     * @return the entries; empty if none
     * @throws StorageException if the storage cannot be read
     */
    List<Entry> entries(CacheKey key);

    /**
     * Starts writing an entry. Nothing is visible until the writer commits.
     *
     * @param entry   the entry's metadata: its id, key, stored request and response headers
     * @param options its TTL, whether a hit refreshes it, and its tags
     * @return a writer for the body; close it (commit or abort) on every path
     * @throws StorageException if the storage cannot be written
     */
    EntryWriter create(Entry entry, EntryOptions options);

    /**
     * Opens the body of a visible entry for reading. Chunks are read as the stream is consumed.
     *
     * @param id the entry's id
     * @return the body, or empty if the entry is not visible
     * @throws StorageException if the storage cannot be read
     */
    Optional<StoredBody> openBody(UUID id);

    /**
     * Records that an entry answered a request: it becomes the most recently used, and its TTL
     * restarts if it refreshes on access. Implementations may apply this a little later, in
     * batches, but an entry is never considered expired while a recorded access keeps it alive.
     *
     * @param id the entry's id
     */
    void recordAccess(UUID id);

    /**
     * Replaces the stored request, response headers and times of an entry, keeping its body — the
     * freshening of RFC 9111 §4.3.4.
     *
     * @param entry the entry with its new metadata, same id
     * @return false if the entry is no longer visible
     * @throws StorageException if the storage cannot be written
     */
    boolean update(Entry entry);

    /**
     * Removes an entry (a soft delete: it is no longer returned, and its space is reclaimed by
     * {@link #cleanUp()}).
     *
     * @param id the entry's id
     * @return false if there was no such visible entry
     * @throws StorageException if the storage cannot be written
     */
    boolean remove(UUID id);

    /**
     * Removes every entry for a target URI: all methods and all variants (RFC 9111 §4.4).
     *
     * @param url the URI, compared in its {@linkplain CacheKey#normalizeUrl normalised} form
     * @return the number of entries removed
     * @throws StorageException if the storage cannot be written
     */
    long invalidate(URI url);

    /**
     * Removes every entry whose normalised URL starts with a prefix.
     *
     * @param urlPrefix for example {@code https://example.com/api/}
     * @return the number of entries removed
     * @throws StorageException if the storage cannot be written
     */
    long purgeByPrefix(String urlPrefix);

    /**
     * Removes every entry carrying a tag.
     *
     * @param tag a tag given in {@link EntryOptions#tags()}
     * @return the number of entries removed
     * @throws StorageException if the storage cannot be written
     */
    long purgeByTag(String tag);

    /**
     * Removes every entry.
     *
     * @return the number of entries removed
     * @throws StorageException if the storage cannot be written
     */
    long purgeAll();

    /**
     * How much is stored.
     *
     * @return the visible entries and the bytes their bodies take
     * @throws StorageException if the storage cannot be read
     */
    StorageStatistics statistics();

    /**
     * One page of the visible entries — committed, not removed, not expired — for an operator to
     * look through. Their bodies are not read.
     *
     * <p>The order is the most recently stored first, by {@link EntrySummary#storedAt()}; entries
     * stored at the same instant are ordered by id, descending in its text form, so that a page
     * always follows from the one before. Pages are read one at a time, not from a snapshot: an
     * entry stored, removed or freshened between two calls shifts the later pages by one, so an
     * entry may then appear twice or be missed.
     *
     * @param offset how many entries to skip, at least 0
     * @param limit  the most entries to return, 1 to 1000
     * @return the entries; fewer than {@code limit} at the end, or where an entry whose stored data
     *         cannot be read was skipped
     * @throws IllegalArgumentException if {@code offset} is negative or {@code limit} out of range;
     *                                  the message names the argument and its value
     * @throws StorageException         if the storage cannot be read
     */
    List<EntrySummary> list(int offset, int limit);

    /**
     * Runs one bounded round of clean-up now: expired entries, entries removed longer ago than the
     * retention, incomplete entries older than an hour, orphaned chunks, and eviction down to the
     * size bound. Implementations also run it on a schedule.
     *
     * @return what was deleted
     * @throws StorageException if the storage cannot be written
     */
    CleanupResult cleanUp();

    /**
     * Stops the schedule and releases connections. Writers still open are aborted.
     */
    @Override
    void close();
}
