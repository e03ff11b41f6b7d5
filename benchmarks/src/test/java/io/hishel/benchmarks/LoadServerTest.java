package io.hishel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.benchmarks.LoadBenchmark.Download;
import io.hishel.benchmarks.LoadBenchmark.Expect;
import io.hishel.benchmarks.LoadBenchmark.Options;
import io.hishel.benchmarks.LoadBenchmark.Server;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The load server's filling, on a real server process with the real storages (PostgreSQL at
 * 127.0.0.1:5432): the copies it stores through the Storage API must be hits exactly as if a miss
 * had stored them, or the scaling numbers would measure misses.
 */
class LoadServerTest {

    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = Server.start(Options.parse(new String[] {"--no-pinning"}), List.of("-Xmx512m"), 10L << 20, 32L << 20,
                0, true, null);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "sqlite-no-tier", "postgresql-no-tier"})
    void copiesOfAStoredEntryAreHitsThatNeverReachTheEndpoint(String front) throws Exception {
        String prefix = "/" + front + "/cached/1024?entry=";
        LoadBenchmark.check(server, front, prefix + "0", Expect.HIT, 1024);

        HttpResponse<byte[]> filled = server.get("/_bench/populate?front=" + front + "&url="
                + URLEncoder.encode(prefix, StandardCharsets.UTF_8) + "&from=1&to=300&threads=2");

        assertThat(filled.statusCode()).isEqualTo(200);
        assertThat(new String(filled.body(), StandardCharsets.US_ASCII)).startsWith("299 ");
        long calls = server.calls();
        for (int i : List.of(1, 150, 299)) {
            Download hit = server.download(prefix + i);
            assertThat(hit.status()).isEqualTo(200);
            assertThat(hit.bytes()).isEqualTo(1024);
            assertThat(hit.cacheStatus()).contains("; hit");
        }
        assertThat(server.calls()).isEqualTo(calls);
        // One past the last copy was never stored: the endpoint answers it.
        assertThat(server.download(prefix + 300).cacheStatus()).contains("stored");
        assertThat(server.calls()).isEqualTo(calls + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite"})
    void fillingWithoutATemplateSaysWhatToDo(String front) throws Exception {
        HttpResponse<byte[]> refused = server.get("/_bench/populate?front=" + front + "&url="
                + URLEncoder.encode("/" + front + "/cached/1024?never=", StandardCharsets.UTF_8)
                + "&from=1&to=10&threads=1");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("request /" + front
                + "/cached/1024?never=0 first");
    }
}
