package io.hishel.servlet;

import io.hishel.http.Headers;
import io.hishel.http.HttpDate;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request as the application sees it on a miss or a validation: the header fields the cache
 * chose (the client's conditionals removed, or the cache's own validators added), and, when the
 * cache read the body to key on it, that body replayed in front of whatever it did not read.
 */
final class ForwardedRequest extends HttpServletRequestWrapper {

    /**
     * Request attributes that hold a value of the client's session, so that an answer that read
     * one was made for that session: Spring Security's CSRF token, under the names its filter and
     * its argument resolver, Thymeleaf and JSP pages read it by.
     */
    private static final Set<String> SESSION_STATE_ATTRIBUTES = Set.of(
            "_csrf", "org.springframework.security.web.csrf.CsrfToken");

    private final Headers headers;
    private final byte[] readBody;
    private ServletInputStream stream;
    private BufferedReader reader;
    private Map<String, String[]> formParameters;
    private volatile boolean sessionStateRead;

    /**
     * @param request  the container's request
     * @param headers  the header fields the application sees
     * @param readBody the bytes of the body the cache consumed, or null if it read none
     */
    ForwardedRequest(HttpServletRequest request, Headers headers, byte[] readBody) {
        super(request);
        this.headers = headers;
        this.readBody = readBody;
    }

    @Override
    public Object getAttribute(String name) {
        Object value = super.getAttribute(name);
        if (value != null && SESSION_STATE_ATTRIBUTES.contains(name)) {
            sessionStateRead = true;
        }
        return value;
    }

    /** Whether the application read a value of the client's session, such as its CSRF token, from an attribute. */
    boolean sessionStateRead() {
        return sessionStateRead;
    }

    @Override
    public String getHeader(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(headers.allValues(name));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(headers.names());
    }

    /**
     * A field the cache left as the client sent it is parsed by the container, so that the
     * application gets the value or the exception it gets without the cache.
     */
    @Override
    public int getIntHeader(String name) {
        String value = getHeader(name);
        if (value == null) {
            return -1;
        }
        return value.equals(super.getHeader(name)) ? super.getIntHeader(name) : Integer.parseInt(value);
    }

    /** As {@link #getIntHeader}; a date the cache chose (a stored {@code Last-Modified}) is an HTTP-date. */
    @Override
    public long getDateHeader(String name) {
        String value = getHeader(name);
        if (value == null) {
            return -1;
        }
        if (value.equals(super.getHeader(name))) {
            return super.getDateHeader(name);
        }
        return HttpDate.parse(value).map(Instant::toEpochMilli)
                .orElseThrow(() -> new IllegalArgumentException("Not an HTTP-date in " + name + ": " + value));
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (readBody == null) {
            return super.getInputStream();
        }
        if (reader != null) {
            throw new IllegalStateException("getReader() has already been called for this request");
        }
        if (stream == null) {
            stream = new ReplayStream(new SequenceInputStream(new ByteArrayInputStream(readBody),
                    super.getInputStream()));
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (readBody == null) {
            return super.getReader();
        }
        if (stream != null) {
            throw new IllegalStateException("getInputStream() has already been called for this request");
        }
        if (reader == null) {
            InputStream body = new SequenceInputStream(new ByteArrayInputStream(readBody), super.getInputStream());
            reader = new BufferedReader(new InputStreamReader(body, charset()));
        }
        return reader;
    }

    // The container parses form parameters from the body it no longer has, so they are parsed here.

    @Override
    public String getParameter(String name) {
        String[] values = getParameterMap().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = getParameterMap().get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        if (readBody == null || !isForm()) {
            return super.getParameterMap();
        }
        if (formParameters == null) {
            formParameters = parseForm();
        }
        return formParameters;
    }

    private boolean isForm() {
        String type = getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private Map<String, String[]> parseForm() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        Charset charset = charset();
        addPairs(getQueryString(), StandardCharsets.UTF_8, parameters);
        try (InputStream body = getInputStream()) {
            addPairs(new String(body.readAllBytes(), charset), charset, parameters);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the form body", e);
        }
        Map<String, String[]> result = new LinkedHashMap<>();
        parameters.forEach((name, values) -> result.put(name, values.toArray(String[]::new)));
        return Collections.unmodifiableMap(result);
    }

    private static void addPairs(String encoded, Charset charset, Map<String, List<String>> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                into.computeIfAbsent(URLDecoder.decode(name, charset), n -> new ArrayList<>())
                        .add(URLDecoder.decode(value, charset));
            } catch (IllegalArgumentException malformed) {
                // The container skips malformed pairs too.
            }
        }
    }

    private Charset charset() {
        String encoding = getCharacterEncoding();
        try {
            return encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    /** A blocking stream over the replayed body; non-blocking reads are not offered for it. */
    private static final class ReplayStream extends ServletInputStream {
        private final InputStream in;
        private boolean finished;

        ReplayStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            finished = b < 0;
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = in.read(bytes, offset, length);
            finished = n < 0;
            return n;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("The request body was read by the cache to key on it; read it blocking");
        }
    }
}
