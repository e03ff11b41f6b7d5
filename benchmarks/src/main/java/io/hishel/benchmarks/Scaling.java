package io.hishel.benchmarks;

import io.hishel.benchmarks.LoadBenchmark.Expect;
import io.hishel.benchmarks.LoadBenchmark.Options;
import io.hishel.benchmarks.LoadBenchmark.Run;
import io.hishel.benchmarks.LoadBenchmark.Server;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the cost of a hit grows, on a {@link LoadServer} of its own with a heap and storage bounds
 * large enough to hold every entry (so that no hit is an eviction's miss):
 *
 * <ul>
 *   <li>with the number of stored entries: each storage is filled to each number in turn, the
 *       entries written through the {@link io.hishel.storage.Storage} API in the server (copies of
 *       one the filter stored, see {@link LoadServer.Populate}), then wrk asks for a key chosen
 *       uniformly at random among them, 1 KiB bodies;</li>
 *   <li>with the size of the body: one entry per storage and size, in MB/s (10⁶ bytes), next to the
 *       endpoint alone streaming the same bytes.</li>
 * </ul>
 *
 * <p>As in the table, the storages alternate within each round, and a run of hits in which the
 * endpoint ran at all is flagged.
 */
final class Scaling {

    /** The heap of the scaling server; the memory storage may hold a quarter of it. */
    private static final long HEAP = 10L << 30;
    /** What the database storages may hold: more than a million entries of 1 KiB take. */
    private static final long DATABASE_MAX_BYTES = 16L << 30;
    private static final int ENTRY_BODY = 1024;
    /** Entries stored per request to {@code /_bench/populate}: progress shows, and no request takes minutes. */
    private static final int POPULATE_BATCH = 50_000;

    /** One storage at one number of entries, or at one body size: its runs in round order. */
    record Point(String front, int entries, int size, List<Run> runs) {
        double requestsPerSecond() {
            return runs.stream().mapToLong(Run::requests).sum() / runs.stream().mapToDouble(Run::seconds).sum();
        }

        double megabytesPerSecond() {
            return requestsPerSecond() * size / 1e6;
        }

        double p50() {
            return LoadBenchmark.median(runs.stream().mapToDouble(Run::p50).toArray());
        }

        double p99() {
            return LoadBenchmark.median(runs.stream().mapToDouble(Run::p99).toArray());
        }

        long calls() {
            return runs.stream().mapToLong(Run::calls).sum();
        }

        long errors() {
            return runs.stream().mapToLong(Run::errors).sum();
        }
    }

    /**
     * What was measured, and how fast each storage was filled ({@code front -> entries per
     * second}, over all numbers).
     */
    record Results(List<Point> byEntries, List<Point> bySize, Map<String, Double> populateRates) {
        boolean isEmpty() {
            return byEntries.isEmpty() && bySize.isEmpty();
        }

        static Results empty() {
            return new Results(List.of(), List.of(), Map.of());
        }
    }

    private final LoadBenchmark benchmark;
    private final Options options;

    Scaling(LoadBenchmark benchmark) {
        this.benchmark = benchmark;
        this.options = benchmark.options;
    }

    Results run() throws Exception {
        boolean byEntries = !options.entries.isEmpty() && !options.entriesFronts.isEmpty();
        boolean bySize = !options.scaleSizes.isEmpty() && !options.scaleSizesFronts.isEmpty();
        if (!byEntries && !bySize) {
            return Results.empty();
        }
        boolean postgresql = options.entriesFronts.stream().anyMatch(f -> f.startsWith("postgresql"))
                || options.scaleSizesFronts.stream().anyMatch(f -> f.startsWith("postgresql"));
        long largest = options.scaleSizes.stream().mapToLong(Integer::longValue).max().orElse(ENTRY_BODY);
        // Just under a quarter of the heap, where the memory storage would cap it (with a warning).
        long memoryBound = HEAP / 4 / 10 * 9;
        System.out.println("Scaling: a server with -Xmx" + (HEAP >> 30) + "g, storages bounded at "
                + Report.bytes(memoryBound) + " (memory) and " + Report.bytes(DATABASE_MAX_BYTES) + " (databases)");
        try (Server server = Server.start(options, List.of("-Xms2g", "-Xmx" + (HEAP >> 30) + "g"),
                Math.max(2 * largest, 10L << 20), memoryBound, DATABASE_MAX_BYTES, postgresql,
                options.jfr ? options.out.resolve("scaling.jfr") : null)) {
            Map<String, Double> rates = new LinkedHashMap<>();
            List<Point> entries = byEntries ? byEntries(server, rates) : List.of();
            List<Point> sizes = bySize ? bySize(server) : List.of();
            return new Results(entries, sizes, rates);
        }
    }

    private static String entryPath(String front) {
        return "/" + front + "/cached/" + ENTRY_BODY + "?entry=";
    }

    private List<Point> byEntries(Server server, Map<String, Double> rates) throws Exception {
        List<String> fronts = options.entriesFronts;
        Map<String, long[]> populated = new LinkedHashMap<>();
        for (String front : fronts) {
            // The template every copy is made from: stored by the filter itself, as a miss stores.
            LoadBenchmark.check(server, front + " template", entryPath(front) + "0", Expect.HIT, ENTRY_BODY);
            populated.put(front, new long[] {1, 0});
        }
        List<Point> points = new ArrayList<>();
        for (int count : options.entries) {
            // Nothing is measured while filling: the server may use wrk's core too.
            server.pin(options, options.serverCpu + (options.loadCpu >= 0 ? "," + options.loadCpu : ""));
            try {
                for (String front : fronts) {
                    populate(server, front, populated.get(front), count);
                    long[] done = populated.get(front);
                    rates.put(front, done[1] == 0 ? 0 : (done[0] - 1) / (done[1] / 1e9));
                }
            } finally {
                server.pin(options, Integer.toString(options.serverCpu));
            }
            for (String front : fronts) {
                // A random one of them must be a hit, or the numbers measure misses.
                int sample = ThreadLocalRandom.current().nextInt(count);
                LoadBenchmark.check(server, front + " with " + count + " entries", entryPath(front) + sample,
                        Expect.HIT, ENTRY_BODY);
            }
            Map<String, List<Run>> runs = new LinkedHashMap<>();
            List<String> order = new ArrayList<>(fronts);
            // The first time warms a new JVM's JIT, as the table's warm-up does; then each storage's caches.
            warmUp(points.isEmpty() ? options.warmupPasses : 1, fronts,
                    front -> randomKeys(server, front, count, options.warmupSeconds));
            for (String front : fronts) {
                runs.put(front, new ArrayList<>());
            }
            for (int round = 1; round <= options.rounds; round++) {
                for (String front : order) {
                    Run run = randomKeys(server, front, count, options.seconds);
                    runs.get(front).add(run);
                    System.out.printf(Locale.ROOT, "  %,10d entries  %-20s %9.0f req/s  p50 %6.3f ms  p99 %6.3f ms%s%n",
                            count, front, run.requestsPerSecond(), run.p50(), run.p99(),
                            run.calls() > 0 ? "  WARNING: the endpoint ran " + run.calls() + " times" : "");
                }
                order.add(order.remove(0));
            }
            runs.forEach((front, list) -> points.add(new Point(front, count, ENTRY_BODY, list)));
        }
        return points;
    }

    /** Fills {@code front} from what it holds ({@code done[0]} entries, in {@code done[1]} ns) up to {@code count}. */
    private void populate(Server server, String front, long[] done, int count) throws Exception {
        // PostgreSQL waits on its server, not on this core: more writers overlap them. SQLite takes one at a time.
        int threads = front.startsWith("postgresql") ? 4 : front.startsWith("sqlite") ? 1 : 2;
        while (done[0] < count) {
            long to = Math.min(count, done[0] + POPULATE_BATCH);
            String query = "front=" + front + "&url=" + URLEncoder.encode(entryPath(front), StandardCharsets.UTF_8)
                    + "&from=" + done[0] + "&to=" + to + "&threads=" + threads;
            HttpResponse<byte[]> response = server.get("/_bench/populate?" + query);
            String body = new String(response.body(), StandardCharsets.UTF_8).trim();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Populating " + front + " failed: " + response.statusCode() + " " + body);
            }
            double seconds = Double.parseDouble(body.split(" ")[1]);
            done[1] += (long) (seconds * 1e9);
            done[0] = to;
            System.out.printf(Locale.ROOT, "  %-20s %,10d entries stored (%,.0f per second)%n", front, to,
                    (done[0] - 1) / (done[1] / 1e9));
        }
    }

    /** One warm-up run of each front. */
    @FunctionalInterface
    private interface WarmUpRun {
        Run run(String front) throws Exception;
    }

    /**
     * Up to {@code passes} passes over the fronts, until every rate changes by no more than the
     * table's warm-up allows from one pass to the next (after at least that warm-up's minimum).
     */
    private void warmUp(int passes, List<String> fronts, WarmUpRun warmUpRun) throws Exception {
        Map<String, Double> previous = new LinkedHashMap<>();
        int minimum = Math.min(LoadBenchmark.MIN_WARMUP_PASSES, passes);
        for (int pass = 1; pass <= passes; pass++) {
            double worstChange = 0;
            for (String front : fronts) {
                double rate = warmUpRun.run(front).requestsPerSecond();
                Double before = previous.put(front, rate);
                worstChange = before == null ? 1 : Math.max(worstChange, Math.abs(rate - before) / before);
            }
            if (passes > 1) {
                System.out.printf(Locale.ROOT, "  warm-up pass %d: rates changed by up to %.0f%%%n", pass,
                        worstChange * 100);
            }
            if (pass >= minimum && worstChange <= LoadBenchmark.SETTLED) {
                return;
            }
        }
    }

    private Run randomKeys(Server server, String front, int count, int seconds) throws Exception {
        return benchmark.wrk(server, entryPath(front) + "0", benchmark.randomKeysScript,
                List.of(entryPath(front), Integer.toString(count)), seconds, List.of());
    }

    private List<Point> bySize(Server server) throws Exception {
        List<Point> points = new ArrayList<>();
        for (int size : options.scaleSizes) {
            List<String> fronts = options.scaleSizesFronts;
            Map<String, List<Run>> runs = new LinkedHashMap<>();
            // Large bodies take long at 16 connections: wrk's 2 s timeout would count slow answers as errors.
            List<String> wrkOptions = List.of("--timeout", "60s");
            for (String front : fronts) {
                LoadBenchmark.check(server, front + " at " + Report.size(size), "/" + front + "/stream/" + size,
                        front.equals("app") ? Expect.PLAIN : Expect.HIT, size);
                runs.put(front, new ArrayList<>());
            }
            warmUp(points.isEmpty() && options.entries.isEmpty() ? options.warmupPasses : 1, fronts,
                    front -> benchmark.wrk(server, "/" + front + "/stream/" + size, benchmark.reportScript, List.of(),
                            options.warmupSeconds, wrkOptions));
            List<String> order = new ArrayList<>(fronts);
            for (int round = 1; round <= options.rounds; round++) {
                for (String front : order) {
                    Run run = benchmark.wrk(server, "/" + front + "/stream/" + size, benchmark.reportScript,
                            List.of(), options.seconds, wrkOptions);
                    runs.get(front).add(run);
                    System.out.printf(Locale.ROOT, "  %-7s %-20s %9.0f req/s %9.1f MB/s  p99 %8.3f ms%s%n",
                            Report.size(size), front, run.requestsPerSecond(), run.requestsPerSecond() * size / 1e6,
                            run.p99(), !front.equals("app") && run.calls() > 0
                                    ? "  WARNING: the endpoint ran " + run.calls() + " times" : "");
                }
                order.add(order.remove(0));
            }
            runs.forEach((front, list) -> points.add(new Point(front, 0, size, list)));
        }
        return points;
    }
}
