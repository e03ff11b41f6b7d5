package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.servlet.TwinServers.Framing;
import io.hishel.servlet.TwinServers.Seen;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken application responses ({@link OriginScript}) reach the client as they reach
 * it without the cache — the same status, fields, body and framing, a cut connection where the
 * container cuts it — and are never stored: the second request of each pair gets what the
 * application alone gives again, not a broken answer from storage. The filter logs no exception
 * the application alone does not.
 */
class HostileOriginFuzzTest {

    /** Seeds that found a divergence once; each stays as the regression test of its fix. */
    static final long[] KEPT = {
        1592590529L, // a value with CR LF: the filter threw where the container relays it with spaces
        1592590568L, // a name that is not a token: the filter threw where the container relays it
        1592590375L, // a value with DEL: stored
        1592590497L, // Content-Length "1000, 1000": stored
        1592590424L, // Content-Length "-1": stored
        1592590536L, // Content-Length " 1 " on a redirect: relayed as 1, the connection cut
        1592590544L, // failure before commit: the application's fields and buffered body lost
        1592590530L, // asynchronous timeout before commit: the application's fields and buffered body lost
        1592590532L, // the writer taken after sendError: the error page in another charset
        1592590429L, // the writer in an unknown charset: a different exception from the application's
        1592590567L, // failure after commit: the characters the writer held were never sent
        1592590680L, // Content-Length 0 and a body: committed at once where the container waits
        1592590379L, // the application's own Transfer-Encoding: stored
        1592590582L, // the application's own Transfer-Encoding: served from storage without it
        1592590346L, // the writer in an unknown charset: the error page written where the container writes none
        1592590550L, // a larger buffer set by the application: committed at the container's default size
        1592590660L, // a larger buffer set by the application: a body that fitted sent in chunks
        1592590839L, // Trailer is not stored (RFC 9111 §3.1): a difference the comparison of hits allows
        1592592691L, // asynchronous timeout after commit: the characters the writer held were never sent
        1592591648L, // the same, with a larger buffer
    };

    /** The random range: a fixed base, so a failure is the same failure on every run. */
    private static final long BASE = 0x5EED_0000L;
    /**
     * How many seeds of the range run: bounded for the build, where an asynchronous timeout costs
     * up to a second of Tomcat's timeout check; {@code -Dhishel.fuzz.cases=5000} searches further.
     */
    private static final int RANDOM_CASES = Integer.getInteger("hishel.fuzz.cases", 80);

    private static LogCapture log;
    private static ExecutorService twinClients;
    private static TwinServers twins;

    @BeforeAll
    static void startTwins() throws Exception {
        log = new LogCapture();
        twinClients = Executors.newSingleThreadExecutor();
        twins = new TwinServers((request, response) -> {
            if (request.getParameter("validated") != null && request.getHeader("X-Hostile") == null) {
                // The response a validation is about: storable for a second, with a validator.
                response.setHeader("Cache-Control", "max-age=1");
                response.setHeader("ETag", "\"v1\"");
                response.getOutputStream().write(STORED_BODY.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                return;
            }
            script(request.getParameter("seed"), request.getParameter("status")).perform(request, response);
        });
    }

    @AfterAll
    static void stopTwins() throws Exception {
        twinClients.shutdownNow();
        twins.close();
        log.close();
    }

    /** The kept seeds first, then the random range. */
    static Stream<Long> seeds() {
        // Once each: a kept seed run again from the range would find its answer stored by the first run.
        return LongStream.concat(LongStream.of(KEPT), LongStream.range(BASE, BASE + RANDOM_CASES)).distinct().boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void brokenResponseIsRelayedAsTheApplicationAloneRelaysItAndNeverStored(long seed) throws Exception {
        assertRelayedAsByTheApplicationAlone(seed);
    }

    /**
     * Interim, unassigned and out-of-range statuses, each in the scripts of the first seeds of the
     * range that do not wait for a timeout.
     */
    static Stream<Arguments> edgeStatuses() {
        long[] quick = LongStream.range(BASE, BASE + 100)
                .filter(seed -> OriginScript.of(seed).abandon() != OriginScript.Abandon.ASYNC_TIMEOUT).limit(8).toArray();
        return IntStream.of(100, 101, 103, 199, 600, 999).boxed().flatMap(status ->
                LongStream.of(quick).mapToObj(seed -> Arguments.of(seed, status)));
    }

    @ParameterizedTest(name = "seed {0} with status {1}")
    @MethodSource("edgeStatuses")
    void responseWithAnEdgeStatusIsRelayedAsTheApplicationAloneRelaysIt(long seed, int status) throws Exception {
        assertRelayedAsByTheApplicationAlone(seed, status);
    }

    /** Seeds whose broken answer to a validation found a divergence once. */
    static final long[] KEPT_VALIDATIONS = {
        2047934485L, // a 304 whose head Tomcat cannot send alone still validates: the comparison allows it
        2047934737L, // a 304 with no-store: the entry it validated removed before it was served, a 503
        2047935015L, // a 304 with an invalid validator: a 503 instead of the stored or the application's answer
        2047935367L, // the writer fails asynchronously, so Content-Length 0 is right: the test's verdict was wrong
    };
    private static final long VALIDATION_BASE = 0x7A11_0000L;
    private static final String STORED_BODY = "the stored response";

    static Stream<Long> validationSeeds() {
        return LongStream.concat(LongStream.of(KEPT_VALIDATIONS),
                LongStream.range(VALIDATION_BASE, VALIDATION_BASE + RANDOM_CASES / 2)).boxed();
    }

    /**
     * The cache holds a stale response; the application's answer to the validation is broken. The
     * client gets what the application alone sends it, or — where the answer is a 304, which the
     * cache's own conditional asked for — the stored response it validates (RFC 9111 §4.3.3,
     * §4.3.4). Nothing broken replaces or freshens the stored response.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("validationSeeds")
    void brokenAnswerToAValidationIsRelayedAsTheApplicationAloneRelaysIt(long seed) throws Exception {
        OriginScript script = OriginScript.of(seed);
        String path = "/origin?validated&seed=" + seed;
        assertThat(twins.cached.get(path).body()).isEqualTo(STORED_BODY);
        twins.clock.advance(java.time.Duration.ofSeconds(5));
        log.clear();

        Future<List<Seen>> bareAnswers = twinClients.submit(() -> askTwice(twins.bare, path, "X-Hostile: 1"));
        List<Seen> cachedAnswers = askTwice(twins.cached, path, "X-Hostile: 1");
        List<String> bareLog = kinds(log.drain(twins.bare.threadPrefix));
        List<String> cachedLog = kinds(log.drain(twins.cached.threadPrefix));

        for (int i = 0; i < 2; i++) {
            Seen bare = withoutUnstoredFields(bareAnswers.get().get(i));
            Seen cached = withoutUnstoredFields(cachedAnswers.get(i));
            if (script.status() == 304 && script.ending() == OriginScript.Ending.BODY && cached.status() == 200) {
                // Whatever the container makes of the 304 on its own (a head too large to send, say), it validates.
                assertThat(cached.body()).as("answer %d through the cache to %s, validated by its 304", i + 1, script)
                        .isEqualTo(STORED_BODY);
            } else {
                assertThat(cached).as("answer %d through the cache to %s", i + 1, script).isEqualTo(bare);
            }
        }
        assertThat(beyond(cachedLog, bareLog)).as("what the cache's server logged for %s, beyond the application's",
                script).isEmpty();
        if (script.broken() && script.status() != 304) {
            // Still the response the validation was about: the broken answer neither replaced nor freshened it.
            assertThat(twins.stored(path)).extracting(entry -> entry.response().headers().firstValue("Cache-Control")
                    .orElse("")).as("stored for the broken %s", script).allMatch("max-age=1"::equals);
        }
    }

    private static OriginScript script(String seed, String status) {
        OriginScript script = OriginScript.of(Long.parseLong(seed));
        return status == null ? script : script.withStatus(Integer.parseInt(status));
    }

    private static void assertRelayedAsByTheApplicationAlone(long seed) throws Exception {
        assertRelayedAsByTheApplicationAlone(seed, null);
    }

    private static void assertRelayedAsByTheApplicationAlone(long seed, Integer status) throws Exception {
        OriginScript script = script(Long.toString(seed), status == null ? null : status.toString());
        String path = "/origin?seed=" + seed + (status == null ? "" : "&status=" + status);
        log.clear();

        // The twins at the same time, each asked twice in turn: an asynchronous timeout costs its wait once.
        Future<List<Seen>> bareAnswers = twinClients.submit(() -> askTwice(twins.bare, path));
        List<Seen> cachedAnswers = askTwice(twins.cached, path);
        Seen bareFirst = bareAnswers.get().get(0);
        Seen bareSecond = bareAnswers.get().get(1);
        Seen cachedFirst = cachedAnswers.get(0);
        Seen cachedSecond = cachedAnswers.get(1);
        List<String> bareLog = kinds(log.drain(twins.bare.threadPrefix));
        List<String> cachedLog = kinds(log.drain(twins.cached.threadPrefix));

        assertThat(bareSecond).as("the application itself answers %s the same twice", script).isEqualTo(bareFirst);
        assertThat(cachedFirst).as("first answer through the cache to %s", script).isEqualTo(bareFirst);
        assertThat(withoutUnstoredFields(cachedSecond)).as("second answer through the cache to %s", script)
                .isEqualTo(withoutUnstoredFields(bareSecond));
        assertThat(beyond(cachedLog, bareLog)).as("what the cache's server logged for %s, beyond the application's",
                script).isEmpty();
        if (script.broken()) {
            assertThat(twins.stored(path)).as("stored for the broken %s", script).isEmpty();
        }
    }

    /** What a stored response never carries (RFC 9111 §3.1), so a hit may lack what the application sent. */
    private static Seen withoutUnstoredFields(Seen seen) {
        Map<String, List<String>> headers = new TreeMap<>(seen.headers());
        headers.keySet().removeAll(List.of("keep-alive", "proxy-connection", "te", "upgrade", "trailer",
                "proxy-authenticate", "proxy-authentication-info"));
        return new Seen(seen.statusLine(), headers, seen.framing(), seen.body());
    }

    private static List<Seen> askTwice(TwinServers.Twin twin, String path, String... headerLines)
            throws java.io.IOException {
        return List.of(comparable(twin.get(path, headerLines)), comparable(twin.get(path, headerLines)));
    }

    /**
     * A body's framing field says the same as another's when both bodies ended where they said:
     * a stored answer goes out with its length where the application's went out in chunks.
     */
    private static Seen comparable(Seen seen) {
        if (seen.framing() != Framing.COMPLETE) {
            return seen;
        }
        Map<String, List<String>> headers = new TreeMap<>(seen.headers());
        List<String> length = headers.get("content-length");
        List<String> encoding = headers.get("transfer-encoding");
        if (length == null && encoding != null && encoding.equals(List.of("chunked"))) {
            headers.remove("transfer-encoding");
        } else if (encoding == null && length != null && length.equals(List.of(Integer.toString(seen.body().length())))) {
            headers.remove("content-length");
        }
        return new Seen(seen.statusLine(), headers, seen.framing(), seen.body());
    }

    /** The events of the first list that the second does not have, each counted once. */
    static List<String> beyond(List<String> logged, List<String> alone) {
        List<String> unmatched = new ArrayList<>(alone);
        List<String> extra = new ArrayList<>();
        for (String event : logged) {
            if (!unmatched.remove(event)) {
                extra.add(event);
            }
        }
        return extra;
    }

    private static List<String> kinds(List<LogCapture.Event> events) {
        List<String> kinds = new ArrayList<>();
        for (LogCapture.Event event : events) {
            kinds.add(event.kind());
        }
        return kinds;
    }
}
