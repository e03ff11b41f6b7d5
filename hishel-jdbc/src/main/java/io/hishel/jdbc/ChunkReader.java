package io.hishel.jdbc;

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
 * one chunk is in memory. A chunk that is missing — the entry was deleted while it was read —
 * ends the stream with an {@link IOException}, as does a failure of the storage.
 *
 * <p>Not thread-safe: one response reads one body.
 */
final class ChunkReader extends InputStream {

    private final UUID id;
    private final long size;
    private final Transactions transactions;
    private byte[] chunk = new byte[0];
    private int position;
    private int nextChunk;
    private long delivered;

    /**
     * @param size the body's size, as its committed row says
     */
    ChunkReader(UUID id, long size, Transactions transactions) {
        this.id = id;
        this.size = size;
        this.transactions = transactions;
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
            chunk = fetch(nextChunk++);
            position = 0;
        }
        int n = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, target, offset, n);
        position += n;
        delivered += n;
        return n;
    }

    private byte[] fetch(int number) throws IOException {
        try {
            byte[] bytes = transactions.read("read chunk " + number + " of entry " + id, connection -> {
                try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_CHUNK)) {
                    transactions.dialect().bindId(select, 1, id);
                    select.setInt(2, Sql.BODY);
                    select.setInt(3, number);
                    try (ResultSet result = select.executeQuery()) {
                        return result.next() ? result.getBytes(1) : null;
                    }
                }
            });
            if (bytes == null || bytes.length == 0) {
                throw new IOException(transactions.description() + ": chunk " + number + " of entry " + id
                        + " is missing; the entry was deleted while it was read");
            }
            return bytes;
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
