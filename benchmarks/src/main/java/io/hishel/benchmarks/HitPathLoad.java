package io.hishel.benchmarks;

import io.hishel.memory.MemoryStorage;
import io.hishel.servlet.HishelCacheFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A first measure of the filter's hit path: requests per second for the same 1 KiB servlet
 * response, answered by the servlet ({@code /plain/}) and by Hishel from memory storage
 * ({@code /cached/}), from one Tomcat, with keep-alive connections, the two cases alternating so
 * that drift on a shared machine hits both alike. The full load benchmark (a floor filter, wrk,
 * pinned cores) is the work of its own issue.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.hishel.benchmarks.HitPathLoad [connections] [seconds] [rounds]}
 */
public final class HitPathLoad {

    private static final byte[] BODY = new byte[1024];

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Arrays.fill(BODY, (byte) 'x');
        Path base = Files.createTempDirectory("hishel-load");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxKeepAliveRequests", "-1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        Tomcat.addServlet(context, "app", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setHeader("Cache-Control", "max-age=3600");
                response.setContentType("text/plain");
                response.setContentLength(BODY.length);
                response.getOutputStream().write(BODY);
            }
        });
        context.addServletMappingDecoded("/", "app");
        try (MemoryStorage storage = new MemoryStorage()) {
            HishelCacheFilter filter = HishelCacheFilter.builder(storage).build();
            FilterDef definition = new FilterDef();
            definition.setFilterName("hishel");
            definition.setFilter(filter);
            context.addFilterDef(definition);
            FilterMap mapping = new FilterMap();
            mapping.setFilterName("hishel");
            mapping.addURLPattern("/cached/*");
            context.addFilterMap(mapping);
            tomcat.start();
            int port = connector.getLocalPort();

            run(port, "/plain/a", connections, 2);
            run(port, "/cached/a", connections, 2);
            List<double[]> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double plain = run(port, "/plain/a", connections, seconds);
                double cached = run(port, "/cached/a", connections, seconds);
                results.add(new double[] {plain, cached});
                System.out.printf(Locale.ROOT, "round %d: servlet %.0f req/s, Hishel hit %.0f req/s, ratio %.2f%n",
                        round, plain, cached, cached / plain);
            }
            double plain = results.stream().mapToDouble(r -> r[0]).average().orElse(0);
            double cached = results.stream().mapToDouble(r -> r[1]).average().orElse(0);
            System.out.printf(Locale.ROOT, "mean: servlet %.0f req/s, Hishel hit %.0f req/s, ratio %.2f (%s)%n",
                    plain, cached, cached / plain, filter.statistics());
            tomcat.stop();
            tomcat.destroy();
        }
    }

    /** Keep-alive GETs from {@code connections} threads for a while; returns requests per second. */
    private static double run(int port, String path, int connections, int seconds) throws Exception {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                    while (!stop.get()) {
                        out.write(request);
                        out.flush();
                        readResponse(in);
                        done.increment();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long count = done.sum();
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Thread thread : threads) {
            thread.join();
        }
        return count / elapsed;
    }

    private static void readResponse(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int contentLength = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("Connection closed");
            }
            if (b == '\n') {
                String header = line.toString().trim();
                line.setLength(0);
                if (header.isEmpty()) {
                    break;
                }
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    contentLength = Integer.parseInt(header.substring(15).trim());
                }
            } else {
                line.append((char) b);
            }
        }
        if (contentLength < 0) {
            throw new IOException("No Content-Length");
        }
        in.skipNBytes(contentLength);
    }
}
