package io.hishel.benchmarks;

import io.hishel.benchmarks.LoadBenchmark.Case;
import io.hishel.benchmarks.LoadBenchmark.LargeBody;
import io.hishel.benchmarks.LoadBenchmark.Machine;
import io.hishel.benchmarks.LoadBenchmark.Options;
import io.hishel.benchmarks.LoadBenchmark.Result;
import io.hishel.benchmarks.LoadBenchmark.Run;
import io.hishel.benchmarks.LoadBenchmark.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The load benchmark's results as a text table, targets, AsciiDoc for the docs, and an SVG chart. */
final class Report {

    private Report() {
    }

    static String table(List<Result> results) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-7s %-31s %9s %8s %8s %10s  %s%n",
                "Body", "Case", "req/s", "p50 ms", "p99 ms", "alloc/req", "Ratio"));
        for (Result result : results) {
            table.append(String.format(Locale.ROOT, "%-7s %-31s %9.0f %8.3f %8.3f %10s  %s%n",
                    size(result.size()), result.kase().label, result.requestsPerSecond(), result.p50(),
                    result.p99(), bytes(Math.round(result.allocatedPerRequest())), ratio(results, result)));
        }
        long errors = results.stream().mapToLong(Result::errors).sum();
        if (errors > 0) {
            table.append("WARNING: ").append(errors).append(" requests failed; see the lines above.\n");
        }
        return table.toString();
    }

    /** What each case is compared with: hits with the floor, pass-through and misses with the application. */
    static String ratio(List<Result> results, Result result) {
        Result floor = find(results, Case.FLOOR, result.size());
        Result application = find(results, Case.APPLICATION, result.size());
        return switch (result.kase()) {
            case FLOOR -> "";
            case MEMORY_HIT -> String.format(Locale.ROOT, "%.2f × floor req/s, p99 %.2f × floor's",
                    result.ratio(floor, Run::requestsPerSecond), result.ratio(floor, Run::p99));
            case SQLITE_HIT, APPLICATION -> String.format(Locale.ROOT, "%.2f × floor req/s",
                    result.ratio(floor, Run::requestsPerSecond));
            case PASS_THROUGH -> String.format(Locale.ROOT, "%.2f × application req/s",
                    result.ratio(application, Run::requestsPerSecond));
            case MISS -> String.format(Locale.ROOT, "%.2f × application's time per request",
                    application.ratio(result, Run::requestsPerSecond));
        };
    }

    /** The targets; the hit and pass-through ones at every body size, the miss one at 1 KiB. */
    static List<Target> targets(List<Result> results) {
        List<Target> targets = new ArrayList<>();
        for (int size : LoadServer.SIZES) {
            Result floor = find(results, Case.FLOOR, size);
            Result memory = find(results, Case.MEMORY_HIT, size);
            Result sqlite = find(results, Case.SQLITE_HIT, size);
            Result application = find(results, Case.APPLICATION, size);
            Result passThrough = find(results, Case.PASS_THROUGH, size);
            Result miss = find(results, Case.MISS, size);
            String body = size(size);
            targets.add(new Target(body + ": memory hit req/s ≥ 0.85 × floor",
                    memory.ratio(floor, Run::requestsPerSecond), 0.85, true));
            targets.add(new Target(body + ": memory hit p99 ≤ 1.5 × floor's", memory.ratio(floor, Run::p99), 1.5, false));
            targets.add(new Target(body + ": SQLite hit req/s ≥ 0.70 × floor",
                    sqlite.ratio(floor, Run::requestsPerSecond), 0.70, true));
            targets.add(new Target(body + ": pass-through req/s ≥ 0.95 × application",
                    passThrough.ratio(application, Run::requestsPerSecond), 0.95, true));
            if (size == 1024) {
                targets.add(new Target(body + ": a miss that stores ≤ 1.10 × the application's time",
                        application.ratio(miss, Run::requestsPerSecond), 1.10, false));
            }
        }
        return targets;
    }

    static String verdicts(List<Target> targets) {
        StringBuilder text = new StringBuilder("Targets\n");
        for (Target target : targets) {
            text.append(String.format(Locale.ROOT, "  %-58s %5.2f  %s%n", target.description(), target.measured(),
                    target.met() ? "met" : "MISSED"));
        }
        return text.toString();
    }

    static String asciidoc(Machine machine, Options options, List<Result> results, List<Target> targets,
                           Optional<LargeBody> large) {
        StringBuilder doc = new StringBuilder();
        doc.append("// Written by the load benchmark (").append(options.command).append("); do not edit.\n");
        doc.append(":load-benchmark-date: ").append(machine.date()).append('\n');
        doc.append(":load-benchmark-command: ").append(options.command).append("\n\n");
        doc.append(String.format(Locale.ROOT,
                "Measured on %s: %s; %s connections, %d rounds of %d s per case, after warm-up passes of %d s per case. "
                        + "Requests per second are over all rounds; latencies and ratios are medians over the rounds, "
                        + "each ratio taken between runs of the same round.%n%n",
                machine.date(), machine.summary(), options.connections, options.rounds, options.seconds,
                options.warmupSeconds));
        doc.append("[cols=\"1,3,>2,>2,>2,>2,4\",options=\"header\"]\n|===\n")
                .append("|Body |Case |req/s |p50 ms |p99 ms |alloc/req |Ratio\n");
        for (Result result : results) {
            doc.append(String.format(Locale.ROOT, "|%s |%s |%,.0f |%.3f |%.3f |%s |%s%n", size(result.size()),
                    result.kase().label, result.requestsPerSecond(), result.p50(), result.p99(),
                    bytes(Math.round(result.allocatedPerRequest())), ratio(results, result)));
        }
        doc.append("|===\n\n");
        doc.append("[cols=\"5,>1,1\",options=\"header\"]\n|===\n|Target |Measured |\n");
        for (Target target : targets) {
            doc.append(String.format(Locale.ROOT, "|%s |%.2f |%s%n", target.description(), target.measured(),
                    target.met() ? "met" : "*missed*"));
        }
        doc.append("|===\n");
        large.ifPresent(l -> doc.append("\n").append(l.summary()).append(".\n"));
        return doc.toString();
    }

    private static Result find(List<Result> results, Case kase, int size) {
        return results.stream().filter(r -> r.kase() == kase && r.size() == size).findFirst().orElseThrow();
    }

    static String size(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
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

    /** Requests per second as bars, one panel per body size, each scaled to its own fastest case. */
    static String svg(List<Result> results, Machine machine) {
        int width = 900;
        int labelWidth = 250;
        int barArea = 440;
        int barHeight = 24;
        int gap = 8;
        int panelTitle = 34;
        int top = 56;
        List<Integer> sizes = LoadServer.SIZES;
        int panelHeight = panelTitle + Case.values().length * (barHeight + gap) + 16;
        int height = top + sizes.size() * panelHeight + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">%n",
                width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        svg.append("<text x=\"16\" y=\"26\" font-size=\"17\" font-weight=\"bold\">")
                .append("Requests per second, server on one core, wrk on another</text>\n");
        svg.append("<text x=\"16\" y=\"45\" fill=\"#555555\">").append(escape(machine.cpu() + ", " + machine.java()
                + ", Tomcat " + machine.tomcat() + ", " + machine.date())).append("</text>\n");
        int y = top;
        for (int size : sizes) {
            List<Result> panel = results.stream().filter(r -> r.size() == size).toList();
            double max = panel.stream().mapToDouble(Result::requestsPerSecond).max().orElse(1);
            svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" font-size=\"15\" font-weight=\"bold\">"
                    + "%s body</text>%n", y + 22, size(size)));
            int barY = y + panelTitle;
            for (Result result : panel) {
                double rps = result.requestsPerSecond();
                int length = (int) Math.max(1, Math.round(barArea * rps / max));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                        labelWidth - 10, barY + barHeight - 7, escape(result.kase().label)));
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\"/>%n",
                        labelWidth, barY, length, barHeight, colour(result.kase())));
                String ratio = ratio(results, result);
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%,.0f%s</text>%n",
                        labelWidth + length + 8, barY + barHeight - 7, rps,
                        ratio.isEmpty() ? "" : escape("  (" + ratio.replaceAll(", p99.*", "") + ")")));
                barY += barHeight + gap;
            }
            y += panelHeight;
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" fill=\"#555555\">Longer is faster. "
                + "The floor is a bare filter writing precomputed bytes: no in-process cache can beat it.</text>%n",
                height - 12));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String colour(Case kase) {
        return switch (kase) {
            case FLOOR -> "#9e9e9e";
            case MEMORY_HIT, SQLITE_HIT -> "#1f7a8c";
            case APPLICATION -> "#e07a1f";
            case PASS_THROUGH, MISS -> "#f2b134";
        };
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
