package io.hishel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessagesTest {

    @ParameterizedTest
    @ValueSource(strings = {"/relative", "mailto:someone@example.com", "https:///no-host"})
    void requestsNeedAnAbsoluteUrlWithAHost(String url) {
        assertThatIllegalArgumentException().isThrownBy(() -> Request.of("GET", url))
                .withMessageContaining("absolute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GET POST", "GE(T"})
    void requestMethodsAreTokens(String method) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Request(method, URI.create("https://a/"), Headers.EMPTY));
    }

    @Test
    void requestsNeverPrintTheirHeaders() {
        Request request = Request.of("GET", "https://example.com/a").withHeaders(Headers.of("Authorization", "secret"));

        assertThat(request).hasToString("GET https://example.com/a");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 99, 1000, -200})
    void responseStatusesHaveThreeDigits(int status) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Response(status, Headers.EMPTY));
    }

    @Test
    void bodiesCopyTheirBytesAndCompareByContent() {
        byte[] bytes = {1, 2, 3};
        Body body = Body.of(bytes);
        bytes[0] = 9;

        assertThat(body.toByteArray()).containsExactly(1, 2, 3);
        assertThat(body).isEqualTo(Body.of(new byte[] {1, 2, 3})).hasToString("Body[3 bytes]");
        assertThat(Body.of(new byte[0])).isSameAs(Body.EMPTY);
    }

    @Test
    void knowsTheSafeMethods() {
        assertThat(Request.of("GET", "https://a/").hasSafeMethod()).isTrue();
        assertThat(Request.of("HEAD", "https://a/").hasSafeMethod()).isTrue();
        assertThat(Request.of("OPTIONS", "https://a/").hasSafeMethod()).isTrue();
        assertThat(Request.of("TRACE", "https://a/").hasSafeMethod()).isTrue();
        assertThat(Request.of("POST", "https://a/").hasSafeMethod()).isFalse();
        assertThat(Request.of("get", "https://a/").hasSafeMethod()).isFalse();
        assertThat(Request.of("PURGE", "https://a/").hasSafeMethod()).isFalse();
    }
}
