package io.hishel.storage;

import java.io.IOException;

/**
 * Thrown while a stored body is read, when the bytes read are not the bytes that were written:
 * the storage's medium changed them. The stream has not handed on any byte of the chunk that
 * failed; the entry is removed. Callers treat it as any failed read — before the response is
 * sent, answer from the application; after, abort it — and may count it apart.
 */
public final class CorruptBodyException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what does not match, naming the entry
     */
    public CorruptBodyException(String message) {
        super(message);
    }
}
