package io.hishel.sample;

import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.spec.CacheMiss;
import io.hishel.spec.FromCache;
import io.hishel.spec.GatewayTimeout;
import io.hishel.spec.Idle;
import io.hishel.spec.NeedRevalidation;
import io.hishel.spec.NeedToBeUpdated;
import io.hishel.spec.StoreAndUse;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Walks one URL through the engine — a miss that stores, a hit, a stale response revalidated
 * with a 304, a client's own conditional — and prints each decision with its reason. It stands in
 * for the sample application until the servlet filter and the Spring Boot starter exist.
 */
public final class EngineWalkthrough {

    private final List<Entry> storage = new ArrayList<>();
    private Instant now = Instant.parse("2026-01-01T12:00:00Z");
    private int applicationCalls;

    public static void main(String[] args) {
        new EngineWalkthrough().run();
    }

    private void run() {
        System.out.println("Hishel for Java: the RFC 9111 engine, one decision at a time\n");
        request("first request", Headers.EMPTY);
        later(Duration.ofSeconds(30));
        request("30 s later", Headers.EMPTY);
        later(Duration.ofSeconds(40));
        request("70 s later, max-age=60 has passed", Headers.EMPTY);
        request("a browser revalidating its own copy", Headers.of("If-None-Match", "\"v1\""));
        request("a client that insists on validation", Headers.of("Cache-Control", "no-cache"));
        request("a client that wants only what is stored", Headers.of("Cache-Control", "only-if-cached"));
        System.out.printf("%nThe application was called %d times for 6 requests.%n", applicationCalls);
    }

    private void request(String label, Headers headers) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Request request = new Request("GET", URI.create("https://example.com/articles/42"), headers);
        // tag::decide[]
        Idle idle = new Idle(new SpecificationPolicy(), clock);
        Idle.Next next = idle.next(request, storage);
        // end::decide[]
        String outcome;
        if (next instanceof FromCache hit) {
            outcome = "served from storage: " + hit.response().status() + ", Age " + hit.response().headers()
                    .firstValue("Age").orElse("-");
        } else if (next instanceof NeedRevalidation validation) {
            Response answer = application(validation.conditionalRequest());
            NeedRevalidation.Next afterValidation = validation.next(answer);
            if (afterValidation instanceof NeedToBeUpdated updated) {
                updated.updatedEntries().forEach(entry -> storage.replaceAll(e -> e.id().equals(entry.id()) ? entry : e));
                outcome = "validated (application said " + answer.status() + "), served " + updated.response().status()
                        + " — " + updated.reason();
            } else {
                outcome = "validation led to " + afterValidation.getClass().getSimpleName() + " — "
                        + afterValidation.reason();
            }
        } else if (next instanceof CacheMiss miss) {
            // tag::miss[]
            Response answer = application(miss.forwardRequest());
            CacheMiss.Next afterMiss = miss.next(answer);
            if (afterMiss instanceof StoreAndUse store) {
                storage.removeAll(store.obsoleteEntries());
                storage.add(store.toEntry(UUID.randomUUID(), CacheKey.of(request)));
            }
            // end::miss[]
            outcome = "application answered " + answer.status() + "; " + afterMiss.getClass().getSimpleName()
                    + " — " + afterMiss.reason();
        } else {
            outcome = "answered " + ((GatewayTimeout) next).response().status() + " without calling the application";
        }
        System.out.printf("%-42s %-17s %s%n    %s%n", label, next.getClass().getSimpleName(), next.reason(), outcome);
    }

    /** The application: an article that changes rarely and knows its validator. */
    private Response application(Request request) {
        applicationCalls++;
        if (request.headers().firstValue("If-None-Match").filter(tag -> tag.contains("\"v1\"")).isPresent()) {
            return Response.of(304, "ETag", "\"v1\"", "Cache-Control", "max-age=60");
        }
        return Response.of(200, "ETag", "\"v1\"", "Cache-Control", "max-age=60", "Content-Type", "text/html");
    }

    private void later(Duration duration) {
        now = now.plus(duration);
    }
}
