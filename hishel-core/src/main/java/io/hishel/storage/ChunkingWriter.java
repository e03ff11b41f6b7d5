package io.hishel.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * The part of an {@link EntryWriter} every storage shares: cutting the body into chunks of a
 * fixed size, holding at most one chunk, growing it with the body (most bodies are far smaller
 * than a chunk), and the rules of commit, abort and close. A storage supplies where chunks go.
 *
 * <p>If writing a chunk or committing throws, the entry is aborted before the exception
 * propagates. Not thread-safe: one request writes one entry.
 */
public abstract class ChunkingWriter implements EntryWriter {

    private final int chunkSize;
    private byte[] buffer = new byte[0];
    private int buffered;
    private int chunkNumber;
    private long size;
    private boolean done;

    /**
     * Creates a writer.
     *
     * @param chunkSize the size of every chunk but the last
     */
    protected ChunkingWriter(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive, but was " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    /**
     * Stores a full chunk.
     *
     * @param number the chunk's number, from 0
     * @param chunk  the bytes, exactly one chunk; the callee may keep the array
     */
    protected abstract void writeChunk(int number, byte[] chunk);

    /**
     * Stores the last chunk, if any, and makes the entry visible, atomically.
     *
     * @param number     the last chunk's number
     * @param last       the last chunk's bytes, possibly empty; the callee may keep the array
     * @param size       the body's total size
     */
    protected abstract void commitEntry(int number, byte[] last, long size);

    /** Discards everything stored of the entry. Must not throw. */
    protected abstract void abortEntry();

    @Override
    public final void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        requireOpen();
        try {
            while (length > 0) {
                if (buffered == buffer.length) {
                    int grown = Math.max(1024, Math.max(length, buffer.length * 2));
                    buffer = Arrays.copyOf(buffer, Math.min(chunkSize, grown));
                }
                int n = Math.min(length, buffer.length - buffered);
                System.arraycopy(bytes, offset, buffer, buffered, n);
                buffered += n;
                offset += n;
                length -= n;
                size += n;
                if (buffered == chunkSize) {
                    byte[] full = buffer;
                    // The chunk is handed over; a body that filled one will fill the next.
                    buffer = new byte[chunkSize];
                    buffered = 0;
                    writeChunk(chunkNumber++, full);
                }
            }
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final void commit() {
        requireOpen();
        done = true;
        try {
            commitEntry(chunkNumber, Arrays.copyOf(buffer, buffered), size);
        } catch (RuntimeException e) {
            abortEntry();
            throw e;
        } finally {
            buffer = null;
        }
    }

    @Override
    public final void abort() {
        if (done) {
            return;
        }
        done = true;
        buffer = null;
        abortEntry();
    }

    @Override
    public final void close() {
        abort();
    }

    private void requireOpen() {
        if (done) {
            throw new IllegalStateException("The entry was already committed or aborted");
        }
    }
}
