package io.hishel.storage;

/**
 * What one round of {@link Storage#cleanUp()} deleted.
 *
 * @param expired    entries past their TTL
 * @param removed    entries removed longer ago than the retention
 * @param incomplete entries whose writing never finished, older than the incomplete grace
 * @param orphanedChunks chunks without an entry
 * @param evicted    entries evicted to stay within the size bound
 */
public record CleanupResult(long expired, long removed, long incomplete, long orphanedChunks, long evicted) {

    /** Nothing deleted. */
    public static final CleanupResult NOTHING = new CleanupResult(0, 0, 0, 0, 0);

    /**
     * The sum of everything deleted.
     *
     * @return the total count
     */
    public long total() {
        return expired + removed + incomplete + orphanedChunks + evicted;
    }
}
