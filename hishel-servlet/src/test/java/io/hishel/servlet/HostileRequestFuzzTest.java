package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.servlet.TwinServers.Seen;
import io.hishel.servlet.TwinServers.Twin;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile request fields — directives and dates that do not parse, validators that are not
 * entity-tags, duplicated and huge fields, odd methods, targets and hosts — get an answer of the
 * same class with the cache as without it, and make the cache's server log nothing the
 * application's alone does not. A 304 counts as the 200 it stands for: the cache may answer a
 * conditional request itself (RFC 9111 §4.3.2).
 */
class HostileRequestFuzzTest {

    /** Seeds that found a divergence once; each stays as the regression test of its fix. */
    static final long[] KEPT = {
        1309540449L, // getDateHeader of "... 00:00:00 UTC": an exception the container does not throw
        1309540472L, // getDateHeader of a date with the wrong weekday: an exception the container does not throw
        1309542414L, // only-if-cached with nothing stored: the cache's 504 (RFC 9111 §5.2.1.7), which the comparison allows
        1309542405L, // the same where the application alone fails: the cache's 504 stands, the application is not asked
    };

    private static final long BASE = 0x4E0E_0000L;
    private static final int RANDOM_CASES = Integer.getInteger("hishel.fuzz.cases", 300);

    private static LogCapture log;
    private static TwinServers twins;

    @BeforeAll
    static void startTwins() throws Exception {
        log = new LogCapture();
        twins = new TwinServers((request, response) -> {
            // An ordinary application: it reads its parameters and answers with validators and a lifetime.
            request.getParameterMap();
            // And parses fields the cache passes on untouched, failing as the container makes it fail.
            request.getDateHeader("X-Date");
            request.getIntHeader("X-Number");
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("ETag", "\"v1\"");
            response.setHeader("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");
            if (request.getRequestURI().startsWith("/vary")) {
                response.setHeader("Vary", "X-Odd, Accept-Encoding");
            }
            response.setContentType("text/plain");
            response.getWriter().write("resource for " + request.getMethod());
        }, builder -> builder.trustClientMetadata(true)); // so that the cache reads its own request fields too
    }

    @AfterAll
    static void stopTwins() throws Exception {
        twins.close();
        log.close();
    }

    static Stream<Long> seeds() {
        return LongStream.concat(LongStream.of(KEPT), LongStream.range(BASE, BASE + RANDOM_CASES)).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void hostileRequestIsAnsweredAsByTheApplicationAloneAndLogsNothingMore(long seed) throws Exception {
        HostileRequest hostile = HostileRequest.of(seed);
        log.clear();

        Seen bare = hostile.sendTo(twins.bare);
        List<String> bareLog = kinds(log.drain(twins.bare.threadPrefix));
        // Twice: the first may store the answer, the second is then a hit or a validation under the same fields.
        Seen cachedFirst = hostile.sendTo(twins.cached);
        Seen cachedSecond = hostile.sendTo(twins.cached);
        List<String> cachedLog = kinds(log.drain(twins.cached.threadPrefix));

        assertThat(statusClass(cachedFirst, hostile)).as("first answer through the cache to %s: %s", hostile,
                cachedFirst).isIn(statusClass(bare, hostile), "as-only-if-cached-allows");
        assertThat(statusClass(cachedSecond, hostile)).as("second answer through the cache to %s: %s", hostile,
                cachedSecond).isIn(statusClass(bare, hostile), "as-only-if-cached-allows");
        // Two requests against the application's one: each event the application logs may come twice.
        List<String> alone = new ArrayList<>(bareLog);
        alone.addAll(bareLog);
        assertThat(HostileOriginFuzzTest.beyond(cachedLog, alone))
                .as("what the cache's server logged for %s, beyond the application's", hostile).isEmpty();
    }

    private static String statusClass(Seen seen, HostileRequest request) {
        int status = seen.status();
        if (status == 304) {
            return "2xx";
        }
        if (status == 504 && request.fields().stream().anyMatch(field -> field.contains("only-if-cached"))) {
            // The cache's answer when it holds nothing fresh enough (RFC 9111 §5.2.1.7): the application is not asked.
            return "as-only-if-cached-allows";
        }
        return status < 0 ? seen.framing().toString() : status / 100 + "xx";
    }

    private static List<String> kinds(List<LogCapture.Event> events) {
        List<String> kinds = new ArrayList<>();
        for (LogCapture.Event event : events) {
            kinds.add(event.kind());
        }
        return kinds;
    }

    /** A request drawn from a seed. */
    record HostileRequest(long seed, String method, String target, List<String> fields, String body) {

        private static final String[] METHODS = {"GET", "GET", "GET", "GET", "GET", "HEAD", "HEAD", "POST", "PUT",
            "DELETE", "OPTIONS", "PATCH", "FOO", "get", "PURGE", "GET\u00e9"};
        private static final String[] QUERIES = {"", "", "?a=1", "?a=%zz", "?a=%", "?%00=1", "?a=%2F..%2F", "?a+b=c+d",
            "?" + "q".repeat(6000), "?a=\u00fc", "?a=1&a=2&&=", "?a=%C3%28", "#fragment"};
        private static final String[][] FIELDS = {
            {"Cache-Control", "max-age=abc"}, {"Cache-Control", "max-age=-1"},
            {"Cache-Control", "max-age=99999999999999999999"}, {"Cache-Control", "no-cache=\""},
            {"Cache-Control", "max-stale"}, {"Cache-Control", "max-stale=abc"}, {"Cache-Control", "min-fresh=x"},
            {"Cache-Control", "only-if-cached"}, {"Cache-Control", "no-store, no-store"}, {"Cache-Control", "="},
            {"Cache-Control", ",,,"}, {"Cache-Control", "max-age=1, max-age=2"}, {"Cache-Control", "no-cache"},
            {"Cache-Control", "max-age=0"}, {"Cache-Control", "\"quoted\""}, {"Cache-Control", "x".repeat(7000)},
            {"Cache-Control", "max-age=\"60\""}, {"Cache-Control", "stale-if-error=abc"},
            {"Pragma", "no-cache"}, {"Pragma", "garbage=\""},
            {"If-Modified-Since", "garbage"}, {"If-Modified-Since", "Mon, 32 Foo 2024 25:61:61 GMT"},
            {"If-Modified-Since", ""}, {"If-Modified-Since", "Sat, 01 Jan 99999 00:00:00 GMT"},
            {"If-Modified-Since", "Tue, 01 Jan 2030 00:00:00 GMT"}, {"If-Modified-Since", "0"},
            {"If-Unmodified-Since", "garbage"}, {"If-None-Match", "*"}, {"If-None-Match", "garbage"},
            {"If-None-Match", "\"v1\""}, {"If-None-Match", "W/"}, {"If-None-Match", "\"unterminated"},
            {"If-None-Match", "W/\"v1\", ,,\"x\""}, {"If-Match", "garbage"}, {"If-Match", "*"},
            {"If-Range", "garbage"}, {"If-Range", "\"v1\""}, {"Range", "bytes=0-5"}, {"Range", "bytes=abc"},
            {"Range", "bytes=5-1"}, {"Range", "items=1-2"}, {"Range", "bytes=-0"},
            {"Host", ""}, {"Host", "exa mple"}, {"Host", "[::1]"}, {"Host", "127.0.0.1:99999"}, {"Host", "other.example"},
            {"Authorization", "Basic garbage"}, {"Cookie", "a=\"; b"}, {"Accept-Encoding", "\u00e9"},
            {"X-Odd", "caf\u00e9"}, {"X-Odd", ""}, {"Content-Length", "abc"}, {"Content-Length", "-1"},
            {"Transfer-Encoding", "gzip"}, {"Expect", "100-continue"}, {"Max-Forwards", "x"},
            {"X-Hishel-Ttl", "abc"}, {"X-Hishel-Ttl", "-5"}, {"X-Hishel-Ttl", "99999999999999999999"},
            {"X-Hishel-Spec-Ignore", "maybe"}, {"X-Hishel-Spec-Ignore", "true"}, {"X-Hishel-Body-Key", "x"},
            {"X-Hishel-Body-Key", "true"}, {"X-Hishel-Refresh-Ttl-On-Access", "\u00e9"},
            {"Forwarded", "for=\"_gazonk\";proto=gopher"}, {"X-Forwarded-Proto", "gopher"},
            {"X-Forwarded-Host", "exa mple"}, {"Date", "garbage"}, {"Age", "-5"},
            {"X-Date", "Mon, 01 Jan 2024 00:00:00 GMT"}, {"X-Date", "Monday, 01-Jan-24 00:00:00 GMT"},
            {"X-Date", "Mon Jan  1 00:00:00 2024"}, {"X-Date", "Tue, 01 Jan 2024 00:00:00 GMT"},
            {"X-Date", "mon, 01 jan 2024 00:00:00 gmt"}, {"X-Date", "Mon, 01 Jan 2024 00:00:00 UTC"},
            {"X-Date", "garbage"}, {"X-Date", ""}, {"X-Number", " 5"}, {"X-Number", "5 "}, {"X-Number", "+5"},
            {"X-Number", "abc"}, {"X-Number", "99999999999"}, {"X-Number", ""}};

        static HostileRequest of(long seed) {
            Random random = new Random(seed);
            String method = METHODS[random.nextInt(METHODS.length)];
            String path = random.nextInt(4) == 0 ? "/vary" : "/request";
            String target = switch (random.nextInt(10)) {
                case 0 -> "http://127.0.0.1:PORT" + path;
                case 1 -> "http://other.example" + path;
                case 2 -> path + "/../request";
                case 3 -> "/" + path;
                case 4 -> path + "/%2e%2e/request";
                default -> path;
            } + QUERIES[random.nextInt(QUERIES.length)];
            List<String> fields = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) {
                String[] field = FIELDS[random.nextInt(FIELDS.length)];
                fields.add(field[0] + ": " + field[1]);
                if (random.nextInt(6) == 0) {
                    fields.add(field[0] + ": " + field[1]); // duplicated
                }
            }
            String body = random.nextInt(6) == 0 ? "a=%zz&b" : null;
            return new HostileRequest(seed, method, target, List.copyOf(fields), body);
        }

        Seen sendTo(Twin twin) throws Exception {
            StringBuilder raw = new StringBuilder(method).append(' ')
                    .append(target.replace("PORT", Integer.toString(twin.port))).append(" HTTP/1.1\r\n");
            if (fields.stream().noneMatch(field -> field.regionMatches(true, 0, "Host:", 0, 5))) {
                raw.append("Host: 127.0.0.1:").append(twin.port).append("\r\n");
            }
            for (String field : fields) {
                raw.append(field).append("\r\n");
            }
            if (body != null) {
                raw.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
                        .append(body.length()).append("\r\n");
            }
            raw.append("Connection: close\r\n\r\n");
            if (body != null) {
                raw.append(body);
            }
            return twin.send(raw.toString(), method.equals("HEAD"));
        }

        @Override
        public String toString() {
            String shown = "seed " + seed + ": " + method + " " + target + " " + fields + (body == null ? "" : " body");
            return shown.replaceAll("(.)\\1{50,}", "$1...");
        }
    }
}
