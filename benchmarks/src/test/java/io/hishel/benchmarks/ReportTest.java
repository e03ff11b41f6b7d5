package io.hishel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.benchmarks.LoadBenchmark.Case;
import io.hishel.benchmarks.LoadBenchmark.Machine;
import io.hishel.benchmarks.LoadBenchmark.Result;
import io.hishel.benchmarks.LoadBenchmark.Run;
import io.hishel.benchmarks.LoadBenchmark.Target;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
                    case SQLITE_HIT -> 10_000;
                    case APPLICATION -> 20_000;
                    case PASS_THROUGH -> 19_000;
                    case MISS -> 16_000;
                };
                results.add(new Result(kase, size, List.of(run(rate, 1.0), run(rate / 2, 4.0))));
            }
        }
        return results;
    }

    private static Run run(double rate, double p99) {
        return new Run((long) (rate * 4), 4.0, p99 / 2, p99, 0, (long) (rate * 4 * 1000));
    }

    @Test
    void ratiosPairRunsOfTheSameRoundSoASlowRoundDoesNotMoveThem() {
        List<Result> results = results();
        Result hit = results.get(1);
        Result floor = results.get(0);

        assertThat(hit.ratio(floor, Run::requestsPerSecond)).isEqualTo(0.9);
        assertThat(hit.requestsPerSecond()).isEqualTo(27_000);
        assertThat(Report.ratio(results, results.get(5))).isEqualTo("1.25 × application's time per request");
    }

    @Test
    void targetsAreJudgedOnTheRatios() {
        List<Target> targets = Report.targets(results());

        assertThat(targets).hasSize(9);
        assertThat(targets).filteredOn(t -> t.description().startsWith("1 KiB: memory hit req/s"))
                .singleElement().satisfies(t -> assertThat(t.met()).isTrue());
        assertThat(targets).filteredOn(t -> t.description().startsWith("1 KiB: SQLite"))
                .singleElement().satisfies(t -> {
                    assertThat(t.measured()).isEqualTo(0.25);
                    assertThat(t.met()).isFalse();
                });
        assertThat(targets).filteredOn(t -> t.description().contains("miss"))
                .singleElement().satisfies(t -> assertThat(t.met()).isFalse());
    }

    @Test
    void theTableHasARowPerCaseAndSize() {
        String table = Report.table(results());

        assertThat(table.lines()).hasSize(1 + 12);
        assertThat(table).contains("(b) Hishel hit, memory", "0.90 × floor req/s, p99 1.00 × floor's", "1000 B");
    }

    @Test
    void theChartIsWellFormedSvgWithABarPerCaseAndSize() throws Exception {
        String svg = Report.svg(results(), MACHINE);

        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
        // one background and one bar per case and size
        assertThat(document.getElementsByTagName("rect").getLength()).isEqualTo(1 + 12);
        assertThat(svg).contains("Test CPU &lt;2 GHz&gt;");
    }

    @Test
    void theAsciiDocNamesTheCommandAndMachine() {
        LoadBenchmark.Options options = LoadBenchmark.Options.parse(new String[] {"--rounds", "2"});
        String doc = Report.asciidoc(MACHINE, options, results(), Report.targets(results()), Optional.empty());

        assertThat(doc).contains(":load-benchmark-command: benchmarks/load-benchmark --rounds 2", "Test CPU",
                "|1 KiB |(a) floor: bare filter |30,000");
        assertThat(doc.lines().filter(line -> line.equals("|==="))).hasSize(4);
    }
}
