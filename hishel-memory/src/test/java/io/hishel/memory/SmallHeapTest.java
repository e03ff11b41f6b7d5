package io.hishel.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.ChildJvm;
import io.hishel.http.Response;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredRequest;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The memory storage never takes the heap: a bound larger than a quarter of the maximum heap is
 * capped, and an entry that does not fit is refused while it is written, not after its whole body
 * was held. Proven in a JVM of 64 MiB with the default bound of 256 MiB and 20 MiB bodies.
 */
class SmallHeapTest {

    @Test
    void aBoundLargerThanAQuarterOfTheHeapIsCappedAndOversizedEntriesAreRefusedWhileWritten() throws Exception {
        ChildJvm child = ChildJvm.start("64m", SmallHeapTest.class);

        String result = child.awaitLine("RESULT");

        assertThat(child.awaitExit()).isZero();
        assertThat(result).isEqualTo("RESULT stored=0 refused=20 small=50");
    }

    @Test
    void theCapIsAQuarterOfTheMaximumHeap() {
        assertThat(MemoryStorage.heapSafeBound(256L << 20, 64L << 20)).isEqualTo(16L << 20);
        assertThat(MemoryStorage.heapSafeBound(8L << 20, 64L << 20)).isEqualTo(8L << 20);
        assertThat(MemoryStorage.heapSafeBound(256L << 20, Long.MAX_VALUE)).isEqualTo(256L << 20);
    }

    /** In the child: 20 bodies of 20 MiB, then 50 of 64 KiB, into a storage with the default bound. */
    public static void main(String[] args) throws Exception {
        MemoryStorage storage = new MemoryStorage(StorageOptions.defaults());
        int stored = 0;
        int refused = 0;
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 20; i++) {
            try (EntryWriter writer = storage.create(entry(i), EntryOptions.defaults())) {
                for (int written = 0; written < 20 << 20; written += chunk.length) {
                    writer.write(chunk, 0, chunk.length);
                }
                writer.commit();
                stored++;
            } catch (StorageException doesNotFit) {
                refused++;
            }
        }
        int small = 0;
        for (int i = 100; i < 150; i++) {
            try (EntryWriter writer = storage.create(entry(i), EntryOptions.defaults())) {
                writer.write(chunk, 0, chunk.length);
                writer.commit();
                small++;
            }
        }
        System.out.println("RESULT stored=" + stored + " refused=" + refused + " small=" + small);
    }

    private static Entry entry(int i) {
        URI url = URI.create("https://example.com/big/" + i);
        Instant now = Instant.now();
        return new Entry(UUID.randomUUID(), new CacheKey("GET " + url), new StoredRequest("GET", url, ""),
                Response.of(200, "Cache-Control", "max-age=60"), now, now);
    }
}
