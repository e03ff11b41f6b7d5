package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hishel.storage.BodyChecksum;
import io.hishel.storage.CacheKey;
import io.hishel.storage.CorruptBodyException;
import io.hishel.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body streamed back chunk by chunk, up to its size. */
class ChunkReaderTest {

    @TempDir
    Path folder;

    private SqliteTables tables;
    private static final CacheKey KEY = new CacheKey("GET https://example.com/");
    private final UUID id = UUID.randomUUID();
    private final List<UUID> removed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        tables = new SqliteTables(folder.resolve("chunks.db"));
        tables.insertEntry(id, 0L, null, null, false);
    }

    @AfterEach
    void close() {
        tables.close();
    }

    private int bodyChecksum;

    /** Stores the chunks with their checksums, and keeps the body's for {@link #reader}. */
    private void store(String... chunks) {
        BodyChecksum checksum = new BodyChecksum();
        for (int i = 0; i < chunks.length; i++) {
            byte[] bytes = chunks[i].getBytes(StandardCharsets.US_ASCII);
            tables.insertChunk(id, i, bytes, checksum.chunk(i, bytes));
        }
        bodyChecksum = checksum.body();
    }

    private ChunkReader reader(long size) {
        return reader(size, null);
    }

    /** A reader given the first chunk as the look-up read it with the entry, or null. */
    private ChunkReader reader(long size, Lookup.FirstChunk first) {
        return new ChunkReader(id, new Lookup.Body(size, bodyChecksum, KEY, first), tables.transactions,
                new CorruptEntries(SqliteTables.DESCRIPTION, tables.transactions, removed::add));
    }

    private static Lookup.FirstChunk first(String bytes) {
        byte[] ascii = bytes.getBytes(StandardCharsets.US_ASCII);
        return new Lookup.FirstChunk(ascii, new BodyChecksum().chunk(0, ascii));
    }

    @Test
    void aFirstChunkReadWithTheEntryIsNotFetchedAgain() throws IOException {
        store("abcd");
        tables.transactions.close();

        try (InputStream body = reader(4, first("abcd"))) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcd");
        }
    }

    @Test
    void theChunksAfterAFirstChunkReadWithTheEntryAreFetched() throws IOException {
        store("abcd", "efgh", "ij");

        try (InputStream body = reader(10, first("abcd"))) {
            assertThat(body.skip(2)).isEqualTo(2);
            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("cdefghij");
        }
    }

    @Test
    void aFirstChunkReadWithTheEntryIsCheckedAsAFetchedOneIs() {
        store("abcd");
        Lookup.FirstChunk damaged = new Lookup.FirstChunk("abce".getBytes(StandardCharsets.US_ASCII),
                first("abcd").checksum());

        assertThatThrownBy(() -> reader(4, damaged).read()).isInstanceOf(CorruptBodyException.class);
        assertThat(removed).containsExactly(id);
    }

    @Test
    void readsTheChunksInOrderUpToTheSize() throws IOException {
        store("abcd", "efgh", "ij");

        try (InputStream body = reader(10)) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcdefghij");
        }
    }

    /** Issue 14: a range far into a large body must not read the chunks before it. */
    @Test
    void aSkipPastTheChunkAtHandGoesToTheChunkOfTheTargetWithoutReadingThoseBefore() throws IOException {
        store("abcd", "efgh", "ijkl", "mn");
        // Chunk 1 no longer matches its checksum: reading it would fail.
        tables.execute("UPDATE hishel_streams SET chunk_data = x'00000000' WHERE chunk_number = 1");

        try (InputStream body = reader(14)) {
            assertThat(body.skip(9)).isEqualTo(9);
            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("jklmn");
        }
        assertThat(removed).isEmpty();
    }

    @Test
    void aSkipWithinTheChunkAtHandAndToTheEndReadsNothingMore() throws IOException {
        store("abcd", "efgh");

        try (InputStream body = reader(8)) {
            assertThat((char) body.read()).isEqualTo('a');
            assertThat(body.skip(2)).isEqualTo(2);
            assertThat((char) body.read()).isEqualTo('d');
            assertThat(body.skip(100)).isEqualTo(4);
            assertThat(body.read()).isEqualTo(-1);
        }
    }

    @Test
    void theChunkASkipLandsOnIsStillChecked() {
        store("abcd", "efgh", "ijkl");
        tables.execute("UPDATE hishel_streams SET chunk_data = x'00000000' WHERE chunk_number = 2");

        assertThatThrownBy(() -> {
            try (InputStream body = reader(12)) {
                body.skipNBytes(9);
            }
        }).isInstanceOf(CorruptBodyException.class);
        assertThat(removed).containsExactly(id);
    }

    @Test
    void readsByteByByteAsInBlocks() throws IOException {
        store("abcd", "ef");
        ByteArrayOutputStream read = new ByteArrayOutputStream();

        try (InputStream body = reader(6)) {
            for (int b; (b = body.read()) != -1; ) {
                read.write(b);
            }
            assertThat(body.read(new byte[4], 0, 4)).isEqualTo(-1);
        }

        assertThat(read.toString(StandardCharsets.US_ASCII)).isEqualTo("abcdef");
    }

    @Test
    void neverReturnsMoreThanOneChunkAtATime() throws IOException {
        store("abcd", "efgh");
        byte[] buffer = new byte[100];

        try (InputStream body = reader(8)) {
            assertThat(body.read(buffer, 0, buffer.length)).isEqualTo(4);
            assertThat(body.read(buffer, 0, 0)).isZero();
            assertThat(body.read(buffer, 10, 3)).isEqualTo(3);
            assertThat(new String(buffer, 10, 3, StandardCharsets.US_ASCII)).isEqualTo("efg");
        }
    }

    @Test
    void anEmptyBodyEndsWithoutAskingTheDatabase() throws IOException {
        tables.transactions.close();

        try (InputStream body = reader(0)) {
            assertThat(body.read()).isEqualTo(-1);
        }
    }

    @Test
    void aChunkThatIsMissingEndsTheStreamWithAnErrorNamingIt() throws IOException {
        store("abcd");

        try (InputStream body = reader(10)) {
            assertThat(body.readNBytes(4)).hasSize(4);
            assertThatThrownBy(body::read).isInstanceOf(IOException.class)
                    .hasMessage(SqliteTables.DESCRIPTION + ": chunk 1 of entry " + id
                            + " is missing; the entry was deleted while it was read");
        }
    }

    @Test
    void aStorageThatFailsEndsTheStreamWithAnIoException() {
        tables.transactions.close();

        assertThatThrownBy(() -> reader(10).read()).isInstanceOf(IOException.class)
                .hasCauseInstanceOf(StorageException.class).hasMessage(SqliteTables.DESCRIPTION + " is closed");
    }

    @Test
    void aChunkWhoseBytesChangedFailsBeforeAnyOfThemIsHandedOnAndRemovesTheEntry() throws IOException {
        store("abcd", "efgh", "ij");
        tables.execute("UPDATE hishel_streams SET chunk_data = X'65666769' WHERE chunk_number = 1");
        byte[] buffer = new byte[100];

        try (InputStream body = reader(10)) {
            assertThat(body.read(buffer, 0, buffer.length)).isEqualTo(4);
            assertThatThrownBy(() -> body.read(buffer, 4, 96)).isInstanceOf(CorruptBodyException.class)
                    .hasMessageStartingWith("Chunk 1 of the body of entry " + id + " is not what was stored");
        }

        assertThat(new String(buffer, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("\0\0\0\0");
        assertThat(removed).containsExactly(id);
    }

    @Test
    void chunksSwappedInPlaceFailAlthoughEachIsIntact() {
        store("abcd", "efgh");
        tables.execute("UPDATE hishel_streams SET chunk_number = -1 WHERE chunk_number = 0");
        tables.execute("UPDATE hishel_streams SET chunk_number = 0 WHERE chunk_number = 1");
        tables.execute("UPDATE hishel_streams SET chunk_number = 1 WHERE chunk_number = -1");

        assertThatThrownBy(() -> reader(8).readAllBytes()).isInstanceOf(CorruptBodyException.class)
                .hasMessageStartingWith("Chunk 0 of the body of entry " + id);
    }

    @Test
    void aBodyWhoseStoredChecksumDiffersFailsAtItsLastChunk() throws IOException {
        store("abcd", "ef");
        bodyChecksum++;

        try (InputStream body = reader(6)) {
            assertThat(body.readNBytes(4)).hasSize(4);
            assertThatThrownBy(body::read).isInstanceOf(CorruptBodyException.class)
                    .hasMessageStartingWith("The body of entry " + id + " is not what was stored");
        }
    }
}
