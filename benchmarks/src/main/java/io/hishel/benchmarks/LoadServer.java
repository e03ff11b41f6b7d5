package io.hishel.benchmarks;

import io.hishel.jdbc.JdbcStorage;
import io.hishel.memory.MemoryStorage;
import io.hishel.memory.MemoryTier;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageOptions;
import io.hishel.storage.StoredBody;
import io.hishel.storage.StoredRequest;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 *       temporary file, with its memory tier as built by default.</li>
 *   <li>{@code /sqlite-no-tier/...}: the same file through a second storage with
 *       {@link MemoryTier#off()}: every lookup goes to the database, as it does for a working set
 *       larger than the tier.</li>
 *   <li>{@code /postgresql/...} and {@code /postgresql-no-tier/...}: the same two on PostgreSQL
 *       ({@link PostgresSchema}: a fresh schema, dropped when the server stops), unless the fourth
 *       argument is {@code false}.</li>
 *   <li>{@code /app/...}: the endpoint alone.</li>
 * </ul>
 *
 * <p>The endpoint answers {@code /{front}/cached/{size}} with {@code size} bytes and
 * {@code max-age=3600}, {@code /{front}/not-cacheable/{size}} with the same bytes and
 * {@code no-store}, and {@code /{front}/stream/{size}} with {@code size} bytes written in 64 KiB
 * pieces, never held whole (for the large-body check under a small heap).
 *
 * <p>Outside every filter, for the driver: {@code /_bench/allocated} answers the bytes all live
 * threads have allocated so far, so the driver can report allocation per request;
 * {@code /_bench/calls} how many times the endpoint has run, so the driver can prove a run of hits
 * never reached it; and {@code /_bench/populate} stores entries through the {@link Storage} API
 * (see {@link Populate}), as many as the scaling runs need, far faster than misses over HTTP would.
 * The server prints {@code listening on PORT} once it accepts connections and stops when its
 * standard input closes.
 *
 * <p>{@code java -cp benchmarks.jar io.hishel.benchmarks.LoadServer [port] [maxEntrySizeBytes]
 * [memoryMaxBytes] [postgresql: true|false] [databaseMaxBytes]}
 */
public final class LoadServer {

    static final List<Integer> SIZES = List.of(1024, 64 * 1024);
    /** The fronts that cache, each with its storage. */
    static final List<String> STORAGE_FRONTS = List.of("memory", "sqlite", "sqlite-no-tier", "postgresql",
            "postgresql-no-tier");
    /** Connections of each PostgreSQL pool: more than the container's threads ever use at once on one core. */
    private static final int POSTGRESQL_POOL = 8;
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
        long memoryMaxBytes = args.length > 2 ? Long.parseLong(args[2]) : 256L << 20;
        boolean postgresql = args.length <= 3 || Boolean.parseBoolean(args[3]);
        StorageOptions jdbcOptions = args.length > 4
                ? StorageOptions.builder().maxBytes(Long.parseLong(args[4])).build() : StorageOptions.defaults();
        // Start-up chatter and the class loader's leak checks would bury the driver's table.
        QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.SEVERE));
        Path base = Files.createTempDirectory("hishel-load-server");
        CacheOptions options = CacheOptions.builder().maxEntrySize(maxEntrySize).build();
        Map<String, Storage> storages = new LinkedHashMap<>();
        PostgresSchema schema = null;
        Storage bulk = null;
        Storage sqliteBulk = null;
        try {
            storages.put("memory", new MemoryStorage(StorageOptions.builder().maxBytes(memoryMaxBytes).build()));
            // Both SQLite fronts on one file, as two instances would share it; each front has its own URLs.
            storages.put("sqlite", JdbcStorage.sqlite(base.resolve("cache.db")).options(jdbcOptions).build());
            storages.put("sqlite-no-tier", JdbcStorage.sqlite(base.resolve("cache.db")).options(jdbcOptions)
                    .memoryTier(MemoryTier.off()).build());
            if (postgresql) {
                schema = PostgresSchema.create("hishel_load");
                // One more connection each, which the memory tier holds to hear other instances' writes.
                storages.put("postgresql", JdbcStorage.builder(schema.pool("hishel-load-postgresql",
                        POSTGRESQL_POOL + 1)).options(jdbcOptions).build());
                storages.put("postgresql-no-tier", JdbcStorage.builder(schema.pool("hishel-load-postgresql-no-tier",
                        POSTGRESQL_POOL + 1)).options(jdbcOptions).memoryTier(MemoryTier.off()).build());
                // Filling: commits that do not wait for the write-ahead log to reach the disk, so a million entries
                // take minutes, not an hour; what is stored, and how it is read, is the same.
                bulk = JdbcStorage.builder(schema.pool("hishel-load-postgresql-bulk", POSTGRESQL_POOL,
                        "SET synchronous_commit TO off")).options(jdbcOptions).memoryTier(MemoryTier.off())
                        .timeout(Duration.ofSeconds(30)).migrate(false).scheduleMaintenance(false).build();
            }
            // Filling SQLite: one writer at a time, which may wait its turn behind the other two storages' maintenance.
            sqliteBulk = JdbcStorage.sqlite(base.resolve("cache.db")).options(jdbcOptions).memoryTier(MemoryTier.off())
                    .timeout(Duration.ofSeconds(30)).migrate(false).scheduleMaintenance(false).build();
            Map<String, Storage> writers = new LinkedHashMap<>(storages);
            writers.put("sqlite", sqliteBulk);
            writers.put("sqlite-no-tier", sqliteBulk);
            if (bulk != null) {
                writers.put("postgresql", bulk);
                writers.put("postgresql-no-tier", bulk);
            }
            serve(port, base, options, storages, writers);
        } finally {
            if (bulk != null) {
                bulk.close();
            }
            if (sqliteBulk != null) {
                sqliteBulk.close();
            }
            for (Storage storage : storages.values()) {
                storage.close();
            }
            if (schema != null) {
                schema.close();
            }
            // The SQLite file of a scaling run holds hundreds of megabytes: nothing of it is wanted afterwards.
            LoadBenchmark.deleteRecursively(base);
        }
    }

    private static void serve(int port, Path base, CacheOptions options, Map<String, Storage> storages,
                              Map<String, Storage> writers) throws Exception {
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
        storages.forEach((front, storage) -> addFilter(context, "hishel-" + front, cache(storage, options),
                "/" + front + "/*"));

        AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
        spring.register(Application.class);
        Tomcat.addServlet(context, "spring", new DispatcherServlet(spring)).setLoadOnStartup(1);
        context.addServletMappingDecoded("/", "spring");
        Tomcat.addServlet(context, "allocated", new AllocatedServlet());
        context.addServletMappingDecoded("/_bench/allocated", "allocated");
        Tomcat.addServlet(context, "calls", new CallsServlet());
        context.addServletMappingDecoded("/_bench/calls", "calls");
        Tomcat.addServlet(context, "populate", new Populate(storages, writers));
        context.addServletMappingDecoded("/_bench/populate", "populate");

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

    /** How many times the endpoint has answered, over all fronts. */
    static final AtomicLong CALLS = new AtomicLong();

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
            CALLS.incrementAndGet();
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
            CALLS.incrementAndGet();
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

    /** How many times the endpoint has answered. */
    static final class CallsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write(Long.toString(CALLS.get()).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * Stores copies of one entry under many keys, through the {@link Storage} API, on several
     * threads: {@code /_bench/populate?front=sqlite&url=/sqlite/cached/1024?entry=&from=0&to=1000&threads=4}
     * stores {@code url + i} for every {@code i} from {@code from} (inclusive) to {@code to}.
     *
     * <p>The template is the entry the filter stored for {@code url + "0"}, which the driver
     * requests first: each copy has its header fields, times and body, and the key and URL the
     * filter computes for its own URL (the key ends with the URL, so only the number changes), so
     * a request for any of them is a hit exactly as if a miss had stored it. Answers the number of
     * entries written and the seconds it took.
     */
    static final class Populate extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Map<String, Storage> storages;
        private final transient Map<String, Storage> writers;

        /**
         * @param storages each front's storage, where the template is read
         * @param writers  each front's storage to write through: the same, or one on the same database
         *                 tuned for bulk writes
         */
        Populate(Map<String, Storage> storages, Map<String, Storage> writers) {
            this.storages = storages;
            this.writers = writers;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Storage storage = storages.get(request.getParameter("front"));
            Storage target = writers.get(request.getParameter("front"));
            String path = request.getParameter("url");
            if (storage == null || path == null) {
                refuse(response, 400, "front must be one of " + storages.keySet() + ", and url given");
                return;
            }
            int from = Integer.parseInt(request.getParameter("from"));
            int to = Integer.parseInt(request.getParameter("to"));
            int threads = Integer.parseInt(request.getParameter("threads"));
            String origin = "http://127.0.0.1:" + request.getLocalPort();
            URI templateUrl = URI.create(origin + path + "0");
            CacheKey templateKey = new CacheKey(CacheKey.methodGroup("GET") + " " + CacheKey.normalizeUrl(templateUrl));
            Entry template = storage.entries(templateKey).stream().findFirst().orElse(null);
            if (template == null) {
                refuse(response, 409, "No entry under " + templateKey + ": request " + path + "0 first");
                return;
            }
            byte[] body;
            try (StoredBody stored = storage.openBody(template.id()).orElseThrow()) {
                body = stored.stream().readAllBytes();
            }
            String number = "0";
            String keyStart = templateKey.value().substring(0, templateKey.value().length() - number.length());
            long start = System.nanoTime();
            AtomicInteger next = new AtomicInteger(from);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    writers.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                            URI url = URI.create(origin + path + i);
                            Entry entry = new Entry(UUID.randomUUID(), new CacheKey(keyStart + i),
                                    new StoredRequest(template.request().method(), url, template.request().varyKey()),
                                    template.response(), template.requestTime(), template.responseTime());
                            try (EntryWriter out = target.create(entry, EntryOptions.defaults())) {
                                out.write(body, 0, body.length);
                                out.commit();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
            } catch (InterruptedException | ExecutionException e) {
                throw new IOException("Populating " + request.getParameter("front") + " failed", e);
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            response.setContentType("text/plain");
            response.getOutputStream().write(String.format(Locale.ROOT, "%d %.3f", Math.max(0, to - from), seconds)
                    .getBytes(StandardCharsets.US_ASCII));
        }

        /** In plain text, which the driver prints as it is; Tomcat's error page would escape it in HTML. */
        private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
            response.setStatus(status);
            response.setContentType("text/plain;charset=UTF-8");
            response.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        }
    }
}
