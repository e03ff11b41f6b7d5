package io.hishel.benchmarks;

import io.hishel.policy.CacheOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The end-to-end load benchmark: {@link LoadServer} and the Spring Boot application
 * ({@code BootLoadApplication}, with the starter and without) on one core, wrk on the other, and
 * every case of the table measured in the same run, the cases alternating round after round so
 * that drift on a shared machine hits them all alike.
 *
 * <p>Each case is checked before it is measured (a hit must say {@code hit} in its
 * {@code Cache-Status}, a miss {@code stored}, the floor and the application nothing), so the
 * table cannot quietly measure the wrong path; during a run of hits, the endpoint must not run
 * at all. Afterwards a server with a larger heap measures how hits scale ({@link Scaling}): with
 * the number of stored entries, and with the size of the body. Last, a server with
 * {@code -Xmx64m} takes a 100 MiB body through a miss and a hit.
 *
 * <p>Run it with {@code benchmarks/load-benchmark}, which installs wrk and builds the jar; the
 * options are listed by {@code --help}.
 */
public final class LoadBenchmark {

    private static final int LARGE_BODY = 100 << 20;
    static final int MIN_WARMUP_PASSES = 3;
    /**
     * How little every case's rate may change between two warm-up passes for the JIT to count as
     * done. Not less: on the shared machines this was measured on, a warm server's rate moves by
     * 10 to 20 % from minute to minute by itself.
     */
    static final double SETTLED = 0.15;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Which server process answers a case. */
    enum Host {
        /** {@link LoadServer}: the bare filter, the endpoint alone, and Hishel on every storage. */
        LOAD_SERVER,
        /** The Spring Boot application with the starter, default settings. */
        BOOT,
        /** The same application with {@code hishel.enabled=false}: no cache at all. */
        BOOT_WITHOUT_STARTER
    }

    /** What a case's answer must say in {@code Cache-Status} to prove it took the intended path. */
    enum Expect {
        /** Nothing: no cache on the way. */
        PLAIN,
        /** A hit (RFC 9211 {@code hit}); the second request of the check. */
        HIT,
        /** Forwarded and neither stored nor a hit. */
        PASS,
        /** Forwarded and stored. */
        STORED
    }

    /** How a case is reached, and what its answer must say to prove it took the intended path. */
    enum Case {
        FLOOR("floor", "floor: bare filter", Host.LOAD_SERVER, "floor", "cached", Expect.PLAIN),
        MEMORY_HIT("memory-hit", "hit, memory", Host.LOAD_SERVER, "memory", "cached", Expect.HIT),
        SQLITE_HIT("sqlite-hit", "hit, SQLite with its tier", Host.LOAD_SERVER, "sqlite", "cached", Expect.HIT),
        SQLITE_NO_TIER_HIT("sqlite-no-tier-hit", "hit, SQLite without a tier", Host.LOAD_SERVER, "sqlite-no-tier",
                "cached", Expect.HIT),
        POSTGRESQL_HIT("postgresql-hit", "hit, PostgreSQL with its tier", Host.LOAD_SERVER, "postgresql", "cached",
                Expect.HIT),
        POSTGRESQL_NO_TIER_HIT("postgresql-no-tier-hit", "hit, PostgreSQL without a tier", Host.LOAD_SERVER,
                "postgresql-no-tier", "cached", Expect.HIT),
        APPLICATION("app", "application alone", Host.LOAD_SERVER, "app", "cached", Expect.PLAIN),
        APPLICATION_NO_STORE("app-no-store", "application alone, no-store", Host.LOAD_SERVER, "app",
                "not-cacheable", Expect.PLAIN),
        MEMORY_PASS("memory-pass", "uncacheable GET, memory", Host.LOAD_SERVER, "memory", "not-cacheable",
                Expect.PASS),
        SQLITE_PASS("sqlite-pass", "uncacheable GET, SQLite", Host.LOAD_SERVER, "sqlite", "not-cacheable",
                Expect.PASS),
        POSTGRESQL_PASS("postgresql-pass", "uncacheable GET, PostgreSQL", Host.LOAD_SERVER, "postgresql",
                "not-cacheable", Expect.PASS),
        MISS("memory-miss", "miss that stores, memory", Host.LOAD_SERVER, "memory", "cached", Expect.STORED),
        BOOT_APPLICATION("boot-app", "Boot: application alone", Host.BOOT_WITHOUT_STARTER, "boot", "cached",
                Expect.PLAIN),
        BOOT_APPLICATION_NO_STORE("boot-app-no-store", "Boot: application alone, no-store",
                Host.BOOT_WITHOUT_STARTER, "boot", "not-cacheable", Expect.PLAIN),
        BOOT_HIT("boot-hit", "Boot: hit, starter defaults", Host.BOOT, "boot", "cached", Expect.HIT),
        BOOT_PASS("boot-pass", "Boot: uncacheable GET, starter", Host.BOOT, "boot", "not-cacheable", Expect.PASS);

        final String id;
        final String label;
        final Host host;
        final String front;
        final String endpoint;
        final Expect expect;

        Case(String id, String label, Host host, String front, String endpoint, Expect expect) {
            this.id = id;
            this.label = label;
            this.host = host;
            this.front = front;
            this.endpoint = endpoint;
            this.expect = expect;
        }

        /** Whether every request needs a new URL: a miss that stores, each time. */
        boolean uniqueUrls() {
            return expect == Expect.STORED;
        }

        boolean needsPostgresql() {
            return front.startsWith("postgresql");
        }

        String path(int size) {
            return "/" + front + "/" + endpoint + "/" + size;
        }

        static Case byId(String id) {
            for (Case kase : values()) {
                if (kase.id.equals(id)) {
                    return kase;
                }
            }
            throw new IllegalArgumentException("Unknown case \"" + id + "\"; the cases are "
                    + Arrays.stream(values()).map(c -> c.id).toList());
        }
    }

    /** One wrk run. Latencies in milliseconds; {@code calls} is how often the endpoint ran meanwhile. */
    record Run(long requests, double seconds, double p50, double p99, long errors, long allocated, long calls) {
        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    /** All runs of one case at one body size, in round order. */
    record Result(Case kase, int size, List<Run> runs) {
        /**
         * The median, over the rounds, of this case's measure divided by another case's in the
         * same round: runs a few seconds apart share the machine's drift, runs minutes apart do
         * not, so pairing them first keeps a slow round from moving the ratio.
         */
        double ratio(Result other, java.util.function.ToDoubleFunction<Run> measure) {
            double[] ratios = new double[runs.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = measure.applyAsDouble(runs.get(i)) / measure.applyAsDouble(other.runs.get(i));
            }
            return median(ratios);
        }

        double requestsPerSecond() {
            return runs.stream().mapToLong(Run::requests).sum() / runs.stream().mapToDouble(Run::seconds).sum();
        }

        double p50() {
            return median(runs.stream().mapToDouble(Run::p50).toArray());
        }

        double p99() {
            return median(runs.stream().mapToDouble(Run::p99).toArray());
        }

        long errors() {
            return runs.stream().mapToLong(Run::errors).sum();
        }

        double allocatedPerRequest() {
            return (double) runs.stream().mapToLong(Run::allocated).sum() / runs.stream().mapToLong(Run::requests).sum();
        }

        long calls() {
            return runs.stream().mapToLong(Run::calls).sum();
        }
    }

    /** A target of the issue: a measured ratio against its bound. */
    record Target(String description, double measured, double bound, boolean atLeast) {
        boolean met() {
            return atLeast ? measured >= bound : measured <= bound;
        }
    }

    /** Prints what wrk measured on one line the driver reads; latencies in microseconds. */
    private static final String REPORT_SCRIPT = """
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("HISHEL %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f\\n",
                summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
                latency:percentile(50), latency:percentile(99)))
            end
            """;

    /**
     * A new URL for every request: the path is given after {@code --}, a counter appended. wrk
     * builds its request once when a script has no {@code request} function, so only the misses
     * pay for one.
     */
    private static final String UNIQUE_URLS_SCRIPT = """
            local prefix
            local counter = 0
            function init(args)
              prefix = args[1]
            end
            function request()
              counter = counter + 1
              return wrk.format("GET", prefix .. counter)
            end
            """ + REPORT_SCRIPT;

    /**
     * A random one of {@code n} URLs for every request: the path and {@code n} are given after
     * {@code --}, a number from 0 to {@code n - 1} appended, uniformly.
     */
    static final String RANDOM_KEYS_SCRIPT = """
            local prefix
            local n
            function init(args)
              prefix = args[1]
              n = tonumber(args[2])
              math.randomseed(os.time())
            end
            function request()
              return wrk.format("GET", prefix .. math.random(0, n - 1))
            end
            """ + REPORT_SCRIPT;

    final Options options;
    final Path reportScript;
    private final Path uniqueUrlsScript;
    final Path randomKeysScript;

    private LoadBenchmark(Options options) throws IOException {
        this.options = options;
        this.reportScript = temporary(REPORT_SCRIPT);
        this.uniqueUrlsScript = temporary(UNIQUE_URLS_SCRIPT);
        this.randomKeysScript = temporary(RANDOM_KEYS_SCRIPT);
    }

    private static Path temporary(String script) throws IOException {
        Path file = Files.createTempFile("hishel-wrk", ".lua");
        file.toFile().deleteOnExit();
        return Files.writeString(file, script);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            return;
        }
        new LoadBenchmark(options).run();
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(options.out);
        Machine machine = Machine.describe(options);
        System.out.println(machine.summary());
        List<Result> results = List.of();
        List<Target> targets = new ArrayList<>();
        if (!options.cases.isEmpty()) {
            results = measureTable();
            targets.addAll(Report.targets(results));
            System.out.println();
            System.out.println(Report.table(results));
        }
        Scaling.Results scaling = new Scaling(this).run();
        if (!scaling.isEmpty()) {
            targets.addAll(Report.scalingTargets(scaling));
            System.out.println(Report.scalingTables(scaling));
        }
        System.out.println(Report.verdicts(targets));
        Optional<LargeBody> large = Optional.empty();
        if (options.largeBody) {
            large = Optional.of(largeBody());
            System.out.println(large.get().summary());
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        Files.writeString(options.out.resolve("_load-results.adoc"),
                Report.asciidoc(machine, options, results, scaling, targets, large, minutes));
        Files.writeString(options.out.resolve("load-chart.svg"), Report.svg(results, scaling, machine));
        System.out.printf(Locale.ROOT, "Wrote %s and %s; the run took %.1f minutes%n",
                options.out.resolve("_load-results.adoc"), options.out.resolve("load-chart.svg"), minutes);
    }

    /** The table: every case at every size, on the servers it needs, all running at once. */
    private List<Result> measureTable() throws Exception {
        Map<Host, Server> servers = new EnumMap<>(Host.class);
        Path bootDirectory = null;
        try {
            for (Case kase : options.cases) {
                if (servers.containsKey(kase.host)) {
                    continue;
                }
                if (kase.host == Host.LOAD_SERVER) {
                    // The memory storage's default bound, 256 MiB, is more than a quarter of this heap, where it is capped.
                    boolean postgresql = options.cases.stream().anyMatch(Case::needsPostgresql);
                    servers.put(kase.host, Server.start(options, List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"),
                            CacheOptions.defaults().maxEntrySize(), 240L << 20, 0, postgresql,
                            options.jfr ? options.out.resolve("server.jfr") : null));
                } else {
                    if (bootDirectory == null) {
                        bootDirectory = Files.createTempDirectory("hishel-load-boot");
                    }
                    boolean starter = kase.host == Host.BOOT;
                    servers.put(kase.host, Server.startBoot(options, bootDirectory, starter,
                            options.jfr ? options.out.resolve(starter ? "boot.jfr" : "boot-without-starter.jfr")
                                    : null));
                }
            }
            return measure(servers);
        } finally {
            for (Server server : servers.values()) {
                server.close();
            }
            if (bootDirectory != null) {
                deleteRecursively(bootDirectory);
            }
        }
    }

    private List<Result> measure(Map<Host, Server> servers) throws Exception {
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        for (int size : options.sizes) {
            for (Case kase : options.cases) {
                check(servers.get(kase.host), kase, size);
                runs.put(kase + "/" + size, new ArrayList<>());
            }
        }
        warmUp(servers);
        List<Case> order = new ArrayList<>(options.cases);
        for (int round = 1; round <= options.rounds; round++) {
            System.out.printf(Locale.ROOT, "Round %d of %d%n", round, options.rounds);
            for (int size : options.sizes) {
                for (Case kase : order) {
                    Run run = wrk(servers.get(kase.host), kase, size, "r" + round, options.seconds);
                    runs.get(kase + "/" + size).add(run);
                    System.out.printf(Locale.ROOT, "  %-6s %-36s %9.0f req/s  p50 %6.3f ms  p99 %6.3f ms%n",
                            Report.size(size), kase.label, run.requests / run.seconds, run.p50, run.p99);
                    if (kase.expect == Expect.HIT && run.calls > 0) {
                        System.out.printf(Locale.ROOT, "  WARNING: the endpoint ran %d times during these hits%n",
                                run.calls);
                    }
                }
            }
            // Each case takes each place in the order in turn: no case always follows the same one.
            order.add(order.remove(0));
        }
        List<Result> results = new ArrayList<>();
        for (int size : options.sizes) {
            for (Case kase : options.cases) {
                results.add(new Result(kase, size, runs.get(kase + "/" + size)));
            }
        }
        return results;
    }

    /**
     * Runs every case, pass after pass, until each one's rate settles. On one core the JIT
     * competes with the load it compiles for: measured here, a Spring MVC endpoint went from 1,600
     * to 19,000 requests per second over its first minute, so a fixed short warm-up would
     * measure the compiler.
     */
    private void warmUp(Map<Host, Server> servers) throws Exception {
        Map<String, Double> previous = new LinkedHashMap<>();
        int minimum = Math.min(MIN_WARMUP_PASSES, options.warmupPasses);
        for (int pass = 1; pass <= options.warmupPasses; pass++) {
            double worstChange = 0;
            for (int size : options.sizes) {
                for (Case kase : options.cases) {
                    Run run = wrk(servers.get(kase.host), kase, size, "w" + pass, options.warmupSeconds);
                    double rate = run.requests / run.seconds;
                    Double before = previous.put(kase + "/" + size, rate);
                    worstChange = before == null ? 1 : Math.max(worstChange, Math.abs(rate - before) / before);
                }
            }
            System.out.printf(Locale.ROOT, "Warm-up pass %d: rates changed by up to %.0f%%%n", pass, worstChange * 100);
            if (pass >= minimum && worstChange <= SETTLED) {
                return;
            }
        }
        System.out.println("Warm-up: rates still moving after " + options.warmupPasses + " passes; measuring anyway");
    }

    /** Proves the case takes the path it is named after, before anything is measured. */
    private static void check(Server server, Case kase, int size) throws IOException, InterruptedException {
        String path = kase.uniqueUrls() ? kase.path(size) + "?check" : kase.path(size);
        check(server, kase.label, path, kase.expect, size);
    }

    /**
     * Requests {@code path} (twice for a hit: the first stores it) and fails unless the answer has
     * {@code size} bytes and a {@code Cache-Status} that shows the expected path.
     */
    static void check(Server server, String label, String path, Expect expect, long size)
            throws IOException, InterruptedException {
        Download response = server.download(path);
        if (expect == Expect.HIT) {
            response = server.download(path);
        }
        String status = response.cacheStatus;
        boolean asExpected = switch (expect) {
            case PLAIN -> status.isEmpty();
            case HIT -> status.contains("; hit");
            case PASS -> !status.isEmpty() && !status.contains("; hit") && !status.contains("stored");
            case STORED -> status.contains("stored");
        };
        if (response.status != 200 || response.bytes != size || !asExpected) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s does not take its path: GET %s answered %d with %d bytes and Cache-Status '%s'",
                    label, path, response.status, response.bytes, status));
        }
    }

    private Run wrk(Server server, Case kase, int size, String tag, int seconds) throws Exception {
        if (kase.uniqueUrls()) {
            return wrk(server, kase.path(size), uniqueUrlsScript, List.of(kase.path(size) + "?miss=" + tag + "-"),
                    seconds, List.of());
        }
        return wrk(server, kase.path(size), reportScript, List.of(), seconds, List.of());
    }

    /** One wrk run against {@code path}, with a script, its arguments, and more options for wrk. */
    Run wrk(Server server, String path, Path script, List<String> scriptArgs, int seconds,
            List<String> wrkOptions) throws Exception {
        String url = "http://127.0.0.1:" + server.port + path;
        List<String> command = new ArrayList<>(pinned(options.loadCpu));
        command.addAll(List.of("wrk", "-t1", "-c" + options.connections, "-d" + seconds + "s"));
        command.addAll(wrkOptions);
        command.addAll(List.of("-s", script.toString(), url));
        if (!scriptArgs.isEmpty()) {
            command.add("--");
            command.addAll(scriptArgs);
        }
        long allocatedBefore = server.allocated();
        long callsBefore = server.calls();
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk failed for " + url + ":\n" + output);
        }
        long allocated = server.allocated() - allocatedBefore;
        long calls = server.calls() - callsBefore;
        String line = output.lines().filter(l -> l.startsWith("HISHEL ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("No result from wrk for " + url + ":\n" + output));
        double[] v = Arrays.stream(line.substring(7).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        long errors = (long) (v[2] + v[3] + v[4] + v[5] + v[6]);
        if (errors > 0) {
            System.out.printf(Locale.ROOT, "  %s had %d errors (connect, read, write, status, timeout: %s)%n",
                    url, errors, line);
        }
        return new Run((long) v[0], v[1] / 1e6, v[7] / 1000, v[8] / 1000, errors, allocated, calls);
    }

    private static List<String> pinned(int cpu) {
        return cpu < 0 ? List.of() : List.of("taskset", "-c", Integer.toString(cpu));
    }

    /** A 100 MiB body through a miss and a hit, on a server with a 64 MiB heap. */
    record LargeBody(long missBytes, double missSeconds, long hitBytes, double hitSeconds, String hitStatus,
                     long hitAllocated, boolean sameBody) {
        String summary() {
            return String.format(Locale.ROOT,
                    "Large body with -Xmx64m (SQLite storage): 100 MiB miss in %.2f s, hit in %.2f s (%s), "
                            + "%s allocated on the server by the hit, bodies %s",
                    missSeconds, hitSeconds, hitStatus, Report.bytes(hitAllocated),
                    sameBody ? "identical" : "DIFFERENT");
        }
    }

    private LargeBody largeBody() throws Exception {
        System.out.println("Large body: a server with -Xmx64m, 100 MiB through a miss and a hit");
        try (Server server = Server.start(options, List.of("-Xmx64m"), 2L * LARGE_BODY, 8L << 20, 0, false, null)) {
            String path = "/sqlite/stream/" + LARGE_BODY;
            long start = System.nanoTime();
            Download miss = server.download(path);
            double missSeconds = (System.nanoTime() - start) / 1e9;
            if (miss.status != 200 || miss.bytes != LARGE_BODY || !miss.cacheStatus.contains("stored")) {
                throw new IllegalStateException("The 100 MiB miss failed: " + miss);
            }
            long before = server.allocated();
            start = System.nanoTime();
            Download hit = server.download(path);
            double hitSeconds = (System.nanoTime() - start) / 1e9;
            long allocated = server.allocated() - before;
            if (hit.status != 200 || hit.bytes != LARGE_BODY || !hit.cacheStatus.contains("hit")) {
                throw new IllegalStateException("The 100 MiB hit failed: " + hit);
            }
            return new LargeBody(miss.bytes, missSeconds, hit.bytes, hitSeconds, hit.cacheStatus, allocated,
                    Arrays.equals(miss.sha256, hit.sha256));
        }
    }

    record Download(int status, long bytes, String cacheStatus, byte[] sha256) {
        @Override
        public String toString() {
            return "status " + status + ", " + bytes + " bytes, Cache-Status '" + cacheStatus + "'";
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * A server in its own JVM, pinned to its own core: {@link LoadServer}, or the Boot application;
     * closed by closing its standard input.
     */
    static final class Server implements AutoCloseable {
        final int port;
        private final Process process;

        private Server(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        /**
         * {@link LoadServer}, its storages bounded by {@code memoryMaxBytes} and
         * {@code databaseMaxBytes} (0: the default).
         */
        static Server start(Options options, List<String> jvmOptions, long maxEntrySize, long memoryMaxBytes,
                            long databaseMaxBytes, boolean postgresql, Path jfr) throws IOException {
            int port = freePort();
            List<String> command = java(options, jvmOptions, jfr);
            command.addAll(List.of("-cp", jar(), LoadServer.class.getName(), Integer.toString(port),
                    Long.toString(maxEntrySize), Long.toString(memoryMaxBytes), Boolean.toString(postgresql)));
            if (databaseMaxBytes > 0) {
                command.add(Long.toString(databaseMaxBytes));
            }
            return start(command, port, null, "The load server");
        }

        /**
         * The Boot application from its own jar, in {@code directory} (where the starter's default
         * SQLite file goes), with the starter or with {@code hishel.enabled=false}. Only start-up
         * logging is turned down, and the banner off, so the driver's table stays readable.
         */
        static Server startBoot(Options options, Path directory, boolean starter,
                                Path jfr) throws IOException {
            int port = freePort();
            List<String> command = java(options, List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"), jfr);
            command.addAll(List.of("-jar", bootJar(), "--server.port=" + port, "--server.address=127.0.0.1",
                    "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
            if (!starter) {
                command.add("--hishel.enabled=false");
            }
            return start(command, port, directory, starter ? "The Boot application" : "The Boot application without the starter");
        }

        private static int freePort() throws IOException {
            try (ServerSocket probe = new ServerSocket(0)) {
                return probe.getLocalPort();
            }
        }

        private static List<String> java(Options options, List<String> jvmOptions, Path jfr) {
            List<String> command = new ArrayList<>(pinned(options.serverCpu));
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(jvmOptions);
            if (jfr != null) {
                command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
            }
            command.addAll(options.postgresProperties());
            return command;
        }

        private static Server start(List<String> command, int port, Path directory, String name)
                throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<Boolean> listening = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("listening on ")) {
                            return true;
                        }
                        System.out.println(line);
                    }
                    return false;
                } catch (IOException e) {
                    return false;
                }
            });
            try {
                if (!listening.get(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + " stopped before it listened: " + command);
                }
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not start: " + command, e);
            }
            // Keep draining its standard output, so a chatty server never blocks on a full pipe.
            Thread drain = new Thread(() -> out.lines().forEach(System.out::println), "server-output");
            drain.setDaemon(true);
            drain.start();
            return new Server(port, process);
        }

        private static Path jarFolder() {
            try {
                return Path.of(LoadServer.class.getProtectionDomain().getCodeSource().getLocation()
                        .toURI());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The driver's own class path: the benchmarks jar, or, in the tests, what Surefire runs them with. */
        private static String jar() {
            return System.getProperty("java.class.path");
        }

        /** The Boot application's jar, which the build writes next to the benchmarks jar. */
        private static String bootJar() throws IOException {
            Path folder = jarFolder().getParent();
            try (Stream<Path> files = Files.list(folder)) {
                return files.filter(f -> f.getFileName().toString().matches("benchmarks-.*-boot\\.jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("No benchmarks-*-boot.jar in " + folder
                                + ": build it with ./mvnw -pl benchmarks -am package -DskipTests"))
                        .toString();
            }
        }

        /**
         * Lets the server's threads run on {@code cpus} (as {@code taskset -c} takes them), or
         * nothing if servers are not pinned: to fill storages on every core while nothing is
         * measured, then back to its own.
         */
        void pin(Options options, String cpus) throws IOException, InterruptedException {
            if (options.serverCpu < 0) {
                return;
            }
            Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (taskset.waitFor() != 0) {
                throw new IllegalStateException("taskset could not pin the server to " + cpus + ": " + output);
            }
        }

        HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }

        private long number(String path) throws IOException, InterruptedException {
            HttpResponse<byte[]> response = get(path);
            String body = new String(response.body(), StandardCharsets.US_ASCII).trim();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + body);
            }
            return Long.parseLong(body);
        }

        long allocated() throws IOException, InterruptedException {
            return number("/_bench/allocated");
        }

        long calls() throws IOException, InterruptedException {
            return number("/_bench/calls");
        }

        Download download(String path) throws IOException, InterruptedException {
            HttpResponse<InputStream> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            long bytes = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = response.body()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                    bytes += n;
                }
            }
            return new Download(response.statusCode(), bytes,
                    response.headers().firstValue("Cache-Status").orElse(""), digest.digest());
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The command line. */
    static final class Options {
        int connections = 16;
        int seconds = 4;
        int warmupSeconds = 5;
        int warmupPasses = 5;
        int rounds = 5;
        int serverCpu = 0;
        int loadCpu = 1;
        boolean largeBody = true;
        boolean jfr;
        boolean postgresql = true;
        List<Case> cases = List.of(Case.values());
        List<Integer> sizes = LoadServer.SIZES;
        /** Not the 10⁶: filling SQLite took about 600 entries per second on the shared machine here. */
        List<Integer> entries = List.of(1_000, 10_000, 100_000);
        List<String> entriesFronts = List.of("memory", "sqlite-no-tier", "postgresql-no-tier");
        List<Integer> scaleSizes = List.of(1 << 10, 64 << 10, 1 << 20, 16 << 20);
        List<String> scaleSizesFronts = List.of("app", "memory", "sqlite", "postgresql");
        Path out = Path.of("benchmarks", "target", "load-benchmark");
        String command = "benchmarks/load-benchmark";

        static Options parse(String[] args) {
            Options options = new Options();
            if (Arrays.asList(args).contains("--quick")) {
                // First, so that options given with it still win, wherever they stand.
                options.rounds = 2;
                options.seconds = 3;
                options.warmupSeconds = 3;
                options.warmupPasses = 2;
                options.largeBody = false;
                options.entries = List.of();
                options.scaleSizes = List.of();
            }
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--quick" -> {
                        // Applied above.
                    }
                    case "--connections" -> options.connections = positive(arg, args, ++i);
                    case "--seconds" -> options.seconds = positive(arg, args, ++i);
                    case "--warmup" -> options.warmupSeconds = positive(arg, args, ++i);
                    case "--warmup-passes" -> options.warmupPasses = positive(arg, args, ++i);
                    case "--rounds" -> options.rounds = positive(arg, args, ++i);
                    case "--server-cpu" -> options.serverCpu = Integer.parseInt(value(arg, args, ++i));
                    case "--load-cpu" -> options.loadCpu = Integer.parseInt(value(arg, args, ++i));
                    case "--no-pinning" -> {
                        options.serverCpu = -1;
                        options.loadCpu = -1;
                    }
                    case "--cases" -> options.cases = list(value(arg, args, ++i)).stream().map(Case::byId).toList();
                    case "--sizes" -> options.sizes = sizes(arg, value(arg, args, ++i));
                    case "--entries" -> options.entries = list(value(arg, args, ++i)).stream()
                            .map(n -> (int) bytes(arg, n)).sorted().distinct().toList();
                    case "--entries-fronts" -> options.entriesFronts = fronts(arg, value(arg, args, ++i), false);
                    case "--scale-sizes" -> options.scaleSizes = sizes(arg, value(arg, args, ++i));
                    case "--scale-sizes-fronts" -> options.scaleSizesFronts = fronts(arg, value(arg, args, ++i), true);
                    case "--no-postgresql" -> options.postgresql = false;
                    case "--no-large-body" -> options.largeBody = false;
                    case "--jfr" -> options.jfr = true;
                    case "--out" -> options.out = Path.of(value(arg, args, ++i));
                    case "--help", "-h" -> {
                        System.out.println(HELP);
                        return null;
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + arg + "\n\n" + HELP);
                }
            }
            if (!options.postgresql) {
                options.cases = options.cases.stream().filter(c -> !c.needsPostgresql()).toList();
                options.entriesFronts = options.entriesFronts.stream().filter(f -> !f.startsWith("postgresql")).toList();
                options.scaleSizesFronts = options.scaleSizesFronts.stream().filter(f -> !f.startsWith("postgresql"))
                        .toList();
            }
            if (args.length > 0) {
                options.command += " " + String.join(" ", args);
            }
            return options;
        }

        /** The system properties that point the servers at another PostgreSQL, passed on to them. */
        List<String> postgresProperties() {
            List<String> properties = new ArrayList<>();
            for (String name : List.of("hishel.postgres.url", "hishel.postgres.user", "hishel.postgres.password")) {
                String value = System.getProperty(name);
                if (value != null) {
                    properties.add("-D" + name + "=" + value);
                }
            }
            return properties;
        }

        /** A comma-separated list; {@code none} for an empty one. */
        private static List<String> list(String value) {
            if (value.equals("none")) {
                return List.of();
            }
            return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        }

        private static List<Integer> sizes(String option, String value) {
            return list(value).stream().map(v -> {
                long bytes = bytes(option, v);
                if (bytes > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(option + ": " + v + " is too large");
                }
                return (int) bytes;
            }).toList();
        }

        private static List<String> fronts(String option, String value, boolean application) {
            List<String> fronts = list(value);
            for (String front : fronts) {
                if (!LoadServer.STORAGE_FRONTS.contains(front) && !(application && front.equals("app"))) {
                    throw new IllegalArgumentException(option + ": unknown front \"" + front + "\"; use "
                            + (application ? "app, " : "") + String.join(", ", LoadServer.STORAGE_FRONTS));
                }
            }
            return fronts;
        }

        /** {@code 1024}, {@code 1k}, {@code 64k}, {@code 1m}: binary multiples, as sizes are given. */
        static long bytes(String option, String value) {
            String number = value.toLowerCase(Locale.ROOT);
            long unit = 1;
            if (number.endsWith("k")) {
                unit = 1024;
            } else if (number.endsWith("m")) {
                unit = 1024 * 1024;
            }
            try {
                long parsed = Long.parseLong(unit == 1 ? number : number.substring(0, number.length() - 1)) * unit;
                if (parsed < 1) {
                    throw new IllegalArgumentException(option + ": " + value + " must be at least 1");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": \"" + value + "\" is not a number such as 1024 or 64k");
            }
        }

        private static String value(String option, String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String option, String[] args, int i) {
            int value;
            try {
                value = Integer.parseInt(value(option, args, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number, but was \"" + args[i] + "\"");
            }
            if (value < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, but was " + value);
            }
            return value;
        }

        private static final String HELP = """
                benchmarks/load-benchmark [options]
                What is measured (lists are comma-separated; none for none):
                  --cases LIST      cases of the table (default all): %s
                  --sizes LIST      body sizes of the table (default 1k,64k)
                  --entries LIST    numbers of stored entries hits are measured with (default 1000,10000,100000;
                                    the issue's 1000,100000,1000000 takes the storages minutes to fill each)
                  --entries-fronts LIST   storages for that (default memory,sqlite-no-tier,postgresql-no-tier)
                  --scale-sizes LIST      body sizes hits are measured with in MB/s (default 1k,64k,1m,16m)
                  --scale-sizes-fronts LIST  storages for that, app for the endpoint alone
                                    (default app,memory,sqlite,postgresql)
                  --no-postgresql   leave out every PostgreSQL case
                  --no-large-body   skip the 100 MiB body under -Xmx64m
                  --quick           2 rounds of 3 s after 2 warm-up passes of 3 s, no scaling, no large body;
                                    with --cases and --sizes, a before/after of one pair in about a minute
                How:
                  --connections N   wrk connections (default 16)
                  --seconds N       length of one measured run (default 4)
                  --warmup N        length of one warm-up run (default 5)
                  --warmup-passes N at most this many warm-up passes over all cases (default 5); fewer once,
                                    after 3, every case's rate changes by 15%% or less from one to the next
                  --rounds N        rounds; each measures every case once (default 5)
                  --server-cpu N    core the servers are pinned to (default 0)
                  --load-cpu N      core wrk is pinned to (default 1)
                  --no-pinning      pin nothing (on a machine with one core)
                  --jfr             record the servers with JDK Flight Recorder into the output folder
                  --out DIR         where the table and the chart go (default benchmarks/target/load-benchmark)"""
                .formatted(Arrays.stream(Case.values()).map(c -> c.id).collect(java.util.stream.Collectors.joining(",")));
    }

    /** What the numbers were measured on. */
    record Machine(String cpu, int cores, long memoryBytes, String os, String java, String wrk, String tomcat,
                   boolean pinned, String date) {
        static Machine describe(Options options) throws IOException, InterruptedException {
            List<String> cpuinfo = readLines(Path.of("/proc/cpuinfo"));
            String cpu = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
            int cores = (int) cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
            long memory = readLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).orElse(0L);
            Process version = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            String wrk = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("wrk").replaceAll(" \\[.*", "").replaceAll("  Copyright.*", "").trim();
            version.waitFor();
            return new Machine(cpu, cores == 0 ? Runtime.getRuntime().availableProcessors() : cores, memory,
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), wrk,
                    org.apache.catalina.util.ServerInfo.getServerNumber(), options.serverCpu >= 0,
                    LocalDate.now().toString());
        }

        private static List<String> readLines(Path file) {
            try {
                return Files.readAllLines(file);
            } catch (IOException e) {
                return List.of();
            }
        }

        String summary() {
            return String.format(Locale.ROOT, "%s, %d cores, %s memory; %s; %s; Tomcat %s; %s; %s",
                    cpu, cores, Report.bytes(memoryBytes), os, java, tomcat, wrk,
                    pinned ? "server and wrk pinned to separate cores" : "not pinned");
        }
    }
}
