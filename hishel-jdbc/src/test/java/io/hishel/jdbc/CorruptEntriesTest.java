package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.storage.EntryCodec;
import io.hishel.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An unreadable entry: left out, logged once, removed. */
class CorruptEntriesTest {

    private final Transactions transactions = new Transactions(null, Dialect.SQLITE, Duration.ofSeconds(1), "test storage");
    private final List<UUID> removed = new CopyOnWriteArrayList<>();

    @Test
    void reportsEachEntryOnceAndRemovesIt() {
        CorruptEntries corrupt = new CorruptEntries("test storage", transactions, removed::add);
        UUID id = UUID.randomUUID();

        String log = capturingErr(() -> {
            corrupt.report(id, new EntryCodec.CorruptEntryException(id, "bad magic"));
            corrupt.report(id, new EntryCodec.CorruptEntryException(id, "bad magic"));
        });

        assertThat(removed).containsExactly(id);
        assertThat(log.split(id.toString(), -1)).hasSize(2);
        assertThat(log).contains("WARN").contains("test storage: skipping an entry whose stored data cannot be read");
    }

    @Test
    void aRemovalThatFailsIsLoggedNotThrown() {
        CorruptEntries corrupt = new CorruptEntries("test storage", transactions, entry -> {
            throw new StorageException("the disk is full");
        });

        UUID id = UUID.randomUUID();

        String log = capturingErr(() -> corrupt.report(id, new EntryCodec.CorruptEntryException(id, "x")));

        assertThat(log).contains("could not remove a corrupt entry: the disk is full");
    }

    private static String capturingErr(Runnable action) {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(originalErr);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
