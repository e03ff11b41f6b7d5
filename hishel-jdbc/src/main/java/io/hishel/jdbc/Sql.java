package io.hishel.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;

/**
 * Every statement the JDBC storage runs, one constant each, so that what the storage asks of the
 * database can be read in one place. The same text serves SQLite and PostgreSQL; what differs
 * between them — how an id is bound and read — is {@link Dialect}'s. Times are epoch
 * milliseconds. Constants only; thread-safe.
 */
final class Sql {

    /** The {@code kind} of a chunk that holds the response body, the only kind stored. */
    static final int BODY = 0;

    /**
     * Committed and not removed. Whether such an entry has expired is decided in Java, by
     * {@link AccessRecorder#alive}, because a hit not yet written may have restarted its TTL. The
     * partial index {@code hishel_entries_newest} has this condition: a query must repeat it for
     * the index to apply.
     */
    static final String COMMITTED_NOT_REMOVED = "completed_at IS NOT NULL AND deleted_at IS NULL";

    /**
     * What the storage SPI calls visible: committed, not removed, and not expired at the time bound
     * to its one parameter. For statements that run once recorded hits are written, when the
     * column says what {@link AccessRecorder#alive} would.
     */
    static final String VISIBLE = COMMITTED_NOT_REMOVED + " AND (expires_at IS NULL OR expires_at > ?)";

    // The hit path: look up (with a small body), open the body, read its chunks.

    /**
     * The entries under a key, each with what opening its body needs — its size and checksum — and,
     * for a body no larger than the bound first parameter, its first chunk and that chunk's
     * checksum: a small body comes with its entry, so that a hit is one statement. The chunk is
     * joined on the primary key of {@code hishel_streams}; for a larger body its columns are null.
     */
    static final String SELECT_ENTRIES = "SELECT e.id, e.data, e.expires_at, e.ttl_millis, e.refresh_ttl, e.size,"
            + " e.body_crc, s.chunk_data, s.chunk_crc FROM hishel_entries e LEFT JOIN hishel_streams s"
            + " ON s.entry_id = e.id AND s.kind = " + BODY + " AND s.chunk_number = 0 AND e.size <= ?"
            + " WHERE e.cache_key = ? AND " + COMMITTED_NOT_REMOVED;

    /** An entry without a body checksum was stored by a version before checksums: it is not served. */
    static final String SELECT_BODY_SIZE = "SELECT size, body_crc, expires_at, ttl_millis, refresh_ttl,"
            + " cache_key FROM hishel_entries WHERE id = ? AND body_crc IS NOT NULL AND " + COMMITTED_NOT_REMOVED;

    static final String SELECT_LIFETIME = "SELECT expires_at, ttl_millis, refresh_ttl, cache_key"
            + " FROM hishel_entries WHERE id = ? AND " + COMMITTED_NOT_REMOVED;

    static final String SELECT_CHUNK = "SELECT chunk_data, chunk_crc FROM hishel_streams"
            + " WHERE entry_id = ? AND kind = ? AND chunk_number = ?";

    /**
     * The length of a body's first chunk, which every chunk but the last has, so that a reader can
     * seek: both databases read it from the value's header, without the bytes.
     */
    static final String FIRST_CHUNK_LENGTH = "SELECT length(chunk_data) FROM hishel_streams"
            + " WHERE entry_id = ? AND kind = ? AND chunk_number = 0";

    // Writing: the row first, then the chunks, then the completion that makes it visible.

    static final String INSERT_ENTRY = "INSERT INTO hishel_entries"
            + " (id, cache_key, url, data, created_at, last_access, ttl_millis, refresh_ttl, response_time)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String INSERT_TAG = "INSERT INTO hishel_tags (entry_id, tag) VALUES (?, ?)";

    static final String INSERT_CHUNK = "INSERT INTO hishel_streams"
            + " (entry_id, kind, chunk_number, chunk_data, chunk_crc) VALUES (?, ?, ?, ?, ?)";

    /*
     * Purges leave marks in hishel_invalidations as invalidations do, under names no normalised URL
     * can have: a miss requested before a purge must not store the old version after it.
     */
    static final String TAG_MARK = "#tag:";
    static final String PREFIX_MARK = "#prefix:";
    static final String ALL_MARK = "#all";

    /**
     * Makes an entry visible — unless its URL, one of its tags, a prefix of its URL or everything
     * was invalidated or purged at or after the bound time (when its
     * request was sent, less the clocks' tolerance), or its request is older than the marks are
     * kept (the first flag): then the entry is committed removed, for a response the application
     * produced before an invalidation must not outlive it (RFC 9111 §4.4).
     */
    static final String COMPLETE_ENTRY = "UPDATE hishel_entries"
            + " SET completed_at = ?, last_access = ?, size = ?, expires_at = ?, body_crc = ?,"
            + " deleted_at = CASE WHEN deleted_at IS NULL AND (? = 1 OR EXISTS (SELECT 1 FROM hishel_invalidations i"
            + " WHERE i.invalidated_at >= ? AND (i.url = hishel_entries.url OR i.url = '" + ALL_MARK + "'"
            + " OR i.url IN (SELECT '" + TAG_MARK + "' || t.tag FROM hishel_tags t WHERE t.entry_id = hishel_entries.id)"
            + " OR (i.url LIKE '" + PREFIX_MARK + "%' AND substr(hishel_entries.url, 1, length(i.url) - "
            + PREFIX_MARK.length() + ") = substr(i.url, " + (PREFIX_MARK.length() + 1) + ")))))"
            + " THEN ? ELSE deleted_at END"
            + " WHERE id = ?";

    static final String UPDATE_METADATA = "UPDATE hishel_entries SET data = ?, response_time = ?"
            + " WHERE id = ? AND " + COMMITTED_NOT_REMOVED;

    /** A hit: the most recently used now, and, for an entry that refreshes on access, a TTL restarted. */
    static final String RECORD_HIT = "UPDATE hishel_entries SET last_access = ?,"
            + " expires_at = CASE WHEN refresh_ttl = 1 AND ttl_millis IS NOT NULL THEN ? + ttl_millis"
            + " ELSE expires_at END WHERE id = ? AND last_access < ?";

    // Removing: a soft delete marks rows, clean-up deletes them.

    static final String REMOVE_ENTRY = "UPDATE hishel_entries SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL";

    static final SoftDelete INVALIDATE_URL = new SoftDelete("url = ?");

    /** Records when a URL was invalidated; a mark never moves back, whichever instance's clock is behind. */
    static final String MARK_INVALIDATED = "INSERT INTO hishel_invalidations (url, invalidated_at) VALUES (?, ?)"
            + " ON CONFLICT (url) DO UPDATE SET invalidated_at = excluded.invalidated_at"
            + " WHERE excluded.invalidated_at > hishel_invalidations.invalidated_at";

    /** LIKE uses the index on PostgreSQL; substr keeps the comparison case-sensitive on SQLite. */
    static final SoftDelete PURGE_PREFIX = new SoftDelete("url LIKE ? ESCAPE '!' AND substr(url, 1, ?) = ?");

    static final SoftDelete PURGE_TAG = new SoftDelete("id IN (SELECT entry_id FROM hishel_tags WHERE tag = ?)");

    static final SoftDelete PURGE_ALL = new SoftDelete("1 = 1", true);

    // The operator's view.

    static final String STATISTICS = "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM hishel_entries WHERE " + VISIBLE;

    static final String LIST_PAGE = "SELECT id, cache_key, url, data, size, response_time, expires_at"
            + " FROM hishel_entries WHERE " + VISIBLE + " ORDER BY response_time DESC, id DESC LIMIT ? OFFSET ?";

    private static final String SELECT_TAGS_OF = "SELECT entry_id, tag FROM hishel_tags WHERE entry_id IN (";

    // Clean-up and eviction, a bounded batch at a time.

    /** Bound to a time a read grace before now: a reader that opened the entry before it expired still finishes. */
    static final String DELETE_EXPIRED = deleteBatch("expires_at <= ?");

    static final String DELETE_REMOVED = deleteBatch("deleted_at <= ?");

    /** PostgreSQL: statistics for the planner, which has none for tables filled faster than autovacuum looks. */
    static final String ANALYZE = "ANALYZE hishel_entries, hishel_streams, hishel_tags";

    static final String DELETE_OLD_MARKS = "DELETE FROM hishel_invalidations WHERE invalidated_at <= ?";

    static final String DELETE_INCOMPLETE = deleteBatch("completed_at IS NULL AND created_at <= ?");

    static final String DELETE_ORPHANED_CHUNKS = "DELETE FROM hishel_streams WHERE entry_id IN"
            + " (SELECT s.entry_id FROM hishel_streams s LEFT JOIN hishel_entries e ON e.id = s.entry_id"
            + " WHERE e.id IS NULL LIMIT ?)";

    /**
     * The least recently used committed entries, to be removed. An entry still being written is
     * never one: its writer would fail at commit, having cost the application's answer for nothing.
     */
    static final String EVICTION_CANDIDATES = "SELECT id, size, cache_key FROM hishel_entries WHERE "
            + COMMITTED_NOT_REMOVED + " ORDER BY last_access LIMIT ?";

    /** Removes evicted entries: their chunks stay for readers until clean-up deletes them a read grace later. */
    static final String EVICT_ENTRY = "UPDATE hishel_entries SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL";

    /**
     * Removed entries past the read grace (bound to a time a read grace before now), oldest
     * removal first: what may be deleted for good to make room.
     */
    static final String RECLAIM_CANDIDATES = "SELECT id, size FROM hishel_entries"
            + " WHERE deleted_at IS NOT NULL AND deleted_at <= ? ORDER BY deleted_at LIMIT ?";

    static final String DELETE_ENTRY = "DELETE FROM hishel_entries WHERE id = ?";

    /**
     * The entries not removed, which the bounds apply to, then every row: removed entries take
     * space until clean-up deletes them.
     */
    static final String MEASURE = "SELECT COUNT(CASE WHEN deleted_at IS NULL THEN 1 END),"
            + " COALESCE(SUM(CASE WHEN deleted_at IS NULL THEN size ELSE 0 END), 0),"
            + " COUNT(*), COALESCE(SUM(size), 0) FROM hishel_entries";

    private Sql() {
    }

    /** The tags of a page of entries; the page decides how many ids there are. */
    static String selectTagsOf(int ids) {
        return SELECT_TAGS_OF + String.join(", ", Collections.nCopies(ids, "?")) + ")";
    }

    private static String deleteBatch(String condition) {
        return "DELETE FROM hishel_entries WHERE id IN (SELECT id FROM hishel_entries WHERE " + condition + " LIMIT ?)";
    }

    static Long nullableLong(ResultSet result, int index) throws SQLException {
        long value = result.getLong(index);
        return result.wasNull() ? null : value;
    }

    static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
