package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.MutableClock;
import io.hishel.memory.MemoryStorage;
import io.hishel.storage.StorageOptions;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Once a byte of a stored body has been sent, the response is that body or nothing. A hit whose
 * stored body cannot be read to the end — its chunk corrupt, its database gone — ends with the
 * connection closed before the declared length, at once: never a body the container's error
 * page appended, never a client left waiting for bytes that will not come. The application here
 * behaves as the one that showed the defect: its error dispatch reaches a servlet that writes a
 * body.
 */
class BrokenStoredBodyTest {

    private static final int SIZE = 200_000;
    private static final byte[] BODY = body();

    private final MutableClock clock = new MutableClock();
    private BreakableStorage storage;
    private HishelCacheFilter filter;
    private Tomcat tomcat;
    private Path baseDir;
    private int port;

    private static byte[] body() {
        byte[] body = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }

    @BeforeEach
    void start() throws Exception {
        storage = new BreakableStorage(new MemoryStorage(StorageOptions.builder().clock(clock).build()));
        filter = HishelCacheFilter.builder(storage).clock(clock).executor(Runnable::run).build();
        baseDir = Files.createTempDirectory("hishel-broken-body");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(context, "app", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (request.getDispatcherType() == DispatcherType.ERROR) {
                    // A forwarding servlet mapped to /*, as in the application that showed the defect.
                    response.getOutputStream().write("ERROR PAGE ".repeat(1000).getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                response.setHeader("Cache-Control", "max-age=600");
                response.setContentType("text/plain");
                response.setContentLength(SIZE);
                response.getOutputStream().write(BODY);
            }
        });
        context.addServletMappingDecoded("/*", "app");
        ErrorPage page = new ErrorPage();
        page.setExceptionType("java.lang.Throwable");
        page.setLocation("/error");
        context.addErrorPage(page);
        FilterDef definition = new FilterDef();
        definition.setFilterName("hishel");
        definition.setFilter(filter);
        context.addFilterDef(definition);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("hishel");
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
        tomcat.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        filter.destroy();
        try (var files = Files.walk(baseDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** @param closed whether the server closed the connection before the declared length */
    private record Reply(String head, byte[] body, boolean closed, boolean timedOut) {
    }

    /** A GET that reads until the server closes the connection, or gives up after the timeout. */
    private Reply get() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /page HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            int length = contentLength(head.toString());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while (body.size() < length && (n = in.read(buffer)) >= 0) {
                    body.write(buffer, 0, n);
                }
                // Short of the declared length only when the server closed the connection.
                return new Reply(head.toString(), body.toByteArray(), body.size() < length, false);
            } catch (SocketTimeoutException waitedInVain) {
                return new Reply(head.toString(), body.toByteArray(), false, true);
            }
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void aStoredBodyThatBreaksAfterTheHeadWasSentEndsTheConnectionAndIsNeverFollowedByAnotherBody()
            throws Exception {
        Reply miss = get();
        assertThat(miss.body()).isEqualTo(BODY);
        storage.readsFailAfter = 70_000;

        Reply hit = get();

        assertThat(hit.head()).startsWith("HTTP/1.1 200").contains("Content-Length: " + SIZE);
        assertThat(hit.timedOut()).as("the client waited in vain for the declared length").isFalse();
        assertThat(hit.closed()).isTrue();
        assertThat(hit.body().length).isLessThan(SIZE);
        assertThat(hit.body()).as("what arrived is the stored body, up to where it broke")
                .isEqualTo(Arrays.copyOf(BODY, hit.body().length));
        assertThat(new String(hit.body(), StandardCharsets.US_ASCII)).doesNotContain("ERROR PAGE");
    }

    @Test
    void theNextRequestIsAnsweredInFull() throws Exception {
        get();
        storage.readsFailAfter = 70_000;
        get();
        storage.readsFailAfter = -1;

        Reply next = get();

        assertThat(next.timedOut()).as(next.head() + " after " + next.body().length + " bytes").isFalse();
        assertThat(next.body()).isEqualTo(BODY);
    }
}
