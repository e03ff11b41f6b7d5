package io.hishel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hishel.Rfc;
import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.RequestMetadata;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Rfc("RFC 9111 §2")
class CacheKeyTest {

    private static CacheKey key(String method, String url) {
        return CacheKey.of(Request.of(method, url));
    }

    @Test
    void isReadableText() {
        assertThat(key("GET", "https://example.com/search?q=cache#top").value())
                .isEqualTo("GET https://example.com/search?q=cache");
    }

    @Test
    void getAndHeadShareAKeyOtherMethodsHaveTheirOwn() {
        assertThat(key("HEAD", "https://example.com/a")).isEqualTo(key("GET", "https://example.com/a"));
        assertThat(key("POST", "https://example.com/a")).isNotEqualTo(key("GET", "https://example.com/a"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "http://example.com:80/a,     http://example.com/a",
        "https://example.com:443/a,   https://EXAMPLE.com/a",
        "HTTPS://example.com,         https://example.com/",
        "https://user@example.com/a,  https://example.com/a"})
    void normalisesTheOriginOnly(String a, String b) {
        assertThat(key("GET", a)).isEqualTo(key("GET", b));
    }

    @ParameterizedTest(name = "{0} ≠ {1}")
    @CsvSource({
        "https://example.com/a,        http://example.com/a",
        "https://a.example.com/x,      https://b.example.com/x",
        "https://example.com:8443/a,   https://example.com/a",
        "https://example.com/a%2Fb,    https://example.com/a/b",
        "https://example.com/a?x=1&y=2, https://example.com/a?y=2&x=1",
        "https://example.com/a?,       https://example.com/a",
        "https://example.com/A,        https://example.com/a"})
    void keepsApartWhatTheApplicationMayTellApart(String a, String b) {
        assertThat(key("GET", a)).isNotEqualTo(key("GET", b));
    }

    @Test
    void aBodyKeyAddsADigestOfTheBodyToTheUrlNeverReplacingIt() {
        RequestMetadata bodyKey = RequestMetadata.builder().bodyKey(true).build();
        Request search = new Request("POST", URI.create("https://example.com/search"), Headers.EMPTY,
                Body.ofUtf8("{\"q\":1}"), bodyKey);

        assertThat(CacheKey.of(search).value())
                .isEqualTo("POST https://example.com/search body=sha-256:6ae0f660046dadcf5fe8462c0e00a062db4c8d67be82f4098c5ea4208d19b076");
        assertThat(CacheKey.of(search)).isEqualTo(CacheKey.of(search.withHeaders(Headers.of("X", "y"))));
        assertThat(CacheKey.of(search)).isNotEqualTo(CacheKey.of(search.withBody(Body.ofUtf8("{\"q\":2}"))));
        // hishel 1.3 hashed the body alone: two endpoints receiving the same body collided.
        Request other = new Request("POST", URI.create("https://example.com/delete"), Headers.EMPTY,
                Body.ofUtf8("{\"q\":1}"), bodyKey);
        assertThat(CacheKey.of(other)).isNotEqualTo(CacheKey.of(search));
        assertThat(CacheKey.of(search.withMetadata(RequestMetadata.NONE)).value())
                .isEqualTo("POST https://example.com/search");
    }

    @Test
    void refusesABlankKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CacheKey(" "));
    }

    @Test
    void aRequestWithoutKeyedFieldsKeepsItsPlainKey() {
        Request plain = Request.of("GET", "https://example.com/home");

        assertThat(CacheKey.of(plain, CacheKey.FORWARDING_FIELDS)).isEqualTo(CacheKey.of(plain));
    }

    @Test
    void keyedFieldsTheRequestCarriesJoinTheKeyAsADigestOfTheirValues() throws Exception {
        Request evil = new Request("GET", URI.create("https://example.com/home"),
                Headers.of("X-Forwarded-Host", "evil.test", "Accept", "*/*"));
        Request proxied = new Request("GET", URI.create("https://example.com/home"),
                Headers.of("X-Forwarded-Host", "shop.test"));

        CacheKey key = CacheKey.of(evil, CacheKey.FORWARDING_FIELDS);

        // Stable text: entries written by an earlier version keep their keys.
        String digest = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(
                        "x-forwarded-host: evil.test\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(key.value()).isEqualTo("GET https://example.com/home fields=sha-256:" + digest);
        assertThat(CacheKey.of(proxied, CacheKey.FORWARDING_FIELDS)).isNotEqualTo(key);
        assertThat(CacheKey.of(evil, java.util.List.of())).isEqualTo(CacheKey.of(evil));
    }
}
