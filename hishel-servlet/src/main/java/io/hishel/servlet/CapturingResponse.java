package io.hishel.servlet;

import io.hishel.http.Headers;
import io.hishel.http.HttpDate;
import io.hishel.http.Response;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.io.Writer;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The response as the application writes it, held back until it commits. Status and header fields
 * are kept here, not in the container's response, and the body goes into a buffer the size of the
 * container's. When the response commits — the buffer fills, the application flushes, sends an
 * error or a redirect, writes the declared {@code Content-Length}, or returns — the cache is
 * asked, once, where the body goes ({@link Committer}): to the client, to the client and a storage
 * writer, or nowhere because the cache answers from storage instead.
 *
 * <p>Commit detection follows the servlet rules that Spring Session's
 * {@code OnCommittedResponseWrapper} follows, so the application cannot tell this response from
 * the container's: after commit, status and header changes are ignored, {@code reset()} throws,
 * and {@link #isCommitted()} is true.
 */
final class CapturingResponse extends HttpServletResponseWrapper {

    /** How the application ended its part of the response. */
    enum Commit {
        /** A body, written or empty. */
        BODY,
        /** {@code sendError}: the container writes the body, later, from its error page. */
        ERROR,
        /** {@code sendRedirect}: the container writes the {@code Location} and a short body. */
        REDIRECT
    }

    /** Chooses where the body goes, at the moment the response commits. */
    interface Committer {
        /**
         * @param capture      this response, for the error message or redirect to pass on
         * @param response     the final status and header fields, {@code Content-Length} included
         *                     when the length is known
         * @param completeBody the whole body if it ended before the commit and fitted the capture
         *                     limit, otherwise null
         * @param kind         how the response committed
         * @return where the body goes
         * @throws IOException if writing to the client failed
         */
        Destination commit(CapturingResponse capture, Response response, byte[] completeBody, Commit kind)
                throws IOException;
    }

    /** Where the body goes after the commit. */
    interface Destination {
        /** Nowhere: the cache answers instead, or the container writes the body itself. */
        Destination NOWHERE = new Destination() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
            }

            @Override
            public void flush() {
            }

            @Override
            public void end(boolean complete) {
            }
        };

        void write(byte[] bytes, int offset, int length) throws IOException;

        void flush() throws IOException;

        /**
         * The body has ended.
         *
         * @param complete true if the application finished normally and every byte reached its
         *                 destination; false if it failed or the client went away
         */
        void end(boolean complete);
    }

    private final Committer committer;
    /** How many bytes the cache needs to hold before commit, whatever the buffer. */
    private final int requiredCapture;
    private int captureLimit;

    private int bufferSize;
    private byte[] buffer = new byte[0];
    private int buffered;
    private long written;

    private int status = HttpServletResponse.SC_OK;
    private Headers headers = Headers.EMPTY;
    private String mediaType;
    private String charset;
    private boolean charsetFixed;
    private Locale locale;
    private long contentLength = -1;
    private String errorMessage;
    private String redirectLocation;
    private boolean redirectClearsBuffer;

    /** Fields the cache's model cannot hold as they were set: relayed to the container as they are, never stored. */
    private List<String[]> malformedFields = new ArrayList<>();
    /** Whether a field or the declared length was malformed, so the response may be relayed but not stored. */
    private boolean malformed;
    /**
     * Whether the container's response is the application's now: after {@code sendError} or
     * {@code sendRedirect} the container writes the body, and after the application failed before
     * commit the container handles the failure; either way, as it would without the cache.
     */
    private boolean containerOwns;

    private Destination destination;
    private boolean ended;
    private boolean failed;
    private CaptureStream stream;
    private CaptureWriter writer;
    private CharacterBuffer characters;
    /** Whether the application asked for the writer, even if it failed to get one. */
    private boolean writerRequested;

    /**
     * @param response     the container's response
     * @param committer    asked where the body goes
     * @param captureLimit how many bytes may be held before the response commits; more than the
     *                     container's buffer only when the cache needs whole bodies
     */
    CapturingResponse(HttpServletResponse response, Committer committer, int captureLimit) {
        super(response);
        this.committer = committer;
        this.bufferSize = Math.max(response.getBufferSize(), 1024);
        this.requiredCapture = captureLimit;
        this.captureLimit = Math.max(captureLimit, bufferSize);
    }

    // Status and header fields, held until commit.

    @Override
    public void setStatus(int sc) {
        if (containerOwns) {
            super.setStatus(sc);
        } else if (destination == null) {
            status = sc;
        }
    }

    @Override
    public int getStatus() {
        return containerOwns ? super.getStatus() : status;
    }

    @Override
    public void setHeader(String name, String value) {
        if (containerOwns) {
            super.setHeader(name, value);
            return;
        }
        if (destination != null || name == null || special(name, value, true)) {
            return;
        }
        malformedFields.removeIf(field -> field[0].equalsIgnoreCase(name));
        if (value != null && !wellFormed(name, value)) {
            headers = headers.without(name);
            addMalformed(name, value);
            return;
        }
        headers = value == null ? headers.without(name) : headers.with(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        if (containerOwns) {
            super.addHeader(name, value);
            return;
        }
        if (destination != null || name == null || value == null || special(name, value, false)) {
            return;
        }
        if (!wellFormed(name, value)) {
            addMalformed(name, value);
            return;
        }
        headers = headers.plus(name, value);
    }

    private void addMalformed(String name, String value) {
        malformed = true;
        malformedFields.add(new String[] {name, value});
    }

    /**
     * Whether the field can be stored and sent again as it was set: a token for a name, and a value
     * of visible characters, spaces, tabs and Latin-1 text (RFC 9110 §5.1, §5.5). The container
     * sends others as it sends them — with control characters replaced, or not at all — which no
     * stored copy could repeat faithfully.
     */
    static boolean wellFormed(String name, String value) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, HttpDate.format(Instant.ofEpochMilli(date)));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, HttpDate.format(Instant.ofEpochMilli(date)));
    }

    @Override
    public void addCookie(Cookie cookie) {
        if (containerOwns) {
            super.addCookie(cookie);
            return;
        }
        addHeader("Set-Cookie", render(cookie));
    }

    /** Content-Type and Content-Length are properties of the response, not plain fields. */
    private boolean special(String name, String value, boolean replace) {
        if (name.equalsIgnoreCase("Transfer-Encoding") && value != null) {
            // The container frames the body; a stored copy would be framed again, differently (RFC 9112 §6.1).
            malformed = true;
            return false;
        }
        if (name.equalsIgnoreCase("Content-Type")) {
            if (replace || mediaType == null) {
                setContentType(value);
            }
            return true;
        }
        if (name.equalsIgnoreCase("Content-Length")) {
            if (value == null) {
                contentLength = -1;
                return true;
            }
            if (!value.matches("[0-9]{1,18}")) {
                // No cache may store a response whose length is in doubt (RFC 9110 §8.6, RFC 9112 §6.3).
                malformed = true;
            }
            long length;
            try {
                length = Long.parseLong(value);
            } catch (NumberFormatException e) {
                // Tomcat drops a length it cannot parse, and sends the body as if none had been set.
                length = -1;
            }
            setContentLengthLong(length);
            return true;
        }
        return false;
    }

    @Override
    public boolean containsHeader(String name) {
        return getHeader(name) != null;
    }

    @Override
    public String getHeader(String name) {
        if (containerOwns) {
            return super.getHeader(name);
        }
        for (String[] field : malformedFields) {
            if (field[0].equalsIgnoreCase(name) && headers.firstValue(name).isEmpty()) {
                return field[1];
            }
        }
        if (name.equalsIgnoreCase("Content-Type")) {
            return getContentType();
        }
        if (name.equalsIgnoreCase("Content-Length") && contentLength >= 0) {
            return Long.toString(contentLength);
        }
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        if (containerOwns) {
            return super.getHeaders(name);
        }
        if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length") && contentLength >= 0) {
            String value = getHeader(name);
            return value == null ? List.of() : List.of(value);
        }
        List<String> values = new ArrayList<>(headers.allValues(name));
        for (String[] field : malformedFields) {
            if (field[0].equalsIgnoreCase(name)) {
                values.add(field[1]);
            }
        }
        return values;
    }

    @Override
    public Collection<String> getHeaderNames() {
        if (containerOwns) {
            return super.getHeaderNames();
        }
        Set<String> names = new LinkedHashSet<>(headers.names());
        for (String[] field : malformedFields) {
            names.add(field[0]);
        }
        if (mediaType != null) {
            names.add("Content-Type");
        }
        if (contentLength >= 0) {
            names.add("Content-Length");
        }
        return names;
    }

    @Override
    public void setContentType(String type) {
        if (containerOwns) {
            super.setContentType(type);
            return;
        }
        if (destination != null) {
            return;
        }
        if (type == null) {
            mediaType = null;
            if (writer == null) {
                charset = null;
            }
            return;
        }
        int semicolon = type.indexOf(';');
        mediaType = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        if (semicolon >= 0 && writer == null) {
            for (String parameter : type.substring(semicolon + 1).split(";")) {
                int equals = parameter.indexOf('=');
                if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                    charset = parameter.substring(equals + 1).trim().replace("\"", "");
                    charsetFixed = true;
                }
            }
        }
    }

    @Override
    public String getContentType() {
        if (containerOwns) {
            return super.getContentType();
        }
        if (mediaType == null) {
            return null;
        }
        return charsetFixed && charset != null ? mediaType + ";charset=" + charset : mediaType;
    }

    @Override
    public void setCharacterEncoding(String encoding) {
        if (containerOwns) {
            super.setCharacterEncoding(encoding);
            return;
        }
        if (destination != null || writer != null) {
            return;
        }
        charset = encoding;
        charsetFixed = encoding != null;
    }

    @Override
    public void setCharacterEncoding(Charset encoding) {
        setCharacterEncoding(encoding == null ? null : encoding.name());
    }

    @Override
    public String getCharacterEncoding() {
        if (containerOwns) {
            return super.getCharacterEncoding();
        }
        return charset != null ? charset : super.getCharacterEncoding();
    }

    @Override
    public void setLocale(Locale locale) {
        if (containerOwns) {
            super.setLocale(locale);
            return;
        }
        if (destination != null || locale == null) {
            return;
        }
        this.locale = locale;
        headers = headers.with("Content-Language", locale.toLanguageTag());
    }

    @Override
    public Locale getLocale() {
        return locale != null ? locale : super.getLocale();
    }

    @Override
    public void setContentLength(int length) {
        setContentLengthLong(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        if (containerOwns) {
            super.setContentLengthLong(length);
        } else if (destination == null) {
            contentLength = length < 0 ? -1 : length;
        }
    }

    // The body.

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (containerOwns) {
            return super.getOutputStream();
        }
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called for this response");
        }
        if (stream == null) {
            stream = new CaptureStream();
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (containerOwns) {
            return super.getWriter();
        }
        if (stream != null) {
            throw new IllegalStateException("getOutputStream() has already been called for this response");
        }
        writerRequested = true;
        if (writer == null) {
            String encoding = getCharacterEncoding();
            Charset resolved;
            try {
                resolved = Charset.forName(encoding);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // What the container throws, so that the application fails as it would without the cache.
                UnsupportedEncodingException unsupported = new UnsupportedEncodingException(encoding);
                unsupported.initCause(e);
                throw unsupported;
            }
            // From now on the encoding is fixed, and the Content-Type says it, as the container's would.
            charset = encoding;
            charsetFixed = true;
            characters = new CharacterBuffer(resolved);
            writer = new CaptureWriter(characters);
        }
        return writer;
    }

    @Override
    public int getBufferSize() {
        return containerOwns ? super.getBufferSize() : bufferSize;
    }

    @Override
    public void setBufferSize(int size) {
        if (containerOwns) {
            super.setBufferSize(size);
            return;
        }
        if (destination != null || written > 0) {
            throw new IllegalStateException("The buffer size cannot change after content was written");
        }
        // The container's idea of the size it was asked for (Tomcat never goes below its default): the capture follows.
        super.setBufferSize(size);
        bufferSize = Math.max(super.getBufferSize(), 1024);
        // The response commits when the container's would, unless the cache needs the whole body first.
        captureLimit = Math.max(requiredCapture, bufferSize);
    }

    @Override
    public void flushBuffer() throws IOException {
        if (containerOwns) {
            super.flushBuffer();
            return;
        }
        if (writer != null) {
            writer.drain();
        }
        commit(Commit.BODY, false);
        drainBuffer();
        try {
            destination.flush();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void resetBuffer() {
        if (containerOwns) {
            super.resetBuffer();
            return;
        }
        if (destination != null) {
            throw new IllegalStateException("The response is already committed");
        }
        if (writer != null) {
            writer.drain();
        }
        buffered = 0;
    }

    @Override
    public void reset() {
        if (containerOwns) {
            super.reset();
            return;
        }
        resetBuffer();
        status = HttpServletResponse.SC_OK;
        headers = Headers.EMPTY;
        mediaType = null;
        charset = null;
        charsetFixed = false;
        locale = null;
        contentLength = -1;
        malformedFields = new ArrayList<>();
        malformed = false;
        written = 0;
        stream = null;
        writer = null;
        characters = null;
        writerRequested = false;
    }

    @Override
    public boolean isCommitted() {
        return containerOwns ? super.isCommitted() : destination != null;
    }

    @Override
    public void sendError(int sc) throws IOException {
        sendError(sc, null);
    }

    @Override
    public void sendError(int sc, String message) throws IOException {
        if (containerOwns) {
            super.sendError(sc, message);
            return;
        }
        if (destination != null) {
            throw new IllegalStateException("Cannot send an error after the response is committed");
        }
        resetBuffer();
        status = sc;
        errorMessage = message;
        commit(Commit.ERROR, true);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        sendRedirect(location, HttpServletResponse.SC_FOUND, true);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        sendRedirect(location, HttpServletResponse.SC_FOUND, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int sc) throws IOException {
        sendRedirect(location, sc, true);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        if (containerOwns) {
            super.sendRedirect(location, sc, clearBuffer);
            return;
        }
        if (destination != null) {
            throw new IllegalStateException("Cannot redirect after the response is committed");
        }
        if (clearBuffer) {
            resetBuffer();
        }
        status = sc;
        redirectLocation = location;
        redirectClearsBuffer = clearBuffer;
        commit(Commit.REDIRECT, true);
    }

    // What the cache reads back.

    String errorMessage() {
        return errorMessage;
    }

    /** Passes a redirect the application made on to the container's response, which writes it. */
    void redirect(HttpServletResponse target) throws IOException {
        target.sendRedirect(redirectLocation, status, redirectClearsBuffer);
    }

    /** Whether a field or the declared length was malformed: the response may be relayed, never stored. */
    boolean malformed() {
        return malformed;
    }

    /** Sets the malformed fields on the container's response, as the application set them. */
    void relayMalformedFields(HttpServletResponse target) {
        for (String[] field : malformedFields) {
            target.addHeader(field[0], field[1]);
        }
    }

    /**
     * The application failed before its response committed: what it had set and buffered goes to
     * the container's response as it is, nothing is stored, and the container handles the failure
     * as it would without the cache — an error status over the application's fields, its buffered
     * body sent or discarded as the container decides.
     *
     * @param head writes status and fields to the container's response
     * @return false if the response had committed already, so there was nothing to hand over
     */
    boolean handOver(java.util.function.Consumer<Response> head) throws IOException {
        if (destination != null || containerOwns) {
            return false;
        }
        // The characters the writer holds go to the container's writer as they are, without committing this response.
        String held = characters == null ? "" : characters.take();
        ended = true;
        destination = Destination.NOWHERE;
        head.accept(new Response(status, finalHeaders(false)));
        relayMalformedFields((HttpServletResponse) getResponse());
        containerOwns = true;
        int n = buffered;
        buffered = 0;
        if (writerRequested) {
            // The container's writer, as the application asked for it: the container's error handling sees what it
            // would see without the cache (its charset fixed, or the writer unavailable).
            try {
                PrintWriter container = super.getWriter();
                container.write(new String(buffer, 0, n, Charset.forName(charset)));
                container.write(held);
            } catch (IOException | IllegalArgumentException | IllegalStateException unavailable) {
                // As the application's own attempt failed.
            }
        } else if (n > 0) {
            super.getOutputStream().write(buffer, 0, n);
        }
        return true;
    }

    /** Whether a write to the client failed: the body did not arrive whole. */
    boolean failed() {
        return failed;
    }

    /**
     * Ends the response once the application is done with it: commits it if it has not, sends
     * what is buffered, and tells the destination whether the body is complete.
     *
     * @param normally false if the application threw
     * @throws IOException if the last bytes could not be written to the client
     */
    void finish(boolean normally) throws IOException {
        if (ended) {
            return;
        }
        try {
            if (normally) {
                if (writer != null) {
                    writer.drain();
                }
                commit(Commit.BODY, true);
                drainBuffer();
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        } finally {
            ended = true;
            if (destination != null) {
                destination.end(normally && !failed && lengthMatches());
            }
        }
    }

    /**
     * Ends the response of an application that failed. Before commit nothing is sent; after it,
     * what the application had written goes out as the container would send it, and the body ends
     * incomplete.
     */
    void abandon() {
        if (ended) {
            return;
        }
        if (destination != null) {
            try {
                if (writer != null) {
                    writer.drain();
                }
                drainBuffer();
            } catch (IOException | RuntimeException e) {
                failed = true;
            }
        }
        ended = true;
        if (destination != null) {
            destination.end(false);
        }
    }

    private boolean lengthMatches() {
        return contentLength < 0 || contentLength == written || errorMessage != null || redirectLocation != null;
    }

    /** Commits now, if not yet committed: asks the cache where the body goes. */
    private void commit(Commit kind, boolean bodyEnded) throws IOException {
        if (destination != null) {
            return;
        }
        boolean whole = bodyEnded && kind == Commit.BODY;
        Response response = new Response(status, finalHeaders(whole));
        byte[] completeBody = whole ? Arrays.copyOf(buffer, buffered) : null;
        try {
            destination = committer.commit(this, response, completeBody, kind);
        } catch (IOException | RuntimeException e) {
            failed = true;
            destination = Destination.NOWHERE;
            throw e;
        }
        if (kind != Commit.BODY) {
            buffered = 0;
            destination = Destination.NOWHERE;
            // The container writes this body: whatever the application does next, it does to the container's response.
            containerOwns = true;
        }
    }

    /** The fields as they go out: Content-Type with its charset, and Content-Length when known. */
    private Headers finalHeaders(boolean bodyEnded) {
        Headers result = headers;
        String type = getContentType();
        if (type != null) {
            result = result.with("Content-Type", type);
        }
        if (contentLength >= 0) {
            result = result.with("Content-Length", Long.toString(contentLength));
        } else if (bodyEnded && status != HttpServletResponse.SC_NO_CONTENT && status != HttpServletResponse.SC_NOT_MODIFIED
                && !result.contains("Content-Length")) {
            // The whole body is known: say its length, as the container would.
            result = result.with("Content-Length", Integer.toString(buffered));
        }
        return result;
    }

    private void drainBuffer() throws IOException {
        if (buffered > 0) {
            int n = buffered;
            buffered = 0;
            try {
                destination.write(buffer, 0, n);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    private void append(byte[] bytes, int offset, int length) throws IOException {
        if (ended) {
            throw new IOException("The response has already ended");
        }
        written += length;
        if (destination == null && buffered + length <= captureLimit) {
            ensureCapacity(buffered + length);
            System.arraycopy(bytes, offset, buffer, buffered, length);
            buffered += length;
        } else {
            commit(Commit.BODY, false);
            drainBuffer();
            try {
                destination.write(bytes, offset, length);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
        if (contentLength > 0 && written >= contentLength) {
            // The declared length is written: the container would commit and send it now (Tomcat: not for 0).
            commit(Commit.BODY, buffered == written);
            drainBuffer();
            destination.flush();
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int grown = Math.max(needed, Math.min(Math.max(buffer.length * 2, 512), captureLimit));
            buffer = Arrays.copyOf(buffer, grown);
        }
    }

    static String render(Cookie cookie) {
        StringBuilder header = new StringBuilder(cookie.getName()).append('=')
                .append(Objects.requireNonNullElse(cookie.getValue(), ""));
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, String> attribute : cookie.getAttributes().entrySet()) {
            seen.add(attribute.getKey().toLowerCase(Locale.ROOT));
            header.append("; ").append(attribute.getKey());
            if (!attribute.getValue().isEmpty()) {
                header.append('=').append(attribute.getValue());
            }
        }
        if (cookie.getMaxAge() >= 0 && !seen.contains("max-age")) {
            header.append("; Max-Age=").append(cookie.getMaxAge());
        }
        if (cookie.getSecure() && !seen.contains("secure")) {
            header.append("; Secure");
        }
        if (cookie.isHttpOnly() && !seen.contains("httponly")) {
            header.append("; HttpOnly");
        }
        return header.toString();
    }

    /** The application's output stream: every byte goes through {@link #append}. */
    private final class CaptureStream extends ServletOutputStream {
        private final byte[] single = new byte[1];

        @Override
        public void write(int b) throws IOException {
            single[0] = (byte) b;
            append(single, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length > 0) {
                append(bytes, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            if (writer == null) {
                flushBuffer();
            }
        }

        @Override
        public void close() throws IOException {
            if (writer == null) {
                flushBuffer();
            }
        }

        @Override
        public boolean isReady() {
            if (destination == null) {
                return true;
            }
            try {
                return CapturingResponse.super.getOutputStream().isReady();
            } catch (IOException | IllegalStateException e) {
                return true;
            }
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            try {
                CapturingResponse.super.getOutputStream().setWriteListener(listener);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot register a write listener", e);
            }
        }
    }

    /**
     * The application's writer. Its encoder holds characters until drained; only an explicit
     * {@code flush()} commits the response, as with the container's writer.
     */
    private final class CaptureWriter extends PrintWriter {
        CaptureWriter(CharacterBuffer encoder) {
            super(encoder, false);
        }

        /** Moves encoded characters into the buffer without committing. */
        void drain() {
            synchronized (lock) {
                try {
                    out.flush();
                } catch (IOException e) {
                    setError();
                }
            }
        }

        @Override
        public void flush() {
            drain();
            try {
                flushBuffer();
            } catch (IOException e) {
                setError();
            }
        }

        @Override
        public void close() {
            flush();
        }
    }

    /**
     * Holds characters as Tomcat's writer does, 8 KiB of them, and encodes them into the buffer when
     * it is full or drained: the response commits after as many characters as it would without the
     * cache, which decides whether an application that fails halfway is answered with its own
     * status or with the container's error.
     */
    private final class CharacterBuffer extends Writer {
        private final char[] chars = new char[8192];
        private final Charset charset;
        private final CaptureStream bytes = new CaptureStream();
        private int held;

        CharacterBuffer(Charset charset) {
            this.charset = charset;
        }

        @Override
        public void write(char[] source, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, source.length);
            while (length > 0) {
                int n = Math.min(length, chars.length - held);
                System.arraycopy(source, offset, chars, held, n);
                held += n;
                offset += n;
                length -= n;
                if (held == chars.length) {
                    encode(false);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            encode(true);
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        /** The characters not yet encoded, which this buffer then no longer holds. */
        String take() {
            String taken = new String(chars, 0, held);
            held = 0;
            return taken;
        }

        /** @param all false to keep a high surrogate whose pair is still to come */
        private void encode(boolean all) throws IOException {
            int n = held;
            if (!all && n > 0 && Character.isHighSurrogate(chars[n - 1])) {
                n--;
            }
            byte[] encoded = new String(chars, 0, n).getBytes(charset);
            System.arraycopy(chars, n, chars, 0, held - n);
            held -= n;
            bytes.write(encoded, 0, encoded.length);
        }
    }
}
