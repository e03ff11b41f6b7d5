/**
 * {@link io.hishel.redis.RedisStorage}: the storage in Redis, through Lettuce, for a fleet of
 * instances that shares one cache; its builder is the public entry point.
 *
 * <p>Inside, {@code storage.lua} is every operation that changes more than one key, run
 * atomically by Redis; {@code StorageScript} runs it on the storage's one connection and turns
 * every failure of Redis into a {@code StorageException}; {@code ChunkReader} streams a body back,
 * one checked chunk at a time. In front of it all, the memory tier ({@code io.hishel.memory.tier},
 * shared with the JDBC storage) forgets what every write changed, and {@code TierChannel} tells the
 * other instances' tiers on the prefix's pub/sub channel, and theirs to this one.
 */
package io.hishel.redis;
