package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.MutableClock;
import io.hishel.PostgresServer;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.memory.MemoryStorage;
import io.hishel.storage.Storage;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteDataSource;

/**
 * Once a byte of a stored body has been sent, the response is that body or nothing. A hit whose
 * stored body cannot be read to the end — its chunk corrupt, its database gone — ends with the
 * connection closed before the declared length, at once: never a body the container's error
 * page appended, never a client left waiting for bytes that will not come. The application here
 * behaves as the one that showed the defect: its error dispatch reaches a servlet that writes a
 * body. Each storage breaks in its own way: the memory storage's reads fail part-way, and in a
 * SQLite file and in PostgreSQL a stored chunk's bytes are changed under the storage, which its
 * checksums detect; that entry is then removed, so the next request goes to the application.
 */
class BrokenStoredBodyTest {

    private static final int SIZE = 200_000;
    private static final byte[] BODY = body();

    private final MutableClock clock = new MutableClock();
    private final AtomicInteger applicationCalls = new AtomicInteger();
    private Medium medium;
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

    /** A storage, and how to break the body it stored. */
    enum Kind {
        MEMORY, SQLITE, POSTGRESQL
    }

    private abstract static class Medium implements AutoCloseable {
        abstract Storage storage();

        /** Makes the stored body fail after its first chunk, as a storage's medium would. */
        abstract void breakStoredBody() throws Exception;

        /** Whether the storage removes an entry whose body it found broken. */
        abstract boolean removesTheBrokenEntry();

        @Override
        public void close() {
            storage().close();
        }
    }

    private static final class BrokenReads extends Medium {
        final BreakableStorage storage;

        BrokenReads(MutableClock clock) {
            storage = new BreakableStorage(new MemoryStorage(StorageOptions.builder().clock(clock).build()));
        }

        @Override
        Storage storage() {
            return storage;
        }

        @Override
        void breakStoredBody() {
            storage.readsFailAfter = 70_000;
        }

        @Override
        boolean removesTheBrokenEntry() {
            return false;
        }

        @Override
        public void close() {
            storage.readsFailAfter = -1;
            super.close();
        }
    }

    /** A JDBC storage whose chunk 1 is overwritten in the database with bytes of the same length. */
    private static final class ChangedChunk extends Medium {
        final JdbcStorage storage;
        final DataSource database;
        final Runnable release;

        ChangedChunk(JdbcStorage storage, DataSource database, Runnable release) {
            this.storage = storage;
            this.database = database;
            this.release = release;
        }

        @Override
        Storage storage() {
            return storage;
        }

        @Override
        void breakStoredBody() {
            // The miss's commit may end just after its client has the last byte.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> storage.statistics().entries() == 1);
            try (Connection connection = database.getConnection();
                 PreparedStatement update = connection.prepareStatement(
                         "UPDATE hishel_streams SET chunk_data = ? WHERE chunk_number = 1")) {
                byte[] changed = new byte[64 * 1024];
                Arrays.fill(changed, (byte) 'z');
                update.setBytes(1, changed);
                assertThat(update.executeUpdate()).isEqualTo(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        boolean removesTheBrokenEntry() {
            return true;
        }

        @Override
        public void close() {
            storage.close();
            release.run();
        }
    }

    private Medium medium(Kind kind) {
        switch (kind) {
            case MEMORY:
                return new BrokenReads(clock);
            case SQLITE: {
                Path file = baseDir.resolve("cache.db");
                JdbcStorage storage = JdbcStorage.sqlite(file).options(StorageOptions.builder().clock(clock).build())
                        .build();
                SQLiteDataSource database = new SQLiteDataSource();
                database.setUrl("jdbc:sqlite:" + file);
                return new ChangedChunk(storage, database, () -> { });
            }
            default: {
                PostgresServer.assumeReachable();
                String schema = "hishel_broken_" + Long.toHexString(System.nanoTime());
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(PostgresServer.URL + (PostgresServer.URL.contains("?") ? "&" : "?")
                        + "currentSchema=" + schema);
                config.setUsername(PostgresServer.USER);
                config.setMaximumPoolSize(4);
                config.setConnectionInitSql("CREATE SCHEMA IF NOT EXISTS " + schema);
                HikariDataSource pool = new HikariDataSource(config);
                JdbcStorage storage = JdbcStorage.builder(pool).options(StorageOptions.builder().clock(clock).build())
                        .build();
                return new ChangedChunk(storage, pool, () -> {
                    try (Connection connection = pool.getConnection(); Statement drop = connection.createStatement()) {
                        drop.execute("DROP SCHEMA " + schema + " CASCADE");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        pool.close();
                    }
                });
            }
        }
    }

    void start(Kind kind) throws Exception {
        baseDir = Files.createTempDirectory("hishel-broken-body");
        medium = medium(kind);
        filter = HishelCacheFilter.builder(medium.storage()).clock(clock).executor(Runnable::run).build();
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
                applicationCalls.incrementAndGet();
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
        if (tomcat == null) {
            return;
        }
        tomcat.stop();
        tomcat.destroy();
        filter.destroy();
        medium.close();
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

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStoredBodyThatBreaksAfterTheHeadWasSentEndsTheConnectionAndIsNeverFollowedByAnotherBody(Kind kind)
            throws Exception {
        start(kind);
        Reply miss = get();
        assertThat(miss.body()).isEqualTo(BODY);
        medium.breakStoredBody();
        long errorsBefore = filter.statistics().errors();

        Reply hit = get();

        assertThat(hit.head()).startsWith("HTTP/1.1 200").contains("Content-Length: " + SIZE);
        assertThat(hit.timedOut()).as("the client waited in vain for the declared length").isFalse();
        assertThat(hit.closed()).isTrue();
        assertThat(hit.body().length).isLessThan(SIZE);
        assertThat(hit.body()).as("what arrived is the stored body, up to where it broke")
                .isEqualTo(Arrays.copyOf(BODY, hit.body().length));
        assertThat(new String(hit.body(), StandardCharsets.US_ASCII)).doesNotContain("ERROR PAGE");
        assertThat(filter.statistics().errors()).as("the failed read is counted").isEqualTo(errorsBefore + 1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theNextRequestIsAnsweredInFull(Kind kind) throws Exception {
        start(kind);
        get();
        medium.breakStoredBody();
        get();
        if (medium instanceof BrokenReads reads) {
            reads.storage.readsFailAfter = -1;
        }

        Reply next = get();

        assertThat(next.timedOut()).as(next.head() + " after " + next.body().length + " bytes").isFalse();
        assertThat(next.body()).isEqualTo(BODY);
        assertThat(applicationCalls.get()).as("the broken entry was removed: the next request is a miss")
                .isEqualTo(medium.removesTheBrokenEntry() ? 2 : 1);
    }
}
