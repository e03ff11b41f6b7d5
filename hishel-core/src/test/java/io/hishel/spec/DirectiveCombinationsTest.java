package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generated combination of directives (see {@link DirectiveCases}) through the engine: a
 * first request stores what it may, a second asks for the same URL, and the second is answered by
 * the first one's response only where RFC 9111 lets a shared cache share it and reuse it as it is.
 * Directives are read by their meaning, never by their first occurrence (the class of
 * CVE-2026-59427).
 */
@Rfc({"RFC 9111 §4.2.1", "RFC 9111 §5.2", "RFC 9111 §5.2.2.7", "RFC 9111 §5.2.2.5", "RFC 9111 §5.2.2.4",
    "RFC 9111 §3.5", "RFC 9213 §2.1"})
class DirectiveCombinationsTest {

    static List<DirectiveCases.Case> cases() {
        return DirectiveCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void noResponseReachesAnotherClientUnlessItsDirectivesAllowIt(DirectiveCases.Case directiveCase) {
        Driver cache = new Driver();
        cache.respond(request -> new Response(200, Headers.of(directiveCase.responseFieldArray()),
                Body.ofUtf8(request.headers().contains("Authorization") ? "for alice" : "for anyone")));
        URI url = URI.create("https://example.com/page");

        cache.send(new Request("GET", url, Headers.of(directiveCase.firstRequestArray())));
        cache.clock.advanceSeconds(1);
        Driver.Exchange second = cache.send(new Request("GET", url, Headers.of(directiveCase.secondRequestArray())));

        if (directiveCase.expect() == DirectiveCases.Expect.SHARED) {
            assertThat(second.fromCache()).as("served from storage").isTrue();
            assertThat(second.applicationCalls()).isZero();
        } else {
            assertThat(second.fromCache()).as("served from storage").isFalse();
            assertThat(second.applicationCalls()).isEqualTo(1);
        }
    }
}
