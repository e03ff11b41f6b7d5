package io.hishel.spec;

import io.hishel.MutableClock;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.CachePolicy;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Performs the I/O each state asks for — an in-memory list of entries and a scripted
 * application — so that a test can describe an exchange and check what the client received.
 */
final class Driver {

    final MutableClock clock = new MutableClock();
    final List<Entry> entries = new ArrayList<>();
    final Map<UUID, Body> bodies = new HashMap<>();
    /** Every request the application received, in order. */
    final List<Request> received = new ArrayList<>();
    private CachePolicy policy = new SpecificationPolicy();
    private Function<Request, Response> application = request -> {
        throw new AssertionError("The application was not expected to be called for " + request);
    };
    private Duration applicationLatency = Duration.ZERO;

    Driver policy(CachePolicy policy) {
        this.policy = policy;
        return this;
    }

    Driver options(CacheOptions options) {
        return policy(new SpecificationPolicy(options));
    }

    CachePolicy policy() {
        return policy;
    }

    /** The application answers every request with this response. */
    Driver respond(Response response) {
        return respond(request -> response);
    }

    Driver respond(int status, String... namesAndValues) {
        return respond(new Response(status, Headers.of(namesAndValues), Body.ofUtf8("body " + status)));
    }

    Driver respond(Function<Request, Response> application) {
        this.application = application;
        return this;
    }

    /** How long the application takes to answer: the response delay of RFC 9111 §4.2.3. */
    Driver latency(Duration latency) {
        this.applicationLatency = latency;
        return this;
    }

    Idle idle() {
        return new Idle(policy, clock);
    }

    Exchange get(String url, String... headerNamesAndValues) {
        return send(new Request("GET", URI.create(url), Headers.of(headerNamesAndValues)));
    }

    Exchange send(String method, String url, String... headerNamesAndValues) {
        return send(new Request(method, URI.create(url), Headers.of(headerNamesAndValues)));
    }

    Exchange send(Request request) {
        Idle.Next decision = idle().next(request, entriesFor(request));
        int callsBefore = received.size();
        Outcome outcome;
        if (decision instanceof FromCache hit) {
            outcome = served(hit);
        } else if (decision instanceof GatewayTimeout timeout) {
            outcome = new Outcome(timeout, timeout.response(), Body.EMPTY);
        } else if (decision instanceof NeedRevalidation validation) {
            outcome = revalidate(validation);
        } else {
            outcome = forward((CacheMiss) decision);
        }
        return new Exchange(request, decision, outcome.state(), outcome.response(), outcome.body(),
                received.size() - callsBefore);
    }

    /** Runs the background validation a stale-while-revalidate hit asked for. */
    Exchange revalidateInBackground(FromCache hit) {
        NeedRevalidation validation = hit.revalidation();
        int callsBefore = received.size();
        Outcome outcome = revalidate(validation);
        return new Exchange(hit.request(), validation, outcome.state(), outcome.response(), outcome.body(),
                received.size() - callsBefore);
    }

    /** Stores a response as a miss would, whatever the request; the test arranges the state. */
    Entry store(String url, Response response) {
        Request request = Request.of("GET", url);
        CacheMiss.Next next = new CacheMiss(request, List.of(), false, Reason.NO_STORED_RESPONSE, clock.instant(),
                policy, clock).next(response);
        if (!(next instanceof StoreAndUse store)) {
            throw new AssertionError("Expected the response to be storable, but: " + next.reason());
        }
        return put(store, request, response.body());
    }

    List<Entry> entriesFor(Request request) {
        CacheKey key = CacheKey.of(request);
        return entries.stream().filter(entry -> entry.key().equals(key)).toList();
    }

    private Outcome revalidate(NeedRevalidation validation) {
        Response response;
        try {
            response = call(validation.conditionalRequest());
        } catch (ApplicationFailure failure) {
            return failed(validation.onFailure(), failure);
        }
        NeedRevalidation.Next next = validation.next(response);
        if (next instanceof NeedToBeUpdated updated) {
            remove(updated.obsoleteEntries());
            for (Entry entry : updated.updatedEntries()) {
                entries.replaceAll(stored -> stored.id().equals(entry.id()) ? entry : stored);
            }
            Body body = updated.sendsBody() ? bodies.get(updated.entry().id()) : Body.EMPTY;
            return new Outcome(updated, updated.response(), body);
        }
        if (next instanceof StorageDecision decision) {
            return stored(decision, validation.request(), response);
        }
        if (next instanceof GatewayTimeout timeout) {
            return new Outcome(timeout, timeout.response(), Body.EMPTY);
        }
        return served((FromCache) next);
    }

    private Outcome forward(CacheMiss miss) {
        Request forwarded = miss.forwardRequest();
        Response response;
        try {
            response = call(forwarded);
        } catch (ApplicationFailure failure) {
            return failed(miss.onFailure(), failure);
        }
        CacheMiss.Next next = miss.next(response);
        if (next instanceof StorageDecision decision) {
            return stored(decision, miss.request(), response);
        }
        if (next instanceof InvalidateEntries invalidation) {
            for (URI uri : invalidation.uris()) {
                String url = CacheKey.normalizeUrl(uri);
                entries.removeIf(entry -> CacheKey.normalizeUrl(entry.request().url()).equals(url));
            }
            return new Outcome(invalidation, response, response.body());
        }
        return served((FromCache) next);
    }

    private Outcome stored(StorageDecision decision, Request request, Response response) {
        Response toClient = decision instanceof StoreAndUse store ? store.clientResponse(response) : response;
        Body body = FromCache.sendsBody(request, toClient) ? response.body() : Body.EMPTY;
        if (decision instanceof StoreAndUse store) {
            remove(store.obsoleteEntries());
            put(store, request, response.body());
        } else {
            remove(((CouldNotBeStored) decision).obsoleteEntries());
        }
        return new Outcome(decision, toClient, body);
    }

    private Entry put(StoreAndUse store, Request request, Body body) {
        Entry entry = store.toEntry(UUID.randomUUID(), CacheKey.of(request));
        entries.add(entry);
        bodies.put(entry.id(), body);
        return entry;
    }

    private Outcome served(FromCache hit) {
        Body body = hit.sendsBody() ? bodies.getOrDefault(hit.entry().id(), Body.EMPTY) : Body.EMPTY;
        return new Outcome(hit, hit.response(), body);
    }

    private Outcome failed(Optional<FromCache> stale, ApplicationFailure failure) {
        if (stale.isPresent()) {
            return served(stale.get());
        }
        throw failure;
    }

    private Response call(Request request) {
        received.add(request);
        clock.advance(applicationLatency);
        Response response = application.apply(request);
        if (response == null) {
            throw new ApplicationFailure();
        }
        return response;
    }

    private void remove(List<Entry> obsolete) {
        obsolete.forEach(entry -> entries.removeIf(stored -> stored.id().equals(entry.id())));
    }

    /** What the client received, and through which states. */
    record Exchange(Request request, CacheState decision, CacheState outcome, Response response, Body body,
                    int applicationCalls) {

        boolean fromCache() {
            return applicationCalls == 0 && (outcome instanceof FromCache);
        }

        Reason reason() {
            if (outcome instanceof Idle.Next next) {
                return next.reason();
            }
            if (outcome instanceof CacheMiss.Next next) {
                return next.reason();
            }
            return ((NeedRevalidation.Next) outcome).reason();
        }

        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        int status() {
            return response.status();
        }
    }

    private record Outcome(CacheState state, Response response, Body body) {
    }

    /** An HTTP-date, for building responses. */
    static String date(java.time.Instant instant) {
        return io.hishel.http.HttpDate.format(instant);
    }

    /** The clock's current time as an HTTP-date. */
    String now() {
        return date(clock.instant());
    }

    /** Thrown by {@link #call} when the scripted application returns {@code null}: "no answer". */
    static final class ApplicationFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ApplicationFailure() {
            super("The application did not answer");
        }
    }
}
