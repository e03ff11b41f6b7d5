package io.hishel.storage;

/**
 * How much a storage holds.
 *
 * @param entries the number of visible entries
 * @param bytes   the bytes their bodies take
 */
public record StorageStatistics(long entries, long bytes) {
}
