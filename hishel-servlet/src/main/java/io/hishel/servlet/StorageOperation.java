package io.hishel.servlet;

/**
 * The calls the filter makes to its storage: a stable token for metrics and
 * {@link StorageObserver}, and a phrase for log messages ("failed to open a body").
 */
enum StorageOperation {
    LOOKUP("lookup", "read entries"),
    OPEN_BODY("open-body", "open a body"),
    READ_BODY("read-body", "read a body"),
    RECORD_ACCESS("record-access", "record a hit"),
    CREATE("create", "start an entry"),
    WRITE_BODY("write-body", "write a body"),
    COMMIT("commit", "store an entry"),
    UPDATE("update", "freshen an entry"),
    REMOVE("remove", "remove an obsolete entry"),
    INVALIDATE("invalidate", "invalidate stored responses");

    private final String token;
    private final String phrase;

    StorageOperation(String token, String phrase) {
        this.token = token;
        this.phrase = phrase;
    }

    /** The name metrics and observers see, such as {@code open-body}. */
    String token() {
        return token;
    }

    /** What the storage was asked to do, for a log line. */
    @Override
    public String toString() {
        return phrase;
    }
}
