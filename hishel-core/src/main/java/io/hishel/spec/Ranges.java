package io.hishel.spec;

import io.hishel.http.EntityTag;
import io.hishel.http.Headers;
import io.hishel.http.HttpDate;
import io.hishel.http.Request;
import io.hishel.http.Response;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Range requests answered from a stored response (RFC 9110 §14, RFC 9111 §3.3–§3.4): which part of
 * a stored {@code 200} a {@code GET} with {@code Range} receives.
 *
 * <p>One range of bytes is answered with {@code 206 (Partial Content)}: {@code bytes=first-last},
 * {@code bytes=first-} and the suffix {@code bytes=-length}. Several ranges are answered with the
 * whole response, which §14.2 allows: a {@code multipart/byteranges} body is seldom asked for
 * (browsers and download managers ask for one range) and costs a body the cache cannot stream from
 * one seek. A range that starts past the end is answered {@code 416 (Range Not Satisfiable)} with
 * {@code Content-Range: bytes *}{@code /length} (§15.5.17). {@code If-Range} (§13.1.5) asks for the
 * part only if the stored response is the one the client has: a strong entity-tag that matches
 * strongly, or the stored {@code Last-Modified} exactly when it is strong (the stored {@code Date}
 * at least a second later, §8.8.2.2); otherwise the whole response is the answer. A {@code Range} that does not parse, in another unit, on a method other than GET, or on
 * a stored response other than a {@code 200}, is ignored (§14.2). A range that covers the whole
 * body ({@code bytes=0-}) is still a {@code 206}: media players ask so and expect one.
 *
 * <p>Every field of the stored response goes with a part (§15.3.7), with {@code Content-Range} and
 * the part's {@code Content-Length}. Thread-safe; stateless.
 */
public final class Ranges {

    private Ranges() {
    }

    /** What a request with {@code Range} receives of a stored response. */
    public sealed interface Answer permits Whole, Part, Unsatisfiable {
    }

    /** The whole stored response, as without {@code Range}. */
    public record Whole() implements Answer {
    }

    /**
     * One part of the stored body.
     *
     * @param head   the {@code 206} to send: the stored fields, its {@code Content-Range} and
     *               {@code Content-Length}
     * @param first  the offset of its first byte in the stored body
     * @param length how many bytes it holds, at least one
     */
    public record Part(Response head, long first, long length) implements Answer {
    }

    /**
     * No byte of the stored body is in the range.
     *
     * @param head the {@code 416} to send, without a body
     */
    public record Unsatisfiable(Response head) implements Answer {
    }

    /**
     * What a request receives of a stored response and its body.
     *
     * @param request the client's request
     * @param stored  the response the cache would send without {@code Range}, with its fields
     * @param size    the stored body's length in bytes
     * @return the whole response, one part, or a 416
     */
    public static Answer of(Request request, Response stored, long size) {
        if (!request.method().equals("GET") || stored.status() != 200) {
            return new Whole();
        }
        List<String> lines = request.headers().allValues("Range");
        if (lines.size() != 1 || !ifRangeHolds(request.headers(), stored.headers())) {
            return new Whole();
        }
        Optional<long[]> range = parse(lines.get(0));
        if (range.isEmpty()) {
            return new Whole();
        }
        long first = range.get()[0];
        long last = range.get()[1];
        if (first < 0) {
            // A suffix: the last bytes, or the whole body if it is shorter.
            long suffix = last;
            if (suffix == 0 || size == 0) {
                return unsatisfiable(stored, size);
            }
            first = Math.max(0, size - suffix);
            last = size - 1;
        } else if (first >= size) {
            return unsatisfiable(stored, size);
        } else {
            last = last < 0 ? size - 1 : Math.min(last, size - 1);
        }
        long length = last - first + 1;
        Headers head = stored.headers().with("Content-Range", "bytes " + first + "-" + last + "/" + size)
                .with("Content-Length", Long.toString(length));
        return new Part(new Response(206, head), first, length);
    }

    private static Unsatisfiable unsatisfiable(Response stored, long size) {
        Headers head = Headers.of("Content-Range", "bytes */" + size, "Content-Length", "0");
        for (String field : List.of("Date", "ETag", "Last-Modified", "Age")) {
            Optional<String> value = stored.headers().firstValue(field);
            if (value.isPresent()) {
                head = head.with(field, value.get());
            }
        }
        return new Unsatisfiable(new Response(416, head));
    }

    /**
     * One byte range (§14.1.2): {@code [first, last]}, {@code [first, -1]} for an open range, or
     * {@code [-1, suffix length]} for a suffix; empty for anything else, several ranges included.
     */
    private static Optional<long[]> parse(String value) {
        int equals = value.indexOf('=');
        if (equals < 0 || !value.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return Optional.empty();
        }
        String spec = value.substring(equals + 1).trim();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String from = spec.substring(0, dash);
        String to = spec.substring(dash + 1);
        if (from.isEmpty()) {
            long suffix = digits(to);
            return suffix < 0 ? Optional.empty() : Optional.of(new long[] {-1, suffix});
        }
        long first = digits(from);
        long last = to.isEmpty() ? -1 : digits(to);
        if (first < 0 || !to.isEmpty() && (last < 0 || last < first)) {
            return Optional.empty();
        }
        return Optional.of(new long[] {first, last});
    }

    /** A non-negative decimal, or -1 if the text is not one or does not fit a long. */
    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** §13.1.5: the range applies only to the representation the client names, if it names one. */
    private static boolean ifRangeHolds(Headers request, Headers stored) {
        List<String> lines = request.allValues("If-Range");
        if (lines.isEmpty()) {
            return true;
        }
        if (lines.size() > 1) {
            return false;
        }
        String value = lines.get(0).trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            Optional<EntityTag> asked = EntityTag.parse(value);
            Optional<EntityTag> current = stored.entityTag();
            // A weak tag never matches here (§13.1.5): the part must come from the same bytes.
            return asked.isPresent() && current.isPresent() && asked.get().strongMatches(current.get());
        }
        Optional<Instant> asked = HttpDate.parse(value);
        Optional<Instant> lastModified = stored.date("Last-Modified");
        Optional<Instant> date = stored.date("Date");
        // §8.8.2.2: a date is a strong validator only if it was sent at least a second after it.
        return asked.isPresent() && lastModified.isPresent() && asked.get().equals(lastModified.get())
                && date.isPresent() && !date.get().isBefore(lastModified.get().plusSeconds(1));
    }
}
