package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.RequestMetadata;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.SpecificationPolicy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The refresh of stale-while-revalidate (RFC 5861 §3) is a request of its own, made after the
 * client's exchange: the application can use it in full, and the client's connection is free.
 */
@Rfc("RFC 5861 §3")
class BackgroundRefreshTest extends FilterTestSupport {

    private static final String STALE_WHILE_REVALIDATE = "max-age=10, stale-while-revalidate=600";

    private void awaitVersion(String path, String body) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    HttpResponse<String> answer = server.get(path);
                    return answer.body().equals(body);
                });
    }

    @Test
    void anApplicationThatReadsItsRequestBodyIsRefreshed() throws Exception {
        AtomicInteger version = new AtomicInteger();
        start().route("/reads", (request, response) -> {
            // As frameworks do, even for GET: read the whole input before answering.
            byte[] body = request.getInputStream().readAllBytes();
            response.setHeader("Cache-Control", STALE_WHILE_REVALIDATE);
            response.getWriter().write("version " + version.incrementAndGet() + " read " + body.length);
        });

        server.get("/reads");
        clock.advanceSeconds(30);
        HttpResponse<String> stale = server.get("/reads");

        assertThat(stale.body()).isEqualTo("version 1 read 0");
        assertThat(stale.headers().firstValue("Cache-Status").orElseThrow()).contains("detail=stale-while-revalidate");
        assertThat(stale.headers().firstValue("Connection")).isEmpty();
        awaitVersion("/reads", "version 2 read 0");
        assertThat(server.calls("/reads")).isEqualTo(2);
    }

    @Test
    void theClientsConnectionServesItsNextRequestWhileTheRefreshIsStillRunning() throws Exception {
        AtomicInteger version = new AtomicInteger();
        CountDownLatch refreshStarted = new CountDownLatch(1);
        CountDownLatch refreshMayFinish = new CountDownLatch(1);
        start().route("/slow", (request, response) -> {
            int v = version.incrementAndGet();
            if (v == 2) {
                refreshStarted.countDown();
                refreshMayFinish.await(20, TimeUnit.SECONDS);
            }
            response.setHeader("Cache-Control", STALE_WHILE_REVALIDATE);
            response.getWriter().write("version " + v);
        });
        server.get("/slow");
        clock.advanceSeconds(30);

        try (Socket socket = new Socket("127.0.0.1", server.port)) {
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Reply stale = exchange(socket, in, "/slow");
            assertThat(refreshStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // The refresh is blocked in the application: the same connection still answers at once.
            Reply next = exchange(socket, in, "/slow");

            assertThat(stale.body()).isEqualTo("version 1");
            assertThat(stale.headers()).doesNotContainKey("connection");
            assertThat(next.body()).isEqualTo("version 1");
            assertThat(refreshMayFinish.getCount()).isEqualTo(1);
        } finally {
            refreshMayFinish.countDown();
        }
        awaitVersion("/slow", "version 2");
    }

    @Test
    void aBodyKeyedPostIsRefreshedWithTheBodyTheCacheRead() throws Exception {
        AtomicInteger version = new AtomicInteger();
        start(builder -> builder.policy(new SpecificationPolicy(CacheOptions.builder()
                        .supportedMethods("GET", "HEAD", "POST").build()))
                .requestMetadata(request -> RequestMetadata.builder().bodyKey(true).build()))
                .route("/search", (request, response) -> {
                    String query = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    response.setHeader("Cache-Control", STALE_WHILE_REVALIDATE);
                    response.getWriter().write("results for " + query + " v" + version.incrementAndGet());
                });

        post("/search", "cats");
        clock.advanceSeconds(30);
        HttpResponse<String> stale = post("/search", "cats");

        assertThat(stale.body()).isEqualTo("results for cats v1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> version.get() == 2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> post("/search", "cats").body().equals("results for cats v2"));
    }

    @Test
    void theRefreshCarriesTheClientsFieldsButNotItsCredentials() throws Exception {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        AtomicInteger version = new AtomicInteger();
        start().route("/page", (request, response) -> {
            seen.add(Map.of("cookie", String.valueOf(request.getHeader("Cookie")),
                    "language", String.valueOf(request.getHeader("Accept-Language")),
                    "refresh", String.valueOf(request.getHeader(BackgroundRefresh.FIELD))));
            response.setHeader("Cache-Control", STALE_WHILE_REVALIDATE);
            response.getWriter().write("page " + version.incrementAndGet());
        });

        server.get("/page", "Cookie", "session=alice", "Accept-Language", "de");
        clock.advanceSeconds(30);
        server.get("/page", "Cookie", "session=bob", "Accept-Language", "fr");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);

        assertThat(seen.get(1)).containsEntry("cookie", "null").containsEntry("language", "fr")
                .containsEntry("refresh", "null");
    }

    @Test
    void aRequestWithAForgedRefreshFieldIsAnOrdinaryRequest() throws Exception {
        start().route("/plain", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("plain");
        });
        server.get("/plain");
        // The client has the whole body a moment before the filter makes the entry visible.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !stored("/plain").isEmpty());

        HttpResponse<String> forged = server.get("/plain", BackgroundRefresh.FIELD,
                "guessed " + stored("/plain").get(0).id());

        assertThat(forged.statusCode()).isEqualTo(200);
        assertThat(forged.body()).isEqualTo("plain");
        assertThat(forged.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(server.calls("/plain")).isEqualTo(1);
    }

    @Test
    void aServerThatSpeaksOnlyTlsIsRefreshedOverTls(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=shop.example", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        storage = new io.hishel.memory.MemoryStorage(io.hishel.storage.StorageOptions.builder().clock(clock).build());
        filter = HishelCacheFilter.builder(storage).clock(clock).executor(Runnable::run).build();
        server = TestServer.startTls(filter, keyStore);
        AtomicInteger version = new AtomicInteger();
        server.route("/secure", (request, response) -> {
            request.getInputStream().readAllBytes();
            response.setHeader("Cache-Control", STALE_WHILE_REVALIDATE);
            response.getWriter().write("secure " + version.incrementAndGet() + " " + request.isSecure());
        });

        assertThat(tlsGet("/secure")).isEqualTo("secure 1 true");
        clock.advanceSeconds(30);
        assertThat(tlsGet("/secure")).isEqualTo("secure 1 true");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> version.get() == 2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> tlsGet("/secure").equals("secure 2 true"));
    }

    /** A GET over TLS to the test server, whose certificate no trust store knows. */
    private String tlsGet(String path) throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (Socket socket = context.getSocketFactory().createSocket("127.0.0.1", server.port)) {
            socket.setSoTimeout(10_000);
            return exchange(socket, new BufferedInputStream(socket.getInputStream()), path).body();
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return server.send(server.request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private record Reply(int status, Map<String, String> headers, String body) {
    }

    /** One request and its reply on a kept-alive connection. */
    private Reply exchange(Socket socket, InputStream in, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        return new Reply(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
