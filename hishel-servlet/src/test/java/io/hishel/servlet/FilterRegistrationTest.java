package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter without Spring: declared through web.xml in a real web application on Tomcat. */
class FilterRegistrationTest {

    static final AtomicInteger CALLS = new AtomicInteger();

    @TempDir
    Path folder;

    @Test
    void aListenerDeclaredInWebXmlRegistersTheFilterAndItCaches() throws Exception {
        Path webapp = folder.resolve("webapp");
        Files.createDirectories(webapp.resolve("WEB-INF"));
        String webXml = new String(getClass().getResourceAsStream("/webapp/WEB-INF/web.xml").readAllBytes(),
                StandardCharsets.UTF_8).replace("${hishel.test.sqlite-path}", folder.resolve("cache.db").toString());
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), webXml);

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(folder.resolve("tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addWebapp("", webapp.toString());
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        context.setJarScanner(scanner);
        tomcat.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/clock");
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(second.body()).isEqualTo(first.body());
            assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
            assertThat(CALLS).hasValue(1);
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    /** The application of the web.xml test. */
    public static class ClockServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            CALLS.incrementAndGet();
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("it is " + System.nanoTime());
        }
    }
}
