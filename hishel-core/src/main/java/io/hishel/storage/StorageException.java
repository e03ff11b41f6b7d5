package io.hishel.storage;

/**
 * A storage could not do what it was asked: the database is gone, a disk is full, a timeout
 * passed. The servlet filter catches it, logs it, and serves the request without the cache.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the storage and the operation
     * @param cause   the underlying failure, or {@code null}
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the storage and the operation
     */
    public StorageException(String message) {
        super(message);
    }
}
