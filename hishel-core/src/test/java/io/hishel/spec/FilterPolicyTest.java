package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.RequestMetadata;
import io.hishel.http.Response;
import io.hishel.policy.BaseFilter;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.FilterPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** hishel's FilterPolicy: the application's rules instead of the RFC's directives. */
class FilterPolicyTest {

    private final Driver cache = new Driver();

    private static FilterPolicy policy(List<BaseFilter<Request>> requests, List<BaseFilter<Response>> responses) {
        return new FilterPolicy(requests, responses);
    }

    @Test
    void aRefusedRequestPassesThroughUntouchedAndIsNotStored() {
        cache.policy(policy(List.of((request, body) -> request.url().getPath().startsWith("/api/")), List.of()))
                .respond(200, "Cache-Control", "max-age=600");

        Driver.Exchange exchange = cache.get("https://example.com/admin", "If-None-Match", "\"x\"");

        assertThat(((CacheMiss) exchange.decision()).passThrough()).isTrue();
        assertThat(exchange.reason()).isEqualTo(Reason.REQUEST_FILTERED);
        assertThat(Reason.REQUEST_FILTERED.forward()).hasValue("bypass");
        assertThat(cache.received.get(0).headers().contains("If-None-Match")).isTrue();
        assertThat(cache.entries).isEmpty();
    }

    @Test
    void responseFiltersDecideWhatIsStoredAndStoredResponsesAreReusedRegardlessOfDirectives() {
        cache.policy(policy(List.of(), List.of((response, body) -> response.status() == 200)))
                .respond(200, "Cache-Control", "no-cache, max-age=0");

        assertThat(cache.get("https://example.com/a").reason()).isEqualTo(Reason.STORED_BY_FILTER_POLICY);
        cache.clock.advanceSeconds(86_400);
        Driver.Exchange hit = cache.get("https://example.com/a");
        assertThat(hit.fromCache()).isTrue();
        assertThat(hit.reason()).isEqualTo(Reason.REUSED_WITHOUT_SPECIFICATION);
        assertThat(((FromCache) hit.outcome()).freshness().isUnbounded()).isTrue();

        cache.respond(500, "Cache-Control", "max-age=600");
        assertThat(cache.get("https://example.com/b").reason()).isEqualTo(Reason.RESPONSE_FILTERED);
    }

    @Test
    void filtersThatNeedTheBodyReceiveItAndOthersReceiveNull() {
        List<String> seen = new ArrayList<>();
        BaseFilter<Response> reader = new BaseFilter<>() {
            @Override
            public boolean needsBody() {
                return true;
            }

            @Override
            public boolean apply(Response item, byte[] body) {
                seen.add(new String(body, StandardCharsets.UTF_8));
                return !seen.get(0).contains("errors");
            }
        };
        BaseFilter<Response> headerOnly = (response, body) -> {
            seen.add(String.valueOf(body));
            return true;
        };
        FilterPolicy policy = policy(List.of(), List.of(headerOnly, reader));
        cache.policy(policy).respond(new Response(200, Headers.EMPTY, Body.ofUtf8("{\"data\":1}")));

        cache.get("https://example.com/graphql");

        assertThat(seen).containsExactly("null", "{\"data\":1}");
        assertThat(policy.responseFiltersNeedBody()).isTrue();
        assertThat(policy.requestFiltersNeedBody()).isFalse();
    }

    @Test
    void theFirstRefusingFilterEndsTheCheck() {
        List<String> called = new ArrayList<>();
        cache.policy(policy(List.of((r, b) -> called.add("first") && false, (r, b) -> called.add("second")), List.of()))
                .respond(200);

        cache.get("https://example.com/a");

        assertThat(called).containsExactly("first");
    }

    @Test
    void keepsTheSafetyRulesOfASharedCache() {
        cache.policy(policy(List.of(), List.of()));

        cache.respond(200, "Set-Cookie", "session=alice");
        assertThat(cache.get("https://example.com/a").reason()).isEqualTo(Reason.SET_COOKIE);
        cache.respond(200, "Cache-Control", "private");
        assertThat(cache.get("https://example.com/b").reason()).isEqualTo(Reason.PRIVATE_IN_SHARED_CACHE);
        cache.respond(200);
        assertThat(cache.get("https://example.com/c", "Authorization", "Bearer a").reason())
                .isEqualTo(Reason.AUTHORIZATION_IN_SHARED_CACHE);
        cache.respond(206, "Content-Range", "bytes 0-1/10");
        assertThat(cache.get("https://example.com/d").reason()).isEqualTo(Reason.STATUS_NOT_UNDERSTOOD);
    }

    @Test
    void unsafeMethodsStillInvalidateAndVaryStillSelects() {
        cache.policy(policy(List.of(), List.of()))
                .respond(request -> new Response(200, Headers.of("Vary", "Accept-Language"),
                        Body.ofUtf8(request.headers().firstValue("Accept-Language").orElse("-"))));
        cache.get("https://example.com/a", "Accept-Language", "en");

        assertThat(cache.get("https://example.com/a", "Accept-Language", "de").body()).isEqualTo(Body.ofUtf8("de"));
        cache.send("POST", "https://example.com/a");
        assertThat(cache.get("https://example.com/a", "Accept-Language", "en").fromCache()).isFalse();
    }

    @Test
    void requestFiltersMayReadTheRequestBody() {
        BaseFilter<Request> queriesOnly = new BaseFilter<>() {
            @Override
            public boolean needsBody() {
                return true;
            }

            @Override
            public boolean apply(Request item, byte[] body) {
                return !new String(body, StandardCharsets.UTF_8).contains("mutation");
            }
        };
        cache.policy(new FilterPolicy(List.of(queriesOnly), List.of(),
                CacheOptions.builder().supportedMethods("POST").build())).respond(200);
        Request mutation = new Request("POST", URI.create("https://example.com/graphql"), Headers.EMPTY,
                Body.ofUtf8("mutation { x }"), RequestMetadata.builder().bodyKey(true).build());

        assertThat(cache.send(mutation).reason()).isEqualTo(Reason.REQUEST_FILTERED);
        assertThat(cache.send(mutation.withBody(Body.ofUtf8("{ x }"))).reason()).isEqualTo(Reason.STORED_BY_FILTER_POLICY);
    }
}
