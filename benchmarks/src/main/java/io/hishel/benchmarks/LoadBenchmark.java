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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end load benchmark: {@link LoadServer} on one core, wrk on the other, and every case
 * of the table measured in the same run, the cases alternating round after round so that drift
 * on a shared machine hits them all alike.
 *
 * <p>Each case is checked before it is measured (a hit must say {@code hit} in its
 * {@code Cache-Status}, a miss {@code stored}, the floor and the application nothing), so the
 * table cannot quietly measure the wrong path. Afterwards a second server with {@code -Xmx64m}
 * takes a 100 MiB body through a miss and a hit.
 *
 * <p>Run it with {@code benchmarks/load-benchmark}, which installs wrk and builds the jar; the
 * options are listed by {@code --help}.
 */
public final class LoadBenchmark {

    private static final int LARGE_BODY = 100 << 20;
    private static final int MIN_WARMUP_PASSES = 3;
    /**
     * How little every case's rate may change between two warm-up passes for the JIT to count as
     * done. Not less: on the shared machines this was measured on, a warm server's rate moves by
     * 10 to 20 % from minute to minute by itself.
     */
    private static final double SETTLED = 0.15;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** How a case is reached, and what its answer must say to prove it took the intended path. */
    enum Case {
        FLOOR("(a) floor: bare filter", "floor", "cached", false),
        MEMORY_HIT("(b) Hishel hit, memory", "memory", "cached", false),
        SQLITE_HIT("(c) Hishel hit, SQLite", "sqlite", "cached", false),
        APPLICATION("(d) application alone", "app", "cached", false),
        PASS_THROUGH("(e) Hishel pass-through", "memory", "not-cacheable", false),
        MISS("(f) Hishel miss that stores", "memory", "cached", true);

        final String label;
        final String front;
        final String endpoint;
        final boolean uniqueUrls;

        Case(String label, String front, String endpoint, boolean uniqueUrls) {
            this.label = label;
            this.front = front;
            this.endpoint = endpoint;
            this.uniqueUrls = uniqueUrls;
        }

        String path(int size) {
            return "/" + front + "/" + endpoint + "/" + size;
        }
    }

    /** One wrk run. Latencies in milliseconds. */
    record Run(long requests, double seconds, double p50, double p99, long errors, long allocated) {
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

    private final Options options;
    private final Path reportScript;
    private final Path uniqueUrlsScript;

    private LoadBenchmark(Options options) throws IOException {
        this.options = options;
        this.reportScript = temporary(REPORT_SCRIPT);
        this.uniqueUrlsScript = temporary(UNIQUE_URLS_SCRIPT);
    }

    private static Path temporary(String script) throws IOException {
        Path file = Files.createTempFile("hishel-wrk", ".lua");
        file.toFile().deleteOnExit();
        return Files.writeString(file, script);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        new LoadBenchmark(options).run();
    }

    private void run() throws Exception {
        Files.createDirectories(options.out);
        Machine machine = Machine.describe(options);
        System.out.println(machine.summary());
        List<Result> results;
        try (Server server = Server.start(options, List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"),
                CacheOptions.defaults().maxEntrySize(), options.jfr ? options.out.resolve("server.jfr") : null)) {
            results = measure(server);
        }
        String table = Report.table(results);
        List<Target> targets = Report.targets(results);
        String verdicts = Report.verdicts(targets);
        System.out.println();
        System.out.println(table);
        System.out.println(verdicts);
        Optional<LargeBody> large = Optional.empty();
        if (options.largeBody) {
            large = Optional.of(largeBody());
            System.out.println(large.get().summary());
        }
        Files.writeString(options.out.resolve("_load-results.adoc"),
                Report.asciidoc(machine, options, results, targets, large));
        Files.writeString(options.out.resolve("load-chart.svg"), Report.svg(results, machine));
        System.out.println("Wrote " + options.out.resolve("_load-results.adoc") + " and "
                + options.out.resolve("load-chart.svg"));
    }

    private List<Result> measure(Server server) throws Exception {
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        for (int size : LoadServer.SIZES) {
            for (Case kase : Case.values()) {
                check(server, kase, size);
                runs.put(kase + "/" + size, new ArrayList<>());
            }
        }
        warmUp(server);
        List<Case> order = new ArrayList<>(List.of(Case.values()));
        for (int round = 1; round <= options.rounds; round++) {
            System.out.printf(Locale.ROOT, "Round %d of %d%n", round, options.rounds);
            for (int size : LoadServer.SIZES) {
                for (Case kase : order) {
                    Run run = wrk(server, kase, size, "r" + round, options.seconds);
                    runs.get(kase + "/" + size).add(run);
                    System.out.printf(Locale.ROOT, "  %-6s %-34s %9.0f req/s  p50 %6.3f ms  p99 %6.3f ms%n",
                            Report.size(size), kase.label, run.requests / run.seconds, run.p50, run.p99);
                }
            }
            // Each case takes each place in the order in turn: no case always follows the same one.
            order.add(order.remove(0));
        }
        List<Result> results = new ArrayList<>();
        for (int size : LoadServer.SIZES) {
            for (Case kase : Case.values()) {
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
    private void warmUp(Server server) throws Exception {
        Map<String, Double> previous = new LinkedHashMap<>();
        for (int pass = 1; pass <= options.warmupPasses; pass++) {
            double worstChange = 0;
            for (int size : LoadServer.SIZES) {
                for (Case kase : Case.values()) {
                    Run run = wrk(server, kase, size, "w" + pass, options.warmupSeconds);
                    double rate = run.requests / run.seconds;
                    Double before = previous.put(kase + "/" + size, rate);
                    worstChange = before == null ? 1 : Math.max(worstChange, Math.abs(rate - before) / before);
                }
            }
            System.out.printf(Locale.ROOT, "Warm-up pass %d: rates changed by up to %.0f%%%n", pass, worstChange * 100);
            if (pass >= MIN_WARMUP_PASSES && worstChange <= SETTLED) {
                return;
            }
        }
        System.out.println("Warm-up: rates still moving after " + options.warmupPasses + " passes; measuring anyway");
    }

    /** Proves the case takes the path it is named after, before anything is measured. */
    private static void check(Server server, Case kase, int size) throws IOException, InterruptedException {
        String path = kase.uniqueUrls ? kase.path(size) + "?check" : kase.path(size);
        HttpResponse<byte[]> response = server.get(path);
        if (kase == Case.MEMORY_HIT || kase == Case.SQLITE_HIT) {
            response = server.get(path);
        }
        String status = response.headers().firstValue("Cache-Status").orElse("");
        boolean asExpected = switch (kase) {
            case FLOOR, APPLICATION -> status.isEmpty();
            case MEMORY_HIT, SQLITE_HIT -> status.contains("; hit");
            case PASS_THROUGH -> !status.isEmpty() && !status.contains("hit") && !status.contains("stored");
            case MISS -> status.contains("stored");
        };
        if (response.statusCode() != 200 || response.body().length != size || !asExpected) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s does not take its path: GET %s answered %d with %d bytes and Cache-Status '%s'",
                    kase.label, path, response.statusCode(), response.body().length, status));
        }
    }

    private Run wrk(Server server, Case kase, int size, String tag, int seconds) throws Exception {
        String url = "http://127.0.0.1:" + server.port + kase.path(size);
        List<String> command = new ArrayList<>(pinned(options.loadCpu));
        command.addAll(List.of("wrk", "-t1", "-c" + options.connections, "-d" + seconds + "s", "-s",
                (kase.uniqueUrls ? uniqueUrlsScript : reportScript).toString(), url));
        if (kase.uniqueUrls) {
            command.addAll(List.of("--", kase.path(size) + "?miss=" + tag + "-"));
        }
        long allocatedBefore = server.allocated();
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk failed for " + url + ":\n" + output);
        }
        long allocated = server.allocated() - allocatedBefore;
        String line = output.lines().filter(l -> l.startsWith("HISHEL ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("No result from wrk for " + url + ":\n" + output));
        double[] v = Arrays.stream(line.substring(7).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        long errors = (long) (v[2] + v[3] + v[4] + v[5] + v[6]);
        if (errors > 0) {
            System.out.printf(Locale.ROOT, "  %s had %d errors (connect, read, write, status, timeout: %s)%n",
                    url, errors, line);
        }
        return new Run((long) v[0], v[1] / 1e6, v[7] / 1000, v[8] / 1000, errors, allocated);
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
        try (Server server = Server.start(options, List.of("-Xmx64m"), 2L * LARGE_BODY, null)) {
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

    /** A {@link LoadServer} in its own JVM, pinned to its own core; closed by closing its standard input. */
    static final class Server implements AutoCloseable {
        final int port;
        private final Process process;

        private Server(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        static Server start(Options options, List<String> jvmOptions, long maxEntrySize, Path jfr)
                throws IOException {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            List<String> command = new ArrayList<>(pinned(options.serverCpu));
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(jvmOptions);
            if (jfr != null) {
                command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
            }
            command.addAll(List.of("-cp", jar(), LoadServer.class.getName(), Integer.toString(port),
                    Long.toString(maxEntrySize)));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<Boolean> listening = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("listening on ")) {
                            return true;
                        }
                    }
                    return false;
                } catch (IOException e) {
                    return false;
                }
            });
            try {
                if (!listening.get(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("The load server stopped before it listened: " + command);
                }
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException("The load server did not start: " + command, e);
            }
            // Keep draining its standard output, so a chatty server never blocks on a full pipe.
            Thread drain = new Thread(() -> out.lines().forEach(System.out::println), "load-server-output");
            drain.setDaemon(true);
            drain.start();
            return new Server(port, process);
        }

        private static String jar() {
            try {
                return Path.of(LoadServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }

        long allocated() throws IOException, InterruptedException {
            return Long.parseLong(new String(get("/_bench/allocated").body(), StandardCharsets.US_ASCII));
        }

        Download download(String path) throws Exception {
            HttpResponse<InputStream> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
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
        Path out = Path.of("benchmarks", "target", "load-benchmark");
        String command = "benchmarks/load-benchmark";

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
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
            if (args.length > 0) {
                options.command += " " + String.join(" ", args);
            }
            return options;
        }

        private static String value(String option, String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String option, String[] args, int i) {
            int value = Integer.parseInt(value(option, args, i));
            if (value < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, but was " + value);
            }
            return value;
        }

        private static final String HELP = """
                benchmarks/load-benchmark [options]
                  --connections N   wrk connections (default 16)
                  --seconds N       length of one measured run (default 4)
                  --warmup N        length of one warm-up run (default 5)
                  --warmup-passes N at most this many warm-up passes over all cases (default 5); fewer once,
                                    after 3, every case's rate changes by 15% or less from one to the next
                  --rounds N        rounds; each measures every case once (default 5)
                  --server-cpu N    core the server is pinned to (default 0)
                  --load-cpu N      core wrk is pinned to (default 1)
                  --no-pinning      pin nothing (on a machine with one core)
                  --no-large-body   skip the 100 MiB body under -Xmx64m
                  --jfr             record the server with JDK Flight Recorder into the output folder
                  --out DIR         where the table and the chart go (default benchmarks/target/load-benchmark)""";
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
