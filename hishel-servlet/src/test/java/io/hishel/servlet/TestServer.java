package io.hishel.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An embedded Tomcat on 127.0.0.1 and an ephemeral port: one servlet whose answers the test sets
 * per path, behind the filter under test, and a real HTTP client.
 */
final class TestServer implements AutoCloseable {

    /** What the application does for one path. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
    }

    private final Tomcat tomcat;
    private final Path baseDir;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final int port;

    private TestServer(Filter before, Filter filter) throws IOException, LifecycleException {
        this(before, filter, null);
    }

    /** @param keyStore a PKCS #12 key store with the key "server" (password "changeit") for TLS, or null */
    private TestServer(Filter before, Filter filter, Path keyStore) throws IOException, LifecycleException {
        baseDir = Files.createTempDirectory("hishel-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        if (keyStore != null) {
            connector.setSecure(true);
            connector.setScheme("https");
            connector.setProperty("SSLEnabled", "true");
            org.apache.tomcat.util.net.SSLHostConfig tls = new org.apache.tomcat.util.net.SSLHostConfig();
            org.apache.tomcat.util.net.SSLHostConfigCertificate certificate =
                    new org.apache.tomcat.util.net.SSLHostConfigCertificate(tls,
                            org.apache.tomcat.util.net.SSLHostConfigCertificate.Type.RSA);
            certificate.setCertificateKeystoreFile(keyStore.toAbsolutePath().toString());
            certificate.setCertificateKeystorePassword("changeit");
            certificate.setCertificateKeyAlias("server");
            tls.addCertificate(certificate);
            connector.addSslHostConfig(tls);
        }
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(context, "app", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String path = request.getRequestURI();
                calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                Handler handler = handlers.get(path);
                if (handler == null) {
                    response.sendError(404);
                    return;
                }
                try {
                    handler.handle(request, response);
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }).setAsyncSupported(true);
        context.addServletMappingDecoded("/", "app");
        if (before != null) {
            addFilter(context, "before", before);
        }
        if (filter != null) {
            addFilter(context, "hishel", filter);
        }
        tomcat.start();
        port = connector.getLocalPort();
    }

    private static void addFilter(Context context, String name, Filter filter) {
        {
            FilterDef definition = new FilterDef();
            definition.setFilterName(name);
            definition.setFilter(filter);
            definition.setAsyncSupported("true");
            context.addFilterDef(definition);
            FilterMap mapping = new FilterMap();
            mapping.setFilterName(name);
            mapping.addURLPattern("/*");
            context.addFilterMap(mapping);
        }
    }

    static TestServer start(Filter filter) throws Exception {
        return new TestServer(null, filter);
    }

    /** Over TLS only, with a certificate from the key store (see the constructor). */
    static TestServer startTls(Filter filter, Path keyStore) throws Exception {
        return new TestServer(null, filter, keyStore);
    }

    /** With a filter in front of the one under test, as application code that runs before it. */
    static TestServer start(Filter before, Filter filter) throws Exception {
        return new TestServer(before, filter);
    }

    TestServer route(String path, Handler handler) {
        handlers.put(path, handler);
        return this;
    }

    int calls(String path) {
        AtomicInteger count = calls.get(path);
        return count == null ? 0 : count.get();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder builder = request(pathAndQuery).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
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
