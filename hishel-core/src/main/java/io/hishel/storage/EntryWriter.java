package io.hishel.storage;

import java.io.Closeable;

/**
 * Writes the body of one entry, chunk by chunk, then makes the entry visible with
 * {@link #commit()}. Whatever happens, {@link #close()} it: closing a writer that did not commit
 * aborts it, so an exception in the application or a client that went away leaves nothing
 * behind.
 *
 * <p>Not thread-safe: one request writes one entry.
 */
public interface EntryWriter extends Closeable {

    /**
     * Appends bytes to the body.
     *
     * @param bytes  the bytes
     * @param offset where they start
     * @param length how many
     * @throws StorageException      if the storage cannot be written; the entry is then aborted
     * @throws IllegalStateException after commit or abort
     */
    void write(byte[] bytes, int offset, int length);

    /**
     * Appends bytes to the body.
     *
     * @param bytes the bytes
     * @throws StorageException      if the storage cannot be written
     * @throws IllegalStateException after commit or abort
     */
    default void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /**
     * The number of body bytes written so far.
     *
     * @return the size
     */
    long size();

    /**
     * Writes the rest of the body and makes the entry visible, atomically.
     *
     * @throws StorageException      if the storage cannot be written; the entry is then not visible
     * @throws IllegalStateException after abort, or a second time
     */
    void commit();

    /**
     * Discards the entry; nothing of it becomes visible. Does nothing after commit or abort.
     */
    void abort();

    /** Aborts unless committed. */
    @Override
    void close();
}
