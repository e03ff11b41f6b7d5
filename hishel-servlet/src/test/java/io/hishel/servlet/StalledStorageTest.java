package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hishel.PostgresServer;
import io.hishel.TcpProxy;
import io.hishel.jdbc.JdbcStorage;
import io.hishel.memory.MemoryTier;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: with PostgreSQL behind a network that stopped answering, single requests waited up to
 * 57 s although the filter bypasses a failing storage. Here the network stalls under a running
 * application, and every request is answered by the application within the storage's timeout, one
 * sweep of its deadlines and room for a busy machine: a hit, a miss, a write, and a hit whose body
 * stalls after its head was sent, which ends, cut short, as quickly.
 */
class StalledStorageTest extends FilterTestSupport {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** The timeout, a sweep of the deadlines (at most 100 ms), and room for a shared machine. */
    private static final Duration BOUND = TIMEOUT.plusMillis(900);
    private static final byte[] LARGE = new byte[8 * 1024 * 1024];

    static {
        Arrays.fill(LARGE, (byte) 'x');
    }

    private final String schema = "hishel_stall_" + Long.toHexString(System.nanoTime());
    private TcpProxy proxy;
    private final AtomicInteger version = new AtomicInteger();

    @BeforeEach
    void openStorageBehindAProxy() throws Exception {
        PostgresServer.assumeReachable();
        URI server = URI.create(PostgresServer.URL.substring("jdbc:".length()));
        proxy = new TcpProxy(server.getHost(), server.getPort());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getPath() + "?currentSchema=" + schema);
        config.setUsername(PostgresServer.USER);
        config.setConnectionInitSql("CREATE SCHEMA IF NOT EXISTS " + schema);
        config.setMaximumPoolSize(8);
        // The pool's own waits, which no storage can interrupt: whoever creates a DataSource sets them.
        config.setConnectionTimeout(250);
        config.setValidationTimeout(250);
        // Without the memory tier, which would answer hits without meeting the stalled database at all.
        storage = JdbcStorage.builder(new HikariDataSource(config)).closeDataSource(true).timeout(TIMEOUT)
                .memoryTier(MemoryTier.off()).scheduleMaintenance(false).build();
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        try (Connection connection = DriverManager.getConnection(PostgresServer.URL, PostgresServer.USER, "");
             Statement drop = connection.createStatement()) {
            drop.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private TestServer startApplication(UnaryOperator<HishelCacheFilter.Builder> configure) throws Exception {
        return start(configure)
                .route("/page", (request, response) -> {
                    if (request.getMethod().equals("POST")) {
                        response.getWriter().write("saved " + new String(request.getInputStream().readAllBytes(),
                                StandardCharsets.UTF_8));
                        return;
                    }
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getWriter().write("page " + version.incrementAndGet());
                })
                .route("/other", (request, response) -> {
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getWriter().write("other");
                })
                .route("/large", (request, response) -> {
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getOutputStream().write(LARGE);
                });
    }

    @Test
    void everyRequestIsAnsweredByTheApplicationWithinTheBoundWhileTheDatabaseStalls() throws Exception {
        // Never left alone, so that each request meets the stalled database itself.
        startApplication(builder -> builder.storageFailures(1000, Duration.ofMinutes(1)));
        assertThat(server.get("/page").body()).isEqualTo("page 1");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !stored("/page").isEmpty());
        assertThat(server.get("/page").headers().firstValue("Cache-Status")).hasValueSatisfying(
                status -> assertThat(status).contains("hit"));

        proxy.stall();

        for (int i = 2; i <= 4; i++) {
            HttpResponse<String> page = timed(() -> server.get("/page"));
            assertThat(page.body()).isEqualTo("page " + i);
            HttpResponse<String> elsewhere = timed(() -> server.get("/other"));
            assertThat(elsewhere.statusCode()).isEqualTo(200);
            HttpResponse<String> write = timed(() -> server.send(server.request("/page")
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build()));
            assertThat(write.body()).isEqualTo("saved x");
        }
        assertThat(filter.statistics().errors()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void aHitWhoseBodyStallsAfterItsHeadIsCutShortWithinTheBound() throws Exception {
        startApplication(UnaryOperator.identity());
        assertThat(server.get("/large").body()).hasSize(LARGE.length);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !stored("/large").isEmpty());

        try (Socket socket = new Socket()) {
            // A small window, so that the server is still reading the stored body when the database stalls.
            socket.setReceiveBufferSize(16 * 1024);
            int port = server.uri("/").getPort();
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /large HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            RawHttp.readAtLeast(in, 256 * 1024);

            proxy.stall();
            long stalled = System.nanoTime();
            long received = 256 * 1024 + readToTheEndOrTheLength(in, LARGE.length - 256 * 1024);

            assertThat(Duration.ofNanos(System.nanoTime() - stalled)).isLessThan(BOUND.plusSeconds(1));
            assertThat(received).isLessThan(LARGE.length);
        }
    }

    /** Reads until the server closes the connection, or until it has sent a whole body more. */
    private static long readToTheEndOrTheLength(InputStream in, long limit) throws java.io.IOException {
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        for (int n; total < limit && (n = in.read(buffer)) >= 0; ) {
            total += n;
        }
        return total;
    }

    private static <T> T timed(Call<T> call) throws Exception {
        long started = System.nanoTime();
        T result = call.run();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
        return result;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }
}
