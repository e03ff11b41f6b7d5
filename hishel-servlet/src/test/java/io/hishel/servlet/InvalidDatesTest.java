package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9111 §5.3: an Expires outside the HTTP-date grammar means already expired, over real HTTP. */
class InvalidDatesTest extends FilterTestSupport {

    @ParameterizedTest(name = "Expires: {0}")
    @ValueSource(strings = {
        "Thu, 1 Jan 2099 00:00:00 GMT", "Thu 01 Jan 2099 00:00:00 GMT", "Thu, 01 Jan 99 00:00:00 GMT",
        "Thu, 01-Jan-2099 00:00:00 GMT", "Thu, 01 Jan 2099 00:00:00 +0000",
        "Thu, 01 Jan 2099 00:00:00 GMT, Fri, 02 Jan 2099 00:00:00 GMT"})
    @Rfc("RFC 9111 §5.3")
    void aResponseWithAnInvalidExpiresIsNotServedFromTheCache(String expires) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start().route("/expired", (request, response) -> {
            response.setHeader("Expires", expires);
            response.getWriter().write("call " + calls.incrementAndGet());
        }).route("/valid", (request, response) -> {
            response.setHeader("Expires", "Thu, 01 Jan 2099 00:00:00 GMT");
            response.getWriter().write("valid");
        });

        server.get("/expired");
        HttpResponse<String> second = server.get("/expired");
        server.get("/valid");
        HttpResponse<String> validAgain = server.get("/valid");

        assertThat(second.body()).isEqualTo("call 2");
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(validAgain.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
    }
}
