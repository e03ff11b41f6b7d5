package io.hishel.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A hostile or broken application response, drawn from a seed: the same seed is the same response,
 * so an application that reads the seed from the query runs one script on both twins. It mixes what
 * real applications get wrong — a {@code Content-Length} that does not match the body, or two of
 * them, or one that is not a number; a {@code Transfer-Encoding} of their own; header values with
 * control characters, line breaks or non-ASCII text; a body after {@code sendError}; a 304 to a
 * request without conditionals; a body abandoned halfway by an exception or an asynchronous
 * timeout — with responses the cache would store, so that it tries to.
 */
record OriginScript(long seed, int status, Ending ending, String cacheControl, String etag, String lastModified,
                    String contentType, List<Field> fields, List<Length> lengths, String transferEncoding,
                    int bufferSize, int bodyLength, boolean useWriter, int flushAt, Abandon abandon, int abandonAt) {

    /** How the application ends its response. */
    enum Ending { BODY, SEND_ERROR, SEND_ERROR_THEN_BODY, REDIRECT }

    /** How the body stops, if it does not end normally. */
    enum Abandon { NONE, RUNTIME_EXCEPTION, IO_EXCEPTION, ASYNC_COMPLETE, ASYNC_TIMEOUT }

    /** How a {@code Content-Length} is set. */
    enum LengthCall { SET_HEADER, ADD_HEADER, SET_INT_HEADER, SET_CONTENT_LENGTH, SET_CONTENT_LENGTH_LONG }

    record Length(LengthCall call, String value) {
    }

    record Field(String name, String value, boolean add) {
    }

    private static final int[] STATUSES = {200, 200, 200, 200, 200, 203, 204, 206, 299, 300, 301, 304, 304, 404,
        410, 500, 502, 599};
    private static final String[] CACHE_CONTROLS = {"max-age=60", "max-age=60", "max-age=60", "public, max-age=60",
        "s-maxage=60", "max-age=60, must-revalidate", "no-store", "no-cache", "private, max-age=60", null,
        "max-age=abc", "max-age=60, max-age=0"};
    private static final int[] BODY_LENGTHS = {0, 1, 10, 100, 1000, 5000, 9000, 20000};

    static OriginScript of(long seed) {
        Random random = new Random(seed);
        int status = STATUSES[random.nextInt(STATUSES.length)];
        Ending ending = pick(random, new Ending[] {Ending.BODY, Ending.BODY, Ending.BODY, Ending.BODY, Ending.BODY,
            Ending.SEND_ERROR, Ending.SEND_ERROR_THEN_BODY, Ending.REDIRECT});
        String cacheControl = CACHE_CONTROLS[random.nextInt(CACHE_CONTROLS.length)];
        String etag = pick(random, new String[] {null, null, "\"v1\"", "W/\"v1\"", "unquoted", "\"a\u00e9\""});
        String lastModified = pick(random, new String[] {null, null, "Tue, 01 Jan 2030 00:00:00 GMT",
            "Mon, 01 Jan 2024 00:00:00 GMT", "not a date"});
        String contentType = pick(random, new String[] {null, "text/plain", "text/plain;charset=UTF-8",
            "application/octet-stream", "text/html; charset=bogus-charset"});
        int bodyLength = BODY_LENGTHS[random.nextInt(BODY_LENGTHS.length)];
        List<Field> fields = new ArrayList<>();
        for (int i = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0; i > 0; i--) {
            fields.add(oddField(random));
        }
        List<Length> lengths = new ArrayList<>();
        int lengthCount = pick(random, new Integer[] {0, 0, 1, 1, 1, 2});
        for (int i = 0; i < lengthCount; i++) {
            lengths.add(length(random, bodyLength));
        }
        String transferEncoding = random.nextInt(8) == 0
                ? pick(random, new String[] {"chunked", "gzip", "identity", "gzip, chunked"}) : null;
        int bufferSize = pick(random, new Integer[] {0, 0, 0, 1024, 16384});
        boolean useWriter = random.nextBoolean();
        int flushAt = random.nextInt(4) == 0 ? random.nextInt(bodyLength + 1) : -1;
        Abandon abandon = pick(random, new Abandon[] {Abandon.NONE, Abandon.NONE, Abandon.NONE, Abandon.NONE,
            Abandon.NONE, Abandon.RUNTIME_EXCEPTION, Abandon.IO_EXCEPTION, Abandon.ASYNC_COMPLETE,
            Abandon.ASYNC_TIMEOUT});
        int abandonAt = random.nextInt(bodyLength + 1);
        return new OriginScript(seed, status, ending, cacheControl, etag, lastModified, contentType, List.copyOf(fields),
                List.copyOf(lengths), transferEncoding, bufferSize, bodyLength, useWriter, flushAt, abandon, abandonAt);
    }

    /** The same script with another status: for the statuses too rare or too odd for the random range. */
    OriginScript withStatus(int other) {
        return new OriginScript(seed, other, ending, cacheControl, etag, lastModified, contentType, fields, lengths,
                transferEncoding, bufferSize, bodyLength, useWriter, flushAt, abandon, abandonAt);
    }

    private static Field oddField(Random random) {
        String[][] fields = {
            {"X-Control", "a\u0001b"}, {"X-Break", "a\r\nX-Injected: yes"}, {"X-Line-Feed", "a\nb"},
            {"X-Latin", "caf\u00e9"}, {"X-Wide", "\u65e5\u672c"}, {"X-Long", "x".repeat(9000)}, {"X-Empty", ""},
            {"Bad Name", "v"}, {"X-Tab", "a\tb"}, {"X-Delete", "a\u007fb"}, {"Vary", "*"}, {"Vary", "X-\u00e9"},
            {"Expires", "garbage"}, {"Age", "-5"}, {"Date", "not a date"}, {"Content-Range", "bytes 0-0/1"},
            {"Set-Cookie", "id=1"}, {"Cache-Control", "max-age=60\r\n"}, {"Connection", "close"},
            {"Trailer", "X-Later"}, {"Content-Encoding", "gzip"}};
        String[] field = fields[random.nextInt(fields.length)];
        return new Field(field[0], field[1], random.nextBoolean());
    }

    private static Length length(Random random, int bodyLength) {
        LengthCall call = LengthCall.values()[random.nextInt(LengthCall.values().length)];
        boolean textual = call == LengthCall.SET_HEADER || call == LengthCall.ADD_HEADER;
        long[] numbers = {bodyLength, bodyLength, Math.max(bodyLength - 1, 0), bodyLength + 1, 0, bodyLength * 2L + 7};
        if (textual && random.nextInt(3) == 0) {
            return new Length(call, pick(random, new String[] {"abc", "-1", " " + bodyLength + " ",
                bodyLength + ", " + bodyLength, "+" + bodyLength, "0x10", "99999999999999999999", "",
                bodyLength + ", " + (bodyLength + 1)}));
        }
        return new Length(call, Long.toString(numbers[random.nextInt(numbers.length)]));
    }

    private static <T> T pick(Random random, T[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** Writes the response as the script says. */
    void perform(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (bufferSize > 0) {
            response.setBufferSize(bufferSize);
        }
        response.setStatus(status);
        if (cacheControl != null) {
            response.setHeader("Cache-Control", cacheControl);
        }
        if (etag != null) {
            response.setHeader("ETag", etag);
        }
        if (lastModified != null) {
            response.setHeader("Last-Modified", lastModified);
        }
        if (contentType != null) {
            response.setContentType(contentType);
        }
        for (Field field : fields) {
            if (field.add()) {
                response.addHeader(field.name(), field.value());
            } else {
                response.setHeader(field.name(), field.value());
            }
        }
        for (Length length : lengths) {
            setLength(response, length);
        }
        if (transferEncoding != null) {
            response.setHeader("Transfer-Encoding", transferEncoding);
        }
        switch (ending) {
            case REDIRECT -> {
                response.sendRedirect("/elsewhere");
                return;
            }
            case SEND_ERROR -> {
                response.sendError(status >= 400 ? status : 500);
                return;
            }
            case SEND_ERROR_THEN_BODY -> {
                response.sendError(status >= 400 ? status : 500, "scripted error " + seed);
                writeBody(response);
                return;
            }
            case BODY -> {
            }
        }
        if (abandon == Abandon.ASYNC_TIMEOUT) {
            // The part of the body is written before the timeout starts, so that when it strikes does not depend on load.
            writeBody(response);
            request.startAsync().setTimeout(200);
            return;
        }
        if (abandon == Abandon.ASYNC_COMPLETE) {
            AsyncContext async = request.startAsync();
            async.setTimeout(10_000);
            async.start(() -> {
                try {
                    writeBody(response);
                } catch (IOException | RuntimeException e) {
                    // The client or the container gave up on this response: the script has nothing left to do.
                }
                async.complete();
            });
            return;
        }
        writeBody(response);
    }

    private static void setLength(HttpServletResponse response, Length length) {
        switch (length.call()) {
            case SET_HEADER -> response.setHeader("Content-Length", length.value());
            case ADD_HEADER -> response.addHeader("Content-Length", length.value());
            case SET_INT_HEADER -> response.setIntHeader("Content-Length", (int) Long.parseLong(length.value()));
            case SET_CONTENT_LENGTH -> response.setContentLength((int) Long.parseLong(length.value()));
            case SET_CONTENT_LENGTH_LONG -> response.setContentLengthLong(Long.parseLong(length.value()));
        }
    }

    private void writeBody(HttpServletResponse response) throws IOException {
        Random random = new Random(seed * 31 + 7);
        byte[] body = new byte[bodyLength];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + random.nextInt(26));
        }
        boolean throwsHere = abandon == Abandon.RUNTIME_EXCEPTION || abandon == Abandon.IO_EXCEPTION;
        int stopAt = throwsHere || abandon == Abandon.ASYNC_TIMEOUT ? abandonAt : bodyLength;
        PrintWriter writer = useWriter ? response.getWriter() : null;
        ServletOutputStream stream = useWriter ? null : response.getOutputStream();
        int position = 0;
        while (position < stopAt) {
            int end = Math.min(stopAt, position + 1 + random.nextInt(3000));
            if (flushAt >= position && flushAt < end) {
                end = Math.max(flushAt, position + 1);
            }
            if (writer != null) {
                writer.write(new String(body, position, end - position, java.nio.charset.StandardCharsets.ISO_8859_1));
            } else {
                stream.write(body, position, end - position);
            }
            position = end;
            if (position == flushAt) {
                if (writer != null) {
                    writer.flush();
                } else {
                    stream.flush();
                }
            }
        }
        if (abandon == Abandon.RUNTIME_EXCEPTION) {
            throw new IllegalStateException("scripted failure after " + position + " bytes");
        }
        if (abandon == Abandon.IO_EXCEPTION) {
            throw new IOException("scripted failure after " + position + " bytes");
        }
    }

    /**
     * Whether the response is broken, so that no cache may store it: its framing does not say where
     * its body ends, its body does not end, or a field cannot be sent as it was set.
     */
    boolean broken() {
        if (abandon == Abandon.RUNTIME_EXCEPTION || abandon == Abandon.IO_EXCEPTION
                || abandon == Abandon.ASYNC_TIMEOUT || transferEncoding != null) {
            return true;
        }
        for (Field field : fields) {
            if (field.name().contains(" ")
                    || field.value().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c > 0xff)) {
                return true;
            }
        }
        int written = bodyLength;
        if (ending == Ending.BODY && useWriter && contentType != null && contentType.contains("bogus")) {
            // getWriter fails: the application fails, or, asynchronously, completes without a body.
            if (abandon != Abandon.ASYNC_COMPLETE) {
                return true;
            }
            written = 0;
        }
        // As the container has it: every call replaces the length, and only digits make one.
        String declared = null;
        for (Length length : lengths) {
            if (!length.value().matches("[0-9]{1,18}")) {
                return true;
            }
            declared = length.value();
        }
        return declared != null && Long.parseLong(declared) != written;
    }

    @Override
    public String toString() {
        return ("seed " + seed + ": " + status + " " + ending + " cc=" + cacheControl + " etag=" + etag + " lm="
                + lastModified + " type=" + contentType + " fields=" + fields + " lengths=" + lengths + " te="
                + transferEncoding + " buffer=" + bufferSize + " body=" + bodyLength + (useWriter ? " writer" : " stream")
                + " flushAt=" + flushAt + " " + abandon + "@" + abandonAt)
                .replace("\r", "\\r").replace("\n", "\\n").replaceAll("x{100,}", "x...");
    }
}
