package io.hishel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.hishel.benchmarks.LoadBenchmark.Case;
import io.hishel.benchmarks.LoadBenchmark.Machine;
import io.hishel.benchmarks.LoadBenchmark.Options;
import io.hishel.benchmarks.LoadBenchmark.Result;
import io.hishel.benchmarks.LoadBenchmark.Run;
import io.hishel.benchmarks.LoadBenchmark.Target;
import io.hishel.benchmarks.Scaling.Point;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The load benchmark's arithmetic and output, on made-up runs: what the table says must follow from them. */
class ReportTest {

    private static final Machine MACHINE = new Machine("Test CPU <2 GHz>", 2, 8L << 30, "Linux", "Java 17", "wrk 4.1.0",
            "11.0.27", true, "2026-11-24");

    /** Two rounds; in the second the whole machine runs at half speed. */
    private static List<Result> results() {
        List<Result> results = new ArrayList<>();
        for (int size : LoadServer.SIZES) {
            for (Case kase : Case.values()) {
                double rate = switch (kase) {
                    case FLOOR -> 40_000;
                    case MEMORY_HIT -> 36_000;
                    case SQLITE_HIT, POSTGRESQL_HIT -> 34_000;
                    case SQLITE_NO_TIER_HIT -> 10_000;
                    case POSTGRESQL_NO_TIER_HIT -> 18_000;
                    case APPLICATION, APPLICATION_NO_STORE -> 20_000;
                    case MEMORY_PASS, SQLITE_PASS, POSTGRESQL_PASS -> 19_000;
                    case MISS -> 16_000;
                    case BOOT_APPLICATION, BOOT_APPLICATION_NO_STORE -> 15_000;
                    case BOOT_HIT -> 33_000;
                    case BOOT_PASS -> 13_000;
                };
                results.add(new Result(kase, size, List.of(run(rate, 1.0), run(rate / 2, 4.0))));
            }
        }
        return results;
    }

    private static Run run(double rate, double p99) {
        return new Run((long) (rate * 4), 4.0, p99 / 2, p99, 0, (long) (rate * 4 * 1000), 0);
    }

    private static Result result(List<Result> results, Case kase, int size) {
        return results.stream().filter(r -> r.kase() == kase && r.size() == size).findFirst().orElseThrow();
    }

    private static Target target(List<Target> targets, String start) {
        return targets.stream().filter(t -> t.description().startsWith(start)).findFirst().orElseThrow();
    }

    @Test
    void ratiosPairRunsOfTheSameRoundSoASlowRoundDoesNotMoveThem() {
        List<Result> results = results();
        Result hit = result(results, Case.MEMORY_HIT, 1024);
        Result floor = result(results, Case.FLOOR, 1024);

        assertThat(hit.ratio(floor, Run::requestsPerSecond)).isEqualTo(0.9);
        assertThat(hit.requestsPerSecond()).isEqualTo(27_000);
        assertThat(Report.ratio(results, result(results, Case.MISS, 1024)))
                .isEqualTo("1.25 × application's time per request");
        assertThat(Report.ratio(results, result(results, Case.BOOT_HIT, 1024)))
                .isEqualTo("2.20 × Boot without the starter");
        assertThat(Report.ratio(results, result(results, Case.SQLITE_PASS, 1024)))
                .isEqualTo("0.95 × the endpoint without the filter");
    }

    @Test
    void targetsAreTheIssuesJudgedOnTheRatios() {
        List<Target> targets = Report.targets(results());

        // 1 KiB: memory, 4 database hits, 4 uncacheable, the miss, 3 p99, Boot; 64 KiB: the same less 5.
        assertThat(targets).hasSize(14 + 9);
        assertThat(target(targets, "1 KiB: memory hit req/s ≥ 0.85").met()).isTrue();
        assertThat(target(targets, "64 KiB: memory hit req/s ≥ 0.95").met()).isFalse();
        assertThat(target(targets, "1 KiB: SQLite hit, with the tier, req/s ≥ 0.80").met()).isTrue();
        Target noTier = target(targets, "1 KiB: SQLite hit, without a tier, req/s ≥ 0.40");
        assertThat(noTier.measured()).isEqualTo(0.25);
        assertThat(noTier.met()).isFalse();
        assertThat(target(targets, "1 KiB: PostgreSQL hit, without a tier").met()).isTrue();
        assertThat(target(targets, "1 KiB: uncacheable GET, SQLite req/s ≥ 0.95 × without the filter").met()).isTrue();
        assertThat(target(targets, "1 KiB: Boot: uncacheable GET, starter req/s ≥ 0.95 × without the starter").met())
                .isFalse();
        Target miss = target(targets, "1 KiB: a miss that stores (memory) ≤ 1.15");
        assertThat(miss.measured()).isEqualTo(1.25);
        assertThat(miss.met()).isFalse();
        assertThat(target(targets, "1 KiB: Boot hit req/s ≥ 2").met()).isTrue();
        assertThat(targets).filteredOn(t -> t.description().contains("p99")).hasSize(6)
                .allSatisfy(t -> assertThat(t.met()).isTrue());
    }

    @Test
    void onlyTheTargetsOfMeasuredCasesAreJudged() {
        List<Result> pair = results().stream()
                .filter(r -> r.size() == 1024 && (r.kase() == Case.FLOOR || r.kase() == Case.MEMORY_HIT)).toList();

        assertThat(Report.targets(pair)).extracting(Target::description).containsExactly(
                "1 KiB: memory hit req/s ≥ 0.85 × floor", "1 KiB: hit, memory p99 ≤ 1.5 × floor's");
        assertThat(Report.table(pair).lines()).hasSize(1 + 2);
    }

    @Test
    void theTableHasARowPerCaseAndSize() {
        String table = Report.table(results());

        assertThat(table.lines()).hasSize(1 + 2 * Case.values().length);
        assertThat(table).contains("hit, memory", "0.90 × floor req/s, p99 1.00 × floor's", "1000 B");
    }

    @Test
    void aRunOfHitsInWhichTheEndpointRanIsFlagged() {
        List<Result> results = new ArrayList<>(results());
        results.add(new Result(Case.MEMORY_HIT, 2048, List.of(new Run(1000, 1.0, 1, 2, 0, 0, 3))));

        assertThat(Report.table(results)).contains("WARNING: 2 KiB, hit, memory: the endpoint ran 3 times");
    }

    private static Scaling.Results scaling() {
        List<Point> byEntries = new ArrayList<>();
        for (String front : List.of("memory", "sqlite-no-tier")) {
            for (int entries : List.of(1_000, 100_000, 1_000_000)) {
                double rate = front.equals("memory") ? 30_000 : 10_000 * (entries == 1_000_000 ? 0.5 : 1);
                byEntries.add(new Point(front, entries, 1024, List.of(run(rate, 1.0))));
            }
        }
        List<Point> bySize = List.of(new Point("app", 0, 1 << 20, List.of(run(1000, 10))),
                new Point("memory", 0, 1 << 20, List.of(run(1500, 10))));
        return new Scaling.Results(byEntries, bySize, Map.of("sqlite-no-tier", 4000.0));
    }

    @Test
    void aHitThatSlowsDownWithMoreEntriesMissesItsTarget() {
        List<Target> targets = Report.scalingTargets(scaling());

        assertThat(targets).extracting(Target::description).containsExactly(
                "memory: hit req/s at 10⁶ entries ≥ 0.80 × at 10³", "sqlite-no-tier: hit req/s at 10⁶ entries ≥ 0.80 × at 10³");
        assertThat(targets.get(0).met()).isTrue();
        assertThat(targets.get(1).measured()).isEqualTo(0.5);
        assertThat(targets.get(1).met()).isFalse();
    }

    @Test
    void theScalingTablesGiveRatesRatiosAndMegabytesPerSecond() {
        String tables = Report.scalingTables(scaling());

        assertThat(tables).contains("sqlite-no-tier", "10⁵", "0.50 × at 10³", "filled at 4,000 entries per second");
        // 1500 hits per second of 1 MiB: 1572.9 MB/s, 1.5 times the endpoint's rate
        assertThat(tables).contains("1 MiB", "1572.9", "1.50 × the application alone");
    }

    @Test
    void theChartIsWellFormedSvgWithABarPerMeasurement() throws Exception {
        String svg = Report.svg(results(), scaling(), MACHINE);

        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
        // one background, one bar per case and size, one per storage and number of entries, one per body size
        assertThat(document.getElementsByTagName("rect").getLength()).isEqualTo(1 + 2 * Case.values().length + 6 + 2);
        assertThat(svg).contains("Test CPU &lt;2 GHz&gt;");
    }

    @Test
    void theAsciiDocNamesTheCommandAndMachineAndHasEveryTable() {
        Options options = Options.parse(new String[] {"--rounds", "2"});
        List<Target> targets = new ArrayList<>(Report.targets(results()));
        targets.addAll(Report.scalingTargets(scaling()));
        String doc = Report.asciidoc(MACHINE, options, results(), scaling(), targets, Optional.empty(), 12.0);

        assertThat(doc).contains(":load-benchmark-command: benchmarks/load-benchmark --rounds 2", "Test CPU",
                "|1 KiB |floor: bare filter |30,000", "took 12 minutes", "|sqlite-no-tier |10⁶ |",
                "|application alone |1 MiB |");
        // the table, by entries, by size, targets: each opens and closes
        assertThat(doc.lines().filter(line -> line.equals("|==="))).hasSize(8);
    }

    @Test
    void quickRunsLittleButWhatIsGivenWithItWins() {
        Options options = Options.parse(new String[] {"--rounds", "3", "--quick", "--cases", "floor,memory-hit",
                "--sizes", "1k"});

        assertThat(options.rounds).isEqualTo(3);
        assertThat(options.seconds).isEqualTo(3);
        assertThat(options.cases).containsExactly(Case.FLOOR, Case.MEMORY_HIT);
        assertThat(options.sizes).containsExactly(1024);
        assertThat(options.entries).isEmpty();
        assertThat(options.scaleSizes).isEmpty();
        assertThat(options.largeBody).isFalse();
    }

    @Test
    void optionsReadSizesAndCountsAndRefuseUnknownCases() {
        Options options = Options.parse(new String[] {"--scale-sizes", "1k,64k,1m,16m", "--entries", "1000,10000",
                "--no-postgresql"});

        assertThat(options.scaleSizes).containsExactly(1024, 65536, 1 << 20, 16 << 20);
        assertThat(options.entries).containsExactly(1000, 10000);
        assertThat(options.cases).noneMatch(Case::needsPostgresql).contains(Case.SQLITE_HIT, Case.BOOT_HIT);
        assertThat(options.entriesFronts).containsExactly("memory", "sqlite-no-tier");
        assertThatThrownBy(() -> Options.parse(new String[] {"--cases", "memory-hit,redis-hit"}))
                .hasMessageContaining("Unknown case \"redis-hit\"");
        assertThatThrownBy(() -> Options.parse(new String[] {"--entries-fronts", "app"}))
                .hasMessageContaining("unknown front \"app\"");
    }
}
