package io.hishel.storage;

import io.hishel.http.Headers;
import io.hishel.http.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The bytes an entry's metadata is stored as by storages that need bytes: the stored request
 * (method, URL, vary key), the response status and header lines in order and casing, and the
 * request and response times. The id and the key are the storage's columns, not part of the data.
 *
 * <p>Format, version 1: the magic {@code "HE"}, a version byte, then length-prefixed UTF-8
 * strings and big-endian integers. Decoding never trusts a length: data that does not parse is
 * reported as {@link CorruptEntryException}, so a storage can skip the row. Thread-safe;
 * stateless.
 */
public final class EntryCodec {

    private static final byte[] MAGIC = {'H', 'E'};
    private static final byte VERSION = 1;
    /** Far above any real header section; guards against a corrupt length asking for gigabytes. */
    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_FIELDS = 10_000;

    private EntryCodec() {
    }

    /**
     * Encodes an entry's metadata.
     *
     * @param entry the entry
     * @return the bytes to store
     */
    public static byte[] encode(Entry entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            writeString(out, entry.request().method());
            writeString(out, entry.request().url().toString());
            writeString(out, entry.request().varyKey());
            out.writeShort(entry.response().status());
            out.writeInt(entry.response().headers().size());
            for (Headers.Field field : entry.response().headers()) {
                writeString(out, field.name());
                writeString(out, field.value());
            }
            writeInstant(out, entry.requestTime());
            writeInstant(out, entry.responseTime());
        } catch (IOException e) {
            throw new IllegalStateException("Writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes an entry's metadata.
     *
     * @param id   the entry's id, from the storage's row
     * @param key  the entry's key, from the storage's row
     * @param data the bytes {@link #encode} produced
     * @return the entry
     * @throws CorruptEntryException if the bytes are not a valid encoding
     */
    public static Entry decode(UUID id, CacheKey key, byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readByte() != MAGIC[0] || in.readByte() != MAGIC[1]) {
                throw new CorruptEntryException(id, "it does not start with the magic bytes");
            }
            byte version = in.readByte();
            if (version != VERSION) {
                throw new CorruptEntryException(id, "its format version " + version + " is unknown");
            }
            String method = readString(in);
            URI url = URI.create(readString(in));
            String varyKey = readString(in);
            int status = in.readShort();
            int fields = in.readInt();
            if (fields < 0 || fields > MAX_FIELDS) {
                throw new CorruptEntryException(id, "it claims " + fields + " header fields");
            }
            Headers.Builder headers = Headers.builder();
            for (int i = 0; i < fields; i++) {
                headers.add(readString(in), readString(in));
            }
            Instant requestTime = readInstant(in);
            Instant responseTime = readInstant(in);
            if (in.read() != -1) {
                throw new CorruptEntryException(id, "it has bytes after its end");
            }
            return new Entry(id, key, new StoredRequest(method, url, varyKey), new Response(status, headers.build()),
                    requestTime, responseTime);
        } catch (CorruptEntryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptEntryException(id, e.toString());
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_STRING || length > in.available()) {
            throw new IOException("a string length of " + length + " is out of bounds");
        }
        byte[] utf8 = in.readNBytes(length);
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString();
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    /** Stored data that does not decode; the storage skips the entry and logs it once. */
    public static final class CorruptEntryException extends StorageException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param id     the entry whose data is corrupt
         * @param reason why it does not decode
         */
        public CorruptEntryException(UUID id, String reason) {
            super("Stored entry " + id + " cannot be read: " + reason);
        }
    }
}
