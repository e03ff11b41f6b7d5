package io.hishel.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Message content held in memory: an immutable sequence of bytes.
 *
 * <p>The engine never needs a body to decide anything; a body is carried only where someone has
 * read one on purpose (a body-keyed request, a filter that {@linkplain
 * io.hishel.policy.BaseFilter#needsBody() needs the body}). Streaming responses are never held
 * as a {@code Body}: stored bodies travel through the storage chunk by chunk.
 *
 * <p>Immutable and thread-safe.
 */
public final class Body {

    /** No content. */
    public static final Body EMPTY = new Body(new byte[0]);

    private final byte[] bytes;

    private Body(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A body holding a copy of these bytes.
     *
     * @param bytes the content
     * @return the body
     */
    public static Body of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Body(bytes.clone());
    }

    /**
     * A body holding this text encoded as UTF-8.
     *
     * @param text the content
     * @return the body
     */
    public static Body ofUtf8(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The number of bytes.
     *
     * @return the size
     */
    public int size() {
        return bytes.length;
    }

    /**
     * Whether there are no bytes.
     *
     * @return true if empty
     */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /**
     * A copy of the bytes.
     *
     * @return a new array the caller may change
     */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /**
     * A stream over the bytes, without copying them.
     *
     * @return a new stream
     */
    public InputStream openStream() {
        return new ByteArrayInputStream(bytes);
    }

    /** Bodies are equal when their bytes are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Body that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The size, not the content, which may be large or sensitive. */
    @Override
    public String toString() {
        return "Body[" + bytes.length + " bytes]";
    }
}
