package io.hishel.benchmarks;

import io.hishel.jdbc.JdbcStorage;
import io.hishel.memory.MemoryStorage;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * The application the load benchmark measures: one embedded Tomcat with a Spring MVC endpoint,
 * reached through different fronts by the first segment of the path.
 *
 * <ul>
 *   <li>{@code /floor/...}: a bare filter, first in the chain, writes precomputed bytes; nothing
 *       behind it runs. No in-process cache can answer faster.</li>
 *   <li>{@code /memory/...}: {@link HishelCacheFilter} with {@link MemoryStorage}.</li>
 *   <li>{@code /sqlite/...}: {@link HishelCacheFilter} with {@link JdbcStorage#sqlite SQLite} in a
 *       temporary file.</li>
 *   <li>{@code /app/...}: the endpoint alone.</li>
 * </ul>
 *
 * <p>The endpoint answers {@code /{front}/cached/{size}} with {@code size} bytes and
 * {@code max-age=3600}, {@code /{front}/not-cacheable/{size}} with the same bytes and
 * {@code no-store}, and {@code /{front}/stream/{size}} with {@code size} bytes written in 64 KiB
 * pieces, never held whole (for the large-body check under a small heap).
 *
 * <p>{@code /_bench/allocated} (no filter) answers the bytes all live threads have allocated so
 * far, so the driver can report allocation per request. The server prints {@code listening on PORT}
 * once it accepts connections and stops when its standard input closes.
 *
 * <p>{@code java -cp benchmarks.jar io.hishel.benchmarks.LoadServer [port] [maxEntrySizeBytes]}
 */
public final class LoadServer {

    static final List<Integer> SIZES = List.of(1024, 64 * 1024);
    private static final String CACHE_CONTROL = "max-age=3600";
    private static final int STREAM_PIECE = 64 * 1024;
    /** Held so the levels stay set: java.util.logging keeps loggers only weakly. */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.apache"), java.util.logging.Logger.getLogger("org.springframework"));

    private LoadServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        long maxEntrySize = args.length > 1 ? Long.parseLong(args[1]) : CacheOptions.defaults().maxEntrySize();
        // Start-up chatter and the class loader's leak checks would bury the driver's table.
        QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.SEVERE));
        Path base = Files.createTempDirectory("hishel-load-server");
        CacheOptions options = CacheOptions.builder().maxEntrySize(maxEntrySize).build();
        try (MemoryStorage memory = new MemoryStorage(StorageOptions.builder().maxBytes(256L << 20).build());
             JdbcStorage sqlite = JdbcStorage.sqlite(base.resolve("cache.db")).build()) {
            Tomcat tomcat = new Tomcat();
            // Tomcat sets its contexts' loggers to INFO unless it is silent.
            tomcat.setSilent(true);
            tomcat.setBaseDir(base.toString());
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", "127.0.0.1");
            // wrk keeps its connections open; so do the fronts, alike.
            connector.setProperty("maxKeepAliveRequests", "-1");
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", base.toString());

            addFilter(context, "floor", new FloorFilter(), "/floor/*");
            addFilter(context, "hishel-memory", cache(memory, options), "/memory/*");
            addFilter(context, "hishel-sqlite", cache(sqlite, options), "/sqlite/*");

            AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
            spring.register(Application.class);
            Tomcat.addServlet(context, "spring", new DispatcherServlet(spring)).setLoadOnStartup(1);
            context.addServletMappingDecoded("/", "spring");
            Tomcat.addServlet(context, "allocated", new AllocatedServlet());
            context.addServletMappingDecoded("/_bench/allocated", "allocated");

            tomcat.start();
            System.out.println("listening on " + connector.getLocalPort());
            System.out.flush();
            // The driver owns this process: when it goes, so does the server.
            while (System.in.read() >= 0) {
                // Nothing is sent on standard input; reading only waits for it to close.
            }
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static HishelCacheFilter cache(Storage storage, CacheOptions options) {
        return HishelCacheFilter.builder(storage).policy(new SpecificationPolicy(options)).build();
    }

    private static void addFilter(Context context, String name, Filter filter, String pattern) {
        FilterDef definition = new FilterDef();
        definition.setFilterName(name);
        definition.setFilter(filter);
        context.addFilterDef(definition);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName(name);
        mapping.addURLPattern(pattern);
        context.addFilterMap(mapping);
    }

    static byte[] body(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    /** What the endpoint would write for {@code /cached/{size}}, prepared once, written as is. */
    static final class FloorFilter implements Filter {
        private final Map<String, byte[]> bodies = new HashMap<>();

        FloorFilter() {
            for (int size : SIZES) {
                bodies.put("/floor/cached/" + size, body(size));
            }
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            byte[] body = bodies.get(((HttpServletRequest) req).getRequestURI());
            if (body == null) {
                chain.doFilter(req, res);
                return;
            }
            HttpServletResponse response = (HttpServletResponse) res;
            response.setStatus(200);
            response.setHeader("Cache-Control", CACHE_CONTROL);
            response.setContentType(MediaType.TEXT_PLAIN_VALUE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    static class Application {
        @Bean
        Endpoint endpoint() {
            return new Endpoint();
        }
    }

    @RestController
    static class Endpoint {
        private final Map<Integer, byte[]> bodies = new HashMap<>();

        Endpoint() {
            for (int size : SIZES) {
                bodies.put(size, body(size));
            }
        }

        @GetMapping("/{front}/cached/{size}")
        ResponseEntity<byte[]> cached(@PathVariable String front, @PathVariable int size) {
            return answer(size, CACHE_CONTROL);
        }

        @GetMapping("/{front}/not-cacheable/{size}")
        ResponseEntity<byte[]> notCacheable(@PathVariable String front, @PathVariable int size) {
            return answer(size, CacheControl.noStore().getHeaderValue());
        }

        @GetMapping("/{front}/stream/{size}")
        void stream(@PathVariable String front, @PathVariable long size, HttpServletResponse response)
                throws IOException {
            response.setHeader("Cache-Control", CACHE_CONTROL);
            response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            response.setContentLengthLong(size);
            byte[] piece = body(STREAM_PIECE);
            OutputStream out = response.getOutputStream();
            for (long left = size; left > 0; left -= piece.length) {
                out.write(piece, 0, (int) Math.min(piece.length, left));
            }
        }

        private ResponseEntity<byte[]> answer(int size, String cacheControl) {
            byte[] body = bodies.get(size);
            if (body == null) {
                return ResponseEntity.notFound().build();
            }
            return ResponseEntity.ok().header("Cache-Control", cacheControl).contentType(MediaType.TEXT_PLAIN)
                    .body(body);
        }
    }

    /** Bytes allocated by all live threads, from the JVM's per-thread counters. */
    static final class AllocatedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long total = Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds()))
                    .filter(bytes -> bytes > 0).sum();
            response.setContentType("text/plain");
            response.getOutputStream().write(Long.toString(total).getBytes(StandardCharsets.US_ASCII));
        }
    }
}
