package io.hishel.jdbc;

import io.hishel.storage.CorruptBodyException;
import io.hishel.storage.EntryCodec;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What becomes of an entry whose stored data cannot be read — its metadata cannot be decoded, or
 * its body's bytes do not match their checksums: it is left out of what is returned,
 * logged once with a warning, and removed, so that a bad row neither fails requests nor fills the
 * log. The ids already reported are remembered up to a bound; past it, bad rows are still left
 * out, but no longer logged. Thread-safe.
 */
final class CorruptEntries {

    private static final int MAX_REPORTED = 10_000;

    private final String description;
    private final Transactions transactions;
    private final Consumer<UUID> remove;
    private final Set<UUID> reported = ConcurrentHashMap.newKeySet();
    private final LongAdder corruptBodies = new LongAdder();

    /**
     * @param remove how to remove an entry; a failure is logged, not thrown
     */
    CorruptEntries(String description, Transactions transactions, Consumer<UUID> remove) {
        this.description = description;
        this.transactions = transactions;
        this.remove = remove;
    }

    /**
     * Reports a body whose bytes are not those written: logged once, removed, counted.
     *
     * @param id the entry
     * @param e  what did not match
     */
    void report(UUID id, CorruptBodyException e) {
        corruptBodies.increment();
        if (reported.size() < MAX_REPORTED && reported.add(id)) {
            Transactions.LOG.warn("{}: a stored body is damaged; its entry is removed. {}", description, e.getMessage());
        }
        transactions.quietly("remove an entry with a damaged body", () -> remove.accept(id));
    }

    /** How many damaged bodies readers found since the storage opened. */
    long corruptBodies() {
        return corruptBodies.sum();
    }

    void report(UUID id, EntryCodec.CorruptEntryException e) {
        if (reported.size() < MAX_REPORTED && reported.add(id)) {
            Transactions.LOG.warn("{}: skipping an entry whose stored data cannot be read; it is removed. {}",
                    description, e.getMessage());
            transactions.quietly("remove a corrupt entry", () -> remove.accept(id));
        }
    }
}
