package io.hishel.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The body of a stored entry, read lazily: chunks are fetched as the stream is consumed. Close it
 * when done.
 *
 * @param size   the number of bytes the body holds
 * @param stream the bytes; reading it may throw an {@link IOException} wrapping a
 *               {@link StorageException}, for example if the entry was evicted meanwhile
 */
public record StoredBody(long size, InputStream stream) implements Closeable {

    /**
     * Checks the components.
     *
     * @param size   the number of bytes the body holds
     * @param stream the bytes
     */
    public StoredBody {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, but was " + size);
        }
        Objects.requireNonNull(stream, "stream");
    }

    /** Closes the stream. */
    @Override
    public void close() throws IOException {
        stream.close();
    }
}
