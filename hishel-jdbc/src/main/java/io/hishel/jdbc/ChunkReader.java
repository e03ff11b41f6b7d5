package io.hishel.jdbc;

import io.hishel.storage.BodyChecksum;
import io.hishel.storage.CorruptBodyException;
import io.hishel.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.UUID;

/**
 * The body of one entry as a stream: fetches chunk 0, 1, 2 … one at a time as it is consumed,
 * each with a short query of its own, until the entry's size is delivered, so that no more than
 * one chunk is in memory; a first chunk the look-up read with the entry is not fetched again.
 * Each chunk is checked against its checksum before any of its bytes is handed on, and the last
 * one against the body's ({@link BodyChecksum}): a mismatch ends the
 * stream with a {@link CorruptBodyException} and removes the entry. A chunk that is missing — the
 * entry was deleted while it was read, longer than the read grace after its removal — ends the
 * stream with an {@link IOException}, as does a failure of the storage.
 *
 * <p>Not thread-safe: one response reads one body.
 */
final class ChunkReader extends InputStream {

    private final UUID id;
    private final long size;
    private final int bodyChecksum;
    /** The first chunk as the look-up read it, until it is taken; null once taken, or if it was not read. */
    private Lookup.FirstChunk first;
    private final Transactions transactions;
    private final CorruptEntries corrupt;
    private final BodyChecksum checksum = new BodyChecksum();
    private byte[] chunk = new byte[0];
    private int position;
    private int nextChunk;
    private long delivered;
    private int storedChecksum;

    /**
     * @param body    the body's size and checksum, as its committed row says, and its first chunk
     *                if the look-up read it
     * @param corrupt where a damaged body is reported
     */
    ChunkReader(UUID id, Lookup.Body body, Transactions transactions, CorruptEntries corrupt) {
        this.id = id;
        this.size = body.size();
        this.bodyChecksum = body.checksum();
        this.first = body.first();
        this.transactions = transactions;
        this.corrupt = corrupt;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        if (position == chunk.length) {
            if (delivered >= size) {
                return -1;
            }
            byte[] fetched = fetch(nextChunk);
            try {
                checksum.verify(id, nextChunk, fetched, storedChecksum, size, bodyChecksum);
            } catch (CorruptBodyException e) {
                corrupt.report(id, e);
                throw e;
            }
            nextChunk++;
            chunk = fetched;
            position = 0;
        }
        int n = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, target, offset, n);
        position += n;
        delivered += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0 || delivered >= size) {
            return 0;
        }
        long target = Math.min(size, delivered + n);
        long skipped = target - delivered;
        if (skipped <= chunk.length - position) {
            position += (int) skipped;
            delivered = target;
            return skipped;
        }
        if (target == size) {
            chunk = new byte[0];
            position = 0;
            delivered = size;
            return skipped;
        }
        long chunkLength = firstChunkLength();
        int number = (int) (target / chunkLength);
        long start = number * chunkLength;
        byte[] fetched = fetch(number);
        checksum.skipTo(number, start);
        try {
            checksum.verify(id, number, fetched, storedChecksum, size, bodyChecksum);
        } catch (CorruptBodyException e) {
            corrupt.report(id, e);
            throw e;
        }
        chunk = fetched;
        nextChunk = number + 1;
        position = (int) (target - start);
        delivered = target;
        return skipped;
    }

    private long firstChunkLength() throws IOException {
        if (first != null) {
            return first.bytes().length;
        }
        try {
            Long length = transactions.read("measure the chunks of entry " + id, connection -> {
                try (PreparedStatement select = connection.prepareStatement(Sql.FIRST_CHUNK_LENGTH)) {
                    transactions.dialect().bindId(select, 1, id);
                    select.setInt(2, Sql.BODY);
                    try (ResultSet result = select.executeQuery()) {
                        return result.next() ? result.getLong(1) : null;
                    }
                }
            });
            if (length == null || length <= 0) {
                throw new IOException(transactions.description() + ": the first chunk of entry " + id
                        + " is missing; the entry was deleted while it was read");
            }
            return length;
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Fetches a chunk, and keeps its stored checksum in {@link #storedChecksum}. */
    private byte[] fetch(int number) throws IOException {
        try {
            byte[] bytes = number == 0 && first != null ? takeFirst() : select(number);
            if (bytes == null || bytes.length == 0) {
                throw new IOException(transactions.description() + ": chunk " + number + " of entry " + id
                        + " is missing; the entry was deleted while it was read");
            }
            return bytes;
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The first chunk the look-up read, handed on once and then let go: a reader moves only forward. */
    private byte[] takeFirst() {
        Lookup.FirstChunk taken = first;
        first = null;
        storedChecksum = taken.checksum();
        return taken.bytes();
    }

    private byte[] select(int number) {
        return transactions.query("read chunk " + number + " of entry " + id, Sql.SELECT_CHUNK, select -> {
            transactions.dialect().bindId(select, 1, id);
            select.setInt(2, Sql.BODY);
            select.setInt(3, number);
            try (ResultSet result = select.executeQuery()) {
                if (!result.next()) {
                    return null;
                }
                storedChecksum = result.getInt(2);
                return result.getBytes(1);
            }
        });
    }
}
