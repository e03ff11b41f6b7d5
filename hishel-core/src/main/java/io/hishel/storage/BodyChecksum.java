package io.hishel.storage;

import java.util.zip.CRC32C;

/**
 * The checksums a storage keeps with a body, so that bytes its medium changed are never served:
 * a CRC32C of each chunk, taken over the chunk's number and its bytes — a chunk read back in the
 * wrong place fails as a changed one does — and a CRC32C of the whole body. A writer gives each
 * chunk, in order, to {@link #chunk}, and stores what it returns with the chunk and
 * {@link #body()} with the entry; a reader gives each chunk it fetched to {@link #verify}, which
 * checks the body too once the last chunk is in, before any byte of it is handed on. CRC32C is
 * computed by a processor instruction where there is one (SSE 4.2, ARMv8): some 10 GB/s, so a
 * 64 KiB chunk costs microseconds.
 *
 * <p>Not thread-safe: one writer or one reader uses one.
 */
public final class BodyChecksum {

    private final CRC32C whole = new CRC32C();
    private final CRC32C part = new CRC32C();
    private final byte[] numberBytes = new byte[4];
    private int nextChunk;
    private long length;
    /** Whether the reader skipped chunks, so that the whole body cannot be checked. */
    private boolean partial;

    /**
     * Takes the next chunk of a body being written.
     *
     * @param number the chunk's number, from 0, one after the other
     * @param bytes  the chunk's bytes
     * @return the checksum to store with it
     * @throws IllegalStateException if chunks are given out of order
     */
    public int chunk(int number, byte[] bytes) {
        if (number != nextChunk) {
            throw new IllegalStateException("chunk " + number + " given where chunk " + nextChunk + " comes next");
        }
        nextChunk++;
        length += bytes.length;
        whole.update(bytes, 0, bytes.length);
        return chunkChecksum(number, bytes);
    }

    /**
     * The checksum of the bytes given so far, the whole body once the last chunk is in.
     *
     * @return the CRC32C of the body, as a Java {@code int}
     */
    public int body() {
        return (int) whole.getValue();
    }

    /**
     * A reader that starts at a later chunk — to answer a range, say — skipped the chunks before:
     * from here on each chunk is still checked, the whole body no more.
     *
     * @param number the chunk the reader goes on with
     * @param offset the offset of that chunk's first byte in the body
     */
    public void skipTo(int number, long offset) {
        nextChunk = number;
        length = offset;
        partial = true;
    }

    /**
     * Checks the next chunk of a body being read, and, with the last one, the body.
     *
     * @param entry    the entry's id, for the message
     * @param number   the chunk's number, from 0, one after the other
     * @param bytes    the chunk as read
     * @param expected the checksum stored with the chunk
     * @param size     the body's size as stored: the chunk that reaches it is the last
     * @param body     the body's checksum as stored
     * @throws CorruptBodyException if the chunk, or the body it completes, is not what was written
     */
    public void verify(Object entry, int number, byte[] bytes, int expected, long size, int body)
            throws CorruptBodyException {
        int actual = chunk(number, bytes);
        if (actual != expected) {
            throw new CorruptBodyException("Chunk " + number + " of the body of entry " + entry
                    + " is not what was stored: its checksum is " + hex(actual) + ", stored " + hex(expected));
        }
        if (length > size) {
            throw new CorruptBodyException("The body of entry " + entry + " is longer than its stored size, "
                    + size + " bytes");
        }
        if (length == size && !partial && body() != body) {
            throw new CorruptBodyException("The body of entry " + entry + " is not what was stored: its checksum is "
                    + hex(body()) + ", stored " + hex(body));
        }
    }

    private int chunkChecksum(int number, byte[] bytes) {
        numberBytes[0] = (byte) (number >>> 24);
        numberBytes[1] = (byte) (number >>> 16);
        numberBytes[2] = (byte) (number >>> 8);
        numberBytes[3] = (byte) number;
        part.reset();
        part.update(numberBytes, 0, 4);
        part.update(bytes, 0, bytes.length);
        return (int) part.getValue();
    }

    private static String hex(int checksum) {
        return String.format("%08x", checksum);
    }
}
