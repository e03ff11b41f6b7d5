/**
 * The memory tier that the shared storages (hishel-jdbc, hishel-redis) keep in front of their
 * store: {@link io.hishel.memory.tier.Tier} and the {@link io.hishel.memory.tier.Change} a write
 * hands it. Public only so that those modules can use it: not an API, and it may change in any
 * release. Its settings are {@link io.hishel.memory.MemoryTier}.
 */
package io.hishel.memory.tier;
