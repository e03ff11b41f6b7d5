/**
 * The storage SPI: {@link io.hishel.storage.Storage} keeps {@link io.hishel.storage.Entry entries}
 * under a {@link io.hishel.storage.CacheKey}, streams bodies in and out
 * ({@link io.hishel.storage.EntryWriter}, {@link io.hishel.storage.StoredBody}), and makes an entry
 * visible only once its body is complete. {@link io.hishel.storage.StorageOptions} bounds it;
 * {@link io.hishel.storage.EntryCodec} is the stable encoding storages persist entries in. Every
 * implementation passes the contract tests in this module's test jar ({@code StorageContract}).
 */
package io.hishel.storage;
