package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: control over the cache key — a canonical host, query parameters left out or sorted —
 * through the filter over real HTTP. The server answers under two names, {@code 127.0.0.1} and
 * {@code localhost}, as an application does under an internal and a public one.
 */
class KeyUrlTest extends FilterTestSupport {

    private TestServer startPage(KeyUrl keyUrl) throws Exception {
        return start(builder -> builder.keyUrl(keyUrl)).route("/page", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write(request.getServerName() + " " + request.getQueryString());
        });
    }

    private HttpResponse<String> viaLocalhost(String method, String pathAndQuery) throws Exception {
        URI uri = URI.create("http://localhost:" + server.uri("/").getPort() + pathAndQuery);
        return server.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void aCanonicalHostKeepsOneEntryForAnApplicationReachedUnderTwoNames() throws Exception {
        startPage(KeyUrl.builder().canonicalOrigin(URI.create("https://shop.example"), List.of()).build());

        HttpResponse<String> internal = server.get("/page");
        HttpResponse<String> external = viaLocalhost("GET", "/page");

        assertThat(external.body()).isEqualTo(internal.body());
        assertThat(server.calls("/page")).isEqualTo(1);
        assertThat(storage.list(0, 10)).singleElement()
                .satisfies(entry -> assertThat(entry.url()).isEqualTo("https://shop.example/page"));
    }

    @Test
    void aWriteThroughOneNameInvalidatesTheEntryForBoth() throws Exception {
        startPage(KeyUrl.builder().canonicalOrigin(URI.create("https://shop.example"), List.of()).build());
        server.get("/page");

        assertThat(viaLocalhost("POST", "/page").statusCode()).isEqualTo(200);
        server.get("/page");

        // RFC 9111 §4.4: the POST invalidated the page's one entry, whichever name reached it.
        assertThat(server.calls("/page")).isEqualTo(3);
    }

    @Test
    void onlyTheNamedAliasesShareTheCanonicalEntry() throws Exception {
        startPage(KeyUrl.builder().canonicalOrigin(URI.create("https://shop.example"), List.of("localhost")).build());

        viaLocalhost("GET", "/page");
        HttpResponse<String> other = server.get("/page");

        assertThat(other.body()).startsWith("127.0.0.1");
        assertThat(server.calls("/page")).isEqualTo(2);
    }

    @Test
    void ignoredParametersShareAnEntryAndTheOthersStillCount() throws Exception {
        startPage(KeyUrl.builder().ignoreQueryParameters(List.of("utm_*", "gclid")).build());

        HttpResponse<String> first = server.get("/page?id=1&utm_source=mail");
        HttpResponse<String> second = server.get("/page?utm_medium=web&id=1&gclid=x");
        HttpResponse<String> plain = server.get("/page?id=1");
        server.get("/page?id=2&utm_source=mail");

        assertThat(second.body()).isEqualTo(first.body());
        assertThat(plain.body()).isEqualTo(first.body());
        assertThat(server.calls("/page")).as("id=1 once, id=2 once").isEqualTo(2);
        // The application still receives the request as sent.
        assertThat(first.body()).endsWith("id=1&utm_source=mail");
    }

    @Test
    void sortedParametersShareAnEntryButOneNamesValuesKeepTheirOrder() throws Exception {
        startPage(KeyUrl.builder().sortQueryParameters(true).build());

        server.get("/page?b=2&a=1");
        server.get("/page?a=1&b=2");
        server.get("/page?a=1&a=2");
        server.get("/page?a=2&a=1");

        assertThat(server.calls("/page")).isEqualTo(3);
    }

    @Test
    void withoutSettingsEveryUrlIsKeyedAsReceived() throws Exception {
        startPage(KeyUrl.asReceived());

        server.get("/page?utm_source=a");
        server.get("/page?utm_source=b");
        viaLocalhost("GET", "/page?utm_source=a");

        assertThat(server.calls("/page")).isEqualTo(3);
    }

    @Test
    void settingsThatCannotWorkAreRejectedWithWhatToWrite() {
        assertThatThrownBy(() -> KeyUrl.builder().canonicalOrigin(URI.create("https://shop.example/shop"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("such as https://shop.example");
        assertThatThrownBy(() -> KeyUrl.builder().ignoreQueryParameters(List.of("u*m")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("utm_*").hasMessageContaining("'u*m'");
    }
}
