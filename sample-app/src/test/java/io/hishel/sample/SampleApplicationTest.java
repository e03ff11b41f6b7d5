package io.hishel.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every endpoint of the sample, over HTTP, as the docs describe it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.slowness=300ms",
        "hishel.storage.sqlite.path=target/sample-test.db"})
class SampleApplicationTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @BeforeEach
    void purge() throws Exception {
        assertThat(send(request("/actuator/hishel?all=true").DELETE()).statusCode()).isEqualTo(200);
    }

    @Test
    void theSlowEndpointIsFastTheSecondTime() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> first = get("/slow");
        Duration firstTook = Duration.ofNanos(System.nanoTime() - start);
        HttpResponse<String> second = get("/slow");

        assertThat(firstTook).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(first.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    void anArticleIsRevalidatedWithItsEtagOnceStale() throws Exception {
        HttpResponse<String> first = get("/articles/1");
        assertThat(first.headers().firstValue("ETag")).hasValue("\"article-1-v1\"");
        assertThat(first.headers().firstValue("Last-Modified")).isPresent();

        HttpResponse<String> conditional = get("/articles/1", "If-None-Match", "\"article-1-v1\"");
        assertThat(conditional.statusCode()).isEqualTo(304);
        assertThat(conditional.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
    }

    @Test
    void eachLanguageGetsItsOwnStoredGreeting() throws Exception {
        HttpResponse<String> english = get("/greeting", "Accept-Language", "en");
        HttpResponse<String> french = get("/greeting", "Accept-Language", "fr");
        HttpResponse<String> frenchAgain = get("/greeting", "Accept-Language", "fr");

        assertThat(english.body()).startsWith("Hello");
        assertThat(french.body()).startsWith("Bonjour");
        assertThat(french.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(frenchAgain.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(frenchAgain.body()).isEqualTo(french.body());
    }

    @Test
    void theAccountPageIsNeverShared() throws Exception {
        HttpResponse<String> alice = get("/account", "X-User", "alice");
        HttpResponse<String> bob = get("/account", "X-User", "bob");

        assertThat(alice.headers().firstValue("Cache-Control")).hasValue("max-age=60, private");
        assertThat(bob.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(bob.body()).startsWith("account of bob");
    }

    @Test
    void aPostSearchIsAnsweredFromTheCacheForTheSameQueryOnly() throws Exception {
        HttpResponse<String> shoes = search("shoes");
        HttpResponse<String> shoesAgain = search("shoes");
        HttpResponse<String> hats = search("hats");

        assertThat(shoesAgain.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(shoesAgain.body()).isEqualTo(shoes.body());
        assertThat(hats.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(hats.body()).contains("\"query\":\"hats\"");
    }

    @Test
    void serverOnlyCachingSendsNoCachingHeadersToClients() throws Exception {
        HttpResponse<String> first = get("/server-only");
        HttpResponse<String> second = get("/server-only");

        assertThat(first.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(first.headers().firstValue("Hishel-Cache-Control")).isEmpty();
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
    }

    @Test
    void withoutTheFilterPolicyProfileTheCatalogueIsNotStored() throws Exception {
        get("/catalogue/1");
        HttpResponse<String> second = get("/catalogue/1");

        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
    }

    @Test
    void theActuatorPurgesOneUrl() throws Exception {
        get("/slow");
        assertThat(get("/slow").headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        HttpResponse<String> purge = send(request("/actuator/hishel?url=http://localhost:" + port + "/slow").DELETE());
        HttpResponse<String> after = get("/slow");

        assertThat(purge.body()).isEqualTo("{\"purged\":1}");
        assertThat(after.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
    }

    @Test
    void theDecisionsFeedCountsAndExplains() throws Exception {
        get("/server-only");
        get("/server-only");

        HttpResponse<String> feed = get("/demo/decisions");

        assertThat(feed.body()).contains("\"policy\":\"SpecificationPolicy\"", "\"path\":\"/server-only\"",
                "\"reason\":\"fresh\"", "\"reason\":\"stored\"");
    }

    private HttpResponse<String> search(String query) throws Exception {
        return send(request("/search").header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(query)));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = request(path);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(20));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
