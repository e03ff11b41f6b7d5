package io.hishel.benchmarks;

import io.hishel.http.Body;
import io.hishel.http.CacheControl;
import io.hishel.http.Headers;
import io.hishel.http.HttpDate;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.spec.CacheMiss;
import io.hishel.spec.FromCache;
import io.hishel.spec.Idle;
import io.hishel.spec.NeedRevalidation;
import io.hishel.spec.NeedToBeUpdated;
import io.hishel.spec.Reason;
import io.hishel.spec.StoreAndUse;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The engine's decisions for one request, without storage or servlet: what {@code hishel-core}
 * itself costs on each path the filter drives it through.
 *
 * <ul>
 *   <li>{@link #hit}: {@code idle.next(request, [fresh entry])}, which answers {@link FromCache}.</li>
 *   <li>{@link #miss}: {@code idle.next(request, [])}, which answers {@link CacheMiss}; its
 *       {@code next(response)} for a 200 with {@code max-age=3600} and a 1 KiB body, which answers
 *       {@link StoreAndUse}; and {@code toEntry(id, key)}, the entry the filter writes.</li>
 *   <li>{@link #revalidation}: {@code idle.next(request, [stale entry with an ETag])}, which answers
 *       {@link NeedRevalidation}; its {@code conditionalRequest()}; and its {@code next(304)},
 *       which answers {@link NeedToBeUpdated}.</li>
 *   <li>{@link #cacheKey}: {@code CacheKey.of(request)} for a GET with a query.</li>
 *   <li>{@link #parseCacheControl} and {@link #parseRequestCacheControl}: {@code CacheControl.parse}
 *       of a typical response value and a typical request value; {@link #parseNewCacheControl}:
 *       4096 values of the same shape in turn. Nothing is memoised across calls: a message keeps
 *       its parsed fields itself ({@code Headers.cacheControl()}), so the engine parses a stored
 *       entry's fields once per entry and a request's once per request.</li>
 * </ul>
 *
 * <p>Everything runs with {@link SpecificationPolicy} and the default options (a shared cache)
 * on fixed clocks, so every run takes the same path and computes the same ages. The request has
 * the eight fields a browser typically sends; the response the seven a typical API answers with,
 * among them {@code Vary: Accept-Encoding}, so matching a stored entry computes its secondary key.
 * The stored entry is made by the engine itself, from that response, as a miss makes it.
 * The set-up checks that each benchmark reaches the state it is named after, and fails the run
 * if a change in the engine sends it down another path. The key the filter computes before
 * asking the engine, and the random id it gives a new entry, are not part of {@link #miss}.
 * Run {@code java -jar benchmarks/target/benchmarks.jar -h} for the options.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
// A long warm-up: on two cores the JIT takes some 10 s to compile the deep call trees of hit, miss and
// revalidation; before that they run 10 to 20 times slower and allocate more (less escape analysis).
@Warmup(iterations = 6, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class EngineBenchmark {

    static final URI URL = URI.create("https://shop.example.com/api/products?category=books&page=2&sort=price");

    /** When the stored response was received, and when the miss happens. */
    static final Instant STORED_AT = Instant.parse("2025-06-02T10:00:00Z");

    /** A minute after storing: well within max-age=3600. */
    static final Instant FRESH_AT = STORED_AT.plus(Duration.ofMinutes(1));

    /** Two hours after storing: stale by an hour, with nothing that allows serving it stale. */
    static final Instant STALE_AT = STORED_AT.plus(Duration.ofHours(2));

    static final String ETAG = "\"33a64df551425fcc55e4d42a148795d9f25f89d4\"";

    static final String RESPONSE_CACHE_CONTROL =
            "public, max-age=3600, s-maxage=600, stale-while-revalidate=30, must-revalidate";

    static final String REQUEST_CACHE_CONTROL = "max-age=0";

    private static final String[] NEW_CACHE_CONTROL = new String[4096];

    static {
        for (int i = 0; i < NEW_CACHE_CONTROL.length; i++) {
            NEW_CACHE_CONTROL[i] = "public, max-age=" + (3600 + i) + ", s-maxage=600, stale-while-revalidate=30, must-revalidate";
        }
    }

    private int nextNew;

    static final int BODY_SIZE = 1024;

    private Request request;
    private Response applicationResponse;
    private Response notModified;
    private CacheKey key;
    private UUID id;
    private Idle missIdle;
    private Idle hitIdle;
    private Idle staleIdle;
    /** The entry a miss stores; fresh to {@code hitIdle}, stale to {@code staleIdle}. */
    private List<Entry> stored;

    /**
     * Builds the messages and the stored entry, and checks that every benchmark takes its path.
     *
     * @throws IllegalStateException if a benchmark would measure another decision than its name says
     */
    @Setup(Level.Trial)
    public void setUp() {
        CachePolicy policy = new SpecificationPolicy();
        missIdle = new Idle(policy, Clock.fixed(STORED_AT, ZoneOffset.UTC));
        hitIdle = new Idle(policy, Clock.fixed(FRESH_AT, ZoneOffset.UTC));
        staleIdle = new Idle(policy, Clock.fixed(STALE_AT, ZoneOffset.UTC));

        request = new Request("GET", URL, Headers.of(
                "Host", "shop.example.com",
                "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                "Accept", "application/json, text/plain, */*",
                "Accept-Encoding", "gzip, deflate, br, zstd",
                "Accept-Language", "en-GB,en;q=0.7,fr;q=0.3",
                "Referer", "https://shop.example.com/books",
                "Connection", "keep-alive",
                "X-Request-Id", "9f1c2b7e-4d3a-4b8e-9a61-0c5d2e7f8a90"));
        byte[] body = new byte[BODY_SIZE];
        new Random(42).nextBytes(body);
        applicationResponse = new Response(200, Headers.of(
                "Content-Type", "application/json; charset=utf-8",
                "Content-Length", Integer.toString(BODY_SIZE),
                "Cache-Control", "max-age=3600",
                "ETag", ETAG,
                "Last-Modified", HttpDate.format(STORED_AT.minus(Duration.ofDays(3))),
                "Date", HttpDate.format(STORED_AT),
                "Vary", "Accept-Encoding"), Body.of(body));
        notModified = Response.of(304,
                "Cache-Control", "max-age=3600",
                "ETag", ETAG,
                "Date", HttpDate.format(STALE_AT),
                "Vary", "Accept-Encoding");
        key = CacheKey.of(request);
        id = new UUID(0x5eedL, 42);

        Entry entry = miss();
        if (!entry.key().equals(key) || !entry.id().equals(id) || !entry.request().url().equals(URL)
                || entry.request().varyKey().isEmpty() || !entry.response().headers().contains("ETag")) {
            throw new IllegalStateException("miss stored an unexpected entry: " + entry);
        }
        stored = List.of(entry);

        Idle.Next hit = hit();
        if (!(hit instanceof FromCache fromCache) || hit.reason() != Reason.FRESH
                || fromCache.revalidateInBackground() || !fromCache.sendsBody()) {
            throw new IllegalStateException("hit is not a fresh FromCache but " + describe(hit));
        }
        Idle.Next validation = staleIdle.next(request, stored);
        if (!(validation instanceof NeedRevalidation revalidate) || validation.reason() != Reason.STALE) {
            throw new IllegalStateException("revalidation does not need revalidation but is " + describe(validation));
        }
        if (!revalidate.conditionalRequest().headers().firstValue("If-None-Match").orElse("").equals(ETAG)) {
            throw new IllegalStateException("revalidation does not send If-None-Match: " + ETAG + " but "
                    + revalidate.conditionalRequest().headers());
        }
        NeedRevalidation.Next updated = revalidate.next(notModified);
        if (!(updated instanceof NeedToBeUpdated update) || updated.reason() != Reason.REVALIDATED
                || update.updatedEntries().size() != 1 || !update.sendsBody()) {
            throw new IllegalStateException("revalidation does not update the entry after a 304 but is "
                    + describe(updated));
        }
        if (!cacheKey().value().equals("GET " + URL)) {
            throw new IllegalStateException("cacheKey is not the method and the URL but " + cacheKey());
        }
        CacheControl directives = parseCacheControl();
        if (directives.names().size() != 5 || directives.maxAge().orElse(-1) != 3600
                || directives.sMaxAge().orElse(-1) != 600 || directives.staleWhileRevalidate().orElse(-1) != 30
                || !directives.isPublic() || !directives.mustRevalidate()) {
            throw new IllegalStateException("parseCacheControl does not read every directive of \""
                    + RESPONSE_CACHE_CONTROL + "\" but " + directives);
        }
        if (parseRequestCacheControl().maxAge().orElse(-1) != 0) {
            throw new IllegalStateException("parseRequestCacheControl does not read max-age=0");
        }
    }

    /**
     * A hit: the decision for a request whose one stored response is fresh.
     *
     * @return the {@link FromCache}, with the response to send
     */
    @Benchmark
    public Idle.Next hit() {
        return hitIdle.next(request, stored);
    }

    /**
     * A miss that stores: the decision to call the application, the decision to store its
     * response, and the entry to write.
     *
     * @return the entry
     */
    @Benchmark
    public Entry miss() {
        CacheMiss miss = (CacheMiss) missIdle.next(request, List.of());
        StoreAndUse store = (StoreAndUse) miss.next(applicationResponse);
        return store.toEntry(id, key);
    }

    /**
     * A revalidation: the decision to validate a stale response, the conditional request to send,
     * and the decision to update the entry after a 304.
     *
     * @param blackhole takes the conditional request, which the filter sends to the application
     * @return the {@link NeedToBeUpdated}, with the updated entry and the response to send
     */
    @Benchmark
    public NeedRevalidation.Next revalidation(Blackhole blackhole) {
        NeedRevalidation validation = (NeedRevalidation) staleIdle.next(request, stored);
        blackhole.consume(validation.conditionalRequest());
        return validation.next(notModified);
    }

    /**
     * The primary key of a GET with a query.
     *
     * @return the key
     */
    @Benchmark
    public CacheKey cacheKey() {
        return CacheKey.of(request);
    }

    /**
     * Parsing a response's {@code Cache-Control} of five directives, four with arguments.
     *
     * @return the directives
     */
    @Benchmark
    public CacheControl parseCacheControl() {
        return CacheControl.parse(RESPONSE_CACHE_CONTROL);
    }

    /**
     * Parsing a response's {@code Cache-Control}: 4096 values of the same shape in turn, so that
     * no branch predictor or cache line learns one value ({@link #parseCacheControl} repeats one).
     *
     * @return the directives
     */
    @Benchmark
    public CacheControl parseNewCacheControl() {
        String value = NEW_CACHE_CONTROL[nextNew];
        nextNew = (nextNew + 1) & (NEW_CACHE_CONTROL.length - 1);
        return CacheControl.parse(value);
    }

    /**
     * Parsing a request's {@code Cache-Control} as a browser sends it on reload.
     *
     * @return the directives
     */
    @Benchmark
    public CacheControl parseRequestCacheControl() {
        return CacheControl.parse(REQUEST_CACHE_CONTROL);
    }

    private static String describe(Idle.Next state) {
        return state.getClass().getSimpleName() + " (" + state.reason().token() + ")";
    }

    private static String describe(NeedRevalidation.Next state) {
        return state.getClass().getSimpleName() + " (" + state.reason().token() + ")";
    }
}
