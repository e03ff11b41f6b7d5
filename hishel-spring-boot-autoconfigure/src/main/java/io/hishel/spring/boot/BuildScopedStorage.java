package io.hishel.spring.boot;

import io.hishel.storage.CacheKey;
import io.hishel.storage.CleanupResult;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntrySummary;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageStatistics;
import io.hishel.storage.StoredBody;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A storage whose entries belong to one build of the application: the build's identifier is part
 * of every key it looks up and writes, so after a redeploy the new version never finds what the
 * old one stored (a static resource, a page rendered by the old templates). Entries of other builds
 * stay until their TTL, the clean-up or the size bound removes them; purges and invalidations,
 * which go by URL and tag, reach every build's entries. Thread-safe as the storage it wraps.
 */
final class BuildScopedStorage implements Storage {

    private final Storage storage;
    private final String suffix;

    BuildScopedStorage(Storage storage, String buildId) {
        this.storage = storage;
        this.suffix = " build=" + buildId;
    }

    /** The storage the entries are in. */
    Storage storage() {
        return storage;
    }

    @Override
    public List<Entry> entries(CacheKey key) {
        // As stored, scoped key and all: neither the filter nor the engine reads a found entry's key,
        // update() takes it back as it is, and a hit allocates no copy of each candidate.
        return storage.entries(scoped(key));
    }

    @Override
    public EntryWriter create(Entry entry, EntryOptions options) {
        return storage.create(withKey(entry, scoped(entry.key())), options);
    }

    @Override
    public Optional<StoredBody> openBody(UUID id) {
        return storage.openBody(id);
    }

    @Override
    public void recordAccess(UUID id) {
        storage.recordAccess(id);
    }

    @Override
    public boolean update(Entry entry) {
        return storage.update(withKey(entry, scoped(entry.key())));
    }

    @Override
    public boolean remove(UUID id) {
        return storage.remove(id);
    }

    @Override
    public long invalidate(URI url) {
        return storage.invalidate(url);
    }

    @Override
    public long purgeByPrefix(String urlPrefix) {
        return storage.purgeByPrefix(urlPrefix);
    }

    @Override
    public long purgeByTag(String tag) {
        return storage.purgeByTag(tag);
    }

    @Override
    public long purgeAll() {
        return storage.purgeAll();
    }

    @Override
    public StorageStatistics statistics() {
        return storage.statistics();
    }

    @Override
    public List<EntrySummary> list(int offset, int limit) {
        return storage.list(offset, limit);
    }

    @Override
    public CleanupResult cleanUp() {
        return storage.cleanUp();
    }

    /** The application closes the storage bean; this view of it holds nothing of its own. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return storage.toString();
    }

    private CacheKey scoped(CacheKey key) {
        return key.value().endsWith(suffix) ? key : new CacheKey(key.value() + suffix);
    }

    private static Entry withKey(Entry entry, CacheKey key) {
        return entry.key().equals(key) ? entry
                : new Entry(entry.id(), key, entry.request(), entry.response(), entry.requestTime(), entry.responseTime());
    }
}
