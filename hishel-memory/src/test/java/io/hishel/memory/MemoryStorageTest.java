package io.hishel.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageContract;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import org.junit.jupiter.api.Test;

class MemoryStorageTest extends StorageContract {

    @Override
    protected Storage newStorage(StorageOptions options) {
        return new MemoryStorage(options);
    }

    @Test
    void refusesAnEntryLargerThanTheWholeStorage() {
        Storage storage = storage(options().maxBytes(10_000).build());
        Entry entry = entry("https://example.com/huge");

        try (EntryWriter writer = storage.create(entry, EntryOptions.defaults())) {
            // Refused as soon as what the writer holds outgrows the storage, not after the whole body.
            assertThatThrownBy(() -> {
                writer.write(bytes(20_000, 1));
                writer.commit();
            }).isInstanceOf(StorageException.class).hasMessageContaining("does not fit in a memory storage of 10000");
        }
        assertThat(storage.entries(entry.key())).isEmpty();
    }

    @Test
    void lookupsDoNotCountAsUse() {
        Storage storage = storage(options().defaultTtl(java.time.Duration.ofMinutes(1)).build());
        Entry entry = put(storage, entry("https://example.com/a"), bytes(10, 1));

        clock.advanceSeconds(50);
        storage.entries(entry.key());
        storage.openBody(entry.id());
        clock.advanceSeconds(10);

        assertThat(storage.entries(entry.key())).isEmpty();
    }

    @Test
    void theBoundCountsWhatAnEntryHoldsBeyondItsBody() {
        long bound = 1 << 20;
        Storage storage = storage(options().maxBytes(bound).build());

        for (int i = 0; i < 1000; i++) {
            put(storage, entry("https://example.com/items/" + i), bytes(1024, i));
        }

        // Each 1 KiB entry holds well over 600 bytes of metadata on the heap; counting only its
        // body plus a flat 512 bytes let 682 of them into a 1 MiB bound.
        long entries = storage.statistics().entries();
        assertThat(entries).isLessThanOrEqualTo(bound / (1024 + 600)).isGreaterThan(bound / (1024 + 2048));
    }
}
