package io.hishel.redis;

import io.hishel.storage.BodyChecksum;
import io.hishel.storage.CorruptBodyException;
import io.hishel.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * The body of one entry as a stream, one chunk fetched at a time from the entry's body hash, each
 * checked against its checksum before any of its bytes is handed on, the whole body with the last
 * chunk. A chunk that is gone — Redis evicted or expired the body after the reader opened it —
 * ends the stream with an {@link IOException}, never early: a reader gets the whole body or a
 * failure, not a shorter body. Not thread-safe.
 */
final class ChunkReader extends InputStream {

    private final StorageScript script;
    private final UUID id;
    private final long size;
    private final int chunks;
    private final int bodyChecksum;
    private final Runnable removeCorrupt;
    private final BodyChecksum checksum = new BodyChecksum();
    private byte[] chunk = new byte[0];
    private int position;
    private int next;
    private long fetched;
    private boolean closed;

    ChunkReader(StorageScript script, UUID id, long size, int chunks, int bodyChecksum, Runnable removeCorrupt) {
        this.script = script;
        this.id = id;
        this.size = size;
        this.chunks = chunks;
        this.bodyChecksum = bodyChecksum;
        this.removeCorrupt = removeCorrupt;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return chunk[position++] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, bytes, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return chunk.length - position;
    }

    @Override
    public void close() {
        closed = true;
        chunk = new byte[0];
    }

    /** Makes sure bytes are at hand; false at the end of the body. */
    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("The body of entry " + id + " was closed");
        }
        while (position == chunk.length) {
            if (next == chunks) {
                if (fetched != size) {
                    throw new CorruptBodyException("The body of entry " + id + " ended after " + fetched
                            + " of its " + size + " bytes");
                }
                return false;
            }
            byte[] stored;
            try {
                stored = script.field("b:" + id, Integer.toString(next), "read chunk " + next + " of entry " + id);
            } catch (StorageException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (stored == null || stored.length < 4) {
                throw new IOException(new StorageException(script.description() + " lost chunk " + next
                        + " of the body of entry " + id + " while it was read: Redis evicted or expired it"));
            }
            int expected = (stored[0] & 0xff) << 24 | (stored[1] & 0xff) << 16 | (stored[2] & 0xff) << 8
                    | stored[3] & 0xff;
            byte[] bytes = Arrays.copyOfRange(stored, 4, stored.length);
            try {
                checksum.verify(id, next, bytes, expected, size, bodyChecksum);
            } catch (CorruptBodyException e) {
                removeCorrupt.run();
                throw e;
            }
            chunk = bytes;
            fetched += bytes.length;
            position = 0;
            next++;
        }
        return true;
    }
}
