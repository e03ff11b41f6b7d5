package io.hishel.servlet;

import io.hishel.storage.CacheKey;
import io.hishel.storage.CleanupResult;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntrySummary;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageStatistics;
import io.hishel.storage.StoredBody;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** A storage that works until the test breaks it: every call then throws, as a dead database would. */
final class BreakableStorage implements Storage {

    private final Storage delegate;
    volatile boolean broken;
    /** Writes fail but reads work: a full disk. */
    volatile boolean writesBroken;
    /** Lookups work, but bodies cannot be opened: a database that stops between the two. */
    volatile boolean opensBroken;
    /** Bodies are gone (evicted between the lookup and the read). */
    volatile boolean bodiesGone;
    /** Bodies break after this many bytes have been read (a corrupt chunk, a database that stops); -1 for never. */
    volatile long readsFailAfter = -1;
    final AtomicInteger calls = new AtomicInteger();
    /** Body writes refused while {@link #writesBroken}. */
    final AtomicInteger refusedWrites = new AtomicInteger();

    BreakableStorage(Storage delegate) {
        this.delegate = delegate;
    }

    private void check() {
        calls.incrementAndGet();
        if (broken) {
            throw new StorageException("connection refused (broken by the test)");
        }
    }

    @Override
    public List<Entry> entries(CacheKey key) {
        check();
        return delegate.entries(key);
    }

    @Override
    public EntryWriter create(Entry entry, EntryOptions options) {
        check();
        EntryWriter writer = delegate.create(entry, options);
        return new EntryWriter() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (writesBroken) {
                    refusedWrites.incrementAndGet();
                    writer.abort();
                    throw new StorageException("disk full (broken by the test)");
                }
                writer.write(bytes, offset, length);
            }

            @Override
            public long size() {
                return writer.size();
            }

            @Override
            public void commit() {
                check();
                writer.commit();
            }

            @Override
            public void abort() {
                writer.abort();
            }

            @Override
            public void close() {
                writer.close();
            }
        };
    }

    @Override
    public Optional<StoredBody> openBody(UUID id) {
        check();
        if (opensBroken) {
            throw new StorageException("connection reset (broken by the test)");
        }
        if (bodiesGone) {
            return Optional.empty();
        }
        long failAfter = readsFailAfter;
        if (failAfter < 0) {
            return delegate.openBody(id);
        }
        return delegate.openBody(id).map(body -> new StoredBody(body.size(), new java.io.FilterInputStream(body.stream()) {
            private long read;

            @Override
            public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws java.io.IOException {
                if (read >= failAfter) {
                    throw new java.io.IOException("chunk unreadable (broken by the test)");
                }
                int n = super.read(bytes, offset, (int) Math.min(length, failAfter - read));
                read += Math.max(n, 0);
                return n;
            }
        }));
    }

    @Override
    public void recordAccess(UUID id) {
        check();
        delegate.recordAccess(id);
    }

    @Override
    public boolean update(Entry entry) {
        check();
        return delegate.update(entry);
    }

    @Override
    public boolean remove(UUID id) {
        check();
        return delegate.remove(id);
    }

    @Override
    public long invalidate(URI url) {
        check();
        return delegate.invalidate(url);
    }

    @Override
    public long purgeByPrefix(String urlPrefix) {
        check();
        return delegate.purgeByPrefix(urlPrefix);
    }

    @Override
    public long purgeByTag(String tag) {
        check();
        return delegate.purgeByTag(tag);
    }

    @Override
    public long purgeAll() {
        check();
        return delegate.purgeAll();
    }

    @Override
    public StorageStatistics statistics() {
        check();
        return delegate.statistics();
    }

    @Override
    public List<EntrySummary> list(int offset, int limit) {
        check();
        return delegate.list(offset, limit);
    }

    @Override
    public CleanupResult cleanUp() {
        check();
        return delegate.cleanUp();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
