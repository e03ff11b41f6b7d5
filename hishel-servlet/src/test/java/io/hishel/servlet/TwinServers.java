package io.hishel.servlet;

import io.hishel.MutableClock;
import io.hishel.http.Request;
import io.hishel.memory.MemoryStorage;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The same application twice, on two embedded Tomcats: one bare, one behind the cache. A request
 * sent to both over a raw socket shows what the filter changes; {@link Seen} is what a client sees,
 * less what the cache may legitimately add or change (its own fields, {@code Date}, {@code Age}).
 */
final class TwinServers implements AutoCloseable {

    /** What a client sees of one response, in a form two twins' answers can be compared in. */
    record Seen(String statusLine, Map<String, List<String>> headers, Framing framing, String body) {
        int status() {
            String[] parts = statusLine.split(" ");
            return parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
        }

        @Override
        public String toString() {
            String shown = body.length() > 300 ? body.substring(0, 300) + "...(" + body.length() + " chars)" : body;
            return statusLine + " " + headers + " " + framing + " <" + shown.replace("\r", "\\r").replace("\n", "\\n")
                    + ">";
        }
    }

    /** How the response ended on the wire. */
    enum Framing {
        /** The body ended as its framing said (length, last chunk, or close for a close-delimited body). */
        COMPLETE,
        /** The connection closed before the framing said the body ended. */
        CUT,
        /** The connection was reset. */
        RESET,
        /** Nothing came back, or no complete head. */
        NO_RESPONSE,
        /** Nothing more came, and the connection stayed open. */
        HUNG
    }

    /** Fields the cache adds or changes on every response, or that differ between any two responses. */
    private static final Pattern IGNORED = Pattern.compile("date|age|cache-status|x-hishel-.*");

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final Storage storage = new MemoryStorage(StorageOptions.builder().clock(clock).build());
    final HishelCacheFilter filter;
    final Twin bare;
    final Twin cached;

    TwinServers(TestServer.Handler application) throws Exception {
        this(application, java.util.function.UnaryOperator.identity());
    }

    /** @param configure settings of the cache's filter beyond the defaults */
    TwinServers(TestServer.Handler application, java.util.function.UnaryOperator<HishelCacheFilter.Builder> configure)
            throws Exception {
        // No grace: it answers on purpose, with a stale entry, for an application that throws or answers 502 or
        // 504 (its own tests say how); here the cache must relay what the application did, as the bare twin does.
        HishelCacheFilter.Builder builder = HishelCacheFilter.builder(storage).clock(clock).executor(Runnable::run)
                .policy(new io.hishel.policy.SpecificationPolicy(
                        io.hishel.policy.CacheOptions.builder().grace(java.time.Duration.ZERO).build()));
        filter = configure.apply(builder).build();
        bare = new Twin(application, null);
        cached = new Twin(application, filter);
    }

    /** What the cache holds for a GET of this path on the cached twin. */
    List<Entry> stored(String pathAndQuery) {
        return storage.entries(CacheKey.of(Request.of("GET", "http://127.0.0.1:" + cached.port + pathAndQuery)));
    }

    @Override
    public void close() throws Exception {
        bare.close();
        cached.close();
        filter.destroy();
        storage.close();
    }

    /** One embedded Tomcat. */
    static final class Twin implements AutoCloseable {
        private final Tomcat tomcat;
        private final Path baseDir;
        final int port;
        /** The start of the names of this Tomcat's request threads, to tell its log events from the other's. */
        final String threadPrefix;

        private Twin(TestServer.Handler application, jakarta.servlet.Filter filter) throws Exception {
            baseDir = Files.createTempDirectory("hishel-twin");
            tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            // Without the stack trace in error pages, which differs with the filter's frames in it.
            ((StandardHost) tomcat.getHost()).setErrorReportValveClass(QuietErrorReport.class.getName());
            Context context = tomcat.addContext("", baseDir.toString());
            Tomcat.addServlet(context, "app", new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest request, HttpServletResponse response)
                        throws IOException, ServletException {
                    try {
                        application.handle(request, response);
                    } catch (IOException | ServletException | RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new ServletException(e);
                    }
                }
            }).setAsyncSupported(true);
            context.addServletMappingDecoded("/", "app");
            if (filter != null) {
                FilterDef definition = new FilterDef();
                definition.setFilterName("hishel");
                definition.setFilter(filter);
                definition.setAsyncSupported("true");
                context.addFilterDef(definition);
                FilterMap mapping = new FilterMap();
                mapping.setFilterName("hishel");
                mapping.addURLPattern("/*");
                context.addFilterMap(mapping);
            }
            tomcat.start();
            port = connector.getLocalPort();
            String name = ((AbstractProtocol<?>) connector.getProtocolHandler()).getName();
            threadPrefix = name.replace("\"", "") + "-";
        }

        /** Sends a GET of the path with the given header lines and {@code Connection: close}. */
        Seen get(String pathAndQuery, String... headerLines) throws IOException {
            StringBuilder request = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            return send(request.append("Connection: close\r\n\r\n").toString(), false);
        }

        /**
         * Sends raw bytes as they are and reads until the server closes.
         *
         * @param head whether the request was a HEAD, whose response has no body whatever it says
         */
        Seen send(String rawRequest, boolean head) throws IOException {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Framing ending = null;
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(rawRequest.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        received.write(buffer, 0, n);
                    }
                } catch (SocketTimeoutException e) {
                    ending = Framing.HUNG;
                } catch (SocketException e) {
                    ending = Framing.RESET;
                }
            }
            return seen(received.toByteArray(), ending, head);
        }

        @Override
        public void close() throws Exception {
            tomcat.stop();
            tomcat.destroy();
            try (var files = Files.walk(baseDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Tomcat's error page with the status only, the same with and without the filter. */
    public static final class QuietErrorReport extends ErrorReportValve {
        public QuietErrorReport() {
            setShowReport(false);
            setShowServerInfo(false);
        }
    }

    static Seen seen(byte[] raw, Framing abnormalEnd, boolean head) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Seen("", Map.of(), abnormalEnd == null ? Framing.NO_RESPONSE : abnormalEnd, text);
        }
        String[] lines = text.substring(0, end).split("\r\n", -1);
        Map<String, List<String>> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = (colon < 0 ? lines[i] : lines[i].substring(0, colon)).trim().toLowerCase(Locale.ROOT);
            if (!IGNORED.matcher(name).matches()) {
                headers.computeIfAbsent(name, n -> new ArrayList<>()).add(colon < 0 ? "" : lines[i].substring(colon + 1)
                        .trim());
            }
        }
        byte[] rest = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
        int status = new Seen(lines[0], headers, Framing.COMPLETE, "").status();
        boolean noBody = head || status == 204 || status == 304 || status / 100 == 1;
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        List<String> length = headers.getOrDefault("content-length", List.of());
        String body;
        Framing framing;
        if (noBody) {
            body = new String(rest, StandardCharsets.ISO_8859_1);
            framing = Framing.COMPLETE;
        } else if (!encoding.isEmpty() && encoding.get(encoding.size() - 1).toLowerCase(Locale.ROOT).endsWith("chunked")) {
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            framing = dechunk(rest, decoded) ? Framing.COMPLETE : Framing.CUT;
            body = decoded.toString(StandardCharsets.ISO_8859_1);
        } else if (length.size() == 1 && length.get(0).matches("\\d{1,18}")) {
            long declared = Long.parseLong(length.get(0));
            framing = rest.length >= declared ? Framing.COMPLETE : Framing.CUT;
            body = new String(rest, 0, (int) Math.min(declared, rest.length), StandardCharsets.ISO_8859_1);
            if (rest.length > declared) {
                body += "[then " + (rest.length - declared) + " bytes past the declared length]";
            }
        } else {
            body = new String(rest, StandardCharsets.ISO_8859_1);
            framing = Framing.COMPLETE;
        }
        return new Seen(lines[0], headers, abnormalEnd != null ? abnormalEnd : framing, body);
    }

    /** @return whether the last chunk came */
    private static boolean dechunk(byte[] chunked, ByteArrayOutputStream into) {
        int position = 0;
        while (true) {
            int lineEnd = lineEnd(chunked, position);
            if (lineEnd < 0) {
                return false;
            }
            int size;
            try {
                size = Integer.parseInt(new String(chunked, position, lineEnd - position, StandardCharsets.ISO_8859_1)
                        .split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                return false;
            }
            if (size == 0) {
                return true;
            }
            int available = Math.min(size, chunked.length - (lineEnd + 2));
            into.write(chunked, lineEnd + 2, available);
            if (available < size) {
                return false;
            }
            position = lineEnd + 2 + size + 2;
        }
    }

    private static int lineEnd(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
