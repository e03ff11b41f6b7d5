/**
 * {@link io.hishel.memory.MemoryStorage}: the storage on the heap, bounded by the bytes its entries
 * hold (Caffeine with a weigher), for one instance or for tests.
 */
package io.hishel.memory;
