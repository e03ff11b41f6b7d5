package io.hishel.benchmarks;

import io.hishel.benchmarks.LoadBenchmark.Case;
import io.hishel.benchmarks.LoadBenchmark.Expect;
import io.hishel.benchmarks.LoadBenchmark.Host;
import io.hishel.benchmarks.LoadBenchmark.LargeBody;
import io.hishel.benchmarks.LoadBenchmark.Machine;
import io.hishel.benchmarks.LoadBenchmark.Options;
import io.hishel.benchmarks.LoadBenchmark.Result;
import io.hishel.benchmarks.LoadBenchmark.Run;
import io.hishel.benchmarks.LoadBenchmark.Target;
import io.hishel.benchmarks.Scaling.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** The load benchmark's results as text tables, targets, AsciiDoc for the docs, and an SVG chart. */
final class Report {

    /** Hits that the p99 target applies to: those a user gets by default, not the tier-less stand-ins. */
    private static final List<Case> P99_HITS = List.of(Case.MEMORY_HIT, Case.SQLITE_HIT, Case.POSTGRESQL_HIT);
    /** Each uncacheable case, and the same endpoint without the filter. */
    private static final List<Case[]> PASSES = List.of(
            new Case[] {Case.MEMORY_PASS, Case.APPLICATION_NO_STORE},
            new Case[] {Case.SQLITE_PASS, Case.APPLICATION_NO_STORE},
            new Case[] {Case.POSTGRESQL_PASS, Case.APPLICATION_NO_STORE},
            new Case[] {Case.BOOT_PASS, Case.BOOT_APPLICATION_NO_STORE});
    /** How far a hit may slow down from the fewest entries measured to the most: what an index's depth explains. */
    static final double ENTRIES_BOUND = 0.80;

    private Report() {
    }

    static String table(List<Result> results) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-7s %-36s %9s %8s %8s %10s  %s%n",
                "Body", "Case", "req/s", "p50 ms", "p99 ms", "alloc/req", "Ratio"));
        for (Result result : results) {
            table.append(String.format(Locale.ROOT, "%-7s %-36s %9.0f %8.3f %8.3f %10s  %s%n",
                    size(result.size()), result.kase().label, result.requestsPerSecond(), result.p50(),
                    result.p99(), bytes(Math.round(result.allocatedPerRequest())), ratio(results, result)));
        }
        table.append(warnings(results));
        return table.toString();
    }

    private static String warnings(List<Result> results) {
        StringBuilder text = new StringBuilder();
        long errors = results.stream().mapToLong(Result::errors).sum();
        if (errors > 0) {
            text.append("WARNING: ").append(errors).append(" requests failed; see the lines above.\n");
        }
        for (Result result : results) {
            if (result.kase().expect == Expect.HIT && result.calls() > 0) {
                text.append(String.format(Locale.ROOT, "WARNING: %s, %s: the endpoint ran %d times; not all were hits.%n",
                        size(result.size()), result.kase().label, result.calls()));
            }
        }
        return text.toString();
    }

    /**
     * What each case is compared with: hits and the application with the floor, an uncacheable
     * GET with the same endpoint without the filter, a miss's time with the application's, and the
     * Boot cases with the same Boot application without the starter.
     */
    static String ratio(List<Result> results, Result result) {
        int size = result.size();
        return switch (result.kase()) {
            case FLOOR, BOOT_APPLICATION_NO_STORE -> "";
            case MEMORY_HIT, SQLITE_HIT, SQLITE_NO_TIER_HIT, POSTGRESQL_HIT, POSTGRESQL_NO_TIER_HIT ->
                    find(results, Case.FLOOR, size).map(floor -> String.format(Locale.ROOT,
                            "%.2f × floor req/s, p99 %.2f × floor's", result.ratio(floor, Run::requestsPerSecond),
                            result.ratio(floor, Run::p99))).orElse("");
            case APPLICATION, APPLICATION_NO_STORE -> compared(results, result, Case.FLOOR, "floor req/s");
            case MEMORY_PASS, SQLITE_PASS, POSTGRESQL_PASS -> compared(results, result, Case.APPLICATION_NO_STORE,
                    "the endpoint without the filter");
            case MISS -> find(results, Case.APPLICATION, size).map(application -> String.format(Locale.ROOT,
                    "%.2f × application's time per request", application.ratio(result, Run::requestsPerSecond)))
                    .orElse("");
            case BOOT_APPLICATION -> compared(results, result, Case.APPLICATION, "the plain Spring MVC application");
            case BOOT_HIT -> compared(results, result, Case.BOOT_APPLICATION, "Boot without the starter");
            case BOOT_PASS -> compared(results, result, Case.BOOT_APPLICATION_NO_STORE, "Boot without the starter");
        };
    }

    private static String compared(List<Result> results, Result result, Case other, String what) {
        return find(results, other, result.size()).map(o -> String.format(Locale.ROOT, "%.2f × %s",
                result.ratio(o, Run::requestsPerSecond), what)).orElse("");
    }

    /** The targets, for the cases and sizes that were measured. */
    static List<Target> targets(List<Result> results) {
        List<Target> targets = new ArrayList<>();
        List<Integer> sizes = results.stream().map(Result::size).distinct().toList();
        for (int size : sizes) {
            String body = size(size) + ": ";
            ToDoubleFunction<Run> rate = Run::requestsPerSecond;
            if (size == 1024 || size == 64 * 1024) {
                double bound = size == 1024 ? 0.85 : 0.95;
                target(targets, results, Case.MEMORY_HIT, Case.FLOOR, size, rate, body + "memory hit req/s ≥ "
                        + bound + " × floor", bound, true);
            }
            if (size == 1024) {
                target(targets, results, Case.SQLITE_HIT, Case.FLOOR, size, rate,
                        body + "SQLite hit, with the tier, req/s ≥ 0.80 × floor", 0.80, true);
                target(targets, results, Case.POSTGRESQL_HIT, Case.FLOOR, size, rate,
                        body + "PostgreSQL hit, with the tier, req/s ≥ 0.80 × floor", 0.80, true);
                target(targets, results, Case.SQLITE_NO_TIER_HIT, Case.FLOOR, size, rate,
                        body + "SQLite hit, without a tier, req/s ≥ 0.40 × floor", 0.40, true);
                target(targets, results, Case.POSTGRESQL_NO_TIER_HIT, Case.FLOOR, size, rate,
                        body + "PostgreSQL hit, without a tier, req/s ≥ 0.40 × floor", 0.40, true);
            }
            for (Case[] pass : PASSES) {
                target(targets, results, pass[0], pass[1], size, rate, body + pass[0].label
                        + " req/s ≥ 0.95 × without " + (pass[0].host == Host.BOOT ? "the starter" : "the filter"),
                        0.95, true);
            }
            if (size == 1024) {
                // The miss's time per request over the application's: the inverse ratio of their rates.
                Optional<Result> miss = find(results, Case.MISS, size);
                Optional<Result> application = find(results, Case.APPLICATION, size);
                if (miss.isPresent() && application.isPresent()) {
                    targets.add(new Target(body + "a miss that stores (memory) ≤ 1.15 × the application's time",
                            application.get().ratio(miss.get(), rate), 1.15, false));
                }
            }
            for (Case hit : P99_HITS) {
                target(targets, results, hit, Case.FLOOR, size, Run::p99, body + hit.label + " p99 ≤ 1.5 × floor's",
                        1.5, false);
            }
            target(targets, results, Case.BOOT_HIT, Case.BOOT_APPLICATION, size, rate,
                    body + "Boot hit req/s ≥ 2 × the application without the starter", 2.0, true);
        }
        return targets;
    }

    private static void target(List<Target> targets, List<Result> results, Case kase, Case against, int size,
                               ToDoubleFunction<Run> measure, String description, double bound, boolean atLeast) {
        Optional<Result> result = find(results, kase, size);
        Optional<Result> other = find(results, against, size);
        if (result.isPresent() && other.isPresent()) {
            targets.add(new Target(description, result.get().ratio(other.get(), measure), bound, atLeast));
        }
    }

    /**
     * A hit must not slow down as entries grow beyond what the indexes explain: from the fewest
     * entries to the most, an index lookup goes one or two B-tree levels deeper, microseconds
     * against a hit's tens; so at most a fifth slower.
     */
    static List<Target> scalingTargets(Scaling.Results scaling) {
        List<Target> targets = new ArrayList<>();
        for (String front : scaling.byEntries().stream().map(Point::front).distinct().toList()) {
            List<Point> points = scaling.byEntries().stream().filter(p -> p.front().equals(front)).toList();
            if (points.size() < 2) {
                continue;
            }
            Point fewest = points.get(0);
            Point most = points.get(points.size() - 1);
            targets.add(new Target(String.format(Locale.ROOT, "%s: hit req/s at %s entries ≥ %.2f × at %s", front,
                    count(most.entries()), ENTRIES_BOUND, count(fewest.entries())),
                    most.requestsPerSecond() / fewest.requestsPerSecond(), ENTRIES_BOUND, true));
        }
        return targets;
    }

    static String scalingTables(Scaling.Results scaling) {
        StringBuilder text = new StringBuilder();
        if (!scaling.byEntries().isEmpty()) {
            text.append("Hits by the number of stored entries (1 KiB bodies, keys chosen uniformly at random)\n");
            text.append(String.format(Locale.ROOT, "%-20s %10s %9s %8s %8s  %s%n", "Storage", "Entries", "req/s",
                    "p50 ms", "p99 ms", "Ratio"));
            for (Point point : scaling.byEntries()) {
                text.append(String.format(Locale.ROOT, "%-20s %10s %9.0f %8.3f %8.3f  %s%s%n", point.front(),
                        count(point.entries()), point.requestsPerSecond(), point.p50(), point.p99(),
                        entriesRatio(scaling, point), callsWarning(point)));
            }
            scaling.populateRates().forEach((front, rate) -> text.append(String.format(Locale.ROOT,
                    "  %s filled at %,.0f entries per second through the Storage API%n", front, rate)));
            text.append('\n');
        }
        if (!scaling.bySize().isEmpty()) {
            text.append("Hits by body size (MB/s = 10^6 bytes per second)\n");
            text.append(String.format(Locale.ROOT, "%-20s %7s %9s %9s %8s  %s%n", "Storage", "Body", "req/s", "MB/s",
                    "p99 ms", "Ratio"));
            for (Point point : scaling.bySize()) {
                text.append(String.format(Locale.ROOT, "%-20s %7s %9.1f %9.1f %8.3f  %s%s%n", front(point.front()),
                        size(point.size()), point.requestsPerSecond(), point.megabytesPerSecond(), point.p99(),
                        sizeRatio(scaling, point), point.front().equals("app") ? "" : callsWarning(point)));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String callsWarning(Point point) {
        return point.calls() > 0 ? "  WARNING: the endpoint ran " + point.calls() + " times" : "";
    }

    private static String front(String front) {
        return front.equals("app") ? "application alone" : front;
    }

    private static String entriesRatio(Scaling.Results scaling, Point point) {
        Point fewest = scaling.byEntries().stream().filter(p -> p.front().equals(point.front())).findFirst()
                .orElseThrow();
        return fewest == point ? "" : String.format(Locale.ROOT, "%.2f × at %s", point.requestsPerSecond()
                / fewest.requestsPerSecond(), count(fewest.entries()));
    }

    private static String sizeRatio(Scaling.Results scaling, Point point) {
        if (point.front().equals("app")) {
            return "";
        }
        return scaling.bySize().stream().filter(p -> p.front().equals("app") && p.size() == point.size()).findFirst()
                .map(app -> String.format(Locale.ROOT, "%.2f × the application alone",
                        point.requestsPerSecond() / app.requestsPerSecond())).orElse("");
    }

    static String verdicts(List<Target> targets) {
        StringBuilder text = new StringBuilder("Targets\n");
        for (Target target : targets) {
            text.append(String.format(Locale.ROOT, "  %-72s %5.2f  %s%n", target.description(), target.measured(),
                    target.met() ? "met" : "MISSED"));
        }
        return text.toString();
    }

    static String asciidoc(Machine machine, Options options, List<Result> results, Scaling.Results scaling,
                           List<Target> targets, Optional<LargeBody> large, double minutes) {
        StringBuilder doc = new StringBuilder();
        doc.append("// Written by the load benchmark (").append(options.command).append("); do not edit.\n");
        doc.append(":load-benchmark-date: ").append(machine.date()).append('\n');
        doc.append(":load-benchmark-command: ").append(options.command).append("\n\n");
        doc.append(String.format(Locale.ROOT,
                "Measured on %s: %s; %s connections, %d rounds of %d s per case, after warm-up passes of %d s per case; "
                        + "the whole run took %.0f minutes. "
                        + "Requests per second are over all rounds; latencies and ratios are medians over the rounds, "
                        + "each ratio taken between runs of the same round.%n%n",
                machine.date(), machine.summary(), options.connections, options.rounds, options.seconds,
                options.warmupSeconds, minutes));
        if (!results.isEmpty()) {
            doc.append("[cols=\"1,4,>2,>2,>2,>2,5\",options=\"header\"]\n|===\n")
                    .append("|Body |Case |req/s |p50 ms |p99 ms |alloc/req |Ratio\n");
            for (Result result : results) {
                doc.append(String.format(Locale.ROOT, "|%s |%s |%,.0f |%.3f |%.3f |%s |%s%n", size(result.size()),
                        result.kase().label, result.requestsPerSecond(), result.p50(), result.p99(),
                        bytes(Math.round(result.allocatedPerRequest())), ratio(results, result)));
            }
            doc.append("|===\n\n");
            appendWarnings(doc, warnings(results));
        }
        if (!scaling.byEntries().isEmpty()) {
            doc.append(".Hits by the number of stored entries: 1 KiB bodies, each request for a key chosen uniformly at "
                    + "random among them\n");
            doc.append("[cols=\"2,>2,>2,>2,>2,3\",options=\"header\"]\n|===\n|Storage |Entries |req/s |p50 ms |p99 ms "
                    + "|Ratio\n");
            for (Point point : scaling.byEntries()) {
                doc.append(String.format(Locale.ROOT, "|%s |%s |%,.0f |%.3f |%.3f |%s%n", point.front(),
                        count(point.entries()), point.requestsPerSecond(), point.p50(), point.p99(),
                        entriesRatio(scaling, point)));
            }
            doc.append("|===\n\n");
            List<String> rates = new ArrayList<>();
            scaling.populateRates().forEach((front, rate) -> rates.add(String.format(Locale.ROOT, "%s %,.0f", front,
                    rate)));
            doc.append("Entries stored per second through the `Storage` API while filling: ")
                    .append(String.join(", ", rates)).append(".\n\n");
            for (Point point : scaling.byEntries()) {
                appendWarnings(doc, callsWarning(point).isEmpty() ? "" : point.front() + " at " + count(point.entries())
                        + " entries:" + callsWarning(point).replace("  WARNING:", "") + "; not all were hits.\n");
            }
        }
        if (!scaling.bySize().isEmpty()) {
            doc.append(".Hits by body size, in MB/s (10^6^ bytes per second)\n");
            doc.append("[cols=\"2,>1,>2,>2,>2,3\",options=\"header\"]\n|===\n|Storage |Body |req/s |MB/s |p99 ms |Ratio\n");
            for (Point point : scaling.bySize()) {
                doc.append(String.format(Locale.ROOT, "|%s |%s |%,.1f |%,.1f |%.3f |%s%n", front(point.front()),
                        size(point.size()), point.requestsPerSecond(), point.megabytesPerSecond(), point.p99(),
                        sizeRatio(scaling, point)));
            }
            doc.append("|===\n\n");
        }
        if (!targets.isEmpty()) {
            doc.append(".Targets\n[cols=\"6,>1,1\",options=\"header\"]\n|===\n|Target |Measured |\n");
            for (Target target : targets) {
                doc.append(String.format(Locale.ROOT, "|%s |%.2f |%s%n", target.description(), target.measured(),
                        target.met() ? "met" : "*missed*"));
            }
            doc.append("|===\n");
        }
        large.ifPresent(l -> doc.append("\n").append(l.summary()).append(".\n"));
        return doc.toString();
    }

    private static void appendWarnings(StringBuilder doc, String warnings) {
        warnings.lines().forEach(line -> doc.append("WARNING: ").append(line.replaceFirst("^WARNING: ", ""))
                .append("\n\n"));
    }

    private static Optional<Result> find(List<Result> results, Case kase, int size) {
        return results.stream().filter(r -> r.kase() == kase && r.size() == size).findFirst();
    }

    static String size(int bytes) {
        if (bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    /** 1000 as 10³, 100000 as 10⁵: the numbers as it writes them; others as they are. */
    static String count(int entries) {
        String superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        int exponent = 0;
        for (int n = entries; n >= 10 && n % 10 == 0; n /= 10) {
            exponent++;
        }
        if (exponent >= 3 && entries == (int) Math.pow(10, exponent)) {
            return "10" + superscripts.charAt(exponent);
        }
        return String.format(Locale.ROOT, "%,d", entries);
    }

    static String bytes(long bytes) {
        if (bytes < 10 * 1024) {
            return bytes + " B";
        }
        if (bytes < 10L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 10L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / 1073741824.0);
    }

    /** One bar of the chart. */
    private record Bar(String label, double value, String text, String colour) {
    }

    /** One panel of the chart: bars scaled to its longest. */
    private record Panel(String title, List<Bar> bars) {
    }

    /**
     * Bars, one panel per body size of the table (requests per second), then one per scaling
     * measurement: requests per second by entries, MB/s by body size.
     */
    static String svg(List<Result> results, Scaling.Results scaling, Machine machine) {
        List<Panel> panels = new ArrayList<>();
        for (int size : results.stream().map(Result::size).distinct().toList()) {
            List<Bar> bars = new ArrayList<>();
            for (Result result : results.stream().filter(r -> r.size() == size).toList()) {
                String ratio = ratio(results, result).replaceAll(", p99.*", "");
                bars.add(new Bar(result.kase().label, result.requestsPerSecond(),
                        String.format(Locale.ROOT, "%,.0f%s", result.requestsPerSecond(),
                                ratio.isEmpty() ? "" : "  (" + ratio + ")"), colour(result.kase())));
            }
            panels.add(new Panel(size(size) + " body, requests per second", bars));
        }
        if (!scaling.byEntries().isEmpty()) {
            List<Bar> bars = new ArrayList<>();
            for (Point point : scaling.byEntries()) {
                String ratio = entriesRatio(scaling, point);
                bars.add(new Bar(point.front() + ", " + count(point.entries()) + " entries", point.requestsPerSecond(),
                        String.format(Locale.ROOT, "%,.0f%s", point.requestsPerSecond(),
                                ratio.isEmpty() ? "" : "  (" + ratio + ")"),
                        point.front().equals("memory") ? "#1f7a8c" : "#4f9dab"));
            }
            panels.add(new Panel("Hits by stored entries (1 KiB, random keys), requests per second", bars));
        }
        for (int size : scaling.bySize().stream().map(Point::size).distinct().toList()) {
            List<Bar> bars = new ArrayList<>();
            for (Point point : scaling.bySize().stream().filter(p -> p.size() == size).toList()) {
                bars.add(new Bar(front(point.front()), point.megabytesPerSecond(),
                        String.format(Locale.ROOT, "%,.1f MB/s", point.megabytesPerSecond()),
                        point.front().equals("app") ? "#e07a1f" : "#1f7a8c"));
            }
            panels.add(new Panel(size(size) + " body, hits in MB/s", bars));
        }
        return svg(panels, machine);
    }

    private static String svg(List<Panel> panels, Machine machine) {
        int width = 980;
        int labelWidth = 300;
        int barArea = 400;
        int barHeight = 22;
        int gap = 6;
        int panelTitle = 34;
        int top = 56;
        int height = top + 30;
        for (Panel panel : panels) {
            height += panelTitle + panel.bars().size() * (barHeight + gap) + 16;
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">%n",
                width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        svg.append("<text x=\"16\" y=\"26\" font-size=\"17\" font-weight=\"bold\">")
                .append("Server on one core, wrk on another</text>\n");
        svg.append("<text x=\"16\" y=\"45\" fill=\"#555555\">").append(escape(machine.cpu() + ", " + machine.java()
                + ", Tomcat " + machine.tomcat() + ", " + machine.date())).append("</text>\n");
        int y = top;
        for (Panel panel : panels) {
            double max = panel.bars().stream().mapToDouble(Bar::value).max().orElse(1);
            svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" font-size=\"15\" font-weight=\"bold\">"
                    + "%s</text>%n", y + 22, escape(panel.title())));
            int barY = y + panelTitle;
            for (Bar bar : panel.bars()) {
                int length = (int) Math.max(1, Math.round(barArea * bar.value() / Math.max(max, 1e-9)));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                        labelWidth - 10, barY + barHeight - 6, escape(bar.label())));
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\"/>%n",
                        labelWidth, barY, length, barHeight, bar.colour()));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n",
                        labelWidth + length + 8, barY + barHeight - 6, escape(bar.text())));
                barY += barHeight + gap;
            }
            y = barY + 16;
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" fill=\"#555555\">Longer is faster. "
                + "The floor is a bare filter writing precomputed bytes: no in-process cache can beat it.</text>%n",
                height - 12));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String colour(Case kase) {
        return switch (kase.expect) {
            case PLAIN -> kase == Case.FLOOR ? "#9e9e9e" : "#e07a1f";
            case HIT -> "#1f7a8c";
            case PASS, STORED -> "#f2b134";
        };
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
