package io.hishel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hishel.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body streamed back chunk by chunk, up to its size. */
class ChunkReaderTest {

    @TempDir
    Path folder;

    private SqliteTables tables;
    private final UUID id = UUID.randomUUID();

    @BeforeEach
    void open() {
        tables = new SqliteTables(folder.resolve("chunks.db"));
        tables.insertEntry(id, 0L, null, null, false);
    }

    @AfterEach
    void close() {
        tables.close();
    }

    private void store(String... chunks) {
        for (int i = 0; i < chunks.length; i++) {
            tables.insertChunk(id, i, chunks[i].getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void readsTheChunksInOrderUpToTheSize() throws IOException {
        store("abcd", "efgh", "ij");

        try (InputStream body = new ChunkReader(id, 10, tables.transactions)) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcdefghij");
        }
    }

    @Test
    void readsByteByByteAsInBlocks() throws IOException {
        store("abcd", "ef");
        ByteArrayOutputStream read = new ByteArrayOutputStream();

        try (InputStream body = new ChunkReader(id, 6, tables.transactions)) {
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

        try (InputStream body = new ChunkReader(id, 8, tables.transactions)) {
            assertThat(body.read(buffer, 0, buffer.length)).isEqualTo(4);
            assertThat(body.read(buffer, 0, 0)).isZero();
            assertThat(body.read(buffer, 10, 3)).isEqualTo(3);
            assertThat(new String(buffer, 10, 3, StandardCharsets.US_ASCII)).isEqualTo("efg");
        }
    }

    @Test
    void anEmptyBodyEndsWithoutAskingTheDatabase() throws IOException {
        tables.transactions.close();

        try (InputStream body = new ChunkReader(id, 0, tables.transactions)) {
            assertThat(body.read()).isEqualTo(-1);
        }
    }

    @Test
    void aChunkThatIsMissingEndsTheStreamWithAnErrorNamingIt() throws IOException {
        store("abcd");

        try (InputStream body = new ChunkReader(id, 10, tables.transactions)) {
            assertThat(body.readNBytes(4)).hasSize(4);
            assertThatThrownBy(body::read).isInstanceOf(IOException.class)
                    .hasMessage(SqliteTables.DESCRIPTION + ": chunk 1 of entry " + id
                            + " is missing; the entry was deleted while it was read");
        }
    }

    @Test
    void aStorageThatFailsEndsTheStreamWithAnIoException() {
        tables.transactions.close();

        assertThatThrownBy(() -> new ChunkReader(id, 10, tables.transactions).read()).isInstanceOf(IOException.class)
                .hasCauseInstanceOf(StorageException.class).hasMessage(SqliteTables.DESCRIPTION + " is closed");
    }
}
