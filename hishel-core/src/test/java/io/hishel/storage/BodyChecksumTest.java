package io.hishel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The checksums written with a body catch every change a medium can make to it. */
class BodyChecksumTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** What a writer stores: a checksum per chunk, and one of the body. */
    private record Stored(int[] chunks, int body) {
    }

    private static Stored write(String... chunks) {
        BodyChecksum checksum = new BodyChecksum();
        int[] sums = new int[chunks.length];
        for (int i = 0; i < chunks.length; i++) {
            sums[i] = checksum.chunk(i, ascii(chunks[i]));
        }
        return new Stored(sums, checksum.body());
    }

    @Test
    void theBodysChecksumIsThePlainCrc32cOfItsBytesSoThatOtherToolsCanCheckIt() {
        CRC32C plain = new CRC32C();
        plain.update(ascii("abcdefgh"));

        assertThat(write("abcd", "efgh").body()).isEqualTo((int) plain.getValue());
    }

    @Test
    void theSameBytesAtAnotherChunkNumberHaveAnotherChecksum() {
        Stored stored = write("abcd", "abcd");

        assertThat(stored.chunks()[0]).isNotEqualTo(stored.chunks()[1]);
    }

    @Test
    void readsBackWhatWasWritten() throws CorruptBodyException {
        Stored stored = write("abcd", "ef");
        BodyChecksum reader = new BodyChecksum();

        reader.verify("e", 0, ascii("abcd"), stored.chunks()[0], 6, stored.body());
        reader.verify("e", 1, ascii("ef"), stored.chunks()[1], 6, stored.body());
    }

    @Test
    void aChangedByteFailsItsChunk() {
        Stored stored = write("abcd", "ef");

        assertThatThrownBy(() -> new BodyChecksum().verify("e", 0, ascii("abce"), stored.chunks()[0], 6, stored.body()))
                .isInstanceOf(CorruptBodyException.class).hasMessageStartingWith("Chunk 0 of the body of entry e");
    }

    @Test
    void aChunkWithItsChecksumFromAnotherBodyFailsTheBodyAtItsLastChunk() throws CorruptBodyException {
        Stored stored = write("abcd", "ef");
        Stored other = write("abcd", "eg");
        BodyChecksum reader = new BodyChecksum();
        reader.verify("e", 0, ascii("abcd"), stored.chunks()[0], 6, stored.body());

        assertThatThrownBy(() -> reader.verify("e", 1, ascii("eg"), other.chunks()[1], 6, stored.body()))
                .isInstanceOf(CorruptBodyException.class)
                .hasMessageStartingWith("The body of entry e is not what was stored");
    }

    @Test
    void moreBytesThanTheStoredSizeFail() throws CorruptBodyException {
        Stored stored = write("abcd", "ef");
        BodyChecksum reader = new BodyChecksum();
        reader.verify("e", 0, ascii("abcd"), stored.chunks()[0], 5, stored.body());

        assertThatThrownBy(() -> reader.verify("e", 1, ascii("ef"), stored.chunks()[1], 5, stored.body()))
                .isInstanceOf(CorruptBodyException.class).hasMessageContaining("longer than its stored size, 5 bytes");
    }

    @Test
    void chunksOutOfOrderAreAProgrammingError() {
        BodyChecksum checksum = new BodyChecksum();

        assertThatThrownBy(() -> checksum.chunk(1, ascii("a"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("chunk 1 given where chunk 0 comes next");
    }
}
